"""The SQL store: tables, migrations, queries and CSV importers."""

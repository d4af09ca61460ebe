"""customer lists: summary tables and the purchase version that says they are current

`visitrhythm` (per customer), `itemrhythm` (per customer and owned product) and `receiptspend`
(per customer and receipt) are rebuilt by `refresh_signals`; `purchaseversion` holds one row whose
`version` triggers on `purchase` bump on every insert, update and delete (and TRUNCATE on
PostgreSQL), and whose `lists_version` the rebuild sets: the lists read the tables only while
the two are equal. They start unequal: until the next refresh the lists read the purchases.

A later migration that rebuilds `purchase` in SQLite batch mode drops these triggers: create
them again there (tests/storage/test_list_tables.py checks they exist at head).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "visitrhythm",
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("last_us", sa.BigInteger(), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("usual_days", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_table(
        "itemrhythm",
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("sku", _text(length=64), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("usual_days", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", "sku"),
    )
    for name, columns, where in (
        ("ix_itemrhythm_once", ["sku", "last_day", "customer_id", "receipts"], "receipts = 1"),
        (
            "ix_itemrhythm_repeat",
            ["last_day", "usual_days", "customer_id", "sku", "receipts"],
            "receipts >= 2",
        ),
    ):
        op.create_index(
            name,
            "itemrhythm",
            columns,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    op.create_table(
        "receiptspend",
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("purchased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("spend", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "purchased_at"),
    )
    version = op.create_table(
        "purchaseversion",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("lists_version", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0, "lists_version": None}])
    if op.get_bind().dialect.name == "postgresql":
        # Once per statement: a million-line import bumps it once.
        op.execute(
            """
            CREATE FUNCTION purchase_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO purchaseversion (id, version) VALUES (1, 1)
                ON CONFLICT (id) DO UPDATE SET version = purchaseversion.version + 1;
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER purchase_version_bump"
            " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON purchase"
            " FOR EACH STATEMENT EXECUTE FUNCTION purchase_version_bump()"
        )
        return
    # SQLite has row triggers only: about 0.4 µs more per imported line.
    for event in _EVENTS:
        op.execute(
            f"CREATE TRIGGER purchase_version_{event.lower()} AFTER {event} ON purchase"
            " BEGIN UPDATE purchaseversion SET version = version + 1 WHERE id = 1; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER purchase_version_bump ON purchase")
        op.execute("DROP FUNCTION purchase_version_bump()")
    else:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER purchase_version_{event.lower()}")
    op.drop_table("purchaseversion")
    op.drop_table("receiptspend")
    op.drop_index("ix_itemrhythm_repeat", table_name="itemrhythm")
    op.drop_index("ix_itemrhythm_once", table_name="itemrhythm")
    op.drop_table("itemrhythm")
    op.drop_table("visitrhythm")

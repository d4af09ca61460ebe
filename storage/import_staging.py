"""The staging table an import parses a file into, and the fast path that fills it: rows go to the
driver's executemany as plain tuples, with each column's bind processing done in Python first."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Date, DateTime, Dialect, Integer, MetaData, Table
from sqlalchemy.sql.type_api import TypeDecorator

from storage.import_contract import (
    ColumnSpec,
    ImportOptions,
    KindSpec,
    Parser,
    column_parser,
    parse_bool,
    parse_date,
    parse_language,
    parse_text,
)

# Rows sent to the driver per executemany.
BATCH_ROWS = 5_000

# Dates and times repeat across the lines of an order (and days across orders): parsing and
# formatting each distinct value once saves most of their cost on large files. (The time
# parser memoizes itself: see import_contract.time_parser.)
_MEMO_PARSERS = (parse_date, parse_bool, parse_language)
_MEMO_TYPES = (Date, DateTime, TypeDecorator)


def staging_columns(spec: KindSpec) -> list[str]:
    """Return the staged columns of `spec`'s kind, in order, after `line`: the file's columns,
    the columns derived from them (`phone_key`, `utc_offset_minutes`), then `note_key` for
    notes, then `created_at`/`updated_at` for stamped kinds."""
    names = [c.name for c in spec.columns]
    names += [c.derived for c in spec.columns if c.derived]
    if spec.kind == "notes":
        names.append("note_key")
    if spec.stamped:
        names += ["created_at", "updated_at"]
    return names


def staging_table(spec: KindSpec) -> Table:
    """Return (not create) the TEMPORARY staging table of `spec`'s kind: `line` (the file line a
    row starts on) as the key, then `staging_columns(spec)` typed as in the kind's table.
    PostgreSQL drops it at commit; on SQLite the caller drops it."""
    target = spec.table
    columns = [Column("line", Integer, primary_key=True)]
    columns += [Column(n, target.c[n].type) for n in staging_columns(spec)]
    return Table(
        f"import_stage_{spec.kind}",
        MetaData(),
        *columns,
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


def positional_insert(table: Table, names: list[str], paramstyle: str) -> str:
    """Return `INSERT INTO table (names) VALUES (?, …)` in the driver's `paramstyle` (qmark,
    format or pyformat; KeyError for others), for executemany with plain tuples."""
    # The driver's executemany with plain tuples is the fastest path both drivers offer.
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[paramstyle]
    marks = ", ".join([mark] * len(names))
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"


def bind_processors(
    table: Table, names: list[str], dialect: Dialect
) -> list[tuple[int, Callable[[Any], Any]]]:
    """Return `(index in names, processor)` for each of `table`'s columns `names` whose type
    converts values before they reach the driver; date and time processors are memoized."""
    # Staging rows go through the driver's executemany directly (the fast path measured in
    # bench/); the column type's own bind processing keeps stored values identical to the ORM's.
    return [
        (i, _memo(p) if isinstance(table.c[n].type, _MEMO_TYPES) else p)
        for i, n in enumerate(names)
        if (p := table.c[n].type._cached_bind_processor(dialect)) is not None
    ]


def value_parser(column: ColumnSpec, options: ImportOptions) -> Parser | None:
    """Return the parser to run on `column`'s non-empty text in an import with `options`: None
    when the text is kept as it is, a memoized copy for parsers of often repeated values
    (dates, flags, languages). ValueError when the options do not fit the column."""
    parse = column_parser(column, options)
    if parse is parse_text:
        return None
    return _memo(parse) if parse in _MEMO_PARSERS else parse


def _memo(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return functools.lru_cache(maxsize=4096)(function)

"""The SQL that SQLite and PostgreSQL spell differently: `upsert_insert` (an INSERT that takes
`ON CONFLICT` clauses) and `epoch_day` (whole days since 1970 of a timestamp).

The store runs on these two databases only; anything else is refused with a ValueError.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import SQLModel


def upsert_insert(
    bind: Session | Connection | Engine, table: Table | type[SQLModel]
) -> postgresql.Insert | sqlite.Insert:
    """Return an INSERT into `table` for the database behind `bind` (a session, connection or
    engine) that takes `.on_conflict_do_nothing()` / `.on_conflict_do_update()` and `.excluded`.

    Raises ValueError when the database is neither SQLite nor PostgreSQL.
    """
    engine_or_conn = bind.get_bind() if isinstance(bind, Session) else bind
    dialect = engine_or_conn.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"INSERT … ON CONFLICT needs SQLite or PostgreSQL, not {dialect}")


class epoch_day(FunctionElement[int]):
    """Whole days since 1970-01-01 (UTC) of a timestamp, in SQLite and PostgreSQL alike."""

    type = sa.Integer()
    inherit_cache = True
    name = "epoch_day"


@compiles(epoch_day, "sqlite")
def _epoch_day_sqlite(element: epoch_day, compiler: SQLCompiler, **kw: Any) -> str:
    # Timestamps are stored as UTC text; julianday() of the epoch is 2440587.5.
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(epoch_day, "postgresql")
def _epoch_day_postgresql(element: epoch_day, compiler: SQLCompiler, **kw: Any) -> str:
    # Date minus date is whole days: no numeric division (extract(epoch) is numeric, and slow).
    arg = compiler.process(element.clauses, **kw)
    return f"(CAST(({arg}) AT TIME ZONE 'UTC' AS DATE) - DATE '1970-01-01')"

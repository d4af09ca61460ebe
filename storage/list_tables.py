"""What the customer lists know of each customer's purchases, from the purchases themselves as
of any day or from the summary tables `refresh_signals` keeps (`VisitRhythm`, `ItemRhythm`,
`ReceiptSpend`), and whether those tables are current.

Both ways give the same columns from the same SQL expressions, so a list reads the same figures
either way: `visits_from_purchases` / `VisitRhythm` (customer_id, last_us, last_day, receipts,
usual_days), `items_from_purchases` / `ItemRhythm` (customer_id, sku, last_day, receipts,
usual_days). Days and microseconds count from 1970 on the receipt's wall-clock time, so
`last_day` is the date its till printed. A receipt is one `purchased_at`: an order's lines
share it. `usual_days` is (last − first receipt) / (receipts − 1) in days, None for one receipt,
computed in floating point exactly as `timedelta.total_seconds() / 86400 / (receipts - 1)`.

The tables are current while no purchase changed since `rebuild_list_tables` ran: migration
0009's triggers bump `PurchaseVersion.version` on every insert, update or delete of purchases
(and TRUNCATE on PostgreSQL), and the rebuild records the version it started from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session

from storage.db import chunked
from storage.dialects import upsert_insert
from storage.models import ItemRhythm, Purchase, PurchaseVersion, ReceiptSpend, VisitRhythm

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_VISIT = VisitRhythm.__table__  # type: ignore[attr-defined]
_ITEM = ItemRhythm.__table__  # type: ignore[attr-defined]
_RECEIPT = ReceiptSpend.__table__  # type: ignore[attr-defined]
_VERSION = PurchaseVersion.__table__  # type: ignore[attr-defined]


class epoch_micros(FunctionElement[int]):
    """Microseconds since 1970 of a timestamp's wall-clock time, exactly, in SQLite and
    PostgreSQL alike."""

    type = sa.BigInteger()
    inherit_cache = True
    name = "epoch_micros"


@compiles(epoch_micros, "sqlite")
def _epoch_micros_sqlite(element: epoch_micros, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff'. julianday() rounds to milliseconds, so the
    # seconds and the microseconds are read apart.
    arg = compiler.process(element.clauses, **kw)
    return (
        f"(CAST(strftime('%s', substr({arg}, 1, 19)) AS INTEGER) * 1000000"
        f" + CAST(substr({arg}, 21, 6) AS INTEGER))"
    )


@compiles(epoch_micros, "postgresql")
def _epoch_micros_postgresql(element: epoch_micros, compiler: SQLCompiler, **kw: Any) -> str:
    # extract() returns an exact numeric: no rounding through a double.
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(EPOCH FROM {arg}) * 1000000 AS BIGINT)"


class day_number(FunctionElement[int]):
    """Whole days since 1970 of a timestamp's date (the date its till printed), exactly."""

    type = sa.Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    # The date part alone: julianday() of a full time rounds 23:59:59.9996 up to the next day.
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(julianday(substr({arg}, 1, 10)) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"(CAST(({arg}) AT TIME ZONE 'UTC' AS DATE) - DATE '1970-01-01')"


class ordered_join(Join):
    """An inner join that SQLite runs with `left` as the outer loop (its CROSS JOIN); a plain
    join elsewhere. For a small filtered table driving range look-ups into a large one, which
    SQLite's planner, without statistics, may run the other way round."""

    inherit_cache = True


@compiles(ordered_join, "sqlite")
def _ordered_join_sqlite(element: ordered_join, compiler: SQLCompiler, **kw: Any) -> str:
    if element.onclause is None:
        raise ValueError("ordered_join needs an ON clause")
    on = compiler.process(element.onclause, **{**kw, "asfrom": False})
    left = compiler.process(element.left, **{**kw, "asfrom": True})
    right = compiler.process(element.right, **{**kw, "asfrom": True})
    return f"{left} CROSS JOIN {right} ON {on}"


class bytewise(FunctionElement[str]):
    """A text column ordered by its bytes, as Python orders str (PostgreSQL's own collation
    would put 'b' before 'C')."""

    type = sa.String()
    inherit_cache = True
    name = "bytewise"


@compiles(bytewise, "sqlite")
def _bytewise_sqlite(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))  # BINARY is SQLite's default


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


def day_of(when: date) -> int:
    """Return `when` in whole days since 1970 (the unit of `last_day`)."""
    return (when - EPOCH.date()).days


def day_start(when: date) -> datetime:
    """Return the first instant of `when` as purchases are stored (wall-clock time in UTC)."""
    return datetime.combine(when, time(), tzinfo=UTC)


def from_micros(micros: int) -> datetime:
    """Return the stored time `micros` microseconds after 1970 (timezone-aware, UTC)."""
    return EPOCH + timedelta(microseconds=micros)


def usual_days(first_us: Any, last_us: Any, receipts: Any) -> Any:
    """Return the SQL for the mean days between receipts (None for one receipt): the same
    float divisions, in the same order, as the Python it replaced."""
    days = sa.cast(last_us - first_us, sa.Float) / 1_000_000.0 / 86400.0 / (receipts - 1)
    return sa.case((receipts > 1, days), else_=sa.null())


def _visit_columns(g: Any) -> sa.Select[Any]:
    # VisitRhythm's columns from a grouping with customer_id, first_at, last_at, receipts.
    first_us, last_us = epoch_micros(g.c.first_at), epoch_micros(g.c.last_at)
    return sa.select(
        g.c.customer_id,
        last_us.label("last_us"),
        day_number(g.c.last_at).label("last_day"),
        g.c.receipts,
        usual_days(first_us, last_us, g.c.receipts).label("usual_days"),
    )


def _item_columns(g: Any) -> sa.Select[Any]:
    # ItemRhythm's columns from a grouping with customer_id, sku, first_at, last_at, receipts.
    first_us, last_us = epoch_micros(g.c.first_at), epoch_micros(g.c.last_at)
    return sa.select(
        g.c.customer_id,
        g.c.sku,
        day_number(g.c.last_at).label("last_day"),
        g.c.receipts,
        usual_days(first_us, last_us, g.c.receipts).label("usual_days"),
    )


def visits_from_purchases(
    *, end: datetime | None = None, customers: sa.Select[Any] | None = None
) -> sa.Select[Any]:
    """Return a SELECT of VisitRhythm's columns computed from the purchases before `end` (all
    of them with None), for every customer or those `customers` (a SELECT of ids) gives."""
    p = _PURCHASE.c
    grouped = sa.select(
        p.customer_id,
        func.min(p.purchased_at).label("first_at"),
        func.max(p.purchased_at).label("last_at"),
        func.count(p.purchased_at.distinct()).label("receipts"),
    ).where(p.purchased_at.is_not(None))
    if end is not None:
        grouped = grouped.where(p.purchased_at < end)
    if customers is not None:
        grouped = grouped.where(p.customer_id.in_(customers))
    return _visit_columns(grouped.group_by(p.customer_id).subquery("visits"))


def items_from_purchases(
    *,
    end: datetime | None = None,
    customers: sa.Select[Any] | Sequence[str] | None = None,
    pairs: sa.Select[Any] | None = None,
) -> sa.Select[Any]:
    """Return a SELECT of ItemRhythm's columns computed from the purchases before `end` (all
    of them with None; undated lines always count towards what is owned), for every customer
    and product, or those of `customers` (a SELECT of ids, or ids) among `pairs` (a SELECT of
    customer_id, sku). A product returned in full is not owned and has no row."""
    p = _PURCHASE.c
    grouped = sa.select(
        p.customer_id,
        p.sku,
        func.min(p.purchased_at).label("first_at"),
        func.max(p.purchased_at).label("last_at"),
        func.count(p.purchased_at.distinct()).label("receipts"),
    )
    if end is not None:
        grouped = grouped.where(sa.or_(p.purchased_at < end, p.purchased_at.is_(None)))
    if customers is not None:
        # The (customer_id, purchased_at) index finds their lines.
        grouped = grouped.where(p.customer_id.in_(customers))
    if pairs is not None:
        grouped = grouped.where(sa.tuple_(p.customer_id, p.sku).in_(pairs))
    return _item_columns(
        grouped.group_by(p.customer_id, p.sku)
        .having(func.sum(p.quantity) > 0, func.min(p.purchased_at).is_not(None))
        .subquery("items")
    )


def rebuild_list_tables(conn: Connection, customers: Sequence[str] | None = None) -> None:
    """Refill ReceiptSpend, VisitRhythm and ItemRhythm from the purchases, of every customer or
    only of `customers` (whose purchases changed since the last refresh), and mark them current,
    inside the caller's transaction (`refresh_signals` runs it). Errors: the database's."""
    # Read before the purchases are: a change committed while this runs leaves the tables
    # marked stale (PostgreSQL), never a stale table marked current.
    conn.execute(
        upsert_insert(conn, _VERSION)
        .values(id=1, version=0)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    version = conn.execute(sa.select(_VERSION.c.version).where(_VERSION.c.id == 1)).scalar_one()
    if customers is None:
        _fill_all(conn)
    else:
        for chunk in chunked(list(dict.fromkeys(customers))):
            for table in (_RECEIPT, _VISIT, _ITEM):
                conn.execute(sa.delete(table).where(table.c.customer_id.in_(chunk)))
            _fill(conn, chunk)
    conn.execute(sa.update(_VERSION).where(_VERSION.c.id == 1).values(lists_version=version))


def _fill_all(conn: Connection) -> None:
    for table in (_RECEIPT, _VISIT, _ITEM):
        conn.execute(sa.delete(table))
    # SQLite: indexes built once at the end, not kept up row by row (half again as long). Not
    # on PostgreSQL, where dropping one would lock the lists out until the commit.
    indexes = sorted(_ITEM.indexes, key=lambda index: index.name)
    sqlite = conn.dialect.name == "sqlite"
    for index in indexes if sqlite else []:
        index.drop(conn)
    _fill(conn, None)
    for index in indexes if sqlite else []:
        index.create(conn)
    if not sqlite:
        for table in (_RECEIPT, _VISIT, _ITEM):
            conn.exec_driver_sql(f"ANALYZE {table.name}")


def _fill(conn: Connection, customers: Sequence[str] | None) -> None:
    p, r = _PURCHASE.c, _RECEIPT.c
    # In the order of the (customer_id, purchased_at) index: grouped as it is read, no sort.
    receipts = sa.select(
        p.customer_id,
        p.purchased_at,
        func.coalesce(func.sum(p.quantity * p.unit_price), 0.0),
    ).where(p.purchased_at.is_not(None))
    if customers is not None:
        receipts = receipts.where(p.customer_id.in_(customers))
    receipts = receipts.group_by(p.customer_id, p.purchased_at)
    conn.execute(_RECEIPT.insert().from_select(["customer_id", "purchased_at", "spend"], receipts))
    visits = sa.select(
        r.customer_id,
        func.min(r.purchased_at).label("first_at"),
        func.max(r.purchased_at).label("last_at"),
        func.count().label("receipts"),
    )
    if customers is not None:
        visits = visits.where(r.customer_id.in_(customers))
    visits = visits.group_by(r.customer_id)
    names = ["customer_id", "last_us", "last_day", "receipts", "usual_days"]
    conn.execute(_VISIT.insert().from_select(names, _visit_columns(visits.subquery("visits"))))
    names = ["customer_id", "sku", "last_day", "receipts", "usual_days"]
    conn.execute(_ITEM.insert().from_select(names, items_from_purchases(customers=customers)))


def list_tables_current(session: Session) -> bool:
    """Return True when the summary tables hold every purchase as it is now: rebuilt, and no
    purchase inserted, changed or deleted since."""
    row = session.execute(
        sa.select(_VERSION.c.version, _VERSION.c.lists_version).where(_VERSION.c.id == 1)
    ).first()
    return row is not None and row.lists_version == row.version

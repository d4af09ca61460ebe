"""The signals refresh: what every purchase says about products, learned in SQL.

`refresh_signals` rebuilds `ProductSignal` from every purchase (owners, how many re-buy it and how
often, how popular it is now; returns net out what they cancel), writes a `SignalRefresh` row and
rebuilds the customer lists' summary tables (`storage.list_tables.rebuild_list_tables`). What
customers buy together is learned by the shopping model (bot.core.shopping_model). Nothing is
hand-labelled: a product counts as re-bought because customers bought it again. The look-ups that
read these tables at answer time are in `storage.recommendations`.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, func
from sqlmodel import Session

from storage.dialects import epoch_day
from storage.list_tables import rebuild_list_tables
from storage.models import Product, ProductSignal, Purchase, SignalRefresh, utcnow

# "Popular now" counts owners who bought in the last RECENT_DAYS of the data.
RECENT_DAYS = 90
_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]
_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]


def _temp_table(name: str, *columns: sa.Column[Any]) -> sa.Table:
    return sa.Table(
        name, sa.MetaData(), *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP"
    )


def _owned_table() -> sa.Table:
    # One row per customer and product they still own: purchase days and first/last day bought.
    # No key: keeping one up while inserting costs more than every later read gains from it.
    return _temp_table(
        "rs_owned",
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Integer),
        sa.Column("last_day", sa.Integer),
    )


def _median_table() -> sa.Table:
    return _temp_table(
        "rs_median",
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("median_rebuy_days", sa.Float),
    )


def refresh_signals(*, session: Session) -> SignalRefresh:
    """Recompute product signals, complements and the customer lists' summary tables from all
    purchases; commit and return the run."""
    started = time.perf_counter()
    conn = session.connection()
    owned, medians = _owned_table(), _median_table()
    for table in (owned, medians):
        if conn.dialect.name == "sqlite":
            # A failed run may have left them on this pooled connection (PostgreSQL drops them
            # at the end of the transaction, whatever its outcome).
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table.name}")
        table.create(conn)

    data_until, lines = conn.execute(
        sa.select(func.max(_PURCHASE.c.purchased_at), func.count()).select_from(_PURCHASE)
    ).one()
    _fill_owned(conn, owned)
    last_day = conn.execute(sa.select(func.max(owned.c.last_day))).scalar()
    recent_from = (last_day or 0) - RECENT_DAYS

    conn.execute(sa.delete(_SIGNAL))
    _fill_medians(conn, owned, medians)
    _fill_signals(conn, owned, medians, recent_from)

    customers = conn.execute(
        sa.select(func.count(func.distinct(owned.c.customer_id)))
    ).scalar_one()
    products = conn.execute(sa.select(func.count()).select_from(_SIGNAL)).scalar_one()
    for table in (owned, medians):
        table.drop(conn)
    rebuild_list_tables(conn)
    run = SignalRefresh(
        refreshed_at=utcnow(),
        data_until=data_until,
        lines=lines,
        customers=customers,
        products=products,
        seconds=round(time.perf_counter() - started, 3),
    )
    session.add(run)
    session.commit()
    session.refresh(run)
    return run


def _analyze(conn: Connection, table: sa.Table) -> None:
    # PostgreSQL has no statistics on a fresh temporary table and picks nested loops over
    # hash joins without them (seconds instead of a fraction on Online Retail).
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {table.name}")


def _fill_owned(conn: Connection, owned: sa.Table) -> None:
    p = _PURCHASE.c
    # Net quantities per customer, product and day first: a same-day return cancels that day.
    day = epoch_day(p.purchased_at)
    per_day = (
        sa.select(p.customer_id, p.sku, day.label("day"), func.sum(p.quantity).label("quantity"))
        .group_by(p.customer_id, p.sku, day)
        .subquery()
    )
    bought = per_day.c.quantity > 0
    source = (
        sa.select(
            per_day.c.customer_id,
            per_day.c.sku,
            func.count(sa.case((bought, 1))),
            func.min(sa.case((bought, per_day.c.day))),
            func.max(sa.case((bought, per_day.c.day))),
        )
        .group_by(per_day.c.customer_id, per_day.c.sku)
        # Returns cancel purchases: a product returned in full is not owned.
        .having(func.sum(per_day.c.quantity) > 0)
    )
    conn.execute(
        owned.insert().from_select(["customer_id", "sku", "days", "first_day", "last_day"], source)
    )
    _analyze(conn, owned)


def _fill_medians(conn: Connection, owned: sa.Table, medians: sa.Table) -> None:
    o = owned.c
    # Each repeat buyer's own rhythm (days between purchases, averaged), then the median
    # across them: one customer who restocks daily does not set the pace for everyone.
    interval = ((o.last_day - o.first_day) * 1.0 / (o.days - 1)).label("interval")
    ranked = (
        sa.select(
            o.sku,
            interval,
            func.row_number().over(partition_by=o.sku, order_by=interval).label("rn"),
            func.count().over(partition_by=o.sku).label("n"),
        )
        .where(o.days >= 2, o.last_day > o.first_day)
        .subquery()
    )
    r = ranked.c
    # Integer division picks the middle row, or the middle two for an even count.
    middle = sa.or_(r.rn == (r.n + 1) // 2, r.rn == (r.n + 2) // 2)
    source = sa.select(r.sku, func.avg(r.interval)).where(middle).group_by(r.sku)
    conn.execute(medians.insert().from_select(["sku", "median_rebuy_days"], source))


def _fill_signals(conn: Connection, owned: sa.Table, medians: sa.Table, recent_from: int) -> None:
    o, m, product = owned.c, medians.c, Product.__table__.c  # type: ignore[attr-defined]
    buyers = func.count()
    repeat = func.sum(sa.case((o.days >= 2, 1), else_=0))
    recent = func.sum(sa.case((o.last_day >= recent_from, 1), else_=0))
    source = (
        sa.select(
            o.sku,
            func.max(product.category),
            buyers,
            repeat,
            repeat * 1.0 / buyers,
            func.max(m.median_rebuy_days),
            recent,
        )
        .select_from(owned.join(Product, product.sku == o.sku).outerjoin(medians, m.sku == o.sku))
        .group_by(o.sku)
    )
    names = [
        "sku",
        "category",
        "buyers",
        "repeat_buyers",
        "rebuy_rate",
        "median_rebuy_days",
        "recent_buyers",
    ]
    conn.execute(_SIGNAL.insert().from_select(names, source))

"""The signals refresh: what every purchase says about products, learned in SQL.

`refresh_signals` rebuilds three tables from every purchase (returns net out what they cancel):
`ProductSignal` (owners, how many re-buy it and how often, how popular it is now), `ProductPair`
(the products owners of a product also own, strongest first) and a `SignalRefresh` row; and the
customer lists' summary tables (`storage.list_tables.rebuild_list_tables`). Nothing is
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
from storage.models import Product, ProductPair, ProductSignal, Purchase, SignalRefresh, utcnow

# "Popular now" counts owners who bought in the last RECENT_DAYS of the data.
RECENT_DAYS = 90
# Complements kept per product: a customer's recommendation reads these rows only.
PAIRS_PER_SKU = 20
# A pair needs this many customers owning both to count: a couple of shoppers' baskets are an
# anecdote, not a pattern.
MIN_TOGETHER = 3
# Pairs are counted over each customer's most recent distinct products only. Co-ownership grows
# with the square of a basket: a wholesaler with 1,800 products would add 3 million pairs, nearly
# all noise. On Online Retail, 20 recalled as well as 50, and the refresh of 1M lines takes a
# third less time than with 30.
PAIR_ITEMS_PER_CUSTOMER = 20

_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]
_PAIR = ProductPair.__table__  # type: ignore[attr-defined]
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


def _basket_table() -> sa.Table:
    return _temp_table(
        "rs_basket",
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
    )


def _pair_count_table() -> sa.Table:
    # No key: it is written once and read once, in full.
    return _temp_table(
        "rs_pair",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("other_sku", sa.String(64), nullable=False),
        sa.Column("together", sa.Integer, nullable=False),
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
    owned, basket, pairs, medians = (
        _owned_table(),
        _basket_table(),
        _pair_count_table(),
        _median_table(),
    )
    for table in (owned, basket, pairs, medians):
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

    conn.execute(sa.delete(_PAIR))
    conn.execute(sa.delete(_SIGNAL))
    _fill_medians(conn, owned, medians)
    _fill_signals(conn, owned, medians, recent_from)
    _fill_pairs(conn, owned, basket, pairs)

    customers = conn.execute(
        sa.select(func.count(func.distinct(owned.c.customer_id)))
    ).scalar_one()
    products = conn.execute(sa.select(func.count()).select_from(_SIGNAL)).scalar_one()
    pair_rows = conn.execute(sa.select(func.count()).select_from(_PAIR)).scalar_one()
    for table in (owned, basket, pairs, medians):
        table.drop(conn)
    rebuild_list_tables(conn)
    run = SignalRefresh(
        refreshed_at=utcnow(),
        data_until=data_until,
        lines=lines,
        customers=customers,
        products=products,
        pairs=pair_rows,
        seconds=round(time.perf_counter() - started, 3),
    )
    session.add(run)
    session.commit()
    session.refresh(run)
    return run


def _analyze(conn: Connection, table: sa.Table) -> None:
    # PostgreSQL has no statistics on a fresh temporary table and picks nested loops over
    # hash joins without them (7 s instead of 2 s for the pair count on Online Retail).
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


def _fill_pairs(conn: Connection, owned: sa.Table, basket: sa.Table, pairs: sa.Table) -> None:
    o = owned.c
    recency = func.row_number().over(
        partition_by=o.customer_id, order_by=(o.last_day.desc(), o.days.desc(), o.sku)
    )
    candidates = sa.select(o.customer_id, o.sku, recency.label("rn")).subquery()
    conn.execute(
        basket.insert().from_select(
            ["customer_id", "sku"],
            sa.select(candidates.c.customer_id, candidates.c.sku).where(
                candidates.c.rn <= PAIR_ITEMS_PER_CUSTOMER
            ),
        )
    )
    _analyze(conn, basket)
    # Each unordered pair once (a < b), mirrored below: half the join and half the grouping.
    a, b = basket.alias("a"), basket.alias("b")
    counted = (
        sa.select(a.c.sku, b.c.sku, func.count())
        .select_from(a.join(b, sa.and_(a.c.customer_id == b.c.customer_id, a.c.sku < b.c.sku)))
        .group_by(a.c.sku, b.c.sku)
        .having(func.count() >= MIN_TOGETHER)
    )
    conn.execute(pairs.insert().from_select(["sku", "other_sku", "together"], counted))
    _analyze(conn, pairs)

    p = pairs.c
    both_ways = sa.union_all(
        sa.select(p.sku.label("sku"), p.other_sku.label("other_sku"), p.together),
        sa.select(p.other_sku.label("sku"), p.sku.label("other_sku"), p.together),
    ).subquery()
    w = both_ways.c
    mine, theirs = _SIGNAL.alias("mine"), _SIGNAL.alias("theirs")
    score = _pair_score(w.together, mine.c.buyers, theirs.c.buyers).label("score")
    ranked = (
        sa.select(
            w.sku,
            w.other_sku,
            w.together,
            score,
            func.row_number()
            .over(partition_by=w.sku, order_by=(score.desc(), w.together.desc(), w.other_sku))
            .label("rn"),
        )
        .select_from(
            both_ways.join(mine, mine.c.sku == w.sku).join(theirs, theirs.c.sku == w.other_sku)
        )
        .subquery()
    )
    r = ranked.c
    conn.execute(
        _PAIR.insert().from_select(
            ["sku", "rank", "other_sku", "together", "score"],
            sa.select(r.sku, r.rn, r.other_sku, r.together, r.score).where(r.rn <= PAIRS_PER_SKU),
        )
    )


def _pair_score(together: Any, buyers: Any, other_buyers: Any) -> Any:
    # Cosine similarity of the two sets of owners, squared. Plain co-occurrence would make
    # every product's complement the best seller and lift would crown rarities; cosine sits
    # between (and recalled best on Online Retail). Squared, it needs no sqrt(), an optional
    # SQLite extension, and ranks the same way.
    return together * 1.0 * together / (buyers * other_buyers)

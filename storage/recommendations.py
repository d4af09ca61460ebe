"""Recommendation signals: what purchases say about products, precomputed in SQL, and the look-ups
a recommendation for one customer needs.

`refresh_signals` rebuilds three tables from every purchase (returns net out what they cancel):
`ProductSignal` (owners, how many re-buy it and how often, how popular it is now), `ProductPair`
(the products owners of a product also own, strongest first) and a `SignalRefresh` row. Nothing is
hand-labelled: a product counts as re-bought because customers bought it again. The per-customer
queries then read a handful of indexed rows, so answering for one customer takes milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

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


# --- refresh -------------------------------------------------------------------------------------


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
    """Recompute product signals and complements from all purchases; commit and return the run."""
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


# --- per-customer look-ups -----------------------------------------------------------------------


class OwnedItem(NamedTuple):
    """One product in a customer's history, with returns netted out, and its product signals."""

    sku: str
    name: str
    category: str | None
    net_quantity: int
    # Distinct days it was bought on (days where returns outweighed purchases do not count).
    days: int
    first_bought: datetime | None
    last_bought: datetime | None
    # What everyone's purchases say about the product (zeros before the first refresh).
    buyers: int = 0
    rebuy_rate: float = 0.0
    median_rebuy_days: float | None = None
    recent_buyers: int = 0

    @property
    def owned(self) -> bool:
        """Whether the customer still has it: bought more than they returned."""
        return self.net_quantity > 0


@dataclass(frozen=True)
class CustomerHistory:
    """What a customer bought, product by product, and on how many days they bought anything."""

    items: list[OwnedItem]
    visits: int

    @property
    def owned(self) -> list[OwnedItem]:
        """Return the products the customer still has, most recently bought first."""
        return [item for item in self.items if item.owned]


class Complement(NamedTuple):
    """A product that owners of `sku` also own, and how many customers own it, ever and lately."""

    sku: str
    other_sku: str
    name: str
    category: str | None
    together: int
    score: float
    buyers: int
    recent_buyers: int


class PopularProduct(NamedTuple):
    """A product and how many customers own it, overall and lately."""

    sku: str
    name: str
    category: str | None
    buyers: int
    recent_buyers: int


def customer_history(*, session: Session, customer_id: str) -> CustomerHistory:
    """Return every product the customer bought or returned, netted, most recently bought first."""
    p, s = _PURCHASE.c, _SIGNAL.c
    day = epoch_day(p.purchased_at)
    # Net per product and day first: a same-day return cancels that day's purchase.
    per_day = (
        sa.select(
            p.sku,
            day.label("day"),
            func.sum(p.quantity).label("quantity"),
            func.min(p.purchased_at).label("first_at"),
            func.max(p.purchased_at).label("last_at"),
        )
        .where(p.customer_id == customer_id)
        .group_by(p.sku, day)
        .cte("per_day")
    )
    d = per_day.c
    bought = d.quantity > 0
    query = (
        sa.select(
            d.sku,
            col(Product.name),
            col(Product.category),
            # PostgreSQL sums integers into numeric: keep it an int.
            sa.cast(func.sum(d.quantity), sa.Integer),
            func.count(sa.case((bought, 1))),
            func.min(sa.case((bought, d.first_at))),
            func.max(sa.case((bought, d.last_at))),
            func.coalesce(s.buyers, 0),
            func.coalesce(s.rebuy_rate, 0.0),
            s.median_rebuy_days,
            func.coalesce(s.recent_buyers, 0),
        )
        .select_from(per_day)
        .join(Product, col(Product.sku) == d.sku)
        .outerjoin(_SIGNAL, s.sku == d.sku)
        .group_by(
            d.sku,
            col(Product.name),
            col(Product.category),
            s.buyers,
            s.rebuy_rate,
            s.median_rebuy_days,
            s.recent_buyers,
        )
    )
    # The number of days they bought anything rides along on every row: one round trip.
    visits = sa.select(func.count(func.distinct(d.day))).where(d.quantity > 0).scalar_subquery()
    items: list[OwnedItem] = []
    visit_count = 0
    for row in session.execute(query.add_columns(visits)):
        items.append(OwnedItem._make(row[:-1]))
        visit_count = row[-1]
    items.sort(key=lambda i: (i.last_bought is not None, i.last_bought, i.days), reverse=True)
    return CustomerHistory(items=items, visits=visit_count)


def product_signals(*, session: Session, skus: Iterable[str]) -> dict[str, ProductSignal]:
    """Return the signals of these products, by sku (products nobody owns have none)."""
    found: dict[str, ProductSignal] = {}
    for chunk in _chunks(list(set(skus))):
        query = select(ProductSignal).where(col(ProductSignal.sku).in_(chunk))
        found.update((s.sku, s) for s in session.exec(query))
    return found


def complements_of(*, session: Session, skus: Sequence[str], limit: int = 10) -> list[Complement]:
    """Return up to `limit` complements of each of these products, strongest first per product."""
    rows: list[Complement] = []
    pair, s = _PAIR.c, _SIGNAL.c
    for chunk in _chunks(list(dict.fromkeys(skus))):
        query = (
            sa.select(
                pair.sku,
                pair.other_sku,
                col(Product.name),
                col(Product.category),
                pair.together,
                pair.score,
                func.coalesce(s.buyers, 0),
                func.coalesce(s.recent_buyers, 0),
            )
            .join(Product, col(Product.sku) == pair.other_sku)
            .outerjoin(_SIGNAL, s.sku == pair.other_sku)
            .where(pair.sku.in_(chunk), pair.rank <= limit)
            .order_by(pair.sku, pair.rank)
        )
        rows += map(Complement._make, session.execute(query))
    return rows


def popular_in_categories(
    *, session: Session, categories: Iterable[str], limit: int = 10
) -> dict[str, list[PopularProduct]]:
    """Return up to `limit` products of each category, most popular lately first."""
    wanted = list(dict.fromkeys(categories))
    found: dict[str, list[PopularProduct]] = {category: [] for category in wanted}
    if not wanted:
        return found
    s = _SIGNAL.c
    # One round trip; each part reads its category's end of the category index.
    parts = [
        _popular_query(limit).where(s.category == category).subquery().select()
        for category in wanted
    ]
    query = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    for row in session.execute(query):
        found[row[2]].append(PopularProduct._make(row))
    for products in found.values():
        products.sort(key=lambda p: (-p.recent_buyers, -p.buyers, p.sku))
    return found


def top_products(*, session: Session, limit: int = 10) -> list[PopularProduct]:
    """Return the store's most popular products lately."""
    return list(map(PopularProduct._make, session.execute(_popular_query(limit))))


def latest_refresh(*, session: Session) -> SignalRefresh | None:
    """Return the newest signals refresh, or None before the first."""
    query = select(SignalRefresh).order_by(col(SignalRefresh.id).desc()).limit(1)
    return session.exec(query).first()


def _popular_query(limit: int) -> sa.Select[Any]:
    s = _SIGNAL.c
    return (
        sa.select(s.sku, col(Product.name), s.category, s.buyers, s.recent_buyers)
        .join(Product, col(Product.sku) == s.sku)
        .order_by(s.recent_buyers.desc(), s.buyers.desc(), s.sku)
        .limit(limit)
    )


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    # Keeps IN lists well under SQLite's bound-parameter limit for customers with huge histories.
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""Lists of customers for the associate's book: birthdays coming up, lapsed regulars, items due
again and VIPs.

Each function returns rows best first with the figure behind them; the bot words the reason in
the associate's language. `scope` keeps a list to the customers the caller sees (storage.scope:
a store's are those whose home store it is and those who bought there), `limit` to its first
rows (only their customers are loaded). A list is as of `today`: purchases after
it do not count. Visits, owned items and spend are grouped in SQL, from the summary tables of
storage.list_tables while they are current and from the purchases otherwise: the same figures
either way, only the time differs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import chunked
from storage.list_tables import (
    bytewise,
    day_of,
    day_start,
    from_micros,
    items_from_purchases,
    list_tables_current,
    ordered_join,
    visits_from_purchases,
)
from storage.models import (
    Customer,
    ItemRhythm,
    Product,
    ProductSignal,
    Purchase,
    ReceiptSpend,
    VisitRhythm,
)
from storage.scope import EVERYONE, Scope

# A regular (LAPSED_MIN_VISITS or more visits) is lapsed when the time since their last visit
# is at least LAPSE_FACTOR times their own usual interval between visits (the mean gap between
# their first and last visit): someone who comes every 6 months is not lapsed after 4, someone
# who comes every 3 weeks is after 6.
LAPSED_MIN_VISITS = 3
LAPSE_FACTOR = 2.0
# Spend is ranked over this many days before the list's date (VIPs; lapsed customers' order).
SPEND_DAYS = 365
# Rows of a list whose customers' scope is checked at once (`_first_in_scope`).
SCOPE_CHUNK = 200

_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]
_VISIT = VisitRhythm.__table__  # type: ignore[attr-defined]
_ITEM = ItemRhythm.__table__  # type: ignore[attr-defined]
_RECEIPT = ReceiptSpend.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BirthdayRow:
    """A customer whose birthday falls within the window: `days` until it (0 = today)."""

    customer: Customer
    birthday: date  # this year's (or next year's) date of it
    days: int


@dataclass(frozen=True)
class LapsedRow:
    """A customer who has not been in for a while: `days` since the last visit, against their
    `usual_days` between visits (None with --days), and their spend over SPEND_DAYS."""

    customer: Customer
    last_visit: datetime
    days: int
    usual_days: float | None
    visits: int
    spend: float


@dataclass(frozen=True)
class VipRow:
    """A top customer: net spend over SPEND_DAYS and orders in that time."""

    customer: Customer
    spend: float
    orders: int


def next_birthday(born: date, today: date) -> date:
    """Return the next date (today included) a birthday is celebrated; 29 February is
    celebrated on 28 February in years without it."""
    for year in (today.year, today.year + 1):
        day = born.day
        if born.month == 2 and born.day == 29 and not calendar.isleap(year):
            day = 28
        when = date(year, born.month, day)
        if when >= today:
            return when
    raise AssertionError("unreachable: next year's date is always ahead")


def birthdays(
    *, session: Session, today: date, days: int = 7, scope: Scope = EVERYONE
) -> list[BirthdayRow]:
    """Return customers (in `scope`) whose birthday is within `days` days from `today` (today
    included), soonest first; across New Year too."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    # Two columns for every customer, whole rows only for those in the window.
    query = select(col(Customer.customer_id), col(Customer.birthday)).where(
        col(Customer.birthday).is_not(None)
    )
    coming: dict[str, date] = {}
    for customer_id, born in session.exec(query):
        if born is None:
            continue
        when = next_birthday(born, today)
        if (when - today).days < days:
            coming[customer_id] = when
    seen = scope.visible(session=session, customer_ids=coming)  # the window's customers only
    customers = _customers(session, seen).values()
    rows = [
        BirthdayRow(c, coming[c.customer_id], (coming[c.customer_id] - today).days)
        for c in customers
    ]
    rows.sort(key=lambda r: (r.days, r.customer.last_name or "", r.customer.customer_id))
    return rows


def _customers(session: Session, customer_ids: Iterable[str]) -> dict[str, Customer]:
    ids = sorted(set(customer_ids))
    return {
        c.customer_id: c
        for chunk in chunked(ids)
        for c in session.exec(select(Customer).where(col(Customer.customer_id).in_(chunk)))
    }


def _first_in_scope(
    session: Session, scope: Scope, query: sa.Select[Any], limit: int | None
) -> list[Any]:
    """Return the first `limit` rows (all with None) of the ordered `query`, whose rows carry
    a `customer_id`, of the customers in `scope`. Under "all" the database stops at `limit`;
    else rows are read SCOPE_CHUNK at a time and only their customers' scope is checked
    (storage.scope): a list costs look-ups for about the customers it shows, not for every
    candidate (without an index on the purchases' store, each costs their purchase lines)."""
    if scope.everyone:
        return list(session.execute(query.limit(limit)).all())
    kept: list[Any] = []
    for chunk in session.execute(query).partitions(SCOPE_CHUNK):
        seen = scope.visible(session=session, customer_ids=[r.customer_id for r in chunk])
        kept += [r for r in chunk if r.customer_id in seen]
        if limit is not None and len(kept) >= limit:
            return kept[:limit]
    return kept


def _window(today: date) -> tuple[int, datetime, datetime]:
    # The list's day number, the first instant of the spend window and the first after today.
    return (
        day_of(today),
        day_start(today) - timedelta(days=SPEND_DAYS),
        day_start(today + timedelta(days=1)),
    )


def _cents(spend: Any) -> Any:
    # Spend ranks to the cent: the same money summed in another order differs in its last
    # bits, and that must not decide who comes first.
    return func.round(sa.cast(spend, sa.Numeric), 2)


def _lapsed_visits(visits: Any, today_n: int, days: int | None) -> sa.Select[Any]:
    v = visits.c
    since = sa.literal(today_n) - v.last_day
    rule = (
        since >= days
        if days is not None
        else sa.and_(
            v.receipts >= LAPSED_MIN_VISITS,
            v.usual_days > 0,
            since >= LAPSE_FACTOR * v.usual_days,
        )
    )
    return sa.select(v.customer_id, v.last_us, v.last_day, v.receipts, v.usual_days).where(rule)


def lapsed(
    *,
    session: Session,
    today: date,
    days: int | None = None,
    scope: Scope = EVERYONE,
    limit: int | None = None,
) -> list[LapsedRow]:
    """Return lapsed customers, the biggest spenders of the last SPEND_DAYS first (then the
    longest away), at most `limit` of them (all with None).

    Without `days`: regulars (LAPSED_MIN_VISITS visits or more) whose time since their last
    visit is at least LAPSE_FACTOR × their usual interval. With `days`: everyone whose last
    visit is `days` or more days ago. A visit is a receipt (returns included); visits and spend
    after `today` do not count. Rows give whole days and the mean interval in days; spend is
    net, in the prices' currency, ranked to the cent. Errors: the database's."""
    today_n, start, end = _window(today)
    if list_tables_current(session):
        table = _VISIT
        # Customers who came back after `today`: their visits until then, from the purchases.
        came_back = sa.select(table.c.customer_id).where(table.c.last_day > today_n)
        fixed = visits_from_purchases(end=end, customers=came_back).subquery("fixed")
        kept = _lapsed_visits(table, today_n, days).where(table.c.last_day <= today_n)
        visits = sa.union_all(kept, _lapsed_visits(fixed, today_n, days)).subquery("lapsed")
        r = _RECEIPT.c
        spend = sa.select(func.coalesce(func.sum(r.spend), 0.0)).where(
            r.customer_id == visits.c.customer_id, r.purchased_at >= start, r.purchased_at < end
        )
    else:
        every = visits_from_purchases(end=end).subquery("every")
        visits = _lapsed_visits(every, today_n, days).subquery("lapsed")
        p = _PURCHASE.c
        spend = sa.select(func.coalesce(func.sum(p.quantity * p.unit_price), 0.0)).where(
            p.customer_id == visits.c.customer_id, p.purchased_at >= start, p.purchased_at < end
        )
    v = visits.c
    since = (sa.literal(today_n) - v.last_day).label("days")
    scored = sa.select(
        v.customer_id,
        v.last_us,
        since,
        v.usual_days,
        v.receipts,
        spend.scalar_subquery().label("spend"),
    ).subquery("scored")
    s = scored.c
    query = sa.select(scored).order_by(
        _cents(s.spend).desc(), s.days.desc(), bytewise(s.customer_id)
    )
    found = _first_in_scope(session, scope, query, limit)
    customers = _customers(session, (r.customer_id for r in found))
    return [
        LapsedRow(
            customers[r.customer_id],
            from_micros(r.last_us),
            r.days,
            r.usual_days if days is None else None,
            r.receipts,
            float(r.spend),
        )
        for r in found
        if r.customer_id in customers
    ]


def vips(
    *, session: Session, today: date, scope: Scope = EVERYONE, limit: int = 20
) -> list[VipRow]:
    """Return the top customers (in `scope`) by net spend over the SPEND_DAYS days before
    `today` (today included), at most `limit`, with their orders in that time: the biggest
    first (ranked to the cent, then by customer id); nobody whose spend is not above zero.
    Errors: the database's."""
    _, start, end = _window(today)
    if list_tables_current(session):
        ranked = _top_spenders_from_tables(session, start, end, scope, limit)
    else:
        ranked = _top_spenders_from_purchases(session, start, end, scope, limit)
    customers = _customers(session, (r[0] for r in ranked))
    return [VipRow(customers[cid], spent, orders) for cid, spent, orders in ranked if spent > 0]


def _top_spenders_from_tables(
    session: Session, start: datetime, end: datetime, scope: Scope, limit: int
) -> list[tuple[str, float, int]]:
    r = _RECEIPT.c
    total = func.sum(r.spend)
    query = sa.select(r.customer_id, total).where(r.purchased_at >= start, r.purchased_at < end)
    query = query.group_by(r.customer_id).order_by(_cents(total).desc(), r.customer_id)
    top = [(cid, float(spent)) for cid, spent in _first_in_scope(session, scope, query, limit)]
    # Orders of the top customers only, by the (customer_id, purchased_at) index.
    orders = _orders(session, [cid for cid, _ in top], start, end)
    return [(cid, spent, orders.get(cid, 0)) for cid, spent in top]


def _top_spenders_from_purchases(
    session: Session, start: datetime, end: datetime, scope: Scope, limit: int
) -> list[tuple[str, float, int]]:
    p = _PURCHASE.c
    total = func.coalesce(func.sum(p.quantity * p.unit_price), 0)
    query = sa.select(p.customer_id, total, func.count(func.distinct(p.order_id))).where(
        p.purchased_at >= start, p.purchased_at < end
    )
    query = query.group_by(p.customer_id).order_by(_cents(total).desc(), p.customer_id)
    ranked = _first_in_scope(session, scope, query, limit)
    return [(cid, float(t), int(n)) for cid, t, n in ranked]


def _orders(
    session: Session, customer_ids: list[str], start: datetime, end: datetime
) -> dict[str, int]:
    p = _PURCHASE.c
    orders: dict[str, int] = {}
    for chunk in chunked(customer_ids):
        query = (
            sa.select(p.customer_id, func.count(func.distinct(p.order_id)))
            .where(p.customer_id.in_(chunk), p.purchased_at >= start, p.purchased_at < end)
            .group_by(p.customer_id)
        )
        orders.update((cid, int(n)) for cid, n in session.execute(query))
    return orders


@dataclass(frozen=True)
class DueRow:
    """An item a customer re-buys whose usual interval has passed: `days` since they last
    bought it, against `usual_days` (their own rhythm, or the product's median re-buy interval
    when they bought it once)."""

    customer: Customer
    sku: str
    product: str
    days: int
    usual_days: float
    own_rhythm: bool


# "Due" is a regular need coming round, not a lost customer: at least DUE_FROM × the usual
# interval since the last purchase, at most DUE_UNTIL ×. Bought once, an item is due only when
# DUE_MIN_REBUY_RATE of its owners (DUE_MIN_BUYERS at least) re-bought it: a kettle or a drill
# bought once is never due.
DUE_FROM = 1.0
DUE_UNTIL = 3.0
DUE_MIN_REBUY_RATE = 0.3
DUE_MIN_BUYERS = 3


def _due_items(items: Any, today_n: int) -> list[sa.Select[Any]]:
    # Items re-bought on their owner's own rhythm, and items bought once that most owners
    # re-buy, on the product's rhythm. Columns: customer_id, sku, days, usual, own.
    i, s = items.c, _SIGNAL.c
    since = (sa.literal(today_n) - i.last_day).label("days")
    own = sa.select(
        i.customer_id, i.sku, since, i.usual_days.label("usual"), sa.true().label("own")
    ).where(
        # Numbers written out, as in ItemRhythm's partial indexes (models.REBOUGHT, BOUGHT_ONCE):
        # a bound parameter would keep SQLite from using them.
        i.receipts >= sa.literal_column("2"),
        i.usual_days >= 1,
        since >= DUE_FROM * i.usual_days,
        since <= DUE_UNTIL * i.usual_days,
    )
    median = s.median_rebuy_days
    once = (
        sa.select(i.customer_id, i.sku, since, median.label("usual"), sa.false().label("own"))
        # Product by product: a few hundred range look-ups, not a pass over every item.
        .select_from(ordered_join(_SIGNAL, items, s.sku == i.sku))
        .where(
            i.receipts == sa.literal_column("1"),
            s.buyers >= DUE_MIN_BUYERS,
            s.rebuy_rate >= DUE_MIN_REBUY_RATE,
            median >= 1,
            since >= DUE_FROM * median,
            since <= DUE_UNTIL * median,
            # The same window as a range of days, a day wider than rounding can err, for the
            # (sku, last_day) index.
            i.last_day >= sa.literal(today_n) - DUE_UNTIL * median - 1,
            i.last_day <= sa.literal(today_n) - DUE_FROM * median + 1,
        )
    )
    return [own, once]


def due(
    *, session: Session, today: date, scope: Scope = EVERYONE, limit: int | None = None
) -> list[DueRow]:
    """Return the items due for replenishment as of `today` (of the customers in `scope`),
    the least overdue first (a need coming round now before one long past: days since / usual
    days, then customer id and sku), at most `limit` (all with None), from the purchases until
    `today` and the products' re-buy signals as they are now (storage.models.ProductSignal,
    refreshed at import). Errors: the database's."""
    today_n, _, end = _window(today)
    if list_tables_current(session):
        p = _PURCHASE.c
        # Items bought or returned after `today`: their figures until then, from the purchases.
        came_back = sa.select(_VISIT.c.customer_id).where(_VISIT.c.last_day > today_n)
        later = sa.select(p.customer_id, p.sku).where(
            p.customer_id.in_(came_back), p.purchased_at >= end
        )
        fixed = items_from_purchases(end=end, customers=came_back, pairs=later).cte("fixed")
        # ItemRhythm rows changed after `today` have a last day after it: never due.
        parts = _due_items(_ITEM, today_n) + _due_items(fixed, today_n)
    else:
        parts = _due_items(items_from_purchases(end=end).cte("items"), today_n)
    found = sa.union_all(*parts).subquery("due")
    f = found.c
    query = sa.select(found).order_by(
        sa.cast(f.days, sa.Float) / f.usual, bytewise(f.customer_id), bytewise(f.sku)
    )
    rows = _first_in_scope(session, scope, query, limit)
    if not rows:
        return []
    customers = _customers(session, (r.customer_id for r in rows))
    names = {
        p.sku: p.name
        for chunk in chunked(sorted({r.sku for r in rows}))
        for p in session.exec(select(Product).where(col(Product.sku).in_(chunk)))
    }
    return [
        DueRow(
            customers[r.customer_id], r.sku, names.get(r.sku, r.sku), r.days, r.usual, bool(r.own)
        )
        for r in rows
        if r.customer_id in customers
    ]

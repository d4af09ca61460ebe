"""Lists of customers for the associate's book: birthdays coming up, lapsed regulars and VIPs.

Each function returns rows best first with the figure behind them; the bot words the reason in
the associate's language. `store` keeps a list to the customers whose home store it is.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import chunked
from storage.models import Customer, Product, ProductSignal, Purchase

# A regular (LAPSED_MIN_VISITS or more visits) is lapsed when the time since their last visit
# is at least LAPSE_FACTOR times their own usual interval between visits (the mean gap between
# their first and last visit): someone who comes every 6 months is not lapsed after 4, someone
# who comes every 3 weeks is after 6.
LAPSED_MIN_VISITS = 3
LAPSE_FACTOR = 2.0
# Spend is ranked over this many days before the list's date (VIPs; lapsed customers' order).
SPEND_DAYS = 365


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
    *, session: Session, today: date, days: int = 7, store: str | None = None
) -> list[BirthdayRow]:
    """Return customers whose birthday is within `days` days from `today` (today included),
    soonest first; across New Year too."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    # Two columns for every customer, whole rows only for those in the window.
    query = select(col(Customer.customer_id), col(Customer.birthday)).where(
        col(Customer.birthday).is_not(None)
    )
    if store:
        query = query.where(col(Customer.home_store) == store)
    coming: dict[str, date] = {}
    for customer_id, born in session.exec(query):
        if born is None:
            continue
        when = next_birthday(born, today)
        if (when - today).days < days:
            coming[customer_id] = when
    customers = _customers(session, coming).values()
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


def _spend_since(session: Session, start: datetime, customer_ids: list[str]) -> dict[str, float]:
    spend: dict[str, float] = {}
    for chunk in chunked(customer_ids):
        query = (
            select(
                Purchase.customer_id,
                func.coalesce(func.sum(col(Purchase.quantity) * col(Purchase.unit_price)), 0),
            )
            .where(
                col(Purchase.customer_id).in_(chunk),
                col(Purchase.purchased_at) >= start,
            )
            .group_by(col(Purchase.customer_id))
        )
        spend.update((cid, float(total)) for cid, total in session.exec(query))
    return spend


def lapsed(
    *,
    session: Session,
    today: date,
    days: int | None = None,
    store: str | None = None,
) -> list[LapsedRow]:
    """Return lapsed customers, the biggest spenders of the last SPEND_DAYS first.

    Without `days`: regulars (LAPSED_MIN_VISITS visits or more) whose time since their last
    visit is at least LAPSE_FACTOR × their usual interval. With `days`: everyone whose last
    visit is `days` or more days ago. A visit is a receipt (returns included)."""
    query = select(
        Purchase.customer_id,
        func.min(Purchase.purchased_at),
        func.max(Purchase.purchased_at),
        # A visit is a receipt time: the lines of one order share it, and the
        # (customer_id, purchased_at) index answers the whole query without the table.
        func.count(func.distinct(Purchase.purchased_at)),
    ).group_by(col(Purchase.customer_id))
    if store:
        query = query.where(
            col(Purchase.customer_id).in_(
                select(Customer.customer_id).where(col(Customer.home_store) == store)
            )
        )
    start = datetime.combine(today, time(), tzinfo=UTC) - timedelta(days=SPEND_DAYS)
    candidates: dict[str, tuple[datetime, int, float | None, int]] = {}
    for customer_id, first, last, visits in session.exec(query):
        if first is None or last is None:
            continue
        since = (today - last.date()).days
        if days is not None:
            if since >= days:
                candidates[customer_id] = (last, since, None, visits)
            continue
        if visits < LAPSED_MIN_VISITS:
            continue
        usual = (last - first).total_seconds() / 86400 / (visits - 1)
        if usual > 0 and since >= LAPSE_FACTOR * usual:
            candidates[customer_id] = (last, since, usual, visits)
    if not candidates:
        return []
    spend = _spend_since(session, start, list(candidates))
    customers = _customers(session, candidates)
    rows = [
        LapsedRow(customers[cid], last, since, usual, visits, spend.get(cid, 0.0))
        for cid, (last, since, usual, visits) in candidates.items()
        if cid in customers
    ]
    rows.sort(key=lambda r: (-r.spend, -r.days, r.customer.customer_id))
    return rows


def vips(
    *, session: Session, today: date, store: str | None = None, limit: int = 20
) -> list[VipRow]:
    """Return the top customers by net spend over the SPEND_DAYS days before `today`."""
    start = datetime.combine(today, time(), tzinfo=UTC) - timedelta(days=SPEND_DAYS)
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)
    total = func.coalesce(func.sum(col(Purchase.quantity) * col(Purchase.unit_price)), 0)
    query = (
        select(Purchase.customer_id, total, func.count(func.distinct(Purchase.order_id)))
        .where(col(Purchase.purchased_at) >= start, col(Purchase.purchased_at) < end)
        .group_by(col(Purchase.customer_id))
        .order_by(total.desc(), col(Purchase.customer_id))
        .limit(limit)
    )
    if store:
        query = query.join(Customer).where(col(Customer.home_store) == store)
    ranked = [(cid, float(spent), int(orders)) for cid, spent, orders in session.exec(query)]
    customers = _customers(session, (r[0] for r in ranked))
    return [VipRow(customers[cid], spent, orders) for cid, spent, orders in ranked if spent > 0]


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


def due(*, session: Session, today: date, store: str | None = None) -> list[DueRow]:
    """Return the items due for replenishment as of `today`, the least overdue first (a need
    coming round now before one long past), from the purchases and the products' re-buy
    signals (storage.models.ProductSignal, refreshed at import)."""
    query = (
        sa.select(  # five columns: more than sqlmodel's typed select takes
            col(Purchase.customer_id),
            col(Purchase.sku),
            func.min(Purchase.purchased_at),
            func.max(Purchase.purchased_at),
            func.count(func.distinct(Purchase.purchased_at)),
        )
        .group_by(col(Purchase.customer_id), col(Purchase.sku))
        .having(func.sum(Purchase.quantity) > 0)  # returned in full: not owned
    )
    if store:
        query = query.where(
            col(Purchase.customer_id).in_(
                select(Customer.customer_id).where(col(Customer.home_store) == store)
            )
        )
    signals = {s.sku: s for s in session.exec(select(ProductSignal))}
    found: list[tuple[str, str, int, float, bool]] = []
    for customer_id, sku, first, last, days_bought in session.execute(query):
        if first is None or last is None:
            continue
        since = (today - last.date()).days
        if days_bought >= 2:
            usual, own = (last - first).total_seconds() / 86400 / (days_bought - 1), True
        else:
            signal = signals.get(sku)
            if (
                signal is None
                or signal.median_rebuy_days is None
                or signal.buyers < DUE_MIN_BUYERS
                or signal.rebuy_rate < DUE_MIN_REBUY_RATE
            ):
                continue
            usual, own = signal.median_rebuy_days, False
        if usual >= 1 and DUE_FROM * usual <= since <= DUE_UNTIL * usual:
            found.append((customer_id, sku, since, usual, own))
    if not found:
        return []
    customers = _customers(session, (f[0] for f in found))
    names = {
        p.sku: p.name
        for chunk in chunked(sorted({f[1] for f in found}))
        for p in session.exec(select(Product).where(col(Product.sku).in_(chunk)))
    }
    rows = [
        DueRow(customers[cid], sku, names.get(sku, sku), since, usual, own)
        for cid, sku, since, usual, own in found
        if cid in customers
    ]
    rows.sort(key=lambda r: (r.days / r.usual_days, r.customer.customer_id, r.sku))
    return rows

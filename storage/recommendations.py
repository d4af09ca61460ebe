"""The look-ups a recommendation for one customer needs, over the precomputed signals.

`storage.signal_refresh` learns `ProductSignal` and `ProductPair` from every purchase; the queries
here read a handful of indexed rows of them (and the customer's own purchases), so answering for
one customer takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import chunked
from storage.dialects import epoch_day
from storage.models import Product, ProductPair, ProductSignal, Purchase, SignalRefresh

_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]
_PAIR = ProductPair.__table__  # type: ignore[attr-defined]
_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]


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
    for chunk in chunked(list(set(skus))):
        query = select(ProductSignal).where(col(ProductSignal.sku).in_(chunk))
        found.update((s.sku, s) for s in session.exec(query))
    return found


def complements_of(*, session: Session, skus: Sequence[str], limit: int = 10) -> list[Complement]:
    """Return up to `limit` complements of each of these products, strongest first per product."""
    rows: list[Complement] = []
    pair, s = _PAIR.c, _SIGNAL.c
    for chunk in chunked(list(dict.fromkeys(skus))):
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

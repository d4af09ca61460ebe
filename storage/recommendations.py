"""The look-ups a recommendation for one customer needs, over the precomputed signals.

`storage.signal_refresh` learns `ProductSignal` from every purchase; the queries here read a
handful of indexed rows of it and of the catalogue, so answering for one customer takes
milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import chunked
from storage.models import Product, ProductSignal, SignalRefresh

_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]


class PopularProduct(NamedTuple):
    """A product and how many customers own it, overall and lately."""

    sku: str
    name: str
    category: str | None
    buyers: int
    recent_buyers: int


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


def product_facts(*, session: Session, skus: Iterable[str]) -> dict[str, PopularProduct]:
    """Return name, category and owners (ever and lately) of these products, by sku; products
    not in the catalogue are left out, products nobody owns have zero owners."""
    s = _SIGNAL.c
    found: dict[str, PopularProduct] = {}
    for chunk in chunked(list(set(skus))):
        query = (
            sa.select(
                col(Product.sku),
                col(Product.name),
                col(Product.category),
                func.coalesce(s.buyers, 0),
                func.coalesce(s.recent_buyers, 0),
            )
            .outerjoin(_SIGNAL, s.sku == col(Product.sku))
            .where(col(Product.sku).in_(chunk))
        )
        found.update((row[0], PopularProduct._make(row)) for row in session.execute(query))
    return found


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


class PricedProduct(NamedTuple):
    """A product, its price and how many customers own it, overall and lately."""

    sku: str
    name: str
    category: str | None
    price: float | None
    buyers: int
    recent_buyers: int


def popular_products(
    *, session: Session, max_price: float | None = None, limit: int = 200
) -> list[PricedProduct]:
    """Return up to `limit` products of the catalogue, most owned lately first (then ever, then
    the dearer, then by sku); only those priced at most `max_price` when it is given (products
    with no price left out then). Products nobody bought yet come last."""
    s = _SIGNAL.c
    recent = func.coalesce(s.recent_buyers, 0)
    buyers = func.coalesce(s.buyers, 0)
    query = (
        sa.select(
            col(Product.sku),
            col(Product.name),
            col(Product.category),
            col(Product.price),
            buyers,
            recent,
        )
        .outerjoin(_SIGNAL, s.sku == col(Product.sku))
        .order_by(recent.desc(), buyers.desc(), col(Product.price).desc(), col(Product.sku))
        .limit(limit)
    )
    if max_price is not None:
        query = query.where(col(Product.price).is_not(None), col(Product.price) <= max_price)
    return [PricedProduct._make(row) for row in session.execute(query)]

"""Purchase history: a customer's orders and lines, with the product each line is for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.models import Product, Purchase


@dataclass(frozen=True)
class PurchaseLine:
    """One order line with its product's name and category."""

    order_id: str
    sku: str
    name: str
    category: str | None
    quantity: int
    unit_price: float | None
    purchased_at: datetime | None


def _lines_query(customer_id: str) -> sa.Select[*tuple[Any, ...]]:
    # Core select: seven columns are past sqlmodel.select's typed overloads.
    return (
        sa.select(
            col(Purchase.order_id),
            col(Purchase.sku),
            col(Product.name),
            col(Product.category),
            col(Purchase.quantity),
            col(Purchase.unit_price),
            col(Purchase.purchased_at),
        )
        .join(Product, col(Product.sku) == col(Purchase.sku))
        .where(col(Purchase.customer_id) == customer_id)
    )


def _run(session: Session, query: sa.Select[*tuple[Any, ...]]) -> list[PurchaseLine]:
    return [PurchaseLine(*row) for row in session.execute(query)]


def last_purchases(*, session: Session, customer_id: str, limit: int = 10) -> list[PurchaseLine]:
    """Return the customer's most recent order lines, newest first."""
    query = _lines_query(customer_id).order_by(
        col(Purchase.purchased_at).desc(), col(Purchase.id).desc()
    )
    return _run(session, query.limit(limit))


def product_lines(*, session: Session, customer_id: str, sku: str) -> list[PurchaseLine]:
    """Return every line of one product on the customer's record (returns as negative
    quantities), oldest first; [] when they never bought it."""
    query = _lines_query(customer_id).where(col(Purchase.sku) == sku)
    query = query.order_by(col(Purchase.purchased_at), col(Purchase.id))
    return _run(session, query)


def last_order(*, session: Session, customer_id: str) -> list[PurchaseLine]:
    """Return every line of the customer's most recent order (returns excluded)."""
    newest = session.exec(
        select(Purchase.order_id)
        .where(Purchase.customer_id == customer_id, Purchase.quantity > 0)
        .order_by(col(Purchase.purchased_at).desc(), col(Purchase.id).desc())
        .limit(1)
    ).first()
    if newest is None:
        return []
    query = _lines_query(customer_id).where(col(Purchase.order_id) == newest)
    query = query.order_by(col(Product.name))
    return _run(session, query)


def purchases_between(
    *,
    session: Session,
    customer_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
    category: str | None = None,
    limit: int = 50,
) -> list[PurchaseLine]:
    """Return the customer's lines in [start, end), optionally in one category, newest first."""
    query = _lines_query(customer_id)
    if start is not None:
        query = query.where(col(Purchase.purchased_at) >= start)
    if end is not None:
        query = query.where(col(Purchase.purchased_at) < end)
    if category is not None:
        query = query.where(func.lower(col(Product.category)) == category.lower())
    query = query.order_by(col(Purchase.purchased_at).desc(), col(Purchase.id).desc())
    return _run(session, query.limit(limit))


@dataclass(frozen=True)
class PurchaseSummary:
    """How much and how long a customer has been buying."""

    orders: int
    first: datetime | None
    last: datetime | None
    spent: float


def purchase_summary(*, session: Session, customer_id: str) -> PurchaseSummary:
    """Return the customer's number of orders, first and last purchase and net spend."""
    orders, first, last, spent = session.exec(
        select(
            func.count(func.distinct(Purchase.order_id)),
            func.min(Purchase.purchased_at),
            func.max(Purchase.purchased_at),
            func.coalesce(func.sum(Purchase.quantity * func.coalesce(Purchase.unit_price, 0)), 0),
        ).where(col(Purchase.customer_id) == customer_id)
    ).one()
    return PurchaseSummary(orders=orders, first=first, last=last, spent=float(spent))


@dataclass(frozen=True)
class Spend:
    """What a customer spent in a span: net of returns, in the prices' currency."""

    total: float
    orders: int
    unpriced_lines: int  # lines without a unit price, not counted in `total`


def spend_between(
    *,
    session: Session,
    customer_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Sequence[str] = (),
    skus: Sequence[str] = (),
) -> Spend:
    """Return the customer's net spend (quantity × unit price, returns negative), orders and
    unpriced lines in [start, end), all of them when no bound is given, on the products of
    `categories` or `skus` when either is given; one SQL aggregate."""
    query = select(
        func.coalesce(func.sum(col(Purchase.quantity) * col(Purchase.unit_price)), 0),
        func.count(func.distinct(Purchase.order_id)),
        func.count(col(Purchase.id)) - func.count(col(Purchase.unit_price)),
    ).where(col(Purchase.customer_id) == customer_id)
    if start is not None:
        query = query.where(col(Purchase.purchased_at) >= start)
    if end is not None:
        query = query.where(col(Purchase.purchased_at) < end)
    if categories or skus:
        named = select(Product.sku).where(
            or_(
                func.lower(col(Product.category)).in_([c.lower() for c in categories]),
                col(Product.sku).in_(list(skus)),
            )
        )
        query = query.where(col(Purchase.sku).in_(named))
    total, orders, unpriced = session.exec(query).one()
    return Spend(total=float(total), orders=int(orders), unpriced_lines=int(unpriced))


def owned_skus(*, session: Session, customer_id: str) -> list[str]:
    """Return the skus the customer has bought and not returned, most recent first."""
    rows = session.exec(
        select(Purchase.sku, func.max(Purchase.purchased_at))
        .where(Purchase.customer_id == customer_id)
        .group_by(Purchase.sku)
        .having(func.sum(Purchase.quantity) > 0)
        .order_by(func.max(Purchase.purchased_at).desc())
    )
    return [r[0] for r in rows]

"""The signals refresh: the product signals and the customer lists' tables, written in one go.

`refresh_signals` replaces `ProductSignal` with the rows the caller learned from the purchases
(bot.core.shopping_refresh derives them from the shopping model: owners, how many re-buy it and
how often, how popular it is now), brings the customer lists' summary tables up to date
(`storage.list_tables.rebuild_list_tables`: every customer, or only those whose purchases
changed) and records a `SignalRefresh` row, in the caller's transaction, then commits. Nothing is
hand-labelled: a product counts as re-bought because customers bought it again. The look-ups that
read these tables at answer time are in `storage.recommendations`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session

from storage.list_tables import rebuild_list_tables
from storage.models import Product, ProductSignal, Purchase, SignalRefresh, utcnow

# "Popular now" counts owners who bought in the last RECENT_DAYS of the data.
RECENT_DAYS = 90
_SIGNAL = ProductSignal.__table__  # type: ignore[attr-defined]
_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_PRODUCT = Product.__table__  # type: ignore[attr-defined]


class ProductSignalRow(NamedTuple):
    """What all purchases say about one product: owners, owners who bought it on two days or
    more, their median interval in days (None when nobody re-bought it), owners lately."""

    sku: str
    buyers: int
    repeat_buyers: int
    median_rebuy_days: float | None
    recent_buyers: int


def refresh_signals(
    *,
    session: Session,
    products: Sequence[ProductSignalRow],
    customers: int,
    changed: Sequence[str] | None = None,
) -> SignalRefresh:
    """Replace the product signals with `products`, bring the lists' tables up to date (for
    every customer, or only the `changed` ones), record the run (`customers` = customers with a
    purchase) and commit everything the session holds. Errors: the database's."""
    started = time.perf_counter()
    conn = session.connection()
    data_until, lines = conn.execute(
        sa.select(func.max(_PURCHASE.c.purchased_at), func.count()).select_from(_PURCHASE)
    ).one()
    conn.execute(sa.delete(_SIGNAL))
    rows = [
        {
            "sku": p.sku,
            "buyers": p.buyers,
            "repeat_buyers": p.repeat_buyers,
            "rebuy_rate": p.repeat_buyers / p.buyers if p.buyers else 0.0,
            "median_rebuy_days": p.median_rebuy_days,
            "recent_buyers": p.recent_buyers,
        }
        for p in products
    ]
    if rows:
        conn.execute(_SIGNAL.insert(), rows)
        category = (
            sa.select(_PRODUCT.c.category).where(_PRODUCT.c.sku == _SIGNAL.c.sku).scalar_subquery()
        )
        conn.execute(sa.update(_SIGNAL).values(category=category))
    rebuild_list_tables(conn, changed)
    run = SignalRefresh(
        refreshed_at=utcnow(),
        data_until=data_until,
        lines=lines,
        customers=customers,
        products=len(rows),
        seconds=round(time.perf_counter() - started, 3),
    )
    session.add(run)
    session.commit()
    session.refresh(run)
    return run

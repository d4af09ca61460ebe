"""Who bought a product: the customers behind "who bought the moka pot?", for the associate
to tell them about its refills, a recall or the new model.

A customer is a buyer while they keep some of it: returns (negative quantities) count against
what they bought, so someone who brought it all back is not on the list. Newest purchase first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session

from storage.customers import get_customers
from storage.db import chunked
from storage.models import Customer, Product, Purchase
from storage.scope import EVERYONE, Scope

_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_PRODUCT = Product.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BuyerRow:
    """A customer who bought one of the products asked about: their last purchase of them
    (a store wall-clock time, labelled UTC as purchases are), its sku, and how many they
    keep (bought less returned, over all the products asked about)."""

    customer: Customer
    last_bought: datetime
    sku: str
    product: str  # the name of `sku`
    quantity: int


def buyers(
    *,
    session: Session,
    skus: Collection[str],
    since: datetime | None = None,
    until: datetime | None = None,
    scope: Scope = EVERYONE,
    limit: int = 20,
) -> list[BuyerRow]:
    """Return the customers (in `scope`) who bought any of `skus` in [`since`, `until`) (None:
    no bound) and kept some, at most `limit`, their newest purchase first (then by customer
    id). An empty `skus` gives no rows. Errors: the database's."""
    if not skus:
        return []
    p = _PURCHASE.c
    last = func.max(p.purchased_at)
    kept = func.sum(p.quantity)
    ranked: list[tuple[str, datetime, int]] = []
    for chunk in chunked(sorted(set(skus))):
        query = sa.select(p.customer_id, last, kept).where(p.sku.in_(chunk))
        if since is not None:
            query = query.where(p.purchased_at >= since)
        if until is not None:
            query = query.where(p.purchased_at < until)
        query = query.group_by(p.customer_id).having(kept > 0)
        ranked += [(cid, when, int(n)) for cid, when, n in session.execute(query)]
    merged: dict[str, tuple[datetime, int]] = {}
    for cid, when, n in ranked:  # a customer over several chunks of skus: one row
        before = merged.get(cid)
        merged[cid] = (max(when, before[0]), n + before[1]) if before else (when, n)
    order = sorted(merged, key=lambda cid: (-merged[cid][0].timestamp(), cid))
    shown = _in_scope(session, scope, order, limit)
    newest = _newest_skus(session, shown, skus)
    return [
        BuyerRow(c, merged[c.customer_id][0], *newest[c.customer_id], merged[c.customer_id][1])
        for c in get_customers(session=session, customer_ids=shown)
    ]


def _in_scope(session: Session, scope: Scope, ordered: list[str], limit: int) -> list[str]:
    if scope.everyone:
        return ordered[:limit]
    kept: list[str] = []
    for chunk in chunked(ordered):
        seen = scope.visible(session=session, customer_ids=chunk)
        kept += [cid for cid in chunk if cid in seen]
        if len(kept) >= limit:
            break
    return kept[:limit]


def _newest_skus(
    session: Session, customer_ids: list[str], skus: Collection[str]
) -> dict[str, tuple[str, str]]:
    """Return, per customer, the sku and name of their newest purchase among `skus`."""
    p = _PURCHASE.c
    name = _PRODUCT.c.name
    newest: dict[str, tuple[datetime, str, str]] = {}
    for chunk in chunked(customer_ids):
        query = (
            sa.select(p.customer_id, p.purchased_at, p.sku, name)
            .join(_PRODUCT, _PRODUCT.c.sku == p.sku)
            .where(p.customer_id.in_(chunk), p.sku.in_(list(skus)), p.quantity > 0)
        )
        for cid, when, sku, product in session.execute(query):
            if cid not in newest or when > newest[cid][0]:
                newest[cid] = (when, sku, product)
    return {cid: (sku, product) for cid, (_, sku, product) in newest.items()}


def unknown_skus(*, session: Session, skus: Collection[str]) -> list[str]:
    """Return those of `skus` no product has, in the order given."""
    wanted = list(dict.fromkeys(skus))
    known: set[str] = set()
    for chunk in chunked(wanted):
        known.update(
            session.execute(sa.select(_PRODUCT.c.sku).where(_PRODUCT.c.sku.in_(chunk))).scalars()
        )
    return [sku for sku in wanted if sku not in known]

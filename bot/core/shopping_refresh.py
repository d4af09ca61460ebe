"""Keeping the shopping model current: built once, patched after small imports, cached per process.

`refresh_model` compares each customer's purchase fingerprint (lines, net quantity, latest line
id, sums weighted by line id) with the stored model's and rebuilds only the rows that differ,
unless more than `REBUILD_SHARE` of customers changed (then everything is rebuilt from the
purchases, which is as fast). `refresh_recommendations` refreshes the product signals and then
the model: what every import of purchases and every erasure runs. `current_model` returns the
stored model, read from the database once per process and version.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session

from bot.core.next_basket import weights_array
from bot.core.shopping_model import (
    FORMAT,
    ShoppingModel,
    build_model,
    from_bytes,
    patch_model,
    to_bytes,
)
from bot.core.store_fit import fit_store_weights
from storage.dialects import epoch_day
from storage.models import Purchase, SignalRefresh
from storage.shopping_history import (
    day_lines,
    has_purchases,
    load_model,
    model_version,
    save_model,
    stored_format,
)
from storage.signal_refresh import ProductSignalRow, refresh_signals

# Past this share of changed customers, a patch costs as much as a rebuild.
REBUILD_SHARE = 0.2
_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_cache: dict[str, tuple[tuple[int, datetime], ShoppingModel]] = {}
FINGERPRINT = 5  # numbers per customer, see _fingerprints
_lock = threading.Lock()


@dataclass(frozen=True)
class ModelRefresh:
    """What `refresh_model` did: whether every row was rebuilt (`full`), how many customers'
    purchases had changed, customers in the model, seconds."""

    full: bool
    changed: int
    customers: int
    seconds: float
    model: ShoppingModel = field(repr=False, compare=False)
    changed_ids: tuple[str, ...] = field(default=(), repr=False)


def refresh_model(*, session: Session, full: bool = False, commit: bool = True) -> ModelRefresh:
    """Bring the stored shopping model up to date with the purchases; commit it unless `commit`
    is False. Only customers whose purchases changed are rebuilt, unless `full` or there is no
    model yet."""
    started = time.perf_counter()
    prints = _fingerprints(session)
    record = None if full else load_model(session=session)
    old = _parse(record.data) if record is not None else None
    stale: list[str] = sorted(prints)
    whole = old is None or full
    if not whole:
        assert old is not None
        stale = _changed(old, prints)
        whole = len(stale) > REBUILD_SHARE * max(len(prints), 1)
    if whole:
        lines = list(day_lines(session=session))
        model = build_model(lines)
        # The store's own next-basket weights, refitted only with a full rebuild (bot.core
        # .store_fit): a few added lines move them little.
        fitted = fit_store_weights(lines)
        if fitted is not None:
            model = model.with_fitted(weights_array(fitted))
    elif stale:
        assert old is not None
        model = patch_model(old, day_lines(session=session, customer_ids=stale), stale)
        model = model.with_fitted(old.fitted)
    else:
        assert old is not None
        model = old
    model = _with_fingerprints(model, prints)
    until = session.execute(sa.select(func.max(_PURCHASE.c.purchased_at))).scalar()
    save_model(
        session=session,
        data=to_bytes(model),
        customers=int(model.customers.size),
        data_until=until,
        format=FORMAT,
        commit=commit,
    )
    return ModelRefresh(
        full=whole,
        changed=len(stale),
        customers=int(model.customers.size),
        seconds=round(time.perf_counter() - started, 3),
        model=model,
        changed_ids=tuple(stale),
    )


def refresh_recommendations(
    *, session: Session, full: bool = False
) -> tuple[SignalRefresh, ModelRefresh]:
    """Refresh what recommendations and lists read after purchases changed, in one commit: the
    shopping model (patched for the customers whose purchases changed), the product signals
    derived from it, and the customer lists' tables (of those customers only, when the model
    was patched)."""
    model = refresh_model(session=session, full=full, commit=False)
    signals = refresh_signals(
        session=session,
        products=product_signals(model.model),
        customers=int(np.count_nonzero(model.model.baskets)),
        changed=None if model.full else list(model.changed_ids),
    )
    session.expunge(signals)
    return signals, model


def product_signals(model: ShoppingModel) -> list[ProductSignalRow]:
    """Return per product its owners, repeat buyers, their median interval and owners in the
    last RECENT_DAYS of the data, as the model counts them (an exchange is no re-buy)."""
    recent = model.recent_buyers
    return [
        ProductSignalRow(
            sku=str(model.skus[c]),
            buyers=int(model.buyers[c]),
            repeat_buyers=int(model.repeat_buyers[c]),
            median_rebuy_days=None
            if np.isnan(model.rebuy_days[c])
            else round(float(model.rebuy_days[c]), 4),
            recent_buyers=int(recent[c]),
        )
        for c in np.flatnonzero(model.buyers > 0).tolist()
    ]


def ensure_model(*, session: Session) -> ModelRefresh | None:
    """Build the shopping model when purchases exist but no readable model does (a store
    upgraded from before the model, or from another layout of it); else do nothing."""
    if stored_format(session=session) == FORMAT or not has_purchases(session=session):
        return None
    return refresh_recommendations(session=session, full=True)[1]


def current_model(*, session: Session) -> ShoppingModel | None:
    """Return the stored shopping model (None before the first refresh), parsed once per
    process and version."""
    version = model_version(session=session)
    if version is None:
        return None
    key = str(session.get_bind().engine.url)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
    record = load_model(session=session)
    if record is None or record.id is None:
        return None
    model = _parse(record.data)
    if model is not None:
        with _lock:
            _cache[key] = ((record.id, record.built_at), model)
    return model


def _parse(data: bytes) -> ShoppingModel | None:
    try:
        return from_bytes(data)
    except ValueError:
        return None  # written by another version: rebuilt at the next refresh


Fingerprint = tuple[int, ...]


def _fingerprints(session: Session) -> dict[str, Fingerprint]:
    """Per customer: lines, net quantity, latest line id, and sums of line id × quantity and
    line id × day, so a line changed in place (a re-import corrects a quantity or a date) shows."""
    p = _PURCHASE.c
    day = func.coalesce(epoch_day(p.purchased_at), -1)
    query = sa.select(
        p.customer_id,
        func.count(),
        sa.cast(func.sum(p.quantity), sa.BigInteger),
        func.max(p.id),
        sa.cast(func.sum(p.id * p.quantity), sa.BigInteger),
        sa.cast(func.sum(p.id * day), sa.BigInteger),
    ).group_by(p.customer_id)
    return {row[0]: tuple(int(v) for v in row[1:]) for row in session.execute(query)}


def _changed(model: ShoppingModel, prints: dict[str, Fingerprint]) -> list[str]:
    stored = model.fingerprints
    now = set(prints)
    gone = [c for c in stored if c not in now]
    return sorted([c for c, f in prints.items() if stored.get(c) != f] + gone)


def _with_fingerprints(model: ShoppingModel, prints: dict[str, Fingerprint]) -> ShoppingModel:
    ids = sorted(prints)
    table = np.array([prints[c] for c in ids], dtype=np.int64).reshape(len(ids), FINGERPRINT)
    return model.with_fingerprints(np.array(ids, dtype=str), table)

"""Purchases as day lines for the shopping model, and the stored model's bytes.

A day line is (customer_id, epoch day, sku, net quantity of that day): what bot.core.shopping_model
builds customers' baskets from. The model itself is kept as bytes in `ShoppingModelRecord`, one
row, so every process (the bot, the CLI, a second bot on PostgreSQL) reads the same one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import chunked
from storage.dialects import epoch_day
from storage.models import Purchase, ShoppingModelRecord, utcnow

_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]
_RECORD = ShoppingModelRecord.__table__  # type: ignore[attr-defined]

DayLine = tuple[str, int | None, str, int]


def day_lines(*, session: Session, customer_ids: Sequence[str] | None = None) -> Iterator[DayLine]:
    """Yield (customer_id, epoch day, sku, net quantity) per customer, day and product, of
    every customer or only of `customer_ids`; lines with no purchase time have day None."""
    p = _PURCHASE.c
    day = epoch_day(p.purchased_at)  # NULL for a line with no purchase time
    query = sa.select(
        p.customer_id, day, p.sku, sa.cast(func.sum(p.quantity), sa.Integer)
    ).group_by(p.customer_id, day, p.sku)
    if customer_ids is None:
        yield from (tuple(row) for row in session.execute(query))
        return
    for chunk in chunked(list(dict.fromkeys(customer_ids))):
        rows = session.execute(query.where(p.customer_id.in_(chunk)))
        yield from (tuple(row) for row in rows)


def save_model(
    *,
    session: Session,
    data: bytes,
    customers: int,
    data_until: datetime | None,
    format: int,
    commit: bool = True,
) -> None:
    """Store the model's bytes (laid out as `format`) as the only record (older ones are
    deleted); commit unless `commit` is False (the caller commits it with more)."""
    session.execute(sa.delete(_RECORD))
    for stale in [o for o in session.identity_map.values() if isinstance(o, ShoppingModelRecord)]:
        session.expunge(stale)  # deleted above; its id may be reused by the new row
    record = ShoppingModelRecord(
        built_at=utcnow(), data_until=data_until, customers=customers, format=format, data=data
    )
    session.add(record)
    if commit:
        session.commit()
    else:
        session.flush()


def model_version(*, session: Session) -> tuple[int, datetime] | None:
    """Return (id, built_at) of the stored model without reading its bytes; None before any."""
    row = session.execute(
        sa.select(_RECORD.c.id, _RECORD.c.built_at).order_by(_RECORD.c.id.desc()).limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def stored_format(*, session: Session) -> int | None:
    """Return the layout of the stored model's bytes; None before any model was stored."""
    query = sa.select(_RECORD.c.format).order_by(_RECORD.c.id.desc()).limit(1)
    return session.execute(query).scalar()


def has_purchases(*, session: Session) -> bool:
    """Whether any purchase line is on record."""
    return session.execute(sa.select(_PURCHASE.c.id).limit(1)).first() is not None


def load_model(*, session: Session) -> ShoppingModelRecord | None:
    """Return the stored model record (with its bytes), or None before the first build."""
    query = select(ShoppingModelRecord).order_by(col(ShoppingModelRecord.id).desc()).limit(1)
    return session.exec(query).first()


def forget_model(*, session: Session) -> None:
    """Delete the stored model (in the caller's transaction): an erasure rebuilds it."""
    session.execute(sa.delete(_RECORD))

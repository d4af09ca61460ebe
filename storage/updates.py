"""Telegram updates already handled: claiming an update id once, and forgetting old ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.dialects import upsert_insert
from storage.models import ProcessedUpdate, utcnow


def claim_update(*, session: Session, update_id: int, now: datetime | None = None) -> bool:
    """Record the update as handled; return False when it already was (skip it then)."""
    # One INSERT ... ON CONFLICT DO NOTHING: of two processes (or a restart) seeing the same
    # update, the database lets exactly one insert the row; a select-then-insert would race.
    # Claiming before handling means a crash mid-way drops that update rather than repeating
    # it: a duplicated reply or note is worse than one the associate can ask for again.
    stmt = (
        upsert_insert(session, ProcessedUpdate)
        .values(update_id=update_id, processed_at=now or utcnow())
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    inserted = session.exec(stmt, execution_options={"preserve_rowcount": True}).rowcount
    session.commit()
    return inserted == 1


def forget_updates_before(*, session: Session, before: datetime) -> int:
    """Delete the records of updates handled before `before`; return how many went."""
    # Telegram redelivers only for about a day, so old ids can never come back.
    stmt = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    deleted = session.exec(stmt, execution_options={"preserve_rowcount": True}).rowcount
    session.commit()
    return deleted

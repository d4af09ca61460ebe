"""Morning briefings: each associate's, once a day, recorded before it is sent.

The record is the lock: `claim_briefing` inserts (associate, day) and only the process whose
insert succeeds sends. A restart or a second bot process finds the row and sends nothing, so a
briefing is sent at most once; a process stopped between the record and the send loses that
day's briefing rather than sending it twice (`sent_at` stays empty, which shows it).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.db import run_write
from storage.models import Associate, BriefingSent


def claim_briefing(engine: Engine, *, telegram_id: int, day: date, now: datetime) -> bool:
    """Record that the associate's briefing for `day` is being sent, in a transaction of its
    own committed before anything is sent; return True when this caller recorded it (and so
    must send it), False when it was already recorded."""

    def claim(session: Session) -> bool:
        session.add(BriefingSent(telegram_id=telegram_id, day=day, claimed_at=now))
        session.flush()
        return True

    try:
        return run_write(engine, claim)
    except IntegrityError:
        return False


def mark_briefing_sent(*, session: Session, telegram_id: int, day: date, now: datetime) -> None:
    """Note that the briefing recorded for (`telegram_id`, `day`) went out at `now`."""
    row = session.get(BriefingSent, (telegram_id, day))
    if row is not None:
        row.sent_at = now
        session.add(row)
        session.commit()


def briefing_recipients(*, session: Session) -> list[Associate]:
    """Return the associates who get the morning briefing (`/briefing on`, the default)."""
    return list(
        session.exec(
            select(Associate).where(col(Associate.briefing).is_(True)).order_by(col(Associate.id))
        ).all()
    )


def set_briefing(*, session: Session, telegram_id: int, on: bool) -> Associate | None:
    """Turn an associate's morning briefing on or off; None when there is no such associate."""
    associate = session.exec(select(Associate).where(Associate.telegram_id == telegram_id)).first()
    if associate is None:
        return None
    associate.briefing = on
    session.add(associate)
    session.commit()
    session.refresh(associate)
    return associate

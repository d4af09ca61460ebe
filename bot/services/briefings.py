"""The morning briefing's record: who gets it, and that it was sent (bot.core.briefing writes
it). A briefing is recorded (claimed) before it is sent, so it goes out at most once per
associate and day, whatever restarts or second processes (storage.briefings)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.audit import record_reply
from bot.core.types import Caller, Reply
from bot.services.onboarding import caller_of
from storage.associates import find_associate
from storage.briefings import (
    briefing_recipients,
    claim_briefing,
    mark_briefing_sent,
    set_briefing,
)
from storage.db import read_session, run_write


def recipients(engine: Engine) -> list[Caller]:
    """Return the associates who get the morning briefing (`/briefing on`, the default), in
    the order they were registered."""
    with read_session(engine) as db:
        return [caller_of(a) for a in briefing_recipients(session=db)]


def claim(engine: Engine, *, telegram_id: int, day: date, now: datetime) -> bool:
    """Record, committed before anything is sent, that the associate's briefing for `day` is
    being sent at `now` (UTC); True when this call recorded it and so must send it, False when
    another process or an earlier run already had."""
    return claim_briefing(engine, telegram_id=telegram_id, day=day, now=now)


def mark_sent(
    engine: Engine,
    *,
    telegram_id: int,
    day: date,
    now: datetime,
    shown: tuple[Caller, Reply] | None = None,
) -> None:
    """Note that the briefing claimed for (`telegram_id`, `day`) went out at `now` (UTC);
    `shown`: who got which briefing, recorded in the audit trail in the same commit."""

    def write(db: Session) -> None:
        if shown is not None:
            record_reply(db, *shown)
        mark_briefing_sent(session=db, telegram_id=telegram_id, day=day, now=now)

    run_write(engine, write)


def switch(engine: Engine, *, telegram_id: int, on: bool) -> bool | None:
    """Turn the associate's morning briefing on or off; return the new state, or None when
    there is no such associate."""
    associate = run_write(
        engine, lambda db: set_briefing(session=db, telegram_id=telegram_id, on=on)
    )
    return associate.briefing if associate is not None else None


def is_on(engine: Engine, *, telegram_id: int) -> bool | None:
    """Return whether the associate gets the morning briefing; None when there is no such
    associate."""
    with read_session(engine) as db:
        associate = find_associate(session=db, telegram_id=telegram_id)
        return associate.briefing if associate is not None else None

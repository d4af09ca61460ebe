"""The answer log and votes: what was answered in a chat, its follow-ups, and 👍/👎 on it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.types import Caller, Option, Reply
from storage.db import read_session, run_write
from storage.feedback import get_answer, log_answer, record_vote

__all__ = ["logged_options", "remember_answer", "vote"]


def remember_answer(
    engine: Engine, *, chat_key: str, caller: Caller, question: str, reply: Reply
) -> int:
    """Log an answer given in a chat, with its options; return its id (for buttons)."""

    def write(db: Session) -> int:
        logged = log_answer(
            session=db,
            chat_key=chat_key,
            telegram_id=caller.telegram_id,
            associate_name=caller.name,
            question=question,
            answer=reply.text,
            intent=str(reply.intent),
            customer_id=reply.customer_id,
            skus=reply.skus,
            tip_ids=reply.tip_ids,
            options=[o.as_dict() for o in reply.options],
        )
        assert logged.id is not None
        return logged.id

    return run_write(engine, write)


def logged_options(engine: Engine, answer_id: int, *, chat_key: str) -> list[Option | None] | None:
    """Return the options of an answer given in this chat, in their order; None when there is
    no such answer or it belongs to another chat (a button may act only where it was shown).
    An option the log cannot read back (a label logged by an older version) is None there."""
    with read_session(engine) as db:
        logged = get_answer(session=db, answer_id=answer_id)
    if logged is None or logged.chat_key != chat_key:
        return None
    return [_option(raw) for raw in logged.options or []]


def _option(raw: Any) -> Option | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Option.from_dict(raw)
    except ValueError:
        return None


def vote(engine: Engine, *, answer_id: int, caller: Caller, value: int) -> None:
    """Record the caller's +1 or -1 on an answer; voting again replaces the vote."""
    telegram_id = caller.telegram_id
    if telegram_id is None:
        raise ValueError("only an associate with a Telegram id can vote")
    run_write(
        engine,
        lambda db: record_vote(
            session=db, answer_id=answer_id, telegram_id=telegram_id, vote=value
        ),
    )

"""Answers the bot gave and the votes associates cast on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.dialects import upsert_insert
from storage.models import AnswerLog, Feedback, utcnow

VOTES = (1, -1)
_NAME_MAX = 100


def log_answer(
    *,
    session: Session,
    chat_key: str,
    telegram_id: int | None,
    associate_name: str | None,
    question: str,
    answer: str,
    intent: str,
    customer_id: str | None,
    skus: Sequence[str],
    tip_ids: Sequence[str],
    options: Sequence[Any],
    now: datetime | None = None,
) -> AnswerLog:
    """Keep an answer the bot gave, with what it was about, so it can be voted on; `options` are
    JSON values (the follow-ups offered)."""
    entry = AnswerLog(
        chat_key=chat_key,
        telegram_id=telegram_id,
        # Telegram names can be longer than the column; the log must never fail on one.
        associate_name=associate_name[:_NAME_MAX] if associate_name else None,
        question=question,
        answer=answer,
        intent=intent,
        customer_id=customer_id,
        skus=list(skus),
        tip_ids=list(tip_ids),
        options=list(options),
        created_at=now or utcnow(),
    )
    session.add(entry)
    session.commit()
    session.refresh(entry)
    return entry


def get_answer(*, session: Session, answer_id: int) -> AnswerLog | None:
    """Return the logged answer with this id, if there is one."""
    return session.get(AnswerLog, answer_id)


def record_vote(
    *,
    session: Session,
    answer_id: int,
    telegram_id: int,
    vote: int,
    now: datetime | None = None,
) -> Feedback:
    """Record one associate's +1 or -1 on an answer; voting again replaces their vote."""
    if vote not in VOTES:
        raise ValueError(f"a vote is +1 or -1, got {vote!r}")
    if get_answer(session=session, answer_id=answer_id) is None:
        raise ValueError(f"there is no answer {answer_id} to vote on")
    values = {
        "answer_id": answer_id,
        "telegram_id": telegram_id,
        "vote": vote,
        "created_at": now or utcnow(),
    }
    # An upsert rather than select-then-write: a double tap on the button sends two votes at
    # once, and both must end as one row.
    insert = upsert_insert(session, Feedback).values(**values)
    stmt = insert.on_conflict_do_update(
        index_elements=["answer_id", "telegram_id"],
        set_={"vote": insert.excluded.vote, "created_at": insert.excluded.created_at},
    )
    session.exec(stmt)
    session.commit()
    return session.exec(
        select(Feedback)
        .where(Feedback.answer_id == answer_id, Feedback.telegram_id == telegram_id)
        .execution_options(populate_existing=True)
    ).one()


def recent_feedback(
    *, session: Session, limit: int = 50, vote: int | None = None
) -> list[tuple[Feedback, AnswerLog]]:
    """Return the latest votes with the answers they judge, newest first, optionally one kind."""
    if vote is not None and vote not in VOTES:
        raise ValueError(f"a vote is +1 or -1, got {vote!r}")
    query = select(Feedback, AnswerLog).join(
        AnswerLog, col(Feedback.answer_id) == col(AnswerLog.id)
    )
    if vote is not None:
        query = query.where(Feedback.vote == vote)
    query = query.order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc()).limit(limit)
    return [(feedback, answer) for feedback, answer in session.exec(query).all()]

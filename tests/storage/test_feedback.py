"""The answer log and the votes associates cast on answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.feedback import get_answer, log_answer, recent_feedback, record_vote
from storage.models import AnswerLog, Feedback

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
ANA = 5_000_000_001
BO = 5_000_000_002


def an_answer(session: Session, *, question: str = "what goes with GR-100?") -> AnswerLog:
    return log_answer(
        session=session,
        chat_key="tg:-1001234567890",
        telegram_id=ANA,
        associate_name="Ana",
        question=question,
        answer="Try the RS-200 descaler: it keeps the burrs sharp.",
        intent="recommend",
        customer_id="C-1",
        skus=["GR-100", "RS-200"],
        tip_ids=["tip-0123456789ab"],
        options=["Last purchases", "Notes"],
        now=NOW,
    )


def test_an_answer_is_logged_and_read_back_with_its_lists(engine: Engine) -> None:
    with Session(engine) as session:
        logged = an_answer(session)
        answer_id = logged.id
    assert answer_id is not None

    with Session(engine) as session:
        found = get_answer(session=session, answer_id=answer_id)

        assert found is not None
        assert (found.chat_key, found.telegram_id, found.intent, found.customer_id) == (
            "tg:-1001234567890",
            ANA,
            "recommend",
            "C-1",
        )
        assert found.skus == ["GR-100", "RS-200"]
        assert found.tip_ids == ["tip-0123456789ab"]
        assert found.options == ["Last purchases", "Notes"]
        assert found.created_at == NOW
        assert get_answer(session=session, answer_id=answer_id + 1) is None


def test_an_answer_with_no_telegram_user_and_empty_lists_is_logged(engine: Engine) -> None:
    with Session(engine) as session:
        logged = log_answer(
            session=session,
            chat_key="cli",
            telegram_id=None,
            associate_name=None,
            question="hi",
            answer="Hello!",
            intent="greeting",
            customer_id=None,
            skus=[],
            tip_ids=[],
            options=[],
        )

        assert (logged.skus, logged.tip_ids, logged.options) == ([], [], [])
        assert logged.created_at.tzinfo is not None


def test_voting_again_replaces_the_earlier_vote(engine: Engine) -> None:
    with Session(engine) as session:
        answer = an_answer(session)
        assert answer.id is not None
        first = record_vote(session=session, answer_id=answer.id, telegram_id=BO, vote=1, now=NOW)

        second = record_vote(
            session=session,
            answer_id=answer.id,
            telegram_id=BO,
            vote=-1,
            now=NOW + timedelta(minutes=1),
        )

        assert second.id == first.id
        assert (second.vote, second.created_at) == (-1, NOW + timedelta(minutes=1))
        assert len(session.exec(select(Feedback)).all()) == 1


def test_a_vote_from_a_second_connection_replaces_the_first(engine: Engine) -> None:
    with Session(engine) as session:
        answer_id = an_answer(session).id
        assert answer_id is not None
        record_vote(session=session, answer_id=answer_id, telegram_id=BO, vote=1)

    with Session(engine) as other:
        record_vote(session=other, answer_id=answer_id, telegram_id=BO, vote=-1)

    with Session(engine) as session:
        assert session.exec(select(Feedback.vote)).all() == [-1]


def test_each_associate_has_their_own_vote_on_an_answer(engine: Engine) -> None:
    with Session(engine) as session:
        answer_id = an_answer(session).id
        assert answer_id is not None

        record_vote(session=session, answer_id=answer_id, telegram_id=ANA, vote=1)
        record_vote(session=session, answer_id=answer_id, telegram_id=BO, vote=-1)

        assert sorted(session.exec(select(Feedback.vote)).all()) == [-1, 1]


@pytest.mark.parametrize("vote", [0, 2, -2])
def test_a_vote_other_than_plus_or_minus_one_is_refused(engine: Engine, vote: int) -> None:
    with Session(engine) as session:
        answer_id = an_answer(session).id
        assert answer_id is not None

        with pytest.raises(ValueError, match="a vote is \\+1 or -1"):
            record_vote(session=session, answer_id=answer_id, telegram_id=BO, vote=vote)


def test_a_vote_on_an_unknown_answer_is_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="no answer 999"):
        record_vote(session=session, answer_id=999, telegram_id=BO, vote=1)


def test_recent_feedback_is_newest_first_limited_and_filtered_by_vote(engine: Engine) -> None:
    with Session(engine) as session:
        ids = []
        for minute, vote in enumerate([1, -1, 1, -1]):
            answer = an_answer(session, question=f"question {minute}")
            assert answer.id is not None
            ids.append(answer.id)
            record_vote(
                session=session,
                answer_id=answer.id,
                telegram_id=BO,
                vote=vote,
                now=NOW + timedelta(minutes=minute),
            )

        everything = recent_feedback(session=session)
        latest_two = recent_feedback(session=session, limit=2)
        downvotes = recent_feedback(session=session, vote=-1)

        assert [a.question for _, a in everything] == [
            "question 3",
            "question 2",
            "question 1",
            "question 0",
        ]
        assert [a.id for _, a in latest_two] == [ids[3], ids[2]]
        assert [(f.vote, a.question) for f, a in downvotes] == [
            (-1, "question 3"),
            (-1, "question 1"),
        ]
        with pytest.raises(ValueError, match="a vote is"):
            recent_feedback(session=session, vote=5)

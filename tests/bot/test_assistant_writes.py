"""The assistant's writes under load: several associates at once on the real demo store, and an
answer that survives a failed save of the chat's context."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

import bot.core.assistant
from bot.core.assistant import Assistant, Caller
from storage.models import Conversation, Note

QUESTIONS = (
    "who is Hiroshi Tanaka?",
    "what did she buy last time?",
    "what should I show Çağla Yılmaz?",
    "tips for the AeroPress",
    "¿qué compró María López la última vez?",
)


def test_associates_asking_and_noting_at_once_all_get_answers(
    writable_assistant: Assistant,
) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def associate(i: int) -> None:
        caller = Caller(name=f"Associate {i}", store="S01")
        barrier.wait()
        try:
            for r in range(4):
                for question in QUESTIONS[i % 2 :: 2]:
                    reply = writable_assistant.answer(caller, question, f"chat-{i}")
                    assert reply.text
                reply = writable_assistant.answer(
                    caller, f"note for Hiroshi Tanaka: visit {i}-{r}", f"chat-{i}"
                )
                assert reply.text.startswith("Noted for Hiroshi Tanaka")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=associate, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    assert errors == []
    with Session(writable_assistant.engine) as db:
        texts = db.exec(select(Note.text).where(col(Note.text).startswith("visit "))).all()
    assert sorted(texts) == sorted(f"visit {i}-{r}" for i in range(6) for r in range(4))


def test_an_answer_is_given_even_when_its_context_cannot_be_saved(
    writable_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(**_: object) -> None:
        raise OperationalError("UPDATE conversation …", {}, Exception("database is locked"))

    monkeypatch.setattr(bot.core.assistant, "save_conversation", locked)
    monkeypatch.setattr("storage.db.wait_random_exponential", lambda **_: lambda _s: 0)

    reply = writable_assistant.answer(Caller(name="Ana"), "who is Hiroshi Tanaka?", "t-lost")

    assert "Hiroshi Tanaka" in reply.text
    with Session(writable_assistant.engine) as db:
        assert db.get(Conversation, "t-lost") is None


def test_a_pending_note_cleared_while_others_write_never_fails(
    writable_assistant: Assistant,
) -> None:
    # "note for Maria: …" asks which Maria and keeps the note pending; the next message clears
    # it. Clearing it must not write inside the answer's read transaction, where another
    # associate's commit makes SQLite refuse the write at once.
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def associate(i: int) -> None:
        caller = Caller(name=f"Associate {i}", store="S01")
        barrier.wait()
        try:
            for r in range(6):
                reply = writable_assistant.answer(caller, f"note for Maria: r{r}", f"p-{i}")
                assert "I'll save the note once you pick" in reply.text
                writable_assistant.answer(caller, "who is Hiroshi Tanaka?", f"p-{i}")
                writable_assistant.answer(caller, f"note for Hiroshi Tanaka: {i}/{r}", f"p-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=associate, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    assert errors == []

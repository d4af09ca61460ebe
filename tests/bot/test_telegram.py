"""The Telegram adapter on the real PTB Application, with a recording Bot API transport
(tests/bot/telegram_app.py; the fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select
from telegram import Update

from bot.core.assistant import Assistant
from bot.transports.telegram.app import split_message
from knowledge.tips import list_tips
from storage.models import Associate, Feedback, Note
from tests.bot.telegram_app import ASSOCIATE, MANAGER, STRANGER, Telegram, buttons_of


async def test_a_stranger_gets_their_id_and_no_customer_or_tip_text(telegram: Telegram) -> None:
    replies = [
        *await telegram.say(STRANGER, "who is María López?"),
        *await telegram.say(STRANGER, "/customer Çağla Yılmaz"),
        *await telegram.say(STRANGER, "/tips"),
        *await telegram.press(STRANGER, "o:1:0"),
    ]

    assert len(replies) == 4
    for reply in replies:
        assert str(STRANGER) in reply["text"]
        for private in ("López", "Yılmaz", "C00", "shoe", "AeroPress", "gold"):
            assert private not in reply["text"]


async def test_an_associates_question_is_answered_withbuttons_of(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "who is María López?")

    assert reply["parse_mode"] == "HTML"
    assert "shoe EU 38; top S" in reply["text"]
    labels = [text for text, _ in buttons_of(reply)]
    assert {"Last purchases", "Recommend", "👍", "👎"} <= set(labels)


async def test_a_button_press_continues_the_same_session(telegram: Telegram) -> None:
    [overview] = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")
    data = dict(buttons_of(overview))["Last purchases"]

    [history] = await telegram.press(ASSOCIATE, data)

    assert "Hiroshi Tanaka — last order on" in history["text"]


async def test_ambiguous_names_becomebuttons_of(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "who is Maria?")
    data = dict(buttons_of(reply))["Maria López (C0011)"]

    [picked] = await telegram.press(ASSOCIATE, data)

    assert "Maria López · C0011" in picked["text"]


async def test_feedback_is_stored_with_the_question(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [reply] = await telegram.say(ASSOCIATE, "what did Maria López buy last time?")

    await telegram.press(ASSOCIATE, dict(buttons_of(reply))["👎"])

    with Session(bot_assistant.engine) as db:
        [vote] = db.exec(select(Feedback)).all()
    assert vote.vote == -1
    assert vote.telegram_id == ASSOCIATE
    answers = [c for c in telegram.request.calls if c[0] == "answerCallbackQuery"]
    assert answers


async def test_a_managers_tip_is_found_by_the_next_question(telegram: Telegram) -> None:
    [added] = await telegram.say(
        MANAGER, "/tip AeroPress Offer the stainless steel filter disc to eco-minded buyers."
    )
    [answer] = await telegram.say(ASSOCIATE, "tips for selling the AeroPress?")

    assert "added for AeroPress Original Coffee Maker (COF-001)" in added["text"]
    assert "stainless steel filter disc" in answer["text"]


async def test_an_associates_tip_is_refused(telegram: Telegram, bot_assistant: Assistant) -> None:
    before = len(list_tips(bot_assistant.tips))

    [reply] = await telegram.say(ASSOCIATE, "/tip AeroPress Always sell two.")

    assert "Only managers" in reply["text"]
    assert len(list_tips(bot_assistant.tips)) == before


async def test_a_document_of_tips_is_ingested(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    doc = (
        b"# Bath\n\nTowels: suggest washing them before first use, without fabric softener.\n\n"
        b"- Shower heads: ask about the water pressure at home before recommending one.\n"
    )

    [reply] = await telegram.document(MANAGER, "bath.md", doc, "/tip")

    assert "Added 2 tips from bath.md" in reply["text"]
    texts = [t.text for t in list_tips(bot_assistant.tips)]
    assert any("water pressure at home" in t for t in texts)


async def test_invite_onboarding_registers_a_new_associate_in_the_managers_store(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [invite] = await telegram.say(MANAGER, "/invite")
    code = invite["text"].split("/start ")[1].split("<")[0].split()[0]

    [welcome] = await telegram.say(4004, f"/start {code}")
    [again] = await telegram.say(5005, f"/start {code}")
    [answer] = await telegram.say(4004, "who is María López?")

    assert "Welcome" in welcome["text"]
    assert "doesn't work" in again["text"]  # one-time
    assert "shoe EU 38" in answer["text"]
    with Session(bot_assistant.engine) as db:
        newcomer = db.exec(select(Associate).where(Associate.telegram_id == 4004)).one()
    assert (newcomer.role, newcomer.store) == ("associate", "S01")


async def test_a_repeated_update_is_processed_once(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    update = telegram.message(ASSOCIATE, "note for Hiroshi: wants a Santoku for his birthday")

    first = await telegram.send(update)
    second = await telegram.send(update)

    assert len(first) == 1
    assert second == []
    with Session(bot_assistant.engine) as db:
        notes = db.exec(select(Note).where(Note.text.contains("Santoku for his birthday"))).all()  # type: ignore[attr-defined]
    assert len(notes) == 1


async def test_flood_control_and_server_errors_are_retried(telegram: Telegram) -> None:
    telegram.request.fail_next("sendMessage", 429, retry_after=1)
    telegram.request.fail_next("sendMessage", 500)

    replies = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")

    assert len(replies) == 1
    assert "Hiroshi Tanaka" in replies[0]["text"]


async def test_a_failing_update_gets_an_apology_and_the_next_one_works(
    telegram: Telegram, bot_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(bot_assistant, "answer", broken)
    [apology] = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")
    monkeypatch.undo()
    [answer] = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")

    assert "Sorry, something went wrong" in apology["text"]
    assert "Hiroshi Tanaka" in answer["text"]


def test_long_replies_are_split_under_the_telegram_limit() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(200))

    parts = split_message(text)

    assert len(parts) > 1
    assert all(len(p) <= 4000 for p in parts)
    assert "\n".join(parts) == text


async def test_housekeeping_forgets_update_ids_older_than_a_week(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    from datetime import timedelta

    from storage.models import ProcessedUpdate
    from storage.updates import claim_update

    now = datetime(2026, 11, 22, 10, tzinfo=UTC)  # the fixture's clock
    with Session(bot_assistant.engine) as db:
        claim_update(session=db, update_id=1, now=now - timedelta(days=8))
        claim_update(session=db, update_id=2, now=now - timedelta(days=1))
    [job] = [j for j in telegram.app.job_queue.jobs() if j.name == "forget_old_updates"]

    await job.run(telegram.app)

    with Session(bot_assistant.engine) as db:
        kept = set(db.exec(select(ProcessedUpdate.update_id)).all())
    assert kept == {2}


async def test_chats_are_handled_side_by_side_and_each_chat_in_order() -> None:
    import asyncio

    from bot.transports.telegram.chats import PerChatUpdateProcessor

    done: list[str] = []

    def update(chat_id: int, update_id: int) -> Update:
        return Update.de_json(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": 0,
                    "chat": {"id": chat_id, "type": "private"},
                    "text": "hi",
                },
            },
            None,
        )

    async def handle(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        done.append(name)

    processor = PerChatUpdateProcessor(8)
    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 1), handle("ana: slow question", 0.2)),
            processor.process_update(update(2, 2), handle("ben: quick question", 0.01)),
            processor.process_update(update(1, 3), handle("ana: follow-up", 0.0)),
        )

    assert done == ["ben: quick question", "ana: slow question", "ana: follow-up"]


@pytest.mark.parametrize(("rate", "limited"), [(30.0, True), (0.0, False)])
def test_sends_are_rate_limited_unless_the_setting_turns_it_off(
    bot_assistant: Assistant, telegram_store: Any, rate: float, limited: bool
) -> None:
    from telegram.ext import AIORateLimiter

    from bot.settings import Settings
    from bot.transports.telegram.app import build_application
    from tests.bot.telegram_app import TOKEN, RecordingRequest

    settings = Settings(
        _env_file=None,
        DATA_DIR=telegram_store,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        TELEGRAM_RATE_LIMIT=rate,
    )

    app = build_application(bot_assistant, settings, request=RecordingRequest())

    assert isinstance(app.bot.rate_limiter, AIORateLimiter) is limited

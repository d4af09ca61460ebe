"""The Telegram adapter on the real PTB Application, with a recording Bot API transport.

Updates are built with Update.de_json and fed through Application.process_update; what the bot
sends is recorded by a BaseRequest subclass, as python-telegram-bot's own tests do.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.assistant import Assistant
from bot.settings import Settings
from bot.telegram_bot import build_application, split_message
from knowledge.embeddings import E5Embeddings
from knowledge.tips import list_tips
from storage.associates import add_associate
from storage.models import Associate, Feedback, Note
from tests.bot.conftest import make_assistant

TOKEN = "123456:TEST"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Clienteling",
    "username": "ClientelingBot",
}
ASSOCIATE, MANAGER, STRANGER = 1001, 2002, 3003
FILES: dict[str, bytes] = {}


class RecordingRequest(BaseRequest):
    """Answers every Bot API call like Telegram would and records it; can fail on demand."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[tuple[str, int, dict[str, Any]]] = []
        self._message_id = 0

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(self, method: str, status: int, **extra: Any) -> None:
        self.failures.append((method, status, extra))

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        del method, read_timeout, write_timeout, connect_timeout, pool_timeout  # PTB's signature
        if "/file/bot" in url:
            return 200, FILES[url.rsplit("/", 1)[-1]]
        api = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        for i, (failing, status, extra) in enumerate(self.failures):
            if failing == api:
                del self.failures[i]
                body = {"ok": False, "error_code": status, "description": "injected"}
                if "retry_after" in extra:
                    body["parameters"] = {"retry_after": extra["retry_after"]}
                return status, json.dumps(body).encode()
        self.calls.append((api, params))
        return 200, json.dumps({"ok": True, "result": self._result(api, params)}).encode()

    def _result(self, api: str, params: dict[str, Any]) -> Any:
        if api == "getMe":
            return BOT_USER
        if api == "sendMessage":
            self._message_id += 1
            return {
                "message_id": self._message_id,
                "date": 0,
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params["text"],
            }
        if api == "getFile":
            return {
                "file_id": params["file_id"],
                "file_unique_id": "u" + params["file_id"],
                "file_path": f"documents/{params['file_id']}",
            }
        return True

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Return the messages sent, optionally to one chat."""
        return [
            p
            for api, p in self.calls
            if api == "sendMessage" and (chat_id is None or p["chat_id"] == chat_id)
        ]


class Telegram:
    """Builds updates the way Telegram sends them, and feeds them to the application."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], request: RecordingRequest):
        self.app, self.request, self._next = app, request, 1

    def _id(self) -> int:
        self._next += 1
        return self._next

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def message(self, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {
            "update_id": self._id(),
            "message": {
                "message_id": self._id(),
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": self._user(user_id),
                "text": text,
                "entities": entities,
                **extra,
            },
        }

    async def send(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Process one update and return the messages it made the bot send."""
        before = len(self.request.sent())
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.request.sent()[before:]

    async def say(self, user_id: int, text: str) -> list[dict[str, Any]]:
        return await self.send(self.message(user_id, text))

    async def press(self, user_id: int, data: str) -> list[dict[str, Any]]:
        return await self.send(
            {
                "update_id": self._id(),
                "callback_query": {
                    "id": str(self._id()),
                    "from": self._user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": 1,
                        "date": 0,
                        "chat": {"id": user_id, "type": "private"},
                        "from": BOT_USER,
                        "text": "…",
                    },
                },
            }
        )

    async def document(
        self, user_id: int, name: str, data: bytes, caption: str
    ) -> list[dict[str, Any]]:
        file_id = f"f{self._id()}"
        FILES[file_id] = data
        update = self.message(user_id, "")
        message = update["message"]
        del message["text"], message["entities"]
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": "u" + file_id,
            "file_name": name,
            "file_size": len(data),
        }
        message["caption"] = caption
        message["caption_entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(caption.split()[0])}
        ]
        return await self.send(update)


def _buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


@pytest.fixture
def store(writable_dir: Path) -> Iterator[Path]:
    """A private demo store with an associate (S01) and a manager registered."""
    settings = Settings(_env_file=None, DATA_DIR=writable_dir)
    from bot.wiring import open_database

    engine = open_database(settings)
    with Session(engine) as db:
        add_associate(session=db, telegram_id=ASSOCIATE, name="Ana", role="associate", store="S01")
        add_associate(session=db, telegram_id=MANAGER, name="Marco", role="manager", store="S01")
    engine.dispose()
    return writable_dir


@pytest.fixture
def bot_assistant(store: Path, embeddings: E5Embeddings) -> Assistant:
    return make_assistant(store, embeddings)


@pytest.fixture
async def telegram(store: Path, bot_assistant: Assistant) -> AsyncIterator[Telegram]:
    """The real PTB application over the assistant, talking to a recording transport."""
    request = RecordingRequest()
    settings = Settings(
        _env_file=None,
        DATA_DIR=store,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
    )
    app = build_application(
        bot_assistant,
        settings,
        request=request,
        clock=lambda: datetime(2026, 11, 22, 10, tzinfo=UTC),
    )
    async with app:
        yield Telegram(app, request)


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


async def test_an_associates_question_is_answered_with_buttons(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "who is María López?")

    assert reply["parse_mode"] == "HTML"
    assert "shoe EU 38; top S" in reply["text"]
    labels = [text for text, _ in _buttons(reply)]
    assert {"Last purchases", "Recommend", "👍", "👎"} <= set(labels)


async def test_a_button_press_continues_the_same_session(telegram: Telegram) -> None:
    [overview] = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")
    data = dict(_buttons(overview))["Last purchases"]

    [history] = await telegram.press(ASSOCIATE, data)

    assert "Hiroshi Tanaka — last order on" in history["text"]


async def test_ambiguous_names_become_buttons(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "who is Maria?")
    data = dict(_buttons(reply))["Maria López (C0011)"]

    [picked] = await telegram.press(ASSOCIATE, data)

    assert "Maria López · C0011" in picked["text"]


async def test_feedback_is_stored_with_the_question(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [reply] = await telegram.say(ASSOCIATE, "what did Maria López buy last time?")

    await telegram.press(ASSOCIATE, dict(_buttons(reply))["👎"])

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

    assert "Added 2 tip(s) from bath.md" in reply["text"]
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

    from bot.telegram_bot import PerChatUpdateProcessor

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

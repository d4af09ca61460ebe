"""The fake Bot API (tests/telegram_fake/) holds up against the real PTB Application.

If PTB can poll it, parse its updates, reply, press buttons, download files and see Telegram's
errors as the right exceptions, then end-to-end tests of the bot against it mean something.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, EndPointNotFound, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.telegram_fake import DEFAULT_TOKEN, FakeBotAPI, JSONDict, buttons

USER = 4242
Ctx = ContextTypes.DEFAULT_TYPE


@dataclass
class Seen:
    """What the test bot's handlers saw."""

    update_ids: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    documents: list[bytes] = field(default_factory=list)
    failed: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A running fake Bot API, closed after the test."""
    with FakeBotAPI() as api:
        yield api


def build_app(
    fake: FakeBotAPI, seen: Seen, builder: ApplicationBuilder | None = None
) -> Application:
    """An echo bot with a button, a button handler, a document handler and an error handler."""

    async def on_text(update: Update, _context: Ctx) -> None:
        """Echo the text with a button."""
        if (msg := update.effective_message) is None or msg.text is None:
            return
        seen.update_ids.append(update.update_id)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])
        await msg.reply_text(f"<b>echo</b>: {msg.text}", parse_mode="HTML", reply_markup=markup)

    async def on_button(update: Update, _context: Ctx) -> None:
        """Answer the press and edit the message it came from."""
        if (query := update.callback_query) is None:
            return
        seen.update_ids.append(update.update_id)
        await query.answer()
        await query.edit_message_text(f"pressed {query.data}")

    async def on_document(update: Update, _context: Ctx) -> None:
        """Download the document through getFile."""
        if (msg := update.effective_message) is None or msg.document is None:
            return
        file = await msg.document.get_file()
        seen.documents.append(bytes(await file.download_as_bytearray()))
        await msg.reply_text(f"got {msg.document.file_name}")

    async def on_error(_update: object, context: Ctx) -> None:
        """Record errors instead of logging them."""
        if context.error is not None:
            seen.errors.append(context.error)
            seen.failed.set()

    builder = builder or ApplicationBuilder()
    app = (
        builder.token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url).build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_error_handler(on_error)
    return app


@pytest.fixture
def seen() -> Seen:
    """A fresh record of what the handlers saw."""
    return Seen()


@pytest.fixture
async def app(fake: FakeBotAPI, seen: Seen) -> AsyncIterator[Application]:
    """The echo bot, polling the fake."""
    application = build_app(fake, seen)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


async def messages(fake: FakeBotAPI, n: int) -> list[JSONDict]:
    """Wait off the event loop (PTB runs on it) for the bot's first n messages."""
    return await asyncio.to_thread(fake.wait_for_messages, n, 2.0)


async def until(fake: FakeBotAPI, condition: Callable[[], bool]) -> None:
    """Wait off the event loop until a condition holds (checked whenever the fake gets a call)."""
    assert await asyncio.to_thread(fake.wait_until, condition, 2.0), "condition not met in time"


@pytest.mark.usefixtures("app")
async def test_a_text_is_echoed_with_its_inline_button(fake: FakeBotAPI) -> None:
    fake.push_text(USER, "Hello, Çağla")
    [reply] = await messages(fake, 1)
    assert reply["chat_id"] == USER
    assert reply["text"] == "<b>echo</b>: Hello, Çağla"
    assert reply["plain_text"] == "echo: Hello, Çağla"
    assert reply["parse_mode"] == "HTML"
    assert buttons(reply) == [{"text": "More", "callback_data": "more"}]
    assert [c.method for c in fake.calls()][:2] == ["getMe", "deleteWebhook"]


@pytest.mark.usefixtures("app")
async def test_each_update_is_delivered_once_and_confirmed_by_offset(
    fake: FakeBotAPI, seen: Seen
) -> None:
    ids = [fake.push_text(USER, f"question {n}") for n in range(3)]
    await messages(fake, 3)
    later = fake.push_text(USER, "one more")
    await messages(fake, 4)
    await until(fake, lambda: not fake.pending_updates())

    assert seen.update_ids == [*ids, later]
    # `later` came from the poll confirming the first three; the next poll confirmed it.
    assert max(ids) + 1 in [c.params.get("offset") for c in fake.calls("getUpdates")]


@pytest.mark.usefixtures("app")
async def test_a_repeated_update_id_is_delivered_again(fake: FakeBotAPI, seen: Seen) -> None:
    """PTB itself does not deduplicate: a bot that must, has to do it on its own."""
    first = fake.push_text(USER, "only once, please")
    await messages(fake, 1)
    fake.push_raw({"update_id": first, "message": fake.message(USER, 1)})
    await messages(fake, 2)
    assert seen.update_ids == [first, first]


@pytest.mark.usefixtures("app")
async def test_a_button_press_is_answered_and_edits_its_message(
    fake: FakeBotAPI, seen: Seen
) -> None:
    fake.push_text(USER, "show me")
    [reply] = await messages(fake, 1)
    press = fake.push_callback(USER, "more", reply["message_id"])
    await asyncio.to_thread(fake.wait_for_calls, "editMessageText", 1, 2.0)

    assert seen.update_ids[-1] == press
    assert [c.status for c in fake.calls("answerCallbackQuery")] == [200]
    edited = fake.message(USER, reply["message_id"])
    assert edited["text"] == "pressed more"
    assert "reply_markup" not in edited  # editing without a keyboard removes it, as Telegram does
    with pytest.raises(ValueError, match="no button"):
        fake.push_callback(USER, "not-a-button", reply["message_id"])


@pytest.mark.usefixtures("app")
async def test_a_document_is_downloaded_through_get_file(fake: FakeBotAPI, seen: Seen) -> None:
    data = b"sku,tip\r\nA1,Wash cold\n\x00\xff\xfe binary tail"
    fake.push_document(USER, "tips.csv", data, caption="new tips")
    [reply] = await messages(fake, 1)
    assert reply["text"] == "got tips.csv"
    assert seen.documents == [data]
    assert [c.method for c in fake.calls()].count("getFile") == 1


@pytest.mark.usefixtures("app")
async def test_a_500_on_send_message_reaches_the_error_handler_and_the_app_survives(
    fake: FakeBotAPI, seen: Seen
) -> None:
    fake.fail_next("sendMessage", status=500)
    fake.push_text(USER, "lost")
    await asyncio.wait_for(seen.failed.wait(), 2.0)
    fake.push_text(USER, "still there?")
    [reply] = await messages(fake, 1)

    assert type(seen.errors[0]) is NetworkError
    assert "Internal Server Error" in str(seen.errors[0])
    assert reply["plain_text"] == "echo: still there?"
    assert [c.status for c in fake.calls("sendMessage")] == [500, 200]


@pytest.mark.usefixtures("app")
async def test_a_429_surfaces_as_retry_after(
    fake: FakeBotAPI, seen: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 returns retry_after as a timedelta under this switch instead of warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.fail_next("sendMessage", status=429, retry_after=3)
    fake.push_text(USER, "too fast")
    await asyncio.wait_for(seen.failed.wait(), 2.0)

    [error] = seen.errors
    assert isinstance(error, RetryAfter)
    assert error.retry_after == timedelta(seconds=3)
    [call] = fake.calls("sendMessage")
    assert call.status == 429


async def test_a_slow_server_makes_the_client_time_out_but_still_delivers(
    fake: FakeBotAPI, seen: Seen
) -> None:
    fake.add_chat(USER)
    fake.delay_next("sendMessage", 0.6)
    app = build_app(fake, seen, ApplicationBuilder().read_timeout(0.2))
    async with app:
        with pytest.raises(TimedOut):
            await app.bot.send_message(USER, "late")
    # The message arrives anyway, as with a slow real server: retries can duplicate it.
    [late] = await messages(fake, 1)
    assert late["text"] == "late"


async def test_what_telegram_cannot_parse_is_refused(fake: FakeBotAPI, seen: Seen) -> None:
    fake.add_chat(USER)
    async with build_app(fake, seen) as app:
        # PTB strips "Bad Request: " and capitalize()s the rest, so match case-insensitively.
        with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "br"'):
            await app.bot.send_message(USER, "line<br>line", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
            await app.bot.send_message(USER, "<b>bold", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
            await app.bot.send_message(USER, "Size 38.", parse_mode="MarkdownV2")
        long_data = InlineKeyboardButton("x", callback_data="x" * 65)
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await app.bot.send_message(
                USER, "hi", reply_markup=InlineKeyboardMarkup([[long_data]])
            )
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await app.bot.send_message(USER, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await app.bot.send_message(USER + 1, "who?")
        sent = await app.bot.send_message(
            USER, "A &amp; B, 5 > 3 & <i>fine</i>", parse_mode="HTML"
        )
        assert sent.text == "A & B, 5 > 3 & fine"
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await app.bot.edit_message_text(
                "A &amp; B, 5 > 3 & <i>fine</i>",
                chat_id=USER,
                message_id=sent.message_id,
                parse_mode="HTML",
            )
        with pytest.raises(EndPointNotFound):
            await app.bot.do_api_request("sendTelepathy")
    assert [m["text"] for m in fake.sent()] == ["A &amp; B, 5 > 3 & <i>fine</i>"]


async def test_uploads_and_commands_are_parsed(fake: FakeBotAPI, seen: Seen) -> None:
    fake.add_chat(USER)
    async with build_app(fake, seen) as app:
        await app.bot.set_my_commands([("ask", "Ask about a customer"), ("help", "How to")])
        sent = await app.bot.send_document(USER, b"\x00pdf\r\n", filename="card.pdf")
        assert sent.document is not None
        assert sent.document.file_name == "card.pdf"
        again = await app.bot.get_file(sent.document.file_id)
        assert bytes(await again.download_as_bytearray()) == b"\x00pdf\r\n"
    assert fake.commands() == [
        {"command": "ask", "description": "Ask about a customer"},
        {"command": "help", "description": "How to"},
    ]


def test_unknown_methods_and_tokens_answer_like_telegram(fake: FakeBotAPI) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{fake.port}") as client:
        unknown = client.post(f"/bot{DEFAULT_TOKEN}/sendTelepathy", json={"chat_id": 1})
        wrong = client.post("/bot999:XYZ/getMe")
        me = client.get(f"/bot{DEFAULT_TOKEN}/GETME")  # methods are case-insensitive
    assert unknown.status_code == 404
    assert unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert wrong.status_code == 401
    assert me.json()["result"]["is_bot"] is True


def test_a_long_poll_waits_for_its_timeout_and_wakes_on_a_push(fake: FakeBotAPI) -> None:
    url = f"/bot{DEFAULT_TOKEN}/getUpdates"
    with httpx.Client(base_url=f"http://127.0.0.1:{fake.port}", timeout=5) as client:
        started = time.monotonic()
        empty = client.post(url, data={"timeout": "0.5"}).json()
        waited = time.monotonic() - started

        timer = threading.Timer(0.2, fake.push_text, args=(USER, "wake up"))
        timer.start()
        started = time.monotonic()
        woken = client.post(url, data={"timeout": "5"}).json()
        woke_after = time.monotonic() - started
        timer.join()

        update_id = woken["result"][0]["update_id"]
        again = client.post(url, data={"offset": str(update_id), "timeout": "0"}).json()
        confirmed = client.post(url, data={"offset": str(update_id + 1), "timeout": "0"}).json()

    assert empty == {"ok": True, "result": []}
    assert 0.45 <= waited < 1.0
    assert woken["result"][0]["message"]["text"] == "wake up"
    assert 0.15 <= woke_after < 1.0
    assert [u["update_id"] for u in again["result"]] == [update_id]
    assert confirmed["result"] == []
    assert fake.pending_updates() == []


def test_a_newer_poll_ends_the_older_with_conflict_and_close_wakes_polls() -> None:
    fake = FakeBotAPI().start()
    url = f"http://127.0.0.1:{fake.port}/bot{DEFAULT_TOKEN}/getUpdates"
    results: dict[str, httpx.Response] = {}

    def poll(name: str) -> None:
        results[name] = httpx.post(url, data={"timeout": "10"}, timeout=15)

    older = threading.Thread(target=poll, args=("older",))
    older.start()
    time.sleep(0.2)
    newer = threading.Thread(target=poll, args=("newer",))
    newer.start()
    older.join(timeout=2)
    time.sleep(0.1)

    started = time.monotonic()
    fake.close()
    newer.join(timeout=2)
    assert time.monotonic() - started < 1.0
    assert results["older"].status_code == 409
    assert "terminated by other getUpdates request" in results["older"].json()["description"]
    assert results["newer"].json() == {"ok": True, "result": []}


def test_query_json_form_and_chunked_bodies_are_decoded_alike(fake: FakeBotAPI) -> None:
    fake.add_chat(USER)
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    form = {"chat_id": str(USER), "text": "form", "reply_markup": markup}

    def chunks() -> Iterator[bytes]:
        yield f"chat_id={USER}&".encode()
        yield b"text=chunked"

    with httpx.Client(base_url=f"http://127.0.0.1:{fake.port}/bot{DEFAULT_TOKEN}") as client:
        client.post("/sendMessage", params={"chat_id": USER, "text": "query"})
        client.post("/sendMessage", json={"chat_id": USER, "text": "json"})
        client.post("/sendMessage", data=form)
        client.post("/sendMessage", data=form, files={"unused": ("a.txt", b"x")})  # multipart
        client.post(
            "/sendMessage",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    assert [c.status for c in fake.calls("sendMessage")] == [200] * 5
    assert [m["text"] for m in fake.sent()] == ["query", "json", "form", "form", "chunked"]
    assert {c.params["chat_id"] for c in fake.calls()} == {USER}  # form strings become ints
    assert fake.sent()[2]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]
    }


def test_bodies_telegram_cannot_read_are_refused(fake: FakeBotAPI) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{fake.port}/bot{DEFAULT_TOKEN}") as client:
        answers = [
            client.post("/getMe", content=b"[1]", headers={"Content-Type": "application/json"}),
            client.post("/getMe", content=b"{", headers={"Content-Type": "application/json"}),
            client.post("/getMe", content=b"hi", headers={"Content-Type": "text/plain"}),
            client.post(
                "/getMe", content=b"--x--", headers={"Content-Type": "multipart/form-data"}
            ),
            client.post("/sendMessage", data={"chat_id": "1", "reply_markup": "{"}),
            client.post("/getUpdates", data={"offset": "soon"}),
        ]
    assert [a.status_code for a in answers] == [400] * 6
    assert [a.json()["description"] for a in answers] == [
        "Bad Request: can't parse JSON object",
        "Bad Request: can't parse JSON object",
        "Bad Request: unsupported content type 'text/plain'",
        "Bad Request: multipart body without boundary",
        "Bad Request: can't parse reply keyboard markup JSON object",
        "Bad Request: invalid offset specified",
    ]


def test_a_waiting_poll_and_a_delayed_call_hold_up_no_other_request() -> None:
    fake = FakeBotAPI().start()
    base = f"http://127.0.0.1:{fake.port}/bot{DEFAULT_TOKEN}"
    fake.delay_next("getMyCommands", 30)
    with ThreadPoolExecutor(2) as pool:
        poll = pool.submit(httpx.post, f"{base}/getUpdates", data={"timeout": "30"}, timeout=35)
        slow = pool.submit(httpx.post, f"{base}/getMyCommands", timeout=35)
        fake.wait_for_poll(2.0)
        started = time.monotonic()
        me = [httpx.post(f"{base}/getMe").status_code for _ in range(5)]
        assert time.monotonic() - started < 1.0
        assert not slow.done()

        started = time.monotonic()
        fake.close()  # wakes both: the poll answers [], the delayed call is carried out
        assert poll.result(timeout=2).json() == {"ok": True, "result": []}
        assert slow.result(timeout=2).json() == {"ok": True, "result": []}
        assert time.monotonic() - started < 1.0
    assert me == [200] * 5
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{base}/getMe")

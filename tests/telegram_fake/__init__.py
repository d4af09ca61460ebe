"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and benches.

It speaks the Bot API's wire protocol, not PTB's: `POST /bot<TOKEN>/<method>` with a JSON,
form-encoded or multipart body (complex values as JSON strings), `GET /file/bot<TOKEN>/<path>`
for downloads, and `{"ok": ..., "result" | "error_code", "description", "parameters"}` answers.
So the real `telegram.ext.Application` (or the real `clienteling run` process) can poll it.

Where it is cheap, it refuses what Telegram refuses, with Telegram's error text, because those are
the bugs a fake that accepts everything hides: HTML and MarkdownV2 that Telegram cannot parse,
over-long texts, callback data over 64 bytes, editing a message into itself ("message is not
modified"), writing to a chat the bot never saw, answering a callback query twice, and a second
concurrent getUpdates (409 Conflict, as when two bot instances run).

    with FakeBotAPI() as fake:
        app = (
            ApplicationBuilder().token(fake.token)
            .base_url(fake.base_url).base_file_url(fake.base_file_url).build()
        )
        ...  # start the app polling
        fake.push_text(42, "hello")
        [reply] = fake.wait_for_messages(1)  # blocking: from async code, use asyncio.to_thread

The server is werkzeug's threaded WSGI server on a background thread (server.py): a long poll
holds one thread, and test helpers (which run on the test's thread or event loop) share the state
(state.py) under one condition. updates.py queues updates and serves getUpdates, methods.py the
methods the bot talks with, markup.py Telegram's markup checks, wire.py the request and answer
format, and api.py ties them together as FakeBotAPI.
"""

from tests.telegram_fake.api import DEFAULT_TOKEN, Call, FakeBotAPI, bot_env
from tests.telegram_fake.markup import MAX_CALLBACK_DATA, buttons, parse_entities
from tests.telegram_fake.methods import CHAT_ACTIONS, MAX_CAPTION, MAX_DOWNLOAD, MAX_TEXT
from tests.telegram_fake.wire import ApiError, JSONDict, UploadedFile

__all__ = [
    "CHAT_ACTIONS",
    "DEFAULT_TOKEN",
    "MAX_CALLBACK_DATA",
    "MAX_CAPTION",
    "MAX_DOWNLOAD",
    "MAX_TEXT",
    "ApiError",
    "Call",
    "FakeBotAPI",
    "JSONDict",
    "UploadedFile",
    "bot_env",
    "buttons",
    "parse_entities",
]

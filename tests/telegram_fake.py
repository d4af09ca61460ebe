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

The server is a ThreadingHTTPServer on a background thread: a long poll holds one thread, and
test helpers (which run on the test's thread or event loop) share its state under one condition.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import mimetypes
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123:ABC"

# Telegram's own limits (https://core.telegram.org/bots/api).
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)

# Form and multipart bodies carry every value as a string; these are decoded like Telegram does.
_JSON_PARAMS = frozenset(
    "reply_markup commands scope entities caption_entities link_preview_options "
    "reply_parameters allowed_updates media".split()
)
_INT_PARAMS = frozenset(
    "offset limit message_id message_thread_id reply_to_message_id cache_time user_id".split()
)
_FLOAT_PARAMS = frozenset({"timeout"})
_BOOL_PARAMS = frozenset(
    "drop_pending_updates show_alert disable_notification protect_content "
    "allow_sending_without_reply disable_web_page_preview disable_content_type_detection".split()
)
_INTEGER = re.compile(r"-?\d+")

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Call:
    """One request the fake received, with the HTTP status it answered."""

    method: str
    params: JSONDict
    files: dict[str, UploadedFile]
    status: int
    at: float


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None


@dataclass
class _Pending:
    update: JSONDict
    delivered: bool = False


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass
class _Request:
    http_method: str
    path: str
    content_type: str
    body: bytes
    query: JSONDict = field(default_factory=dict)


class FakeBotAPI:
    """A fake Bot API server with helpers to push updates, inspect requests and inject faults."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "clienteling_test_bot",
        bot_name: str = "Clienteling",
        first_update_id: int | None = None,
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._closing = False
        # Telegram starts a bot's updates at an arbitrary id; a random start also keeps a store
        # reused across runs from mistaking new updates for ones it already handled.
        start = first_update_id if first_update_id is not None else secrets.randbelow(10**9)
        self._update_ids = itertools.count(start + 1)
        self._pending: list[_Pending] = []
        self._poll_generation = 0
        self._idle_poll: tuple[int, float] | None = None  # (generation, start) of a waiting poll
        self._history: dict[int, JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._sent: list[JSONDict] = []
        self._calls: list[Call] = []
        self._callback_queries: dict[str, bool] = {}
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, deque[float]] = {}
        self._methods: dict[str, Callable[[JSONDict, dict[str, UploadedFile]], Any]] = {
            "getme": lambda _p, _f: dict(self.bot_user),
            "logout": lambda _p, _f: True,
            "close": lambda _p, _f: True,
            "deletewebhook": self._delete_webhook,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
        }
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 and serve on a background thread."""
        if self._server is not None:
            return self
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeBotAPI:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Answer pending long polls with [], stop serving and close every connection."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError("FakeBotAPI is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` wants: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's `base_file_url` wants: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- pushing updates ------------------------------------------------------------------------

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        first_name: str = "Ayşe",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "en",
    ) -> int:
        """Queue a text message from a user (in their private chat by default); return its id."""
        with self._cond:
            message = self._user_message(
                user_id, chat_id, first_name, last_name, username, language_code
            )
            message["text"] = text
            return self._enqueue({"message": message})

    def push_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        *,
        chat_id: int | None = None,
        first_name: str = "Ayşe",
        language_code: str = "en",
    ) -> int:
        """Queue `/command args` with its bot_command entity, as Telegram sends it."""
        name = command if command.startswith("/") else f"/{command}"
        text = f"{name} {args}" if args else name
        with self._cond:
            message = self._user_message(user_id, chat_id, first_name, None, None, language_code)
            message["text"] = text
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(name)}]
            return self._enqueue({"message": message})

    def push_callback(
        self,
        user_id: int,
        data: str,
        message_id: int,
        chat_id: int | None = None,
        *,
        first_name: str = "Ayşe",
    ) -> int:
        """Queue a press on an inline button of a message the bot sent.

        Raises ValueError when no such message carries a button with this data: Telegram can only
        deliver callback data that is on a button, so such a test would be testing nothing real.
        """
        chat = user_id if chat_id is None else chat_id
        with self._cond:
            message = self._messages.get((chat, message_id))
            if message is None:
                raise ValueError(f"no message {message_id} in chat {chat}")
            if data not in {b.get("callback_data") for b in buttons(message)}:
                raise ValueError(f"message {message_id} has no button with data {data!r}")
            query_id = str(secrets.randbits(63))
            self._callback_queries[query_id] = False
            user = self._user(user_id, first_name, None, None, "en")
            return self._enqueue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "message": json.loads(json.dumps(message)),
                        "chat_instance": str(abs(hash((chat, self.token))) % 10**18),
                        "data": data,
                    }
                }
            )

    def push_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        chat_id: int | None = None,
        first_name: str = "Ayşe",
    ) -> int:
        """Queue a document message; its bytes are then served through getFile + download."""
        with self._cond:
            stored = self._store_file(data, filename)
            message = self._user_message(user_id, chat_id, first_name, None, None, "en")
            message["document"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type
                or mimetypes.guess_type(filename)[0]
                or "application/octet-stream",
                "file_size": len(data),
            }
            if caption is not None:
                message["caption"] = caption
            return self._enqueue({"message": message})

    def push_raw(self, update: JSONDict) -> int:
        """Queue an update as given (e.g. a second delivery of an update_id already handled).

        A pushed update is delivered at least once even if its id is below the bot's offset;
        an update without `update_id` gets the next one.
        """
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                return self._enqueue(update)
            self._pending.append(_Pending(update))
            self._cond.notify_all()
            return int(update["update_id"])

    def add_chat(self, user_id: int, first_name: str = "Ayşe") -> None:
        """Make a private chat known without a message, as if the user had pressed Start."""
        with self._cond:
            self._private_chat(self._user(user_id, first_name, None, None, "en"))

    def block(self, user_id: int) -> None:
        """Behave as if the user blocked the bot: sends to them answer 403."""
        with self._cond:
            self._blocked.add(user_id)

    # -- inspecting -----------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent (sendMessage, sendDocument), oldest first, as recorded then.

        Each: method, message_id, chat_id, text (as sent, markup included), plain_text,
        parse_mode, reply_markup (a dict or None), reply_to_message_id, received_at (monotonic).
        """
        with self._cond:
            return [dict(m) for m in self._sent if chat_id is None or m["chat_id"] == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSONDict:
        """A message as it is now (after edits), in Telegram's JSON."""
        with self._cond:
            return json.loads(json.dumps(self._messages[(chat_id, message_id)]))

    def calls(self, method: str | None = None) -> list[Call]:
        """Requests received, oldest first; for one method (case-insensitive) if given."""
        with self._cond:
            wanted = method.lower() if method else None
            return [c for c in self._calls if wanted is None or c.method.lower() == wanted]

    def commands(self, scope: str = "default", language_code: str = "") -> list[JSONDict]:
        """The command list last set by setMyCommands for a scope type and language."""
        with self._cond:
            return list(self._commands.get((scope, language_code), []))

    def update(self, update_id: int) -> JSONDict:
        """An update pushed earlier, as it was queued (to push_raw it again)."""
        with self._cond:
            return json.loads(json.dumps(self._history[update_id]))

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot (delivered or not)."""
        with self._cond:
            return [p.update for p in self._pending]

    def wait_for_messages(
        self, n: int, timeout: float = 5.0, *, chat_id: int | None = None
    ) -> list[JSONDict]:
        """Block until the bot has sent at least n messages (to chat_id if given); return them."""

        def ready() -> bool:
            return self._count_sent(chat_id) >= n

        if not self.wait_until(ready, timeout):
            got = self.sent(chat_id)
            raise TimeoutError(
                f"waited {timeout}s for {n} messages, got {len(got)}: "
                + repr([m["text"] for m in got])
            )
        return self.sent(chat_id)

    def wait_for_poll(self, timeout: float = 5.0, *, started_after: float = 0.0) -> None:
        """Block until the bot long-polls with nothing to deliver: it is up and idle.

        `started_after` (a time.monotonic() value) ignores older polls, e.g. the one a killed
        bot process left behind, which still waits until a newer poll ends it.
        """

        def idle() -> bool:
            return (
                self._idle_poll is not None
                and self._idle_poll[0] == self._poll_generation
                and self._idle_poll[1] >= started_after
            )

        if not self.wait_until(idle, timeout):
            raise TimeoutError(f"no getUpdates long poll within {timeout}s")

    def wait_for_calls(self, method: str, n: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until the fake has answered at least n requests to a method; return them."""
        if not self.wait_until(lambda: len(self.calls(method)) >= n, timeout):
            raise TimeoutError(f"waited {timeout}s for {n} {method} calls")
        return self.calls(method)

    def wait_until(self, ready: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until a condition holds (checked on every request and push); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not ready():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    # -- fault injection ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        *,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of a method with an error (429 carries retry_after)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else HTTPStatus(status).phrase
            )
        fault = _Fault(status, description, retry_after if status == 429 else None)
        with self._cond:
            self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next calls of a method before handling them, to make clients time out.

        The call is still carried out afterwards, as a slow server does: a message sent late
        is still delivered, even if the client already gave up on it.
        """
        with self._cond:
            self._delays.setdefault(method.lower(), deque()).extend([seconds] * times)

    # -- HTTP entry point -----------------------------------------------------------------------

    def _handle(self, request: _Request) -> tuple[int, str, bytes]:
        """Answer one HTTP request: status, content type, body."""
        path = request.path
        if request.http_method == "GET" and path.startswith("/file/bot"):
            return self._download(path)
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)
        if match is None:
            return _error_body(ApiError(404, "Not Found"))
        token, method = match.groups()
        try:
            params, files = _parse_params(request)
        except ApiError as exc:
            return self._record(method, {}, {}, exc)
        if token != self.token:
            return self._record(method, params, files, ApiError(401, "Unauthorized"))
        with self._cond:
            delays = self._delays.get(method.lower())
            delay = delays.popleft() if delays else 0.0
        if delay:
            self._stopping.wait(delay)
        with self._cond:
            faults = self._faults.get(method.lower())
            fault = faults.popleft() if faults else None
        if fault is not None:
            parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
            return self._record(
                method, params, files, ApiError(fault.status, fault.description, parameters)
            )
        handler = self._methods.get(method.lower())
        if handler is None:
            return self._record(
                method, params, files, ApiError(404, "Not Found: method not found")
            )
        try:
            result = handler(params, files)
        except ApiError as exc:
            return self._record(method, params, files, exc)
        return self._record(method, params, files, result)

    def _record(
        self, method: str, params: JSONDict, files: dict[str, UploadedFile], outcome: Any
    ) -> tuple[int, str, bytes]:
        status = outcome.status if isinstance(outcome, ApiError) else 200
        with self._cond:
            self._calls.append(Call(method, params, files, status, time.monotonic()))
            self._cond.notify_all()
        if isinstance(outcome, ApiError):
            return _error_body(outcome)
        return 200, "application/json", json.dumps({"ok": True, "result": outcome}).encode()

    def _download(self, path: str) -> tuple[int, str, bytes]:
        prefix = f"/file/bot{self.token}/"
        if not path.startswith(prefix):
            return _error_body(ApiError(401, "Unauthorized"))
        with self._cond:
            stored = self._files_by_path.get(path[len(prefix) :])
        if stored is None:
            return _error_body(ApiError(404, "Not Found"))
        return 200, "application/octet-stream", stored.data

    # -- methods (called with the params already decoded) ---------------------------------------

    def _delete_webhook(self, params: JSONDict, _files: dict[str, UploadedFile]) -> bool:
        if params.get("drop_pending_updates"):
            with self._cond:
                self._pending.clear()
        return True

    def _set_my_commands(self, params: JSONDict, _files: dict[str, UploadedFile]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is empty")
        scope = params.get("scope") or {"type": "default"}
        with self._cond:
            self._commands[(scope["type"], params.get("language_code", ""))] = commands
        return True

    def _get_my_commands(self, params: JSONDict, _files: dict[str, UploadedFile]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        return self.commands(scope["type"], params.get("language_code", ""))

    def _get_updates(self, params: JSONDict, _files: dict[str, UploadedFile]) -> Any:
        offset = params.get("offset")
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout", 0)), 0.0)
        with self._cond:
            # A newer poll ends an older one with 409, as Telegram does; this is also what
            # frees the pending poll of a bot process that was killed mid-poll.
            self._poll_generation += 1
            generation, started = self._poll_generation, time.monotonic()
            self._cond.notify_all()
            if offset is not None:
                self._confirm(int(offset))
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, _CONFLICT)
                ready = sorted(self._pending, key=lambda p: p.update["update_id"])[:limit]
                remaining = deadline - time.monotonic()
                if ready or self._closing or remaining <= 0:
                    break
                self._idle_poll = (generation, started)
                self._cond.notify_all()
                self._cond.wait(remaining)
                if self._idle_poll == (generation, started):
                    self._idle_poll = None
            for pending in ready:
                pending.delivered = True
            return [pending.update for pending in ready]

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            # Telegram: a negative offset keeps only the last -offset updates.
            del self._pending[: max(len(self._pending) + offset, 0)]
            return
        # Only delivered updates are confirmed, so a re-pushed old update_id still arrives once.
        self._pending = [
            p for p in self._pending if not (p.delivered and p.update["update_id"] < offset)
        ]

    def _send_message(self, params: JSONDict, _files: dict[str, UploadedFile]) -> JSONDict:
        with self._cond:
            chat = self._target_chat(params)
            text = params.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            plain = parse_entities(text, params.get("parse_mode"))
            if _utf16_len(plain) > MAX_TEXT:
                raise ApiError(400, "Bad Request: message is too long")
            if not plain.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            markup = _check_markup(params.get("reply_markup"))
            message = self._bot_message(chat, params)
            message["text"] = plain
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._remember_sent("sendMessage", message, params, text, plain, markup)
            return message

    def _send_document(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        with self._cond:
            chat = self._target_chat(params)
            caption = params.get("caption") or ""
            plain = parse_entities(caption, params.get("parse_mode")) if caption else ""
            if _utf16_len(plain) > MAX_CAPTION:
                raise ApiError(400, "Bad Request: message caption is too long")
            markup = _check_markup(params.get("reply_markup"))
            upload = files.get("document")
            if upload is not None:
                stored = self._store_file(upload.data, upload.filename)
                document = {
                    "file_name": upload.filename,
                    "mime_type": upload.content_type,
                    "file_size": len(upload.data),
                }
            elif isinstance(params.get("document"), str) and params["document"] in self._files:
                stored = self._files[params["document"]]
                document = {"file_size": len(stored.data)}
            else:
                raise ApiError(400, "Bad Request: wrong remote file identifier specified")
            message = self._bot_message(chat, params)
            message["document"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                **document,
            }
            if plain:
                message["caption"] = plain
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            record = self._remember_sent("sendDocument", message, params, caption, plain, markup)
            record["document"] = {"file_id": stored.file_id, "data": stored.data, **document}
            return message

    def _edit_message_text(self, params: JSONDict, _files: dict[str, UploadedFile]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: text must be non-empty")
        plain = parse_entities(text, params.get("parse_mode"))
        if _utf16_len(plain) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._editable(params)
            if message is None:
                return True
            if message.get("text") == plain and message.get("reply_markup") == markup:
                raise ApiError(400, _NOT_MODIFIED)
            message["text"] = plain
            return self._finish_edit(message, markup)

    def _edit_message_reply_markup(self, params: JSONDict, _files: dict[str, UploadedFile]) -> Any:
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._editable(params)
            if message is None:
                return True
            if message.get("reply_markup") == markup:
                raise ApiError(400, _NOT_MODIFIED)
            return self._finish_edit(message, markup)

    def _answer_callback_query(self, params: JSONDict, _files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        with self._cond:
            if self._callback_queries.get(query_id, True):
                raise ApiError(400, _QUERY_INVALID)
            self._callback_queries[query_id] = True
        return True

    def _send_chat_action(self, params: JSONDict, _files: dict[str, UploadedFile]) -> bool:
        with self._cond:
            self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _get_file(self, params: JSONDict, _files: dict[str, UploadedFile]) -> JSONDict:
        with self._cond:
            stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    # -- state helpers (called with self._cond held) --------------------------------------------

    def _enqueue(self, update: JSONDict) -> int:
        update_id = next(self._update_ids)
        self._history[update_id] = {"update_id": update_id, **update}
        self._pending.append(_Pending(self._history[update_id]))
        self._cond.notify_all()
        return update_id

    def _user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str,
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _private_chat(self, user: JSONDict) -> JSONDict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        self._chats[user["id"]] = chat
        return chat

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str,
    ) -> JSONDict:
        user = self._user(user_id, first_name, last_name, username, language_code)
        if chat_id is None or chat_id == user_id:
            chat = self._private_chat(user)
        else:
            kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
            chat = self._chats.setdefault(
                chat_id, {"id": chat_id, "type": kind, "title": "Store team"}
            )
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _next_message_id(self, chat_id: int) -> int:
        # A chat's user and bot messages share one sequence, as in Telegram.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _target_chat(self, params: JSONDict) -> JSONDict:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _bot_message(self, chat: JSONDict, params: JSONDict) -> JSONDict:
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            "from": dict(self.bot_user),
            "chat": chat,
            "date": int(time.time()),
        }
        reply_to = (params.get("reply_parameters") or {}).get("message_id") or params.get(
            "reply_to_message_id"
        )
        if reply_to:
            original = self._messages.get((chat["id"], int(reply_to)))
            if original is not None:
                message["reply_to_message"] = json.loads(json.dumps(original))
            elif not (
                params.get("allow_sending_without_reply")
                or (params.get("reply_parameters") or {}).get("allow_sending_without_reply")
            ):
                raise ApiError(400, "Bad Request: message to be replied not found")
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _remember_sent(
        self,
        method: str,
        message: JSONDict,
        params: JSONDict,
        text: str,
        plain: str,
        markup: JSONDict | None,
    ) -> JSONDict:
        record: JSONDict = {
            "method": method,
            "message_id": message["message_id"],
            "chat_id": message["chat"]["id"],
            "text": text,
            "plain_text": plain,
            "parse_mode": params.get("parse_mode"),
            "reply_markup": markup,
            "reply_to_message_id": message.get("reply_to_message", {}).get("message_id"),
            "received_at": time.monotonic(),
        }
        self._sent.append(record)
        self._cond.notify_all()
        return record

    def _editable(self, params: JSONDict) -> JSONDict | None:
        if params.get("inline_message_id"):
            return None  # inline messages live in other chats: Telegram answers True
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        message = (
            self._messages.get((chat_id, message_id))
            if isinstance(chat_id, int) and isinstance(message_id, int)
            else None
        )
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message["from"].get("is_bot"):
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _finish_edit(self, message: JSONDict, markup: JSONDict | None) -> JSONDict:
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            # Editing without reply_markup removes the inline keyboard, as in Telegram.
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        self._cond.notify_all()
        return json.loads(json.dumps(message))

    def _store_file(self, data: bytes, filename: str) -> _StoredFile:
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = _StoredFile(
            file_id="BQACAgIAAxkBAA" + secrets.token_urlsafe(24),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            file_path=f"documents/file_{len(self._files)}.{suffix}",
            data=data,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _count_sent(self, chat_id: int | None) -> int:
        return sum(1 for m in self._sent if chat_id is None or m["chat_id"] == chat_id)


def buttons(message: JSONDict) -> list[JSONDict]:
    """The inline buttons of a message (or a sent() record), row by row."""
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


# -- parsing requests ---------------------------------------------------------------------------


def _parse_params(request: _Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    raw: JSONDict = dict(request.query)
    files: dict[str, UploadedFile] = {}
    content_type = request.content_type.split(";", 1)[0].strip().lower()
    if request.body:
        if content_type == "application/json":
            try:
                body = json.loads(request.body)
            except ValueError as exc:
                raise ApiError(400, "Bad Request: can't parse JSON object") from exc
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON object")
            raw.update(body)
        elif content_type == "application/x-www-form-urlencoded":
            raw.update(parse_qsl(request.body.decode(), keep_blank_values=True))
        elif content_type == "multipart/form-data":
            fields, files = _parse_multipart(request.content_type, request.body)
            raw.update(fields)
        else:
            raise ApiError(400, f"Bad Request: unsupported content type {content_type!r}")
    return {key: _coerce(key, value) for key, value in raw.items()}, files


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError as exc:
            if key == "reply_markup":
                raise ApiError(
                    400, "Bad Request: can't parse reply keyboard markup JSON object"
                ) from exc
            raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from exc
    if (key in _INT_PARAMS or key == "chat_id") and _INTEGER.fullmatch(value):
        return int(value)
    if key in _INT_PARAMS:
        raise ApiError(400, f"Bad Request: invalid {key} specified")
    if key in _FLOAT_PARAMS:
        try:
            return float(value)
        except ValueError as exc:
            raise ApiError(400, f"Bad Request: invalid {key} specified") from exc
    if key in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def _parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body byte-exactly (the email parser may touch line ends)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ApiError(400, "Bad Request: multipart body without boundary")
    delimiter = b"--" + match.group(1).encode()
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (
                line.partition(":") for line in head.decode("utf-8", "replace").split("\r\n")
            )
        }
        disposition = headers.get("content-disposition", "")
        name_match = re.search(r'\bname="([^"]*)"', disposition)
        if name_match is None:
            continue
        file_match = re.search(r'\bfilename="([^"]*)"', disposition)
        if file_match is None:
            fields[name_match.group(1)] = content.decode()
        else:
            files[name_match.group(1)] = UploadedFile(
                filename=file_match.group(1),
                content_type=headers.get("content-type", "application/octet-stream"),
                data=content,
            )
    return fields, files


# -- checking what Telegram would refuse --------------------------------------------------------


def _check_markup(markup: Any) -> JSONDict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup  # reply keyboards, remove_keyboard, force_reply: accepted as they are
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(
            400, "Bad Request: can't parse inline keyboard button: field must be an Array"
        )
    if sum(len(row) for row in rows) > 100:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                )
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            elif not any(
                key in button
                for key in (
                    "url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "web_app",
                    "login_url",
                    "copy_text",
                    "pay",
                    "callback_game",
                    "switch_inline_query_chosen_chat",
                )
            ):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                )
    return markup


_HTML_TAGS = frozenset(
    "a b strong i em u ins s strike del span tg-spoiler code pre blockquote tg-emoji".split()
)
_HTML_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "`": "Code",
    "```": "Pre",
    "[": "TextUrl",
}


def parse_entities(text: str, parse_mode: str | None) -> str:
    """The plain text Telegram would show, or ApiError where Telegram can't parse the markup."""
    mode = (parse_mode or "").lower()
    try:
        if not mode:
            return text
        if mode == "html":
            return _parse_html(text)
        if mode == "markdownv2":
            return _parse_markdown_v2(text)
        if mode == "markdown":
            return _parse_markdown(text)
    except _EntityError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    raise ApiError(400, "Bad Request: unsupported parse_mode")


class _EntityError(Exception):
    pass


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _parse_html(text: str) -> str:
    """Telegram's HTML subset: its tags only, balanced; bare & is text, bare < is an error."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            entity = _HTML_ENTITY.match(text, i)
            if entity is None:
                out.append("&")
                i += 1
                continue
            name = entity.group(1)
            if name.startswith("#x"):
                out.append(chr(int(name[2:], 16)))
            elif name.startswith("#"):
                out.append(chr(int(name[1:])))
            else:
                out.append(_HTML_NAMED[name])
            i = entity.end()
            continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        offset = _byte_offset(text, i)
        if text.startswith("</", i):
            end = text.find(">", i)
            if end < 0:
                raise _EntityError(f"Unclosed end tag at byte offset {offset}")
            name = text[i + 2 : end].strip().lower()
            if not open_tags:
                raise _EntityError(f"Unexpected end tag at byte offset {offset}")
            if name != open_tags[-1]:
                raise _EntityError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{open_tags[-1]}>", '
                    f'found "</{name}>"'
                )
            open_tags.pop()
            i = end + 1
            continue
        start = _HTML_START.match(text, i)
        name = start.group(1).lower() if start else ""
        if start is None or name not in _HTML_TAGS:
            raise _EntityError(f'Unsupported start tag "{name}" at byte offset {offset}')
        j, quote = start.end(), ""
        while j < len(text) and (quote or text[j] != ">"):
            if text[j] in "\"'":
                quote = "" if quote == text[j] else (quote or text[j])
            j += 1
        if j >= len(text):
            raise _EntityError(f"Unclosed start tag at byte offset {offset}")
        open_tags.append(name)
        i = j + 1
    if open_tags:
        raise _EntityError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def _parse_markdown_v2(text: str) -> str:
    """MarkdownV2, simplified: reserved characters escaped, entities closed."""
    out: list[str] = []
    open_marks: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            i += 2
            continue
        top = open_marks[-1][0] if open_marks else ""
        if top in ("`", "```"):
            if text.startswith(top, i):
                open_marks.pop()
                i += len(top)
            else:
                out.append(char)
                i += 1
            continue
        mark = next(
            (m for m in ("```", "||", "__", "*", "_", "~", "`") if text.startswith(m, i)), ""
        )
        if mark:
            marks = [m for m, _ in open_marks]
            if mark in marks and mark not in ("`", "```"):
                del open_marks[len(marks) - 1 - marks[::-1].index(mark)]
            else:
                open_marks.append((mark, _byte_offset(text, i)))
            i += len(mark)
            continue
        if char == "[":
            open_marks.append(("[", _byte_offset(text, i)))
            i += 1
            continue
        if char == "]" and top == "[":
            open_marks.pop()
            i += 1
            if text.startswith("(", i):
                end = i + 1
                while end < len(text) and text[end] != ")":
                    end += 2 if text[end] == "\\" else 1
                if end >= len(text):
                    raise _EntityError(f"Can't find end of a URL at byte offset {i}")
                i = end + 1
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # a blockquote line
            continue
        if char in _MD2_RESERVED:
            raise _EntityError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(char)
        i += 1
    if open_marks:
        mark, offset = open_marks[-1]
        raise _EntityError(f"Can't find end of {_MD2_NAMES[mark]} entity at byte offset {offset}")
    return "".join(out)


def _parse_markdown(text: str) -> str:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out: list[str] = []
    i = 0
    while i < len(text):
        mark = next((m for m in ("```", "*", "_", "`", "[") if text.startswith(m, i)), "")
        if not mark:
            out.append(text[i])
            i += 1
            continue
        closing = "]" if mark == "[" else mark
        end = text.find(closing, i + len(mark))
        if end < 0:
            raise _EntityError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
            )
        out.append(text[i + len(mark) : end])
        i = end + len(closing)
        if mark == "[" and text.startswith("(", i):
            i = text.find(")", i) + 1 or len(text)
    return "".join(out)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _error_body(error: ApiError) -> tuple[int, str, bytes]:
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return error.status, "application/json", json.dumps(body).encode()


# -- the HTTP server ----------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """One thread per connection; connections are tracked so close() can end keep-alives."""

    daemon_threads = True

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="FakeBotAPI:connection",
            daemon=True,
        )
        # Registered on the serving thread, before shutdown() can return, so close() sees all.
        with self._lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that vanish (a killed bot process); report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Unblock every connection thread (idle keep-alives wait in recv) and join them."""
        with self._lock:
            connections = list(self._connections.items())
        for sock, _thread in connections:
            with contextlib.suppress(OSError):  # the client closed it already
                sock.shutdown(socket.SHUT_RDWR)
        for _sock, thread in connections:
            thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, as httpx (PTB's client) expects."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        """Serve file downloads and API methods sent as GET."""
        self._dispatch()

    def do_POST(self) -> None:
        """Serve API methods."""
        self._dispatch()

    def log_message(self, *args: Any) -> None:
        """Stay quiet: a test's output should be the test's."""

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        request = _Request(
            http_method=self.command,
            # PTB percent-encodes the token's ':' in download URLs.
            path=unquote(parts.path),
            content_type=self.headers.get("Content-Type", ""),
            body=self._read_body(),
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        )
        status, content_type, body = self.server.api._handle(request)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            # The client went away (timed out, or its process was killed): nothing to answer.
            self.close_connection = True

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


def bot_env(data_dir: Path, api: FakeBotAPI | None) -> dict[str, str]:
    """The environment of a `clienteling` child process: this store, this fake (if any), and
    none of the developer's Telegram, LLM, embedding, Chroma or database settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "LLM_", "EMBEDDING_", "CHROMA_", "DATABASE_"))
    }
    env.update(DATA_DIR=str(data_dir), NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    if api is not None:
        env.update(TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
    return env

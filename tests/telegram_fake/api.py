"""FakeBotAPI: the fake Bot API server, with helpers to inspect requests and inject faults.

Requests are routed here from the HTTP server (`POST /bot<TOKEN>/<method>`, downloads at
`GET /file/bot<TOKEN>/<path>`), recorded, and answered by the methods of UpdateQueue and
BotMethods; a fault or delay queued for a method comes first.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from werkzeug.wrappers import Request, Response

from tests.telegram_fake.methods import BotMethods
from tests.telegram_fake.server import HttpServer
from tests.telegram_fake.updates import UpdateQueue
from tests.telegram_fake.wire import (
    ApiError,
    JSONDict,
    UploadedFile,
    error_response,
    json_copy,
    ok_response,
    read_params,
)

DEFAULT_TOKEN = "123:ABC"

_Method = Callable[[JSONDict, dict[str, UploadedFile]], Any]


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


class FakeBotAPI(UpdateQueue, BotMethods):
    """A fake Bot API server with helpers to push updates, inspect requests and inject faults."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "clienteling_test_bot",
        bot_name: str = "Clienteling",
        first_update_id: int | None = None,
    ) -> None:
        super().__init__(
            token, bot_username=bot_username, bot_name=bot_name, first_update_id=first_update_id
        )
        self._stopping = threading.Event()
        self._calls: list[Call] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, deque[float]] = {}
        self._server: HttpServer | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 and serve on a background thread."""
        if self._server is None:
            self._server = HttpServer(self._handle, name="FakeBotAPI")
            self._server.start()
        return self

    def close(self) -> None:
        """Answer pending long polls with [], end delays, and stop serving."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._stopping.set()
        server.close()
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
        return self._server.port

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` wants: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's `base_file_url` wants: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/file/bot"

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
            return json_copy(self._messages[(chat_id, message_id)])

    def calls(self, method: str | None = None) -> list[Call]:
        """Requests received, oldest first; for one method (case-insensitive) if given."""
        with self._cond:
            wanted = method.lower() if method else None
            return [c for c in self._calls if wanted is None or c.method.lower() == wanted]

    def wait_for_messages(
        self, n: int, timeout: float = 5.0, *, chat_id: int | None = None
    ) -> list[JSONDict]:
        """Block until the bot has sent at least n messages (to chat_id if given); return them."""
        if not self.wait_until(lambda: self._count_sent(chat_id) >= n, timeout):
            got = self.sent(chat_id)
            raise TimeoutError(
                f"waited {timeout}s for {n} messages, got {len(got)}: "
                + repr([m["text"] for m in got])
            )
        return self.sent(chat_id)

    def wait_for_calls(self, method: str, n: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until the fake has answered at least n requests to a method; return them."""
        if not self.wait_until(lambda: len(self.calls(method)) >= n, timeout):
            raise TimeoutError(f"waited {timeout}s for {n} {method} calls")
        return self.calls(method)

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

    # -- answering requests (on the server's threads) -------------------------------------------

    @cached_property
    def _methods(self) -> dict[str, _Method]:
        """The Bot API methods by lower-case name (Telegram's are case-insensitive)."""
        return {
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

    def _handle(self, request: Request) -> Response:
        """Answer one HTTP request."""
        path = request.path  # percent-decoded: PTB encodes the token's ':' in download URLs
        if request.method == "GET" and path.startswith("/file/bot"):
            return self._download(path)
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)
        if match is None:
            return error_response(ApiError(404, "Not Found"))
        token, method = match.groups()
        try:
            params, files = read_params(request)
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
    ) -> Response:
        status = outcome.status if isinstance(outcome, ApiError) else 200
        with self._cond:
            self._calls.append(Call(method, params, files, status, time.monotonic()))
            self._cond.notify_all()
        if isinstance(outcome, ApiError):
            return error_response(outcome)
        return ok_response(outcome)

    def _download(self, path: str) -> Response:
        prefix = f"/file/bot{self.token}/"
        if not path.startswith(prefix):
            return error_response(ApiError(401, "Unauthorized"))
        with self._cond:
            stored = self._files_by_path.get(path[len(prefix) :])
        if stored is None:
            return error_response(ApiError(404, "Not Found"))
        return Response(stored.data, mimetype="application/octet-stream")


def bot_env(data_dir: Path, api: FakeBotAPI | None) -> dict[str, str]:
    """The environment of a `clienteling` child process: this store, this fake (if any), and
    none of the developer's Telegram, LLM, embedding, Chroma or database settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "LLM_", "EMBEDDING_", "CHROMA_", "DATABASE_"))
    }
    env.update(DATA_DIR=str(data_dir), NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    # No morning briefing unless a test asks for one: it would land among the replies a test
    # counts whenever the clock is past BRIEFING_TIME.
    env["BRIEFING_TIME"] = ""
    if api is not None:
        env.update(TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
    return env

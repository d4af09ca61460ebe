"""A recording Bot API transport and an update builder for the real PTB Application.

Updates are built with Update.de_json and fed through Application.process_update; what the bot
sends is recorded by a BaseRequest subclass, as python-telegram-bot's own tests do.
"""

from __future__ import annotations

import json
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

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


def buttons_of(message: dict[str, Any]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]

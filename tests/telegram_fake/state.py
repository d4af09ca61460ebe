"""What the fake Telegram holds: the bot, users, chats, messages, files and queued updates.

All of it is shared by the server's request threads and the test's thread (or event loop), so it
lives under one condition: every change notifies it, and `wait_until` waits on it.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.telegram_fake.wire import ApiError, JSONDict, json_copy


@dataclass
class Pending:
    """An update waiting to be confirmed by the bot's getUpdates offset."""

    update: JSONDict
    delivered: bool = False


@dataclass
class StoredFile:
    """A file Telegram holds: a user's upload or a document the bot sent."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


class BotState:
    """The state behind the fake's methods, with the helpers that change it.

    Helpers whose names start with `_` expect `self._cond` to be held.
    """

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_name: str,
        first_update_id: int | None,
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
        self._closing = False
        # Telegram starts a bot's updates at an arbitrary id; a random start also keeps a store
        # reused across runs from mistaking new updates for ones it already handled.
        start = first_update_id if first_update_id is not None else secrets.randbelow(10**9)
        self._update_ids = itertools.count(start + 1)
        self._pending: list[Pending] = []
        self._poll_generation = 0
        self._idle_poll: tuple[int, float] | None = None  # (generation, start) of a waiting poll
        self._history: dict[int, JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._sent: list[JSONDict] = []
        self._callback_queries: dict[str, bool] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}

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

    # -- users, chats and messages --------------------------------------------------------------

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
        message: JSONDict = {
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
                message["reply_to_message"] = json_copy(original)
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

    def _count_sent(self, chat_id: int | None) -> int:
        return sum(1 for m in self._sent if chat_id is None or m["chat_id"] == chat_id)

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
        return json_copy(message)

    # -- files ----------------------------------------------------------------------------------

    def _store_file(self, data: bytes, filename: str) -> StoredFile:
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id="BQACAgIAAxkBAA" + secrets.token_urlsafe(24),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            file_path=f"documents/file_{len(self._files)}.{suffix}",
            data=data,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

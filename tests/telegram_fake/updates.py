"""Updates from users: the test pushes them, the bot long-polls for them with getUpdates.

A poll waits (on a server thread) until an update is queued, its `timeout` passes, a newer poll
ends it with 409 Conflict (as when two bot instances run) or the fake closes.
"""

from __future__ import annotations

import mimetypes
import secrets
import time

from tests.telegram_fake.markup import buttons
from tests.telegram_fake.state import BotState, Pending
from tests.telegram_fake.wire import ApiError, JSONDict, UploadedFile, json_copy

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue(BotState):
    """Pushing updates as users would send them, and serving them to getUpdates."""

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
                        "message": json_copy(message),
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
            self._pending.append(Pending(update))
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

    def update(self, update_id: int) -> JSONDict:
        """An update pushed earlier, as it was queued (to push_raw it again)."""
        with self._cond:
            return json_copy(self._history[update_id])

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot (delivered or not)."""
        with self._cond:
            return [p.update for p in self._pending]

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

    # -- Bot API methods ------------------------------------------------------------------------

    def _get_updates(self, params: JSONDict, _files: dict[str, UploadedFile]) -> list[JSONDict]:
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

    def _delete_webhook(self, params: JSONDict, _files: dict[str, UploadedFile]) -> bool:
        if params.get("drop_pending_updates"):
            with self._cond:
                self._pending.clear()
        return True

    # -- the queue (called with self._cond held) ------------------------------------------------

    def _enqueue(self, update: JSONDict) -> int:
        update_id = next(self._update_ids)
        self._history[update_id] = {"update_id": update_id, **update}
        self._pending.append(Pending(self._history[update_id]))
        self._cond.notify_all()
        return update_id

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            # Telegram: a negative offset keeps only the last -offset updates.
            del self._pending[: max(len(self._pending) + offset, 0)]
            return
        # Only delivered updates are confirmed, so a re-pushed old update_id still arrives once.
        self._pending = [
            p for p in self._pending if not (p.delivered and p.update["update_id"] < offset)
        ]

"""The Bot API methods a bot calls to talk: send, edit, answer buttons, commands and files.

Each takes the decoded parameters (and uploads) and returns the method's result, or raises
ApiError with Telegram's status and text where Telegram would refuse the call.
"""

from __future__ import annotations

import re
from typing import Any

from tests.telegram_fake.markup import check_markup, parse_entities, utf16_len
from tests.telegram_fake.state import BotState
from tests.telegram_fake.wire import ApiError, JSONDict, UploadedFile

# Telegram's own limits (https://core.telegram.org/bots/api).
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)


class BotMethods(BotState):
    """The methods by which the bot sends, edits and reads, with Telegram's checks."""

    def commands(self, scope: str = "default", language_code: str = "") -> list[JSONDict]:
        """The command list last set by setMyCommands for a scope type and language."""
        with self._cond:
            return list(self._commands.get((scope, language_code), []))

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

    def _get_my_commands(
        self, params: JSONDict, _files: dict[str, UploadedFile]
    ) -> list[JSONDict]:
        scope = params.get("scope") or {"type": "default"}
        return self.commands(scope["type"], params.get("language_code", ""))

    def _send_message(self, params: JSONDict, _files: dict[str, UploadedFile]) -> JSONDict:
        with self._cond:
            chat = self._target_chat(params)
            text = params.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            plain = parse_entities(text, params.get("parse_mode"))
            if utf16_len(plain) > MAX_TEXT:
                raise ApiError(400, "Bad Request: message is too long")
            if not plain.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            markup = check_markup(params.get("reply_markup"))
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
            if utf16_len(plain) > MAX_CAPTION:
                raise ApiError(400, "Bad Request: message caption is too long")
            markup = check_markup(params.get("reply_markup"))
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
        if utf16_len(plain) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._editable(params)
            if message is None:
                return True
            if message.get("text") == plain and message.get("reply_markup") == markup:
                raise ApiError(400, _NOT_MODIFIED)
            message["text"] = plain
            return self._finish_edit(message, markup)

    def _edit_message_reply_markup(self, params: JSONDict, _files: dict[str, UploadedFile]) -> Any:
        markup = check_markup(params.get("reply_markup"))
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

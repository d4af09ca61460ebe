"""The Bot API's wire format: how a method's parameters arrive and what an answer looks like.

Telegram takes parameters from the query string and from a JSON, form-encoded or multipart body,
where every value is a string (complex values as JSON strings). werkzeug parses the bodies; this
module decodes the values as Telegram does and writes `{"ok": ..., "result" | "error_code",
"description", "parameters"}` answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

JSONDict = dict[str, Any]

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


def read_params(request: Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Decode a request's parameters (query string, then body) and take its uploaded files."""
    raw: JSONDict = request.args.to_dict()
    files: dict[str, UploadedFile] = {}
    mimetype = request.mimetype
    try:
        if not request.get_data():
            pass
        elif mimetype == "application/json":
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON object")
            raw.update(body)
        elif mimetype == "application/x-www-form-urlencoded":
            raw.update(request.form.to_dict())
        elif mimetype == "multipart/form-data":
            if not request.mimetype_params.get("boundary"):
                raise ApiError(400, "Bad Request: multipart body without boundary")
            raw.update(request.form.to_dict())
            files = {name: _uploaded(part) for name, part in request.files.items()}
        else:
            raise ApiError(400, f"Bad Request: unsupported content type {mimetype!r}")
    except HTTPException as exc:  # werkzeug's own limits, e.g. 413
        raise ApiError(exc.code or 400, exc.name) from exc
    return {key: _coerce(key, value) for key, value in raw.items()}, files


def json_copy(value: JSONDict) -> JSONDict:
    """A deep copy, as the client will see it: what goes over the wire is a snapshot."""
    copy: JSONDict = json.loads(json.dumps(value))
    return copy


def ok_response(result: Any) -> Response:
    """A successful answer."""
    return Response(json.dumps({"ok": True, "result": result}), mimetype="application/json")


def error_response(error: ApiError) -> Response:
    """An error answer, with the status Telegram uses for it."""
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return Response(json.dumps(body), status=error.status, mimetype="application/json")


def _uploaded(part: FileStorage) -> UploadedFile:
    return UploadedFile(
        filename=part.filename or "",
        content_type=part.content_type or "application/octet-stream",
        data=part.read(),
    )


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

"""What Telegram checks in a message's markup: entity parsing (HTML, MarkdownV2, Markdown) and
inline keyboards.

Each check refuses what Telegram refuses, with Telegram's error text, because those are the bugs a
fake that accepts everything hides.
"""

from __future__ import annotations

import re
from typing import Any

from tests.telegram_fake.wire import ApiError, JSONDict

MAX_CALLBACK_DATA = 64

_BUTTON_ACTIONS = (
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
_TEXT_BUTTON = (
    "Bad Request: can't parse inline keyboard button: "
    "Text buttons are unallowed in the inline keyboard"
)


def buttons(message: JSONDict) -> list[JSONDict]:
    """The inline buttons of a message (or a sent() record), row by row."""
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def check_markup(markup: Any) -> JSONDict | None:
    """The reply_markup as given, or ApiError where Telegram would refuse an inline keyboard."""
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
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not button.get("text"):
            raise ApiError(400, _TEXT_BUTTON)
        if "callback_data" in button:
            size = len(str(button["callback_data"]).encode())
            if not 1 <= size <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        elif not any(key in button for key in _BUTTON_ACTIONS):
            raise ApiError(400, _TEXT_BUTTON)
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


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2

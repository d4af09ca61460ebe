"""How replies look in Telegram: HTML parts under the message limit, buttons and their payloads.

Texts are split *before* they are rendered, so a part never ends inside a tag or an entity, and
each part is measured as it will be sent (escaped), so every part is accepted by the Bot API.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.core.assistant import Reply

# Replies over Telegram's limit are split; some room is kept for the bold/italic markup.
MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH - 96
# A morning briefing offers a button per customer row (a few rows in each of four sections).
MAX_OPTIONS = 16
BUTTON_LABEL = 40
OPTION, VOTE = "o", "fb"


def esc(text: str) -> str:
    """Return text escaped for Telegram HTML (quotes are left alone: they need no escaping
    outside attributes, and "doesn&#x27;t" reads badly if a client shows the raw text)."""
    return html.escape(text, quote=False)


def shorten(text: str, limit: int) -> str:
    """Return text cut to `limit` characters, ending in "…" when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_message(
    text: str, limit: int = MAX_MESSAGE, *, measure: Callable[[str], int] = len
) -> list[str]:
    """Split a plain text into parts of at most `limit` as `measure` counts them.

    Cuts fall on a line break where one is in reach, else on a space, else anywhere; the line
    break a cut falls on is dropped, so `"\\n".join(parts)` gives the text back when every cut
    fell on one.
    """
    parts: list[str] = []
    while measure(text) > limit:
        window = min(len(text), limit)
        while True:
            cut = text.rfind("\n", 0, window)
            if cut <= 0:
                cut = text.rfind(" ", 0, window)
            if cut <= 0:
                cut = window
            measured = measure(text[:cut])
            if measured <= limit or cut <= 1:
                break
            # Escaping or wide characters made the part longer than it looked: cut earlier.
            window = max(1, min(cut - 1, cut * limit // measured))
        parts.append(text[:cut])
        text = text[cut:]
        if text.startswith("\n"):
            text = text[1:]
    parts.append(text)
    return parts


def sent_length(text: str) -> int:
    """Return the length Telegram counts for `text` once escaped: UTF-16 code units (an emoji
    or a rare CJK character counts twice)."""
    return len(esc(text).encode("utf-16-le")) // 2


def render_parts(reply: Reply, limit: int = MAX_MESSAGE) -> list[str]:
    """Return the reply as Telegram HTML messages, each under `limit`.

    The first line is bold and the notice, if any, italic above it; the text is split before
    any markup is added.
    """
    notice = f"<i>{esc(reply.notice)}</i>\n" if reply.notice else ""
    room = limit - sent_length(reply.notice or "") - len("<i></i>\n<b></b>")
    plain = split_message(reply.text, room, measure=sent_length)
    head, newline, body = plain[0].partition("\n")
    first = f"{notice}<b>{esc(head)}</b>" + (f"\n{esc(body)}" if newline else "")
    return [first, *(esc(part) for part in plain[1:])]


def keyboard(reply: Reply, answer_id: int) -> InlineKeyboardMarkup:
    """Return the reply's follow-ups as buttons, two a row, its links one a row, and 👍/👎
    for feedback."""
    buttons = [
        InlineKeyboardButton(
            shorten(option.label, BUTTON_LABEL), callback_data=f"{OPTION}:{answer_id}:{i}"
        )
        for i, option in enumerate(reply.options[:MAX_OPTIONS])
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    # Links open elsewhere (a draft in WhatsApp): Telegram takes http(s) URLs only.
    rows += [
        [InlineKeyboardButton(shorten(label, BUTTON_LABEL), url=url)]
        for label, url in reply.links
        if url.startswith(("https://", "http://"))
    ]
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=f"{VOTE}:{answer_id}:1"),
            InlineKeyboardButton("👎", callback_data=f"{VOTE}:{answer_id}:-1"),
        ]
    )
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class Button:
    """A pressed button: what it does, which logged answer it belongs to, and its value."""

    kind: str
    answer_id: int
    value: int


def parse_button(data: str | None) -> Button | None:
    """Return the button a callback payload names, or None for anything malformed or unknown
    (old layouts, other bots' buttons, forged data)."""
    if data is None or data.count(":") != 2:
        return None
    kind, answer_id, value = data.split(":")
    if kind not in (OPTION, VOTE):
        return None
    if not answer_id.isdigit() or not value.lstrip("-").isdigit():
        return None
    number = int(value)
    if kind == VOTE and number not in (1, -1):
        return None
    if kind == OPTION and not 0 <= number < MAX_OPTIONS:
        return None
    return Button(kind, int(answer_id), number)

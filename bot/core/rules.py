"""Messages understood by their form, without a model: notes to save, help, greetings.

Their words, per language, live in `data/rules.toml`, read on first use.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bot.core.datafiles import alternatives, read_toml
from bot.core.text import strip_accents

# Turkish puts the name first: "Çağla için not: …", "Çağla'ya not: …".
_NOTE_SUFFIX = re.compile(
    r"^(?P<name>[^:\n]+?)(?:\s+i[çc]in|['’](?:y?a|y?e))\s+not\s*:\s*(?P<text>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MAX_NAME_WORDS = 4


@cache
def _words() -> dict[str, Any]:
    return read_toml("rules.toml")


@cache
def _note_prefix() -> re.Pattern[str]:
    note = _words()["note"]
    articles = "|".join(rf"{article}\s+" for article in note["article"].values())
    return re.compile(
        # "/note@MyBot" is how Telegram sends a command in a group chat.
        rf"^/?(?:(?:{alternatives(note['verb'])})\s+(?:{articles})?)?"
        rf"(?P<word>{alternatives(note['word'])})(?:@\w+)?"
        rf"(?:\s+(?:{alternatives(note['preposition'])}))?"
        rf"\s+(?:(?:{alternatives(note['name_article'])})\s+)?"
        r"(?P<name>[^:\n]+?)\s*:\s*(?P<text>\S.*)$",
        re.IGNORECASE | re.DOTALL,
    )


def parse_note(text: str) -> tuple[str, str] | None:
    """Return (name, note) from "note for NAME: text" in any supported language, else None."""
    stripped = text.strip()
    for pattern in (_note_prefix(), _NOTE_SUFFIX):
        if (match := pattern.match(stripped)) is None:
            continue
        name, note = match["name"].strip(), match["text"].strip()
        # A long "name" is a sentence with a colon in it, not a note command.
        if not name or not note or len(name.split()) > _MAX_NAME_WORDS:
            continue
        # Turkish "not" is also English "not" ("Not sure: …"): only a capitalised name counts.
        if match.groupdict().get("word", "").casefold() == "not" and not name[0].isupper():
            continue
        return name, note
    return None


@cache
def _help() -> re.Pattern[str]:
    words = _words()["help"]
    return re.compile(
        # The bare word only: "help me sell the Aeropress" is a product question.
        rf"^[¡¿\s]*/?(?:{alternatives(words['word'])})"
        rf"(?:\s+(?:{alternatives(words['please'])}))?[\s!?.;]*$"
        rf"|{alternatives(words['asks'])}"
    )


@cache
def _greeting() -> re.Pattern[str]:
    words = _words()["greeting"]
    return re.compile(
        rf"^[¡¿\s]*(?:{alternatives(words['words'])})"
        rf"(?:\s+(?:{alternatives(words['to'])}))?[\s!.,:)]*$"
    )


def is_help(text: str) -> bool:
    """Return whether the message asks what the assistant can do."""
    return _help().search(strip_accents(text.strip())) is not None


def is_greeting(text: str) -> bool:
    """Return whether the message is only a greeting."""
    return _greeting().match(strip_accents(text.strip())) is not None

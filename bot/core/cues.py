"""The intents' example questions and keyword cues, as written in `data/intents.toml`.

Examples feed the nearest-example classifier (bot.core.intents) and the trained model's bank
(bot.core.intent_model); cues are regex alternatives per language over folded text, matched at
the start of a word so a stem covers its inflections.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from bot.core.datafiles import alternatives, read_toml
from bot.core.text import strip_accents
from bot.core.types import Intent

# The file names the off-topic intent for what it is.
TABLE_INTENT = {"out_of_scope": Intent.unknown}


def table_intent(table: str) -> Intent:
    """Return the intent a data table is named for ("out_of_scope" is Intent.unknown)."""
    return TABLE_INTENT.get(table) or Intent(table)


@cache
def _intent_tables() -> dict[Intent, dict[str, Any]]:
    return {table_intent(name): table for name, table in read_toml("intents.toml").items()}


@cache
def examples() -> Mapping[Intent, tuple[str, ...]]:
    """Return the example questions of the intents the classifier scores, in the file's order."""
    return {
        intent: tuple(table["examples"])
        for intent, table in _intent_tables().items()
        if "examples" in table
    }


@cache
def keywords() -> Mapping[Intent, Mapping[str, str]]:
    """Return the keyword cues per intent and language: regex alternatives over folded text."""
    tables = _intent_tables()
    return {intent: dict(table["cues"]) for intent, table in tables.items() if "cues" in table}


@cache
def cue_patterns() -> dict[Intent, re.Pattern[str]]:
    """Return one compiled pattern per intent with cues."""
    # Matched at the start of a word, so a stem covers its inflections.
    return {
        intent: re.compile(rf"(?<!\w)(?:{alternatives(by_language)})")
        for intent, by_language in keywords().items()
    }


def cued_intents(text: str) -> frozenset[Intent]:
    """Return the intents whose keywords occur in the message."""
    folded = strip_accents(text)
    return frozenset(intent for intent, cue in cue_patterns().items() if cue.search(folded))

"""A name the message says is a name ("a customer called Hope Fairbanks", "Emre Koç diye bir
müşterimiz var mı", "una clienta que se llama Rosa Pérez", "ein Kunde namens Keller", "who's
hope fairbanks?"): the words typed as a name, whatever else they mean as ordinary words. With
nobody found by them, they are the name not found (bot.core.shopping_asks.refocused), never a
question about nothing or about the customer discussed before. The cues, per language, are
rules.toml [named_as], on folded text (lower case, no accents)."""

from __future__ import annotations

import itertools
import re
from functools import cache

from bot.core.datafiles import read_toml
from bot.core.name_forms import name_lists
from bot.core.text import FOLDED_STOP_WORDS, fold, strip_accents
from bot.core.vocabulary import question_words

# A name is at most this many words.
MAX_NAME_WORDS = 3
# A name word: letters, with an apostrophe or a hyphen inside (O'Neill, Ellison-Moore).
_NAME_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"


@cache
def _cues() -> tuple[re.Pattern[str], ...]:
    """Compile each language's cues: "{NAME}" stands for up to MAX_NAME_WORDS name words,
    "{NAMES}" for two or more ("who's hope fairbanks?", not "who's next?")."""
    more = rf"(?: {_NAME_WORD}){{%d,{MAX_NAME_WORDS - 1}}}"
    name = rf"(?P<name>{_NAME_WORD}{more % 0})"
    names = rf"(?P<name>{_NAME_WORD}{more % 1})"
    cues: dict[str, list[str]] = read_toml("rules.toml")["named_as"]
    return tuple(
        re.compile(
            rf"(?<![^\W\d_])(?:{pattern.replace('{NAMES}', names).replace('{NAME}', name)})"
        )
        for patterns in cues.values()
        for pattern in patterns
    )


def named_as(text: str) -> list[str]:
    """Return the words a naming cue says are a name, as typed, [] for none; stop words, or
    question words all typed lower case, are no name ("who's the best customer?", "who is
    working saturday?"). The cues match the folded text, word for word."""
    typed = text.split()
    folded = strip_accents(" ".join(typed))
    for cue in _cues():
        for found in cue.finditer(folded):
            start = len(folded[: found.start("name")].split())
            count = len(found.group("name").split())
            said = [w.strip(',.!?;:¿¡"“”«»()') for w in typed[start : start + count]]
            if not said or any(fold(w) in FOLDED_STOP_WORDS for w in said):
                continue  # "who's Kaffa and Co?"
            if said[0][:1].isupper():  # "… called Rosa Delgado asking for …"
                said = list(itertools.takewhile(lambda w: w[:1].isupper(), said))
            # a title is no part of the name ("Hakan Bey diye", "a lady called Mrs Henderson")
            said = [w for w in said if fold(w).rstrip(".") not in name_lists().titles] or said
            # words of the questions' own, typed lower case, are none ("who is working saturday?")
            if all(fold(w) in question_words() and not w[:1].isupper() for w in said):
                continue
            return said
    return []

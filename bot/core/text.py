"""Text helpers for matching what associates type: accents, scripts, apostrophes, stop words."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from bot.core.datafiles import read_text

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# Turkish attaches case endings after an apostrophe: Çağla'nın, Hiroshi'ye, AeroPress'i.
_APOSTROPHE_SUFFIX = re.compile(r"['’][^\W\d_]{1,5}$")
_LETTERS = str.maketrans({"ı": "i"})  # NFKD leaves Turkish dotless i alone


def _read_words(name: str) -> frozenset[str]:
    lines = read_text(name).splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


# Read at import (one small file): the catalogue's matching uses it as a constant.
STOP_WORDS = _read_words("stop_words.txt")


def fold(text: str) -> str:
    """Return text in lower-case ASCII for matching only: accents dropped and other scripts
    transliterated by anyascii ("Çağla" → "cagla", "Νίκος" → "nikos", "D’Souza" → "d'souza")."""
    return anyascii(text).casefold()


def strip_accents(text: str) -> str:
    """Return text casefolded and without accents, in its own script (the keyword cues are
    written in Greek, Turkish, … letters): for keyword matching only."""
    text = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Return the words of a message as typed (Turkish case endings cut off)."""
    return [_APOSTROPHE_SUFFIX.sub("", w) for w in _WORD.findall(text)]


def folded_words(text: str) -> list[str]:
    """Return the folded words of a message."""
    return [fold(w) for w in words(text)]


FOLDED_STOP_WORDS = frozenset(fold(w) for w in STOP_WORDS)

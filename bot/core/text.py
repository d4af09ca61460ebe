"""Text helpers for matching what associates type: accents, scripts, apostrophes, stop words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from anyascii import anyascii

from bot.core.datafiles import read_text

# Chinese, Japanese and Korean letters (Han with 々, kana, Hangul, their half-width forms).
_CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
_APOSTROPHES = "'’‘ʼ"
_WORD = re.compile(rf"[^\W_]+(?:[-{_APOSTROPHES}][^\W_]+)*", re.UNICODE)
# Turkish attaches case endings after an apostrophe: Çağla'nın, Hiroshi'ye, AeroPress'i, C0042'nin.
# After a single letter the apostrophe is part of a name: O'Brien, D'Souza, Smith-O'Brien.
_APOSTROPHE_SUFFIX = re.compile(
    rf"(?<!^[^\W\d_])(?<![-{_APOSTROPHES}][^\W\d_])[{_APOSTROPHES}][^\W\d_]{{1,5}}$"
)
_LETTERS = str.maketrans({"ı": "i"})  # NFKD leaves Turkish dotless i alone


def _read_words(name: str) -> frozenset[str]:
    lines = read_text(name).splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


# Read at import (one small file): the catalogue's matching uses it as a constant.
STOP_WORDS = _read_words("stop_words.txt")


def fold(text: str) -> str:
    """Return text in lower case for matching only: accents dropped and other scripts
    transliterated by anyascii ("Çağla" → "cagla", "Νίκος" → "nikos", "D’Souza" → "d'souza").

    Chinese, Japanese and Korean letters stay in their own script ("王伟"): transliterated they
    would run together and merge different names (王 and 汪 are both "wang")."""
    if text.isascii():  # most words and names: nothing to transliterate
        return text.casefold()
    parts = _CJK_SPLIT.split(text)
    # re.split with a group alternates: other text at even places, CJK runs at odd ones.
    return "".join(
        unicodedata.normalize("NFKC", p) if i % 2 else anyascii(p) for i, p in enumerate(parts)
    ).casefold()


def is_cjk(text: str) -> bool:
    """Return whether every letter of a text is Chinese, Japanese or Korean (and it has one)."""
    if text.isascii():
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(CJK_RUN.fullmatch(c) for c in letters)


def strip_accents(text: str) -> str:
    """Return text casefolded and without accents, in its own script (the keyword cues are
    written in Greek, Turkish, … letters): for keyword matching only."""
    text = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cut_ending(word: str) -> str:
    """Return a word without a Turkish case ending after an apostrophe ("Çağla'nın" → "Çağla";
    "O'Brien" stays whole)."""
    return _APOSTROPHE_SUFFIX.sub("", word)


def words(text: str) -> list[str]:
    """Return the words of a message as typed (Turkish case endings cut off)."""
    return [cut_ending(w) for w in _WORD.findall(text)]


def replace_words(text: str, replace: Callable[[str], str | None]) -> str:
    """Return `text` with each word `replace` gives a replacement for replaced, everything
    else (punctuation, spacing) as typed."""
    return _WORD.sub(lambda m: replace(m.group()) or m.group(), text)


def folded_words(text: str) -> list[str]:
    """Return the folded words of a message, whole: a word keeps what follows an apostrophe,
    since only matching can tell a name ("o'brien") from a case ending ("cagla'nin"); see
    `word_forms`."""
    return [fold(w) for w in _WORD.findall(text)]


def word_forms(word: str) -> list[str]:
    """Return the readings of a folded word, whole first: without a Turkish case ending
    ("cagla'nin" → "cagla") and without its apostrophes ("o'brien" → "obrien")."""
    forms = [word]
    for form in (cut_ending(word), word.replace("'", ""), cut_ending(word).replace("'", "")):
        if form not in forms:
            forms.append(form)
    return forms


FOLDED_STOP_WORDS = frozenset(fold(w) for w in STOP_WORDS)

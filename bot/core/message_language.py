"""The language a message is written in, told from the words that say it: names, numbers
and emails say nothing of it."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.greeklish import is_greeklish
from bot.core.i18n import available_languages, without_names
from bot.core.product_words import glossary_language
from bot.core.text import fold
from bot.core.text import words as typed_words
from bot.core.vocabulary import question_words, verb_language, word_language
from knowledge.language import detect_among

# A message of fewer words is told apart from a bare name by its question words only.
SHORT_MESSAGE_WORDS = 3
_GREEK_LETTERS = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_TURKISH_LETTERS = re.compile("[ıİşŞğĞ]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _without_stored_names(text: str, is_name: Callable[[str], bool]) -> str:
    """Return `text` without the words typed in lower case that are a customer's name and
    that no example question uses ("and maria costa": "and"; "can" stays, a name or not)."""

    def drop(match: re.Match[str]) -> str:
        word = fold(match.group())
        return "" if is_name(word) and word not in question_words() else match.group()

    return _LETTER_RUN.sub(drop, text)


def message_language(text: str, is_name: Callable[[str], bool] | None = None) -> str | None:
    """Return the language a message is written in, among the shipped ones, or None.

    Names say nothing of it ("who is María López?" is English): capitalised words after the
    first are left out (`without_names`), and in a message of one or two words every word
    that no example question uses (a bare name: "Çağla?", "Hiroshi Tanaka") too, unless
    every word left is in Greek letters ("Κατερίνα Βλάχου – εκκρεμότητες;", not "Ελένη
    tallas?"). Greek letters left are Greek, as is Greek typed in Latin letters
    (bot.core.greeklish); else py3langid decides, restricted to the shipped languages, and
    for a short message it is unsure of, words of one language only ("mis tareas",
    "Top-Kunden?": bot.core.vocabulary.word_language), then letters of Turkish alone ("ne
    anlatmıştı?"), then verb forms of one language (bot.core.vocabulary.verb_language: "neler
    istiyordu?"). `is_name(folded word)` tells the store's customer names: typed in lower
    case they say nothing of it either ("and maria costa" is English, whatever "costa" reads
    as)."""
    if "el" in available_languages() and is_greeklish(text):
        return "el"
    words = without_names(text)
    if is_name is not None:
        words = _without_stored_names(words, is_name)
    typed = typed_words(words)
    if "el" in available_languages() and len(typed) > 1 and all(map(_GREEK_LETTERS.search, typed)):
        return "el"  # "Κατερίνα Βλάχου – εκκρεμότητες;": Greek words beside the name
    if len(typed) < SHORT_MESSAGE_WORDS:
        known = [w for w in typed if fold(w) in question_words()]
        if not known:  # "Duftkerze Brenndauer?": the product words' language
            return glossary_language(typed_words(text), available_languages())
        words = " ".join(known)
    if "el" in available_languages() and _GREEK_LETTERS.search(words):
        return "el"
    found = detect_among(words, available_languages())
    if found is None and len(typed) < SHORT_MESSAGE_WORDS:
        found = word_language(typed, available_languages())
    if (
        found is None
        and "tr" in available_languages()
        and _TURKISH_LETTERS.search(" ".join(typed))
    ):
        found = "tr"  # "ne anlatmıştı?": dotless ı, ş and ğ are Turkish's alone of the five
    return found or verb_language(typed, available_languages())

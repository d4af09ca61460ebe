"""Words typed that match a customer's name but are ordinary words as typed: "şu" (Turkish
"that") is no Su, typed with a mark her name lacks; "δώρο" (gift) is no Dorothea called Doro,
a common Greek word read against a name in Latin letters (bot.core.mentions.name_matches)."""

from __future__ import annotations

from bot.core.common_words import everyday_as_marked, is_common
from bot.core.name_sounds import is_greek
from bot.core.text import fold, strip_accents, words

Name = tuple[str | None, str | None]


def greek_word_for_latin(text: str, said: frozenset[str], name: Name | None) -> bool:
    """Return whether every word a match rests on (`said`, folded) is typed in Greek letters
    and is a common word (common_words.is_common) while her `name` (first, last) is in Latin
    letters and holds none of them (a short name she goes by): "δώρο" (gift) read as "Doro",
    Dorothea's, is the word; "Μαρία" is Maria's name."""
    greek = {fold(w) for w in words(text) if is_greek(w)}
    stored = " ".join(n or "" for n in name or ())
    return (
        bool(said)
        and said <= greek
        and all(is_common(w) for w in said)
        and not is_greek(stored)
        # her name itself in Greek letters ("Μαρία" for Maria) is her name
        and not said & {fold(w) for w in words(stored)}
    )


def marked_word(text: str, said: frozenset[str], name: Name | None) -> bool:
    """Return whether every word a match rests on (`said`, folded) is typed with an accent or
    mark her stored `name` (first, last) lacks, and so typed is an everyday word
    (common_words.everyday_as_marked): "şu" is the Turkish "that", not Su."""
    stored = {w.casefold() for w in words(" ".join(n or "" for n in name or ()))}
    typed: dict[str, set[str]] = {}
    for word in words(text):
        typed.setdefault(fold(word), set()).add(word.casefold())
    for w in said:
        forms = typed.get(w, set())
        if not forms or any(f in stored or f == strip_accents(f) for f in forms):
            return False
        if not all(everyday_as_marked(f) for f in forms):
            return False
    return True

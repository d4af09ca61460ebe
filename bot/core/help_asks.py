"""Messages about the assistant itself, in the associate's language (rules.toml [help.*]):
trouble reported with it, whether it can do something, whether it does customer lists, how
to use it for a customer in general."""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import alternatives, read_toml
from bot.core.text import FOLDED_STOP_WORDS, fold, folded_words, strip_accents

# Words that name nothing in a trouble report ("it's still not answering, again?"), folded as
# the message's words are (Greek in Latin letters).
_VAGUE = frozenset(
    fold(w)
    for w in "it its it's this still again now just today anymore any more all the time todo "
    "el rato otra vez ya hoy hâlâ yine bugün şimdi πάλι ακόμα τώρα σήμερα schon wieder immer "
    "noch heute gerade mal morning since από πρωί sabah sabahtan beri desde esta mañana seit "
    "morgens έχει πέσει".split()
)


def reports_trouble(text: str, language: str) -> bool:
    """Return whether a message reports something gone wrong with the assistant ("tried
    /notes and nothing came back", "σφάλμα" sending a photo, the note "ist weg??"): trouble
    words and one of the assistant's things, or a customer it does not find ("müşteri adını
    yazıyorum bulamıyor"), in `language` (ISO 639-1); help, when it names no customer."""
    folded = _folded(text)
    if _in_language("unfound", language).search(folded):
        return True  # "I type her name and it finds nobody": how to look customers up
    if complains_of_itself(text, language):
        return True  # "you're not working", "no me entiendes"
    trouble = _in_language("trouble", language).search(folded)
    if trouble is None:
        return False
    if _in_language("about", language).search(folded) is not None:
        return True
    # Nothing else named ("it's not answering", "me da error", "geht nicht"): the assistant's.
    rest = folded[: trouble.start()] + " " + folded[trouble.end() :]
    return all(w in FOLDED_STOP_WORDS or w in _VAGUE for w in folded_words(rest))


def complains_of_itself(text: str, language: str) -> bool:
    """Return whether a message tells the assistant itself is not working or understanding
    ("this bot is useless, asked about a kettle and got…", "no me entiendes"), in `language`:
    rules.toml [help.itself]; help, whatever product it mentions."""
    return _in_language("itself", language).search(_folded(text)) is not None


def reports_lookup_trouble(text: str, language: str, *, found: bool = False) -> bool:
    """Return whether a message reports looking a customer up gone wrong, in `language` (ISO
    639-1): a customer not found ("hab vanderberg eingegeben, findet meine Kundin nicht") or
    the wrong one given ("keeps giving me the wrong emma", "yanlış kişi çıkıyor"): rules.toml
    [help.unfound] and [help.wrong_person]; with `found` (the name typed found one customer:
    "dice que no encontró su talla" is about her), only the wrong one given or its own "not
    found" quoted ([help.unfound_quoted]: "me sale 'cliente no encontrado' cuando pongo…").
    Answered with how to find a customer, and the customers the name typed fits."""
    folded = _folded(text)
    tables: tuple[str, ...] = ("wrong_person", "unfound_quoted")
    tables = tables if found else ("unfound", *tables)
    return any(_in_language(t, language).search(folded) for t in tables)


def _folded(text: str) -> str:
    """Return the message folded (bot.core.text.strip_accents), apostrophes out ("didn't",
    "didn’t": "didnt"), as the trouble tables are written."""
    return strip_accents(text).replace("'", "").replace("’", "")


@cache
def asks_about_tips(text: str, language: str) -> bool:
    """Return whether a message asks how selling tips reach everyone ("how does a manager send
    a tip to all staff?", "müdürümüz ipucu eklemek istiyor, nasıl yapacak"), in `language`
    (ISO 639-1): rules.toml [help.tips]. Answered with how managers add tips."""
    return _in_language("tips", language).search(_folded(text)) is not None


@cache
def _in_language(table: str, language: str) -> re.Pattern[str]:
    """Compile one language's help.`table` words (every language's for one without them),
    matched on folded text at the start of a word: a word of one language ("not", Turkish for
    a note) is no trouble word of another. Read and compiled once (rules.toml is large)."""
    words: dict[str, str] = read_toml("rules.toml")["help"][table]
    pattern = words.get(language) or alternatives(words)
    return re.compile(rf"(?<![^\W\d_])(?:{pattern})")


def asks_if_possible(text: str, language: str) -> bool:
    """Return whether a message asks whether something can be done ("is there a way…", "is
    that a thing?", "kurabilir miyiz", "gibt es…") or asks the assistant to do it ("can you
    set me a reminder…", "¿puedes recordarme…?", "kannst du mich… erinnern?"), in `language`:
    of a reminder for nobody named, a question about what the assistant does."""
    return _in_language("possible", language).search(strip_accents(text)) is not None


def asks_for_list_feature(text: str, language: str) -> bool:
    """Return whether a message asks whether the assistant does customer lists ("gibts ne
    Funktion für Kundenlisten, zB wer lange nicht da war?", "müşteri listesi çıkarabiliyor
    musun?"), in `language`: answered with how to ask for them. "Is there a way to see who has
    a birthday this week?" asks for that list: lists in general are asked about."""
    folded = strip_accents(text)
    return _in_language("feature", language).search(folded) is not None and (
        _in_language("list_word", language).search(folded) is not None
    )


def asks_how_for_anyone(text: str, language: str, *, how: bool = False) -> bool:
    """Return whether a message asks how to use the assistant for a customer in general ("how
    do I add a note for a customer?", "¿se puede ver cuánto ha gastado una clienta?", "πώς
    βλέπω τι αγόρασε ένας πελάτης;", "wie kann ich zu einem Kunden eine Notiz speichern?"), in
    `language`: help, when the message names no customer. With `how`, only when asked with
    "how" ("how do I get ideas for a customer?", not "can I get ideas for a customer who…")."""
    folded = strip_accents(text)
    if how and _in_language("how_word", language).search(folded) is None:
        return False
    return _in_language("use", language).search(folded) is not None and (
        _in_language("someone", language).search(folded) is not None
    )

"""Messages that set two things against each other: "the Buds 2 or the Buds 2 Pro?",
"diferencia entre la crema mineral baby y el spray kids", "rakı ile tsipouro arasında fark ne".

A product question comparing two products is answered about the one named first (that is how
associates ask, and what the reply leads with); bot.core.product_lookup finds the products
each side of the word that sets them against each other names. The words, per language, are
the `compare` tables of `data/rules.toml`.
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import read_toml
from bot.core.text import folded_words, strip_accents, word_matches

# The words each side of the one setting two products against each other that name them.
NEAR_BEFORE = 8
NEAR_AFTER = 6
# A product named within this many words of "for" ("for the X12") is the device an accessory
# is asked for.
FOR_NEAR = 2


@cache
def _words(kind: str, language: str) -> re.Pattern[str]:
    table = read_toml("rules.toml")["compare"][kind]
    if kind in ("fit_for", "fit_after"):  # words of one language only ("para" is Turkish money)
        return re.compile(rf"(?<![^\W\d_])(?:{table.get(language, '(?!)')})")
    if kind in ("cue", "fit"):
        pattern = table.get(language) or "|".join(table.values())
        return re.compile(rf"(?<![^\W\d_])(?:{pattern})")
    if kind == "versus":
        return re.compile("|".join(filter(None, (table.get(language), table["any"]))))
    return re.compile(table.get(language, ""))


def asks_to_compare(text: str, language: str) -> bool:
    """Return whether a message asks how things compare ("difference", "fark", "besser"…),
    in `language` (ISO 639-1; every language's words for one without a table)."""
    return _words("cue", language).search(strip_accents(text)) is not None


def asks_fit(text: str, language: str) -> bool:
    """Return whether a message asks whether one thing fits, charges or goes on another
    ("does the sport band fit…", "passt…", "φορτίζει…"), in `language` (as `asks_to_compare`)."""
    return _words("fit", language).search(strip_accents(text)) is not None


def accessory_for(text: str, language: str) -> tuple[str, str, list[str]] | None:
    """Return the part naming an accessory asked for a device, the part naming the device, and
    the device part's FOR_NEAR words next to the word asking ("a case for the X12 Pro": "a case
    ", " the X12 Pro", [the, x12]; Turkish puts it after the device: "X12 Pro için kılıf"),
    folded (bot.core.text.strip_accents), when the message sets nothing against anything (no
    `compared_parts`, no comparison asked); else None."""
    folded = strip_accents(text)
    if asks_to_compare(text, language) or compared_parts(text, language):
        return None
    if (match := _words("fit_for", language).search(folded)) is not None:
        device = folded[match.end() :]
        return folded[: match.start()], device, folded_words(device)[:FOR_NEAR]
    if (match := _words("fit_after", language).search(folded)) is not None:
        device = folded[: match.start()]
        return folded[match.end() :], device, folded_words(device)[-FOR_NEAR:]
    return None


def before_word(text: str, index: int) -> str:
    """Return the text before its `index`-th word (bot.core.text.word_matches; all of it when
    there are fewer words)."""
    matches = word_matches(text)
    return text[: matches[index].start()] if index < len(matches) else text


def compared_parts(text: str, language: str) -> list[tuple[str, str]]:
    """Return the ways a message splits at a word that sets two things against each other:
    (the NEAR_BEFORE words before it, the NEAR_AFTER words after it), in the order the words
    stand. Such a word is one
    of `versus` ("or", "oder", "ή"…), or of `joining` ("and", "ile", "με"…) in a message that
    asks to compare (`asks_to_compare`). [] when there is none, or it opens or closes the
    message."""
    versus = _words("versus", language)
    joining = _words("joining", language) if asks_to_compare(text, language) else None
    matches = word_matches(text)
    parts: list[tuple[str, str]] = []
    for i, match in enumerate(matches[1:-1], start=1):
        typed = match.group().casefold()
        folded = strip_accents(typed)
        if (
            versus.fullmatch(typed)
            or versus.fullmatch(folded)
            or (joining is not None and joining.fullmatch(folded))
        ):
            # Only the words next to it: "what's better for Hiroshi, the V60 or the Chemex?"
            # sets the V60 against the Chemex, not the Better Sweater.
            before = matches[max(0, i - NEAR_BEFORE)].start()
            after = matches[min(len(matches), i + 1 + NEAR_AFTER) - 1].end()
            parts.append((text[before : match.start()], text[matches[i + 1].start() : after]))
    return parts

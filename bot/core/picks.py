"""A customer picked from a "which one?" list by typing their place in it instead of pressing
the button: "2", "#2", "the second one", "la segunda", "ikincisi", "τη δεύτερη", "den zweiten".

The place words and the words that may stand beside them, in the five languages, are
rules.toml [pick.*], matched on folded text (bot.core.text.strip_accents).
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import read_toml
from bot.core.text import strip_accents

# A list offers at most this many candidates (bot.core.retrieval.CANDIDATES is smaller).
MAX_PLACE = 9
_WORD = re.compile(r"[^\W_]+")


@cache
def _tables() -> tuple[dict[str, int], frozenset[str]]:
    table = read_toml("rules.toml")["pick"]
    places = {
        form: place
        for listed in table["places"].values()
        for place, forms in enumerate(listed.split(), 1)
        for form in forms.split("/")
    }
    filler = frozenset(w for words in table["filler"].values() for w in words)
    return places, filler


def picked_place(text: str) -> int | None:
    """Return the place (1 for the first) a message picks from a list, when it says nothing
    but that: a number 1–MAX_PLACE ("2", "#2", "nr. 2") or a place word ("the second one"),
    with only the words of rules.toml [pick.filler] beside it; else None."""
    places, filler = _tables()
    found: set[int] = set()
    for word in _WORD.findall(strip_accents(text)):
        if word.isdigit() and 1 <= int(word) <= MAX_PLACE:
            found.add(int(word))
        elif word in places:
            found.add(places[word])
        elif word not in filler:
            return None
    return found.pop() if len(found) == 1 else None

"""The name a customer goes by, as her preferences say it ("goes by Peggy", "la llaman Lola",
"τον λένε Μήτσο", "genannt Kathi", "Memo diye hitap edin"): associates type that name, not the
one on file, so the customer index finds her by it too (bot.core.names)."""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import alternatives, read_toml

# A name as preferences write it: a capitalised word, maybe quoted ("MK", "Κατερίνα", "Mª José"
# is two), then maybe another after a slash or "or" ("Κατερίνα / Katerina").
_NAME = r"[\"“'‘«]?(?P<{g}>[^\W\d_][\w'’.ª-]*(?:[^\S\n][^\W\d_][\w'’.ª-]*)?)[\"”'’»]?"
_WORD = r"[\"“'‘«]?(?P<{g}>[^\W\d_][\w'’.ª-]*)[\"”'’»]?"
_OTHER = r"(?:\s*(?:/|\bor\b|\bo\b|\boder\b|\bya da\b|\bή\b)\s*" + _NAME.format(g="other") + ")?"
# A Greek masculine name after "τον λένε" is in the accusative (Μήτσο, Τάκη, Λευτέρη): its
# nominative ends in -ς (Μήτσος).
_GREEK_MASCULINE = re.compile(r"\bτον\s+\w+\s*$")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = read_toml("known_as.toml")
    before = re.compile(
        rf"(?P<cue>{alternatives(data['before_the_name'])})\s*{_NAME.format(g='name')}{_OTHER}",
        re.IGNORECASE,
    )
    after = re.compile(
        rf"(?<![\w'’]){_WORD.format(g='name')}(?:{alternatives(data['after_the_name'])})",
        re.IGNORECASE,
    )
    return before, after


def known_as(preferences: str | None) -> tuple[str, ...]:
    """Return the names `preferences` (a customer's free-text preferences, any of the five
    languages) says she goes by, as written and in order; () when it says none. A Greek
    masculine name given in the accusative also comes in the nominative ("τον λένε Μήτσο" →
    "Μήτσο", "Μήτσος")."""
    if not preferences:
        return ()
    before, after = _patterns()
    found: list[str] = []
    for match in before.finditer(preferences):
        names = [match["name"], match["other"]]
        if _GREEK_MASCULINE.search(match["cue"]) and match["name"][-1:] in "οόηήαά":
            names.append(match["name"] + "ς")
        found.extend(n for n in names if n)
    for match in after.finditer(preferences):
        found.append(match["name"])
    kept = (_capitalised(n) for n in found)
    return tuple(dict.fromkeys(n for n in kept if n))


def _capitalised(name: str) -> str:
    # A name's words start with a capital: "prefers to be called in the morning" names nobody,
    # "goes by Pat and…" is Pat.
    kept = []
    for word in name.split():
        if not word[:1].isupper():
            break
        kept.append(word.strip(".'’"))
    return " ".join(kept)

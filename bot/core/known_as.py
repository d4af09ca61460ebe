"""The name a customer goes by, as her preferences say it ("goes by Peggy", "la llaman Lola",
"τον λένε Μήτσο", "genannt Kathi", "Memo diye hitap edin"): associates type that name, not the
one on file, so the customer index finds her by it too (bot.core.names)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from bot.core.datafiles import alternatives, read_toml
from bot.core.name_forms import given_name_variants, name_lists
from bot.core.text import FOLDED_STOP_WORDS, fold
from bot.core.vocabulary import question_words

# A name as preferences write it: a capitalised word, maybe quoted ("MK", "Κατερίνα", "Mª José"
# is two), then maybe another after a slash or "or" ("Κατερίνα / Katerina") or in brackets.
_NAME = (
    r"[\"“'‘«]?(?P<{g}>[^\W\d_][\w'’ª-]*"
    r"(?:[^\S\n](?!(?:or|o|oder|ya|ή)\b)[^\W\d_][\w'’ª-]*)?)[\"”'’»]?"
)
_WORD = r"[\"“'‘«]?(?P<{g}>[^\W\d_][\w'’ª-]*)[\"”'’»]?"
_OTHER = (
    r"(?:\s*(?:/|\bor\b|\bo\b|\boder\b|\bya da\b|\bή\b)\s*"
    + _NAME.format(g="other")
    + r"|\s*\(\s*"  # or in brackets: "goes by Babis (Μπάμπης)"
    + _NAME.format(g="bracketed")
    + r"\s*\))?"
)
# A Greek masculine name after "τον λένε" is in the accusative (Μήτσο, Τάκη, Λευτέρη): its
# nominative ends in -ς (Μήτσος).
_GREEK_MASCULINE = re.compile(r"\bτον\s+\w+\s*$", re.IGNORECASE)
# A cue said in the negative names no name she goes by ("don't call him Sergio").
_NEGATED = re.compile(
    r"(?:n[’']t|\bnot|\bnever|\bno|\bnicht|\bnie|\bno le|\bno la|\bnunca|\bμην|\bδεν)\s*$",
    re.IGNORECASE,
)


@cache
def _cues() -> re.Pattern[str]:
    """Match any cue of a name she goes by, before or after it (known_as.toml)."""
    data = read_toml("known_as.toml")
    cues = [alternatives(data["before_the_name"]), alternatives(data["after_the_name"])]
    return re.compile("|".join(f"(?:{c})" for c in cues), re.IGNORECASE)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the patterns of a name after its cue and (Turkish, German) before it."""
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


# One item of the preferences (they are listed with ";", "·", "," or new lines) that is only a
# capitalised word, maybe after "prefers": "Anabel; ojo seco", "prefers Raj; big lawn" (not
# "Şükran Hanım": her name and a title).
_ITEM = re.compile(r"[^;·,\n]+")
_ITEM_START = re.compile(r"[;·,.\n(]")
# Words of the name's phrase that come before it (folded).
_LEADS = frozenset(
    {
        "wird", "wird von allen", "von allen", "mochte", "mochte gerne", "will",
        "herkes", "herkes ona", "hep", "ona", "ona hep",
    }
)  # fmt: skip
# A name in quotes ("'Hannes'", "„Kalle“"), the quotes taken off; not an apostrophe inside a
# word (O'Brien).
_QUOTED = re.compile(r"(?<!\w)['‘’\"“”„«]([^'‘’\"“”„«»\n]{1,30}?)['‘’\"“”»](?!\w)")
# Cues that in a note mostly speak of a call ("called Maria back", "call her Monday").
_LOOSE_CUE = re.compile(r"called|(?:please )?call (?:him|her|them|me):?", re.IGNORECASE)
_BARE = re.compile(r"(?:prefers\s+|prefiere\s+|bevorzugt\s+)?([^\W\d_][\w'’-]*)")


def known_as(
    preferences: str | None, first_name: str | None = None, *, note: bool = False
) -> tuple[str, ...]:
    """Return the names `preferences` (a customer's free-text preferences, any of the five
    languages) says she goes by, as written and in order; () when it says none. A Greek
    masculine name given in the accusative also comes in the nominative ("τον λένε Μήτσο" →
    "Μήτσο", "Μήτσος"). With her `first_name`, an item that is only a short form of it counts
    too ("Anabel; ojo seco" for Ana Belén, "Kathi; Lehrerin" for Katharina: not Lehrerin).
    A `note` (free text about her) says it only with a cue that names nothing else: "called
    Maria back", "call her Monday" are no names she goes by."""
    if not preferences or (note and not _cues().search(preferences)):
        return ()  # most notes say no name: a look for the cues alone first
    preferences = _QUOTED.sub(r"\1", preferences)  # "Herkes ona 'Gülü' der": Gülü
    before, after = _patterns()
    found: list[str] = []
    for match in before.finditer(preferences):
        if _NEGATED.search(preferences[: match.start()]):
            continue
        if note and _LOOSE_CUE.fullmatch(match["cue"].strip()):
            continue
        names = [n for n in (match["name"], match["other"]) if n]
        if match["bracketed"] and _same_name(match["name"], match["bracketed"]):
            names.append(match["bracketed"])
        if _GREEK_MASCULINE.search(match["cue"]):
            names += [n + "ς" for n in names if n[-1:] in "οόηήαά"]
        found.extend(names)
    for match in after.finditer(preferences):
        # The name opens its item, or follows a word of the phrase ("wird Kalle genannt",
        # "herkes İbo diyor"): "Compra Rioja para los amigos" names a wine, "Eşi Ahmet diyor" her
        # husband.
        lead = _ITEM_START.split(preferences[: match.start()])[-1]
        if not lead.strip() or fold(lead.strip()) in _LEADS:
            found.append(match["name"])
    if first_name:
        for item in _ITEM.finditer(preferences):
            bare = _BARE.fullmatch(item.group().strip())
            if bare and _short_for(bare.group(1), first_name):
                found.append(bare.group(1))
    kept = (_capitalised(n) for n in found)
    return tuple(dict.fromkeys(n for n in kept if n and _a_name(n)))


def _short_for(name: str, first_name: str) -> bool:
    # A short form is shorter and keeps a piece of the name it shortens: Kathi (Katharina), Raj
    # (Rajesh), Anabel (Ana Belén), Κατερίνα (Αικατερίνη); not a brand that starts alike
    # (Barbour for Barbara, Patagonia for Patrick, Samsung for Samuel).
    short, full = fold(name), "".join(fold(first_name).split())
    return 3 <= len(short) < len(full) and short[:3] in full and name[:1].isupper()


def _same_name(name: str, bracketed: str) -> bool:
    # A name in brackets is the same name in the other script ("Babis (Μπάμπης)") or one of its
    # forms ("Kate (Katherine)"); not a note about her ("call her Maria (Spanish)").
    other_script = bool(_GREEK.search(name)) != bool(_GREEK.search(bracketed))
    return other_script or fold(bracketed) in given_name_variants(fold(name))


_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def _a_name(name: str) -> bool:
    # No title ("Ayşe Hanım diye hitap edin"), pronoun ("Sie"), other short word, word of the
    # questions typed in capitals ("VIP") or longer word in capitals ("ASAP"; initials: "MK").
    folded = fold(name)
    lists = name_lists()
    if folded in lists.titles or folded in FOLDED_STOP_WORDS:
        return False
    return not (
        name.isupper() and (len(name) > 3 or (len(name) > 2 and folded in question_words()))
    )


def _capitalised(name: str) -> str:
    # A name's words start with a capital: "prefers to be called in the morning" names nobody,
    # "goes by Pat and…" is Pat.
    kept = []
    for word in name.split():
        if not word[:1].isupper():
            break
        kept.append(word.strip(".'’"))
    return " ".join(kept)


def known_as_in_row(row: Sequence[Any]) -> tuple[str, ...]:
    """Return the names a (customer_id, first_name, last_name[, preferences[, notes]]) row
    (storage.customers.customer_names) says she goes by: `known_as` of her preferences, then
    of each note (as a `note`), once each ("Prefers to be called Nell")."""
    preferences = known_as(row[3], row[1]) if len(row) > 3 else ()
    notes = [
        n for text in (row[4] if len(row) > 4 else ()) for n in known_as(text, row[1], note=True)
    ]
    # "Likes to be called Mrs Baker": her own surname with a title is no other name (as one, it
    # would make "Baker" her whole name, and "Mr Baker" her rather than her husband).
    own = {fold(w) for part in row[1:3] if part for w in str(part).split()}
    plain = own | name_lists().titles
    return tuple(
        n
        for n in dict.fromkeys([*preferences, *notes])
        if {fold(w).rstrip(".") for w in n.split()} - plain
    )

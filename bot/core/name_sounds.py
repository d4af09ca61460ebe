"""How a name sounds, for names typed by ear in the other script: a Greek associate writes
Oğuz Çelik "Όγκουζ Τσελίκ", Will "Γουίλ", van Dijk "Βαν Ντάικ"; anyone may write Κωνσταντίνος
"Kostandinos". Both scripts are read into one coarse Latin key ("oguz", "tselik", "uil",
"daik") that drops what the other script cannot write (doubled letters, y against i, h after
a vowel, English w against Greek ου).

The Greek side follows the way Greek writes foreign names (Babiniotis, "Λεξικό της νέας
ελληνικής γλώσσας", the appendix on the transcription of foreign names): μπ, ντ, γκ for b, d,
g at any place, τσ and τζ for ts and dz, ου for u and w, ιου for ü. A Latin name may come from
any of the stores' languages, so it gets one key per reading its letters allow (c as k or s,
as Turkish dz; j as English dz or German y; w as u, v or, typed for Greek, ω; x as ks or, typed
for Greek, χ); a match of any counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.text import fold, words

_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")

# Greek letters and pairs → sounds, longest first (read left to right).
_GREEK_PAIRS = {
    "ου": "u",
    "αι": "e",
    "ει": "i",
    "οι": "i",
    "υι": "i",
    "αυ": "av",
    "ευ": "ev",
    "μπ": "b",
    "ντ": "d",
    "γκ": "g",
    "γγ": "g",
    "γχ": "nh",
    "τσ": "ts",
    "τζ": "dz",
}
_GREEK_LETTERS = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a v g d e z i t i k l m n ks o p r s s t i f h ps o".split(),
        strict=True,
    )
)
_FRONT_VOWELS = frozenset("εηιυ")
_VOWELS = frozenset("αεηιουω")
_DIAERESIS = "\u0308"


def _greek_key(word: str) -> str:
    # Accents and diaeresis first: "άι", "αϊ" are two vowels (Ντάικ, Κάιν), "αι" one (e).
    letters: list[list[str]] = []  # [base letter, its marks]
    for char in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(char):
            if letters:
                letters[-1][1] += char
        else:
            letters.append([char, ""])
    out: list[str] = []
    i = 0
    while i < len(letters):
        base, marks = letters[i]
        after = letters[i + 1][0] if i + 1 < len(letters) else ""
        pair = base + after
        if pair in _GREEK_PAIRS:
            # A vowel pair is one sound unless its first letter carries the accent or the
            # second a diaeresis ("άι", "αϊ": a-i); "ού" and "αί" are still one.
            split = pair[0] in _VOWELS and after in _VOWELS and pair != "ου"
            split = split and (bool(marks) or _DIAERESIS in letters[i + 1][1])
            if not split:
                out.append(_GREEK_PAIRS[pair])
                i += 2
                continue
        if base == "γ" and after in _FRONT_VOWELS:
            out.append("y")  # γι, γε: y (Γιούργκεν); the ι of γι before a vowel is silent
            silent = after == "ι" and i + 2 < len(letters) and letters[i + 2][0] in _VOWELS
            i += 2 if silent else 1
            continue
        out.append(_GREEK_LETTERS.get(base, base if base.isascii() else ""))
        i += 1
    # "Γουίλ", "Ουίλ": ου before a vowel at the start is an English w.
    return _plain(re.sub(r"^g?u(?=[aeio])", "u", "".join(out)))


# Latin letters that only some languages have → their sound (Turkish, German, Nordic).
_LATIN_LETTERS = str.maketrans(
    {"ç": "ts", "ş": "s", "ğ": "g", "ı": "i", "ü": "iu", "ö": "o", "ä": "e", "ß": "s", "ø": "o"}
)
# Each reading of the plain Latin letters: (pattern, sound) pairs, the first that matches at a
# place wins; then the letters every reading shares.
_COMMON_LATIN = (
    (r"ou", "u"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"x", "ks"),
    (r"q", "k"),
    (r"(?<=[aeiou])h", ""),
)
_READINGS = (
    # English, Spanish and most others: c as k or s, j and ch as in June and Charles.
    (
        (r"sch", "s"),
        (r"sh", "s"),
        (r"ch", "ts"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"j", "dz"),
        (r"w", "u"),
    ),
    # Turkish: c is dz (Cem), j is z (Müjde).
    ((r"sh", "s"), (r"ch", "ts"), (r"c", "dz"), (r"j", "z"), (r"w", "v")),
    # German and Dutch: j is y, w is v, z is ts, ch is h, ij is ai (Dijk), ei is ai.
    (
        (r"sch", "s"),
        (r"ch", "h"),
        (r"ck", "k"),
        (r"c", "k"),
        (r"ij(?![aeiou])", "ai"),
        (r"ei", "ai"),
        (r"ie", "i"),
        (r"eu", "oi"),
        (r"j", "y"),
        (r"w", "v"),
        (r"z", "ts"),
    ),
    # Greek typed in Latin letters ("Greeklish"): x is χ (Xrysa, Xristos), w is ω (Giwrgos).
    ((r"ch", "h"), (r"x", "h"), (r"w", "o")),
)
# A reading other than the first is read only for a name with a letter it reads otherwise.
_READ_WHEN = (
    re.compile(""),
    re.compile(r"[cjw]"),
    re.compile(r"[cjwz]|ei|ie|eu"),
    re.compile(r"[xw]"),
)


def _compiled(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    pattern = "|".join(f"({p})" for p, _ in pairs)
    return re.compile(pattern), tuple(sound for _, sound in pairs)


_COMPILED = tuple(_compiled((*reading, *_COMMON_LATIN)) for reading in _READINGS)
_NOT_LATIN = re.compile(r"[^a-z]")
_NASAL = re.compile(r"n[dt]|m[bp]")
_DOUBLE = re.compile(r"(.)\1+")


def _latin_keys(word: str) -> set[str]:
    base = "".join(
        c
        for c in unicodedata.normalize("NFD", word.casefold().translate(_LATIN_LETTERS))
        if not unicodedata.combining(c)
    )
    base = _NOT_LATIN.sub("", base)
    keys = set()
    for when, (pattern, sounds) in zip(_READ_WHEN, _COMPILED, strict=True):
        if not when.search(base):
            continue
        key = _plain(pattern.sub(lambda m, s=sounds: s[m.lastindex - 1], base))  # type: ignore[misc]
        keys.add(key)
        if len(key) > 3 and key[-1] == "e" and key[-2] not in "aeiou":
            keys.add(key[:-1])  # June, Jane: the silent e Greek does not write
    return {k for k in keys if k}


def _plain(key: str) -> str:
    # nd, nt → d; mb, mp → b (Greek ντ, μπ: Άντερσον); y is i; doubled letters are one.
    key = _NASAL.sub(lambda m: "d" if m.group()[0] == "n" else "b", key.replace("y", "i"))
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=1 << 16)
def sound_keys(word: str) -> frozenset[str]:
    """Return the coarse Latin keys of one word or name part, in Greek or Latin letters
    ("Όγκουζ" → {"oguz"}; "Oğuz" → {"oguz"}; "June" → {"dzune", "dzun", "iune", …}).
    Other scripts give no key (an empty set)."""
    if _GREEK.search(word):
        key = _greek_key(word)
        return frozenset({key} if key else ())
    if not word.isascii() and not any(c.isascii() and c.isalpha() for c in word):
        return frozenset()
    return frozenset(_latin_keys(word))


def is_greek(word: str) -> bool:
    """Return whether a word has Greek letters."""
    return bool(_GREEK.search(word))


@dataclass(frozen=True)
class TypedSound:
    """The sound keys of one typed word (`folded` as bot.core.text.fold folds it), and whether
    it was typed in Greek letters."""

    folded: str
    greek: bool
    keys: frozenset[str]


def typed_sounds(text: str) -> dict[str, TypedSound]:
    """Return each word of a message (and each piece of a hyphenated one), folded as
    CustomerIndex.match gets it, with its sound keys."""
    found = {}
    for word in words(text):
        for piece in word.split("-"):
            if piece and (keys := sound_keys(piece)):
                found[fold(piece)] = TypedSound(fold(piece), is_greek(piece), keys)
    return found


@dataclass
class SoundIndex:
    """The sound keys of the stored name parts in one script (`greek`, or Latin letters): a
    word typed in Greek is looked up among the Latin-stored names, one typed in Latin among the
    Greek-stored ones."""

    greek: bool
    by_key: dict[str, set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    # first letter → the keys starting with it, for near keys
    _by_letter: dict[str, list[str]] | None = None

    def add(self, customer_id: str, parts: Iterable[tuple[str, int]]) -> None:
        """Index a customer's name parts in this script: (the part as stored, its place)."""
        for key, hit in self._entries(customer_id, parts):
            self.by_key[key].add(hit)

    def remove(self, customer_id: str, parts: Iterable[tuple[str, int]]) -> None:
        """Forget a customer's name parts (before indexing a new name)."""
        for key, hit in self._entries(customer_id, parts):
            self.by_key[key].discard(hit)

    def _entries(
        self, customer_id: str, parts: Iterable[tuple[str, int]]
    ) -> Iterator[tuple[str, tuple[str, int]]]:
        """Yield (sound key, (customer, place)) for the parts in this script."""
        for part, place in parts:
            if is_greek(part) == self.greek:
                self._by_letter = None
                for key in sound_keys(part):
                    yield key, (customer_id, place)

    def find(self, typed: TypedSound, *, near: bool = True) -> list[tuple[str, int, int]]:
        """Return (customer, name part, edits) for the stored parts whose keys are those of the
        typed word or, when none is and `near`, near them (one edit in a key of 4 to 6 letters,
        two in a longer one; the first letter always the same)."""
        found: dict[tuple[str, int], int] = {}
        for key in typed.keys:
            for hit in self.by_key.get(key, ()):
                found[hit] = 0
        if found or not near:
            return [(c, p, e) for (c, p), e in found.items()]
        for key in typed.keys:
            edits = 0 if len(key) <= 3 else 1 if len(key) <= 6 else 2
            if not edits:
                continue
            similar = self._near(key[:1])
            for other, distance, _ in process.extract(
                key, similar, scorer=OSA.distance, score_cutoff=edits, limit=10
            ):
                for hit in self.by_key[other]:
                    found[hit] = min(found.get(hit, 9), int(distance))
        return [(c, p, e) for (c, p), e in found.items()]

    def _near(self, letter: str) -> list[str]:
        if self._by_letter is None:
            grouped: dict[str, list[str]] = defaultdict(list)
            for key, hits in self.by_key.items():
                if hits:
                    grouped[key[:1]].append(key)
            self._by_letter = dict(grouped)
        return self._by_letter.get(letter, [])

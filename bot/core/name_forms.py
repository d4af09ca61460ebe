"""The other spellings a stored name is typed in: Japanese names in kanji typed in Hepburn
romaji (鈴木一郎 as "Suzuki Ichiro", "Ichirō", "Ichirou"), Korean surnames in Hangul typed the
customary way (박 as "Park" or "Pak", 이 as "Lee"), a given name typed syllable by syllable
("Seo-jun", "Seo jun" for 서준) and German umlauts written out (Jäger as "Jaeger", Mueller as
"Müller": `umlaut_form`, read in stored names and typed words alike, so names with umlauts
cost the index nothing). bot.core.names indexes these forms beside the name's own
(`read_name`), and matches the pieces of the typed words (`typed_pieces`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache
from typing import Any

from anyascii import anyascii
from nicknames import NickNamer

from bot.core.datafiles import read_toml
from bot.core.name_sounds import is_greek, sound_keys
from bot.core.text import FOLDED_STOP_WORDS, cut_ending, fold, is_cjk

_NAME_PARTS = re.compile(r"[\s\-‐–]+")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_NOT_LETTER = re.compile(r"[^a-z]")


@cache
def _kakasi() -> Any:
    # Imported when a store first has a name in kanji or kana: its dictionaries take ~1 s.
    import pykakasi

    return pykakasi.kakasi()


def long_vowel_forms(romaji: str) -> set[str]:
    """Return the ways a Hepburn romaji name is written with its long vowels: as kana spell
    them ("satou", "yuuki"), without ("sato", "yuki"), doubled ("satoo") and with h ("satoh",
    "ohno"), the spellings of passports and of everyday use."""
    plain = re.sub(r"o[ou]|uu", lambda m: m.group()[0], romaji)
    return {
        romaji,
        plain,
        re.sub(r"ou", "oo", romaji),
        re.sub(r"o[ou](?![aeiou])", "oh", romaji),
    }


def japanese_readings(parts: list[str]) -> list[set[str]]:
    """Return, for each part of a name in Japanese script, its Hepburn readings by pykakasi's
    dictionary (modified Hepburn, and the passport spelling: 本間 → "honma", "homma"), with
    `long_vowel_forms`. A part pykakasi cannot read (a simplified Chinese letter: 伟) leaves
    the whole name unread, and so does a name of one Han letter per part (王芳, 李明: Chinese
    names; their readings come from anyascii). Empty sets when the name is not Japanese."""
    text = "".join(parts)
    if not _KANA.search(text) and all(len(p) <= 1 for p in parts if _HAN.search(p)):
        return [set() for _ in parts]
    if _HANGUL.search(text):
        return [set() for _ in parts]
    found = []
    for part in parts:
        readings: set[str] = set()
        pieces = _kakasi().convert(part)
        if not pieces or any(not p["hira"] for p in pieces):
            return [set() for _ in parts]
        for style in ("hepburn", "passport"):
            romaji = _NOT_LETTER.sub("", "".join(p[style] for p in pieces).casefold())
            readings |= long_vowel_forms(romaji)
        found.append({r for r in readings if r})
    return found


@cache
def _korean_surnames() -> dict[str, tuple[str, ...]]:
    table = read_toml("names.toml")["korean_surnames"]
    return {
        surname: tuple(s.casefold() for s in spellings) for surname, spellings in table.items()
    }


def korean_surname_spellings(surname: str) -> tuple[str, ...]:
    """Return the customary Latin spellings of a Korean surname in Hangul ("박" → "park",
    "pak", "bak"), from the table in data/names.toml; none for one it does not list."""
    return _korean_surnames().get(surname, ())


def syllable_pair(part: str) -> tuple[str, str] | None:
    """Return the romanised syllables of a two-letter Korean or Chinese given name ("서준" →
    ("seo", "jun"); "伟明" → ("wei", "ming"), by anyascii), typed apart or hyphenated as often
    as together; None for other parts."""
    if len(part) != 2 or not (_HANGUL.search(part) or _HAN.search(part)) or _KANA.search(part):
        return None
    first, second = (_NOT_LETTER.sub("", anyascii(c).casefold()) for c in part)
    return (first, second) if first and second else None


# "ae", "oe", "ue" after a consonant (not g or q: Miguel, Raquel) and before a consonant and
# one more letter (not Joey, Samuel, Michael, Joel, Baer): Mueller, Schroeder, Jaeger.
_WRITTEN_OUT = re.compile(r"(?<=[b-df-hj-np-tv-z])(?<![gq])([aou])e(?=[b-df-hj-np-tv-xz][a-z])")


def umlaut_form(folded: str) -> str | None:
    """Return a folded word with its umlauts written out (ae, oe, ue, as German writes them
    without the letters and DIN 5007-2 equates them for lists of names) as folding spells the
    umlauts: "mueller" → "muller", "schroeder" → "schroder", "jaeger" → "jager" (how "Müller",
    "Schröder", "Jäger" fold). None when it has none ("michael", "samuel", "joey")."""
    if "ae" not in folded and "oe" not in folded and "ue" not in folded:
        return None  # most words and names: three substring tests
    plain = _WRITTEN_OUT.sub(lambda m: m.group(1), folded)
    return plain if plain != folded else None


@dataclass(frozen=True)
class NameLists:
    """The word lists of data/names.toml, folded."""

    particles: frozenset[str]
    common: frozenset[str]  # no romanisation of a CJK name ("he" is no 何)
    ordinary: frozenset[
        str
    ]  # typed, these match only exactly, and a match of them alone is flagged
    honorifics: tuple[str, ...]
    titles: frozenset[str]
    suffixes: frozenset[str]  # romanised honorifics after a hyphen: "Suzuki-san"
    genders: dict[str, str]  # a title → "m" or "f" ("herrn" → "m", "kas" → "f")
    titles_after: frozenset[str]  # titles that follow the name ("Ayşe Hanım")


@cache
def name_lists() -> NameLists:
    """Return the word lists of data/names.toml (read once)."""
    data = read_toml("names.toml")
    particles = frozenset(fold(w) for w in data["particles"])
    titles = frozenset(fold(w) for w in data["titles"])
    common = FOLDED_STOP_WORDS | particles | titles | {fold(w) for w in data["common_first_names"]}
    return NameLists(
        particles,
        frozenset(common),
        frozenset(common | {fold(w) for w in data["common_surnames"]}),
        tuple(data["honorifics"]),
        titles,
        frozenset(data["romanised_honorifics"]),
        {fold(w): "m" for w in data["masculine_titles"]}
        | {fold(w): "f" for w in data["feminine_titles"]},
        frozenset(fold(w) for w in data["titles_after_the_name"]),
    )


@dataclass(slots=True)  # not frozen: built for every customer, frozen init is slower
class StoredName:
    """A stored name: how many parts count (particles do not) and what can be typed for it."""

    parts: int
    forms: dict[str, frozenset[int]]  # a typed form → the parts it stands for
    native: dict[str, int]  # a part in Chinese, Japanese or Korean script → its place
    pairs: tuple[tuple[str, str], ...] = ()  # a CJK given name's two syllables (서준: seo, jun)


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _romanised(text: str) -> str:
    # Most names are ASCII already: anyascii only for the others (it dominates start-up).
    return _NOT_ALNUM.sub("", (text if text.isascii() else anyascii(text)).casefold())


def read_name(first: str | None, last: str | None, known_as: Sequence[str] = ()) -> StoredName:
    """Return the forms a customer's name can be typed in, each with the name parts (places,
    particles not counted) it stands for. A name she goes by (`known_as`: "MK", "Juanca",
    "Χρύσα"; bot.core.known_as) stands for her whole first name."""
    particles, common = name_lists().particles, name_lists().common
    forms: dict[str, set[int]] = defaultdict(set)
    romanised: dict[str, set[int]] = defaultdict(set)  # of CJK parts: "wang" for 王
    native: dict[str, int] = {}
    count = 0
    for which, text in enumerate((first or "", last or "")):
        raw = [p for p in _NAME_PARTS.split(text) if p]
        places = []
        for i, part in enumerate(raw):
            folded = fold(part)
            if folded in particles and i < len(raw) - 1:
                continue  # "van", "de": only in front of the rest of a surname
            places.append(count)
            if is_cjk(part):
                native[folded] = count
                forms[folded].add(count)
                romanised[_romanised(part)].add(count)
            else:
                for form in {folded, folded.replace("'", "")}:  # "o'brien", "obrien"
                    forms[form].add(count)
                if ("ae" in folded or "oe" in folded or "ue" in folded) and (
                    umlauts := umlaut_form(folded)
                ):
                    forms[umlauts].add(count)  # "Mueller" typed "Müller"
                pieces = folded.split("'")
                if len(pieces) > 1 and len(pieces[0]) == 1:
                    forms["".join(pieces[1:])].add(count)  # "Souza" and "O Brien" find D'Souza
            count += 1
        if len(raw) > 1 and places:  # "vanderberg", "delacruz", "jeanluc" typed as one word
            forms[_romanised("".join(raw))].update(places)
        if which == 0 and places:
            for called in known_as:  # "Mary Jo": "maryjo", "mary", "jo"
                if not is_cjk(called):
                    for form in {called, *called.split()}:
                        forms[_NOT_ALNUM.sub("", fold(form))].update(places)
    pairs: tuple[tuple[str, str], ...] = ()
    if native:
        pairs = _read_cjk(last or "", native, forms, romanised)
        if is_cjk(f"{first or ''}{last or ''}"):
            romanised[_romanised(f"{last or ''}{first or ''}")].update(range(count))  # "wangwei"
    for form, stands_for in romanised.items():
        if form not in common:  # typed "he" is no 何
            forms[form] |= stands_for
    forms.pop("", None)
    return StoredName(count, {k: frozenset(v) for k, v in forms.items()}, native, pairs)


def spelled_parts(first: str | None, last: str | None) -> list[tuple[str, int]]:
    """Return a name's parts as stored, but for particles and parts in Chinese, Japanese or
    Korean script, each with its place as `read_name` counts them (for their sound keys)."""
    particles = name_lists().particles
    found = []
    count = 0
    for text in (first or "", last or ""):
        raw = [p for p in _NAME_PARTS.split(text) if p]
        for i, part in enumerate(raw):
            if i < len(raw) - 1 and fold(part) in particles:
                continue
            if not is_cjk(part):
                found.append((part, count))
            count += 1
    return found


def _read_cjk(
    last: str,
    native: dict[str, int],
    forms: dict[str, set[int]],
    romanised: dict[str, set[int]],
) -> tuple[tuple[str, str], ...]:
    """Add the romaji readings of a Japanese name and the customary spellings of a Korean
    surname; return the syllable pairs of its two-letter given names."""
    parts = list(native)
    for part, readings in zip(parts, japanese_readings(parts), strict=True):
        for reading in readings:
            romanised[reading].add(native[part])
    if (place := native.get(fold(last.strip()))) is not None:
        for spelling in korean_surname_spellings(last.strip()):
            # Kept when an ordinary word ("Park", "Song"): a name then only next to a title
            # or when the message asks about a person, as for common first names.
            forms[spelling].add(place)
    pairs = []
    for part in parts:
        if (pair := syllable_pair(part)) is None:
            continue
        spellings = [pair]
        if _HANGUL.search(part):  # "jiu" as "jiwoo", "ji woo", "ji-woo"
            spellings = [
                (a, b) for a in _korean_syllable(pair[0]) for b in _korean_syllable(pair[1])
            ]
            for a, b in spellings[1:]:
                romanised[a + b].add(native[part])
        pairs += spellings
    return tuple(pairs)


@cache
def _korean_syllables() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in read_toml("names.toml")["korean_syllables"].items()}


def _korean_syllable(syllable: str) -> tuple[str, ...]:
    """Return a Korean syllable as romanised by the rules, then as customarily spelled
    (data/names.toml: "u" → "woo", "oo")."""
    return (syllable, *_korean_syllables().get(syllable, ()))


def typed_pieces(
    folded: Sequence[str], pairs: Set[tuple[str, str]]
) -> tuple[list[tuple[frozenset[str], str]], list[tuple[tuple[int, str], ...]]]:
    """Return the pieces a message's words are matched by, each with the typed words it comes
    from (whole, and as `words` cuts them), and, for each, the (word place, piece) it spans.
    "Ioannidou-Brookham" is indexed as two parts: it is split the same way; "Suzuki-san" loses
    its honorific; two syllables of a CJK given name typed apart ("Seo-jun", "Seo jun") are
    also read together ("seojun")."""
    suffixes = name_lists().suffixes
    pieces: list[tuple[frozenset[str], str]] = []
    spans: list[tuple[tuple[int, str], ...]] = []
    for i, word in enumerate(folded):
        split = [p for p in word.split("-") if p]
        for k, piece in enumerate(split):
            if k == 0 or piece not in suffixes:
                pieces.append((frozenset({word, cut_ending(word)}), piece))
                spans.append(((i, f"{k}"),))
    for k in range(len(pieces) - 1):
        (said, piece), (said_next, piece_next) = pieces[k], pieces[k + 1]
        if (piece, piece_next) in pairs:
            pieces.append((said | said_next, piece + piece_next))
            spans.append(spans[k] + spans[k + 1])
    return pieces, spans


# Turkish case endings typed straight onto a name on a phone, without the apostrophe
# ("umutun" for Umut'un, "elife" for Elif'e), folded (ı → i, ü → u), longest first.
_TURKISH_ENDINGS = (
    "nin", "nun", "dan", "den", "tan", "ten", "yla", "yle",
    "in", "un", "yi", "yu", "ya", "ye", "da", "de", "ta", "te", "la", "le",
    "i", "u", "a", "e",
)  # fmt: skip


def turkish_stems(folded: str) -> list[str]:
    """Return what a folded word may be a name of once a Turkish case ending typed without
    its apostrophe is taken off ("isilin" → "isil", "hanimin" → "hanim"), at least three
    letters each; the caller checks them against stored names."""
    return [
        folded[: -len(ending)]
        for ending in _TURKISH_ENDINGS
        if folded.endswith(ending) and len(folded) - len(ending) >= 3 and folded.isalpha()
    ]


def genitive_stems(folded: str) -> list[str]:
    """Return what a folded word may be a name of once a possessive "s" typed straight onto
    it is taken off (German "Müller-Lüdenscheidts Bad", "Brandts Auftrag"; English with no
    apostrophe, "Joness"), at least three letters; the caller checks them against stored
    names."""
    return [folded[:-1]] if folded.endswith("s") and len(folded) >= 4 and folded.isalpha() else []


def beside_name(folded: Sequence[str], i: int) -> list[str]:
    """Return the words next to the name word at `i` where a title would stand: the one after,
    and the one before, reaching back over surname particles ("Frau von der Heide": Frau)."""
    particles = name_lists().particles
    j = i - 1
    while j > 0 and folded[j] in particles:
        j -= 1
    return [folded[k] for k in (j, i + 1) if 0 <= k < len(folded)]


def title_forms(typed: list[str]) -> set[str]:
    """Return folded words as titles may be typed with a Turkish ending: "hanım'ın" and
    "hanımın" are Hanım."""
    return {f for w in typed for f in (w, cut_ending(w), *turkish_stems(w))}


@cache
def _nick_namer() -> NickNamer:
    return NickNamer()  # reads its table once (~0.1 s)


@cache
def _variant_table() -> dict[str, frozenset[str]]:
    groups = read_toml("names.toml")["given_name_variants"]
    by_name: dict[str, set[str]] = defaultdict(set)
    for group in (g for by_language in groups.values() for g in by_language):
        folded = {fold(name) for name in group}
        for name in folded:
            by_name[name] |= folded - {name}
    return {name: frozenset(others) for name, others in by_name.items()}


@cache
def _variants_by_sound() -> dict[str, frozenset[str]]:
    """Return the given-name groups' names keyed by the sound keys of their Greek ones
    (bot.core.name_sounds): "babis", the sound of Μπάμπης, gives its group."""
    groups = read_toml("names.toml")["given_name_variants"]
    by_key: dict[str, set[str]] = defaultdict(set)
    for group in (g for by_language in groups.values() for g in by_language):
        folded = {fold(name) for name in group}
        for name in group:
            if is_greek(name):
                for key in sound_keys(name):
                    by_key[key] |= folded
    return {key: frozenset(names) for key, names in by_key.items()}


def given_name_variants(word: str) -> frozenset[str]:
    """Return the other forms of the given name a folded word is, lower case and folded, empty
    for a word that is none: the familiar forms of the five languages (names.toml
    [given_name_variants]: "katerina" → "aikaterini", "pepe" → "jose", "mariajo" →
    "maria jose", and back; a Greek one typed in Latin letters by its sound: "babis" →
    "charalampos"), and, for English nicknames, the formal names of the `nicknames`
    package's table (Carlton Northern's names.csv: "maggie" → "margaret"; "bill" → "william",
    "robert")."""
    table = _variant_table().get(word, frozenset())
    if len(word) < 2 or not word.isascii():
        return table
    # A Greek familiar form typed in Latin letters by ear ("Babis" for Μπάμπης, folded "mpampis").
    heard = {n for key in sound_keys(word) for n in _variants_by_sound().get(key, ())} - {word}
    return table | heard | frozenset(_nick_namer().canonicals_of(word))

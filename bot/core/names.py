"""Finding customers by their names as associates type them: typos, any order, accents,
apostrophes (O'Brien, Çağla'nın), surname particles (van der Berg), first names that are
ordinary words ("Will", "Su") and Chinese, Japanese or Korean names run into the words around
them ("王伟买了什么")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import cache

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.datafiles import read_toml
from bot.core.text import CJK_RUN, FOLDED_STOP_WORDS, cut_ending, fold, is_cjk, word_forms
from bot.core.vocabulary import after_determiner, question_words

_NAME_PARTS = re.compile(r"[\s\-‐–]+")


def _allowed_edits(word: str) -> int:
    # One typo in a short name, two in a long one; three-letter words must be exact.
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 6 else 2


def _quality(edits: int) -> float:
    return {0: 1.0, 1: 0.8, 2: 0.6}.get(edits, 0.0)


@dataclass(frozen=True)
class _Lists:
    particles: frozenset[str]
    common: frozenset[str]  # typed, these match only exactly, and a match of them alone is flagged
    honorifics: tuple[str, ...]
    titles: frozenset[str]


@cache
def _lists() -> _Lists:
    data = read_toml("names.toml")
    particles = frozenset(fold(w) for w in data["particles"])
    titles = frozenset(fold(w) for w in data["titles"])
    common = FOLDED_STOP_WORDS | particles | titles | {fold(w) for w in data["common_first_names"]}
    return _Lists(
        particles,
        frozenset(common),
        tuple(data["honorifics"]),
        titles,
    )


@dataclass(frozen=True)
class NameMatch:
    """A customer whose name matches words of a message."""

    customer_id: str
    score: float
    words: frozenset[str]  # the folded message words that matched (whole and as `words` cuts them)
    coverage: float = 1.0  # the share of the customer's name parts that were matched
    exact: bool = True  # at least one word matched without a typo
    # Every matching word is an ordinary word too ("Will", "can", "Rosa"): take the match only
    # when the message asks about a person.
    common_word: bool = False


# A Greek case form of a name ("Γιώργο" for Giorgos) is as good as the name, but for a name
# typed exactly as written ("Παπαδοπούλου" for Ms Papadopoulou rather than Mr Papadopoulos).
CASE_FORM_QUALITY = 0.95

# Typed words whose typo look-ups are remembered (a few hundred KiB at most).
TYPO_CACHE = 5_000


@dataclass(frozen=True)
class _Name:
    """A stored name: how many parts count (particles do not) and what can be typed for it."""

    parts: int
    forms: dict[str, frozenset[int]]  # a typed form → the parts it stands for
    native: dict[str, int]  # a part in Chinese, Japanese or Korean script → its place


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _romanised(text: str) -> str:
    # Most names are ASCII already: anyascii only for the others (it dominates start-up).
    return _NOT_ALNUM.sub("", (text if text.isascii() else anyascii(text)).casefold())


def _read_name(first: str | None, last: str | None) -> _Name:
    particles, common = _lists().particles, _lists().common
    forms: dict[str, set[int]] = defaultdict(set)
    romanised: dict[str, set[int]] = defaultdict(set)  # of CJK parts: "wang" for 王
    native: dict[str, int] = {}
    count = 0
    for text in (first or "", last or ""):
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
                pieces = folded.split("'")
                if len(pieces) > 1 and len(pieces[0]) == 1:
                    forms["".join(pieces[1:])].add(count)  # "Souza" and "O Brien" find D'Souza
            count += 1
        if len(raw) > 1 and places:  # "vanderberg", "delacruz", "jeanluc" typed as one word
            forms[_romanised("".join(raw))].update(places)
    if native and is_cjk(f"{first or ''}{last or ''}"):
        romanised[_romanised(f"{last or ''}{first or ''}")].update(range(count))  # "wangwei"
    for form, stands_for in romanised.items():
        if form not in common:  # typed "he" is no 何
            forms[form] |= stands_for
    forms.pop("", None)
    return _Name(count, {k: frozenset(v) for k, v in forms.items()}, native)


@dataclass(frozen=True)
class _Hit:
    """One typed word (or a stretch of a CJK run) standing for parts of one customer's name."""

    customer_id: str
    parts: frozenset[int]
    quality: float
    slot: tuple[int, int]  # which typed word (and where in a CJK run): each counts once
    words: frozenset[str]
    common: bool = False
    # A typo where the word is someone's exact name: it backs a match up, never makes one.
    backing: bool = False


@dataclass
class CustomerIndex:
    """Every customer's name, folded, for matching what associates type (typos, order, accents,
    apostrophes, particles, names in Chinese, Japanese or Korean script)."""

    names: dict[str, _Name] = field(default_factory=dict)
    by_form: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_native: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    first_names: dict[str, str] = field(default_factory=dict)  # customer → folded first name
    first_name_count: dict[str, int] = field(default_factory=dict)  # folded first name → how many
    _vocab: list[str] | None = None
    _longest_native: int = 0
    # Typos found per typed word, for the names as they are (names repeat across messages).
    _typo_cache: dict[str, list[tuple[str, int]]] | None = None

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str | None, str | None]]) -> CustomerIndex:
        """Index (customer_id, first_name, last_name) rows."""
        index = cls()
        for customer_id, first, last in rows:
            index.add(customer_id, first, last)
        return index

    def add(self, customer_id: str, first: str | None, last: str | None) -> None:
        """Index one customer (again, when their name changed)."""
        if (old := self.names.get(customer_id)) is not None:
            for form in old.forms:
                self.by_form[form].discard(customer_id)
            for token in old.native:
                self.by_native[token].discard(customer_id)
        if (old_first := self.first_names.get(customer_id)) is not None:
            self.first_name_count[old_first] -= 1
        name = _read_name(first, last)
        self.names[customer_id] = name
        folded_first = fold(first or "")
        self.first_names[customer_id] = folded_first
        self.first_name_count[folded_first] = self.first_name_count.get(folded_first, 0) + 1
        for form in name.forms:
            self.by_form[form].add(customer_id)
        for token in name.native:
            self.by_native[token].add(customer_id)
            self._longest_native = max(self._longest_native, len(token))
        self._vocab = None
        self._typo_cache = None

    def greek_gender(self, customer_id: str) -> str:
        """Return the grammatical gender a Greek article would give the customer's first name:
        "m" for one ending in -s (Γιάννης, Nikos, Ηλίας), else "f" (Μαρία, Eleni)."""
        return "m" if self.first_names.get(customer_id, "").endswith("s") else "f"

    @property
    def vocab(self) -> list[str]:
        """Return every distinct form a name can be typed in, in Latin letters (for typos)."""
        if self._vocab is None:
            # Folded forms are ASCII but for Chinese, Japanese and Korean ones.
            self._vocab = [f for f, ids in self.by_form.items() if ids and f.isascii()]
        return self._vocab

    def match(
        self,
        folded: Sequence[str],
        *,
        skip: Iterable[str] = (),
        common: Iterable[str] = (),
        case_forms: Mapping[str, tuple[tuple[str, ...], bool]] | None = None,
    ) -> list[NameMatch]:
        """Return customers whose names match the message words, best first (matches made only
        of ordinary words last). Words in `skip` never match; words in `common` (say, pronouns:
        "su", "ella") count as ordinary words, like the stop words: exact only, and flagged.
        `case_forms` (bot.core.text.greek_case_forms) gives Greek words the nominatives they
        may be case forms of: those match at CASE_FORM_QUALITY, or instead of the word as typed
        after a masculine article ("του Παπαδόπουλου" is Papadopoulos, not Papadopoulou)."""
        skipped = set(skip)
        case_forms = case_forms or {}
        # After "einen guten", "der", "die" a word is a German noun first (Koch, Fischer, Vogel
        # are surnames too): an ordinary word, a name only when the message asks about a person.
        nouns = {
            w
            for i, w in enumerate(folded)
            if after_determiner(folded, i) and not self.first_name_count.get(w)
        }
        ordinary = _lists().common | set(common) | nouns
        # Next to a title, an ordinary word is a name: "Ay Hanım", "Herr Wolf", "Sra. Rosa".
        titled = {
            w
            for i, w in enumerate(folded)
            if {folded[j] for j in (i - 1, i + 1) if 0 <= j < len(folded)} & _lists().titles
        }
        ordinary -= titled
        hits: list[_Hit] = []
        # "Ioannidou-Brookham" is indexed as two parts: split what was typed the same way.
        pieces = [(word, piece) for word in folded for piece in word.split("-") if piece]
        word_at = [i for i, word in enumerate(folded) for piece in word.split("-") if piece]
        for place, (word, piece) in enumerate(pieces):
            forms = word_forms(piece)
            if skipped.intersection(forms) or piece.isdigit():
                continue
            said = frozenset({word, cut_ending(word)})  # whole, and as `words` cuts it
            slot = (place, 0)
            if CJK_RUN.search(piece):
                hits += self._native_hits(piece, said, slot)
                continue
            nominatives, masculine = case_forms.get(piece, ((), False))
            declined = [
                replace(hit, quality=1.0 if masculine else CASE_FORM_QUALITY)
                for form in nominatives
                for hit in self._hits([form], said | {piece}, slot, ordinary, typos=False)
            ]
            if not (declined and masculine):
                hits += self._hits(forms, said | {piece}, slot, ordinary)
            hits += declined
        by_customer: dict[str, list[_Hit]] = defaultdict(list)
        for hit in _whole_compounds(hits, word_at):
            by_customer[hit.customer_id].append(hit)
        matches = [m for c, own in by_customer.items() if (m := self._scored(c, own))]
        matches.sort(key=lambda m: (m.common_word, -m.score, -m.coverage, m.customer_id))
        return matches

    def _hits(
        self,
        forms: list[str],
        said: frozenset[str],
        slot: tuple[int, int],
        common: Set[str],
        *,
        typos: bool = True,
    ) -> list[_Hit]:
        found = []
        for form in forms:
            for customer_id in self.by_form.get(form, ()) if len(form) >= 2 else ():
                parts = self.names[customer_id].forms[form]
                found.append(_Hit(customer_id, parts, 1.0, slot, said, common=form in common))
        exact = bool(found)
        for form in forms if typos else ():
            if form in common or len(form) < 2 or form in question_words():
                # An ordinary word is a name only when typed exactly; a word of the questions
                # ("bought", "last") is no typo of one.
                continue
            for token, edits in self._typos(form):
                for customer_id in self.by_form[token]:
                    parts = self.names[customer_id].forms[token]
                    found.append(
                        _Hit(customer_id, parts, _quality(edits), slot, said, backing=exact)
                    )
        return found

    def _typos(self, word: str) -> list[tuple[str, int]]:
        edits = _allowed_edits(word)
        if not edits:
            return []
        if self._typo_cache is None or len(self._typo_cache) > TYPO_CACHE:
            self._typo_cache = {}
        if (known := self._typo_cache.get(word)) is not None:
            return known
        found = []
        for token, distance, _ in process.extract(
            word, self.vocab, scorer=OSA.distance, score_cutoff=edits, limit=20
        ):
            # Two typos are believable only when the first letter is right.
            if token != word and (distance == 1 or token[:1] == word[:1]):
                found.append((token, int(distance)))
        self._typo_cache[word] = found
        return found

    def _native_hits(self, piece: str, said: frozenset[str], slot: tuple[int, int]) -> list[_Hit]:
        """Find stored CJK name parts inside each run of CJK letters ("王伟买了什么")."""
        honorifics = _lists().honorifics
        found = []
        for run in CJK_RUN.findall(piece):
            spots: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
            for i in range(len(run)):
                for j in range(i + 1, min(len(run), i + self._longest_native) + 1):
                    for customer_id in self.by_native.get(run[i:j], ()):
                        spots[customer_id].append((i, j, run[i:j]))
            for customer_id, spot in spots.items():
                # A one-letter part (王, 김) inside other words is no name unless it stands
                # alone, next to the rest of the name ("王伟") or before an honorific ("王先生").
                kept = [
                    (i, j, token)
                    for i, j, token in spot
                    if len(token) > 1
                    or run == token
                    or any((j2 == i or i2 == j) and t2 != token for i2, j2, t2 in spot)
                    or run.startswith(honorifics, j)
                ]
                typed = "".join(token for _, _, token in sorted(kept))
                whole = run in (typed, *(typed + h for h in honorifics))
                named = frozenset(t for _, _, t in kept) | (said | {piece} if whole else set())
                native = self.names[customer_id].native
                found += [
                    _Hit(customer_id, frozenset({native[token]}), 1.0, (slot[0], i + 1), named)
                    for i, _, token in kept
                ]
        return found

    def _scored(self, customer_id: str, hits: list[_Hit]) -> NameMatch | None:
        if len(hits) == 1:  # most customers of a common first name: one word, one part
            (hit,) = hits
            if hit.backing:
                return None
            return NameMatch(
                customer_id,
                hit.quality * len(hit.parts),
                hit.words,
                coverage=len(hit.parts) / max(1, self.names[customer_id].parts),
                exact=hit.quality >= CASE_FORM_QUALITY,
                common_word=hit.common,
            )
        # Best hits first, so a typed word counts where it matches best and only once.
        taken: list[_Hit] = []
        covered: set[int] = set()
        slots: set[tuple[int, int]] = set()
        score = 0.0
        for backing in (False, True):
            if backing and not taken:
                return None  # only typos where exact names exist: not this customer
            for hit in sorted(hits, key=lambda h: (-h.quality, -len(h.parts))):
                new = hit.parts - covered
                if hit.backing != backing or hit.slot in slots or not new:
                    continue
                taken.append(hit)
                covered |= new
                slots.add(hit.slot)
                score += hit.quality * len(new)
        return NameMatch(
            customer_id,
            score,
            frozenset().union(*(h.words for h in taken)),
            coverage=len(covered) / max(1, self.names[customer_id].parts),
            exact=any(h.quality >= CASE_FORM_QUALITY for h in taken),
            common_word=all(h.common for h in taken),
        )


def _whole_compounds(hits: list[_Hit], word_at: list[int]) -> list[_Hit]:
    """Keep a customer's hits in a hyphenated word only when every piece of it is part of her
    name: "Ioannidou-Brookham" is Emma Ioannidou-Brookham, "Müller-Filiale" (a shop) is no
    Ms Müller. `word_at` gives the typed word of each piece (a hit's slot[0])."""
    pieces: dict[int, set[int]] = defaultdict(set)
    for place, word in enumerate(word_at):
        pieces[word].add(place)
    covered: dict[tuple[str, int], set[int]] = defaultdict(set)
    for hit in hits:
        covered[hit.customer_id, word_at[hit.slot[0]]].add(hit.slot[0])
    return [
        h for h in hits if covered[h.customer_id, word_at[h.slot[0]]] == pieces[word_at[h.slot[0]]]
    ]


def best_customers(matches: list[NameMatch], *, margin: float = 0.15) -> list[NameMatch]:
    """Return the matches that score close to the best one (one = resolved, several = ask).

    A match made only of ordinary words ("can", "Will") counts only when no other match
    exists. The margin is below the cost of one typo, so an exactly typed name beats its
    one-typo neighbours; among equals, the one whose whole name was typed wins ("Chiara
    Leonesi" over "Chiara Barbano-Leonesi")."""
    if any(not m.common_word for m in matches):
        matches = [m for m in matches if not m.common_word]
    if not matches:
        return []
    top = matches[0].score
    close = [m for m in matches if m.score >= top - margin + 1e-9 and m.score >= 0.8]
    whole = [m for m in close if m.coverage == 1.0]
    if len(close) > 1 and len(whole) == 1 and whole[0].score >= top - 1e-9:
        return whole
    return close

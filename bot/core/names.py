"""Finding customers by their names as associates type them: typos, any order, accents,
apostrophes (O'Brien, Çağla'nın), surname particles (van der Berg), ordinary-word first names
("Will", "Su"), CJK names run into other words ("王伟买了什么"), other spellings (romaji, Korean
surnames, umlauts written out, "Κατερίνα", "Pepe": bot.core.name_forms; bot.core.name_sounds)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.common_words import is_common, is_everyday
from bot.core.known_as import known_as_in_row
from bot.core.name_forms import (
    StoredName,
    beside_name,
    genitive_stems,
    given_name_variants,
    name_lists,
    read_name,
    spelled_parts,
    title_forms,
    turkish_stems,
    typed_pieces,
    umlaut_form,
)
from bot.core.name_sounds import SoundIndex, TypedSound
from bot.core.text import CJK_RUN, consecutive, fold, word_forms
from bot.core.vocabulary import after_determiner, question_words


def _allowed_edits(word: str) -> int:
    # One typo in a short name, two in a long one; three-letter words must be exact.
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


_QUALITY = {0: 1.0, 1: 0.8, 2: 0.6}  # of a name typed with so many typos


@dataclass(frozen=True)
class NameMatch:
    """A customer whose name matches words of a message."""

    customer_id: str
    score: float
    words: frozenset[str]  # the folded message words that matched (whole and as `words` cuts them)
    coverage: float = 1.0  # the share of the customer's name parts that were matched
    exact: bool = True  # at least one word matched without a typo
    # Every matching word is also ordinary ("Will", "Rosa"): a match when a person is asked about.
    common_word: bool = False


# A name part typed in the other script, by its sound ("Ουμούτ" for Umut): an exact match of
# the key, below any name typed as stored, above any typo.
SOUND_QUALITY = 0.9

# A Greek case form of a name ("Γιώργο" for Giorgos) is as good as the name, but for a name
# typed exactly as written ("Παπαδοπούλου" for Ms Papadopoulou rather than Mr Papadopoulos).
CASE_FORM_QUALITY = 0.95

# Typed words whose typo look-ups are remembered (a few hundred KiB at most).
TYPO_CACHE = 5_000


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
    sound: bool = False  # typed in the other script, matched by its sound


@dataclass
class CustomerIndex:
    """Every customer's name, folded, for matching what associates type (typos, order, accents,
    apostrophes, particles, names in Chinese, Japanese or Korean script)."""

    names: dict[str, StoredName] = field(default_factory=dict)
    by_form: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_native: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    first_names: dict[str, str] = field(default_factory=dict)  # customer → folded first name
    first_name_count: dict[str, int] = field(default_factory=dict)  # folded first name → how many
    _vocab: list[str] | None = None
    _longest_native: int = 0
    _pairs: set[tuple[str, str]] = field(default_factory=set)  # syllables typed apart: seo jun
    # Stored in Greek or not → the sound keys of those names, built when a word typed in the
    # other script is first looked up by its sound (most stores: never, for the Latin ones).
    _sounds: dict[bool, SoundIndex] = field(default_factory=dict)
    # The names as stored with other letters than ASCII, for their sound keys (an ASCII name's
    # come from its forms), first and last in one string split at "\0" (a string: nothing for
    # the garbage collector to walk, unlike a tuple).
    _stored: dict[str, str] = field(default_factory=dict)
    # Typos found per typed word, for the names as they are (names repeat across messages).
    _typo_cache: dict[str, list[tuple[str, int]]] | None = None

    @classmethod
    def build(cls, rows: Iterable[Sequence[Any]]) -> CustomerIndex:
        """Index (customer_id, first_name, last_name[, preferences[, notes]]) rows (known_as)."""
        index = cls()
        for row in rows:
            index.add(str(row[0]), row[1], row[2], known_as_in_row(row))
        return index

    def add(
        self, customer_id: str, first: str | None, last: str | None, called: Sequence[str] = ()
    ) -> None:
        """Index one customer (again, when their name changed); `called`: names she goes by."""
        if (old := self.names.get(customer_id)) is not None:
            for form in old.forms:
                self.by_form[form].discard(customer_id)
            for token in old.native:
                self.by_native[token].discard(customer_id)
            for sounds in self._sounds.values():
                sounds.remove(customer_id, self._spelled_parts(customer_id, old))
            self._stored.pop(customer_id, None)
        if (old_first := self.first_names.get(customer_id)) is not None:
            self.first_name_count[old_first] -= 1
        name = read_name(first, last, called)
        self.names[customer_id] = name
        folded_first = fold(first or "")
        self.first_names[customer_id] = folded_first
        self.first_name_count[folded_first] = self.first_name_count.get(folded_first, 0) + 1
        for form in name.forms:
            self.by_form[form].add(customer_id)
        for token in name.native:
            self.by_native[token].add(customer_id)
            self._longest_native = max(self._longest_native, len(token))
        if name.pairs:
            self._pairs.update(name.pairs)
        if not (first or "").isascii() or not (last or "").isascii():
            self._stored[customer_id] = f"{first or ''}\0{last or ''}"
        for sounds in self._sounds.values():
            sounds.add(customer_id, self._spelled_parts(customer_id, name))
        self._vocab = None
        self._typo_cache = None

    def _spelled_parts(self, customer_id: str, name: StoredName) -> list[tuple[str, int]]:
        """Return the name parts to key by sound, with their places (`spelled_parts`)."""
        if (stored := self._stored.get(customer_id)) is not None:
            first, last = stored.split("\0")
            return spelled_parts(first, last)
        # An ASCII name: its one-part forms, folded (without apostrophes or umlauts: same sounds).
        return [(form, min(places)) for form, places in name.forms.items() if len(places) == 1]

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
        sounds: Mapping[str, TypedSound] | None = None,
    ) -> list[NameMatch]:
        """Return customers whose names match the message words, best first (matches made only
        of ordinary words last). Words in `skip` never match; words in `common` (say, pronouns:
        "su", "ella") count as ordinary words, like the stop words: exact only, and flagged.
        `case_forms` (bot.core.text.greek_case_forms) gives Greek words the nominatives they
        may be case forms of: those match at CASE_FORM_QUALITY, or instead of the word as typed
        after a masculine article ("του Παπαδόπουλου" is Papadopoulos, not Papadopoulou).
        `sounds` (bot.core.name_sounds.typed_sounds) gives the typed words' sound keys: a word
        no name has as typed matches a name stored in the other script (Greek or Latin) by its
        sound, at SOUND_QUALITY (less with a letter or two off)."""
        skipped = set(skip)
        case_forms = case_forms or {}
        # After "einen guten", "der", "die" a word is a German noun first (Koch, Vogel).
        nouns = {
            w
            for i, w in enumerate(folded)
            if after_determiner(folded, i) and not self.first_name_count.get(w)
        }
        ordinary = name_lists().ordinary | set(common) | nouns
        # Next to a title, an ordinary word is a name: "Ay Hanım", "Herr Wolf", "Sra. Rosa".
        titled = {
            w
            for i, w in enumerate(folded)
            if title_forms(beside_name(folded, i)) & name_lists().titles
        }
        ordinary -= titled
        hits: list[_Hit] = []
        as_typed: list[_Hit] = []
        pieces, spans = typed_pieces(folded, self._pairs)
        for place, (said, piece) in enumerate(pieces):
            forms = word_forms(piece)
            if (umlauts := umlaut_form(piece)) is not None:
                forms.append(umlauts)  # "Jaeger" for Jäger
            if skipped.intersection(forms) or piece.isdigit():
                continue
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
            found = declined
            if not (declined and masculine):
                found += self._hits(forms, said | {piece}, slot, ordinary)
            else:  # "ο Δημήτρης Νικολάου": his surname as typed, when his first name is too
                as_typed += self._hits(forms, said | {piece}, slot, ordinary, typos=False)
            if not any(h.quality >= CASE_FORM_QUALITY for h in found):
                # "umutun", "Işılın", "Brandts": an ending typed without its apostrophe
                stems = genitive_stems(piece) + ([] if is_common(piece) else turkish_stems(piece))
                found += [
                    replace(hit, quality=CASE_FORM_QUALITY)
                    for stem in stems
                    for hit in self._hits([stem], said | {piece}, slot, ordinary, typos=False)
                ]
            typed = (sounds or {}).get(piece)
            if typed and not any(h.quality >= CASE_FORM_QUALITY for h in found):
                found += self._sound_hits(typed, said | {piece}, slot, ordinary, piece in titled)
            if piece not in ordinary and not any(h.quality >= CASE_FORM_QUALITY for h in found):
                other = set().union(*map(given_name_variants, [*forms, *nominatives]))
                parts = sorted({p for n in other - question_words() for p in n.split()})
                word = is_common(piece) and piece not in titled  # "matt", "bill"; not "κ. Σπύρο"
                variants = [
                    replace(h, quality=CASE_FORM_QUALITY, common=word)
                    for h in self._hits(parts, said | {piece}, slot, set(), typos=False)
                    if self.first_names[h.customer_id] in other
                ]  # "Maggie O'Brien": Margaret; "Pat's": Patrick; "Pepa": Josefa, no typo of Peña
                found = variants or found
            hits += found
        hits += [h for h in as_typed if any(o.customer_id == h.customer_id for o in hits)]
        by_customer: dict[str, list[_Hit]] = defaultdict(list)
        for hit in _whole_compounds(hits, spans):
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
            if form in common or len(form) < 2 or form in question_words() or is_everyday(form):
                # An ordinary word is a name only when typed exactly; a word of the questions
                # ("bought", "last") or an everyday one ("el rato" is no Sato) is no typo of one.
                continue
            for token, edits in self._typos(form):
                for customer_id in self.by_form[token]:
                    parts = self.names[customer_id].forms[token]
                    found.append(
                        _Hit(customer_id, parts, _QUALITY[edits], slot, said, backing=exact)
                    )
        return found

    def _sound_hits(
        self,
        typed: TypedSound,
        said: frozenset[str],
        slot: tuple[int, int],
        ordinary: Set[str],
        titled: bool,
    ) -> list[_Hit]:
        """Return the name parts stored in the other script that sound like the typed word
        (its piece `slot` of `said`), none for a stop word or a word of the questions. A word
        that is also an ordinary word of the assistant's languages (Greek corpora have "Γουίλ"
        and "Τζουν" as often as "γιλέκο"; "γάλα" is one) matches only by its exact key and is
        flagged common, as an ordinary first name is, unless a title stands next to it."""
        piece = typed.folded
        if len(piece) < 3 or piece in ordinary or piece in question_words():
            return []
        if (index := self._sounds.get(not typed.greek)) is None:
            index = self._sounds[not typed.greek] = SoundIndex(not typed.greek)
            # Names in Greek letters are among those stored as typed (not ASCII).
            stored = self._stored if index.greek else self.names
            for customer_id in stored:
                index.add(customer_id, self._spelled_parts(customer_id, self.names[customer_id]))
        if not index.by_key:
            return []  # no name stored in that script
        everyday = is_common(piece) and not titled
        quality = {0: SOUND_QUALITY, 1: _QUALITY[1], 2: _QUALITY[2]}
        return [
            _Hit(customer_id, frozenset({part}), quality[edits], slot, said, everyday, sound=True)
            for customer_id, part, edits in index.find(typed, near=not everyday)
        ]

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
        honorifics = name_lists().honorifics
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
                exact=hit.quality >= SOUND_QUALITY,
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
            exact=any(h.quality >= SOUND_QUALITY for h in taken),
            # Two words typed by ear that sound like two parts of one name are that name, even
            # when each is a word too ("Χανς-Γιούργκεν"); so are two or more words typed one
            # after the other that are her whole name ("nisan arslan": April, lion; not "flores
            # de color rosa" for Rosa Flores).
            common_word=all(h.common for h in taken)
            and sum(h.sound for h in taken) < 2
            and not (
                len(covered) >= 2
                and len(covered) == self.names[customer_id].parts
                and consecutive({h.slot[0] for h in taken})
            ),
        )


def _whole_compounds(hits: list[_Hit], spans: list[tuple[tuple[int, str], ...]]) -> list[_Hit]:
    """Keep a customer's hits in a hyphenated word only when every piece of it is part of her
    name: "Ioannidou-Brookham" is Emma Ioannidou-Brookham, "Müller-Filiale" (a shop) is no
    Ms Müller. `spans` gives the (typed word, piece) pairs of each hit's slot[0]."""
    pieces: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for span in spans:
        for word, piece in span:
            pieces[word].add((word, piece))
    covered: dict[tuple[str, int], set[tuple[int, str]]] = defaultdict(set)
    for hit in hits:
        for word, piece in spans[hit.slot[0]]:
            covered[hit.customer_id, word].add((word, piece))
    return [
        h
        for h in hits
        if all(covered[h.customer_id, word] == pieces[word] for word, _ in spans[h.slot[0]])
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

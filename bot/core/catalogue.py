"""Finding the customer and the product a message is about: names (bot.core.names), skus,
product names with typos, meanings."""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from langchain_core.embeddings import Embeddings
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Engine
from sqlmodel import select

from bot.core.common_words import is_common, own_words
from bot.core.datafiles import read_toml
from bot.core.i18n import current_language
from bot.core.known_as import known_as_in_row
from bot.core.name_forms import turkish_stems
from bot.core.names import CustomerIndex
from bot.core.names import NameMatch as NameMatch  # re-exported: callers import them from here
from bot.core.names import best_customers as best_customers
from bot.core.numbers import all_number_words
from bot.core.product_words import mostly_named
from bot.core.text import FOLDED_STOP_WORDS, cut_ending, fold, word_parts, words
from bot.core.vocabulary import question_words
from storage.customers import catalogue_stamp, customer_names
from storage.db import read_session
from storage.models import Product

_VARIANT = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class ProductInfo:
    """What the assistant needs to know of a product to find it."""

    sku: str
    name: str
    category: str | None = None
    brand: str | None = None
    description: str | None = None

    def passage(self) -> str:
        """Return the text its meaning is embedded from."""
        parts = [self.name, self.category or "", self.brand or "", self.description or ""]
        return ". ".join(p for p in parts if p)


@cache
def _number_words() -> frozenset[str]:
    """Return the number words of the five languages, folded ("two", "dos", "iki", "zwei")."""
    return frozenset(fold(w) for w in all_number_words() if " " not in w)


@cache
def _abbreviations() -> dict[str, str]:
    return read_toml("name_abbreviations.toml")["abbreviations"]


def _abbreviations_of(name: str) -> set[str]:
    """Return the abbreviations typed for words of a product name ("edt" for "Ambre Nocturne
    Eau de Toilette 50 ml"; name_abbreviations.toml)."""
    folded = " ".join(fold(w) for w in _name_words(name))
    return {a for a, words in _abbreviations().items() if f" {words} " in f" {folded} "}


class ProductIndex:
    """Products by sku, by the words of their names (rarer words weigh more) and by meaning."""

    def __init__(self, products: Sequence[ProductInfo]):
        self.products = {p.sku: p for p in products}
        self.by_sku = {fold(p.sku): p.sku for p in products}
        # A sku typed without its hyphens ("cof001" for COF-001), when that names no other.
        bare = {code: sku for sku in self.by_sku.values() if (code := joined_code(fold(sku)))}
        once = Counter(joined_code(fold(sku)) for sku in self.by_sku.values())
        self.by_sku |= {c: sku for c, sku in bare.items() if once[c] == 1 and c not in self.by_sku}
        self.by_token: dict[str, set[str]] = defaultdict(set)
        self.tokens_of: dict[str, set[str]] = {}
        # Distinct names (colour or size variants in brackets set aside) a word appears in.
        names_with: dict[str, set[str]] = defaultdict(set)
        self._base_of: dict[str, str] = {}
        # Model codes' joined forms ("p145" of "P-145"): another way to type its parts, weighed
        # only when typed.
        self._joined: set[str] = set()
        for p in products:
            named = f"{p.name} {p.brand or ''}"
            joined = {fold(c) for w in words(named) if (c := joined_code(w))}  # "P-145": p145
            tokens = {t for t in (fold(w) for w in _name_words(named)) if _name_token(t)}
            tokens |= _abbreviations_of(p.name) | joined
            self.tokens_of[p.sku] = tokens
            self._joined |= joined
            base = fold(_VARIANT.sub("", p.name))
            self._base_of[p.sku] = base
            for t in tokens:
                self.by_token[t].add(p.sku)
                names_with[t].add(base)
        count = max(1, len(products))
        self._names_with = dict(names_with)
        self.spread = {t: len(names) for t, names in names_with.items()}
        self.idf = {t: math.log(1 + count / len(skus)) for t, skus in self.by_token.items()}
        self.distinct_df = max(3, len({fold(_VARIANT.sub("", p.name)) for p in products}) // 50)
        self.vocab = list(self.by_token)
        # A model code ("x12") in many names names, typed alone, the one name that is no more
        # than it and a few words: the plain model ("Nova X12", not the "X12 Pro Max Case").
        self._plain_model: dict[str, str] = {}
        for t, names in names_with.items():
            if _coded(t) and not t.isdigit() and len(names) > 1:
                sizes = sorted((len(_name_words(name)), name) for name in names)
                if sizes[0][0] < sizes[1][0]:
                    self._plain_model[t] = sizes[0][1]
        # A model code's letters after its line's number ("xm6" of "1000xm6"): typed alone,
        # they name it.
        self.code_ends: dict[str, set[str]] = defaultdict(set)
        for t in self.vocab:
            for end in _code_ends(t):
                self.code_ends[end].add(t)
        self.category_of = {fold(p.category): p.category for p in products if p.category}
        self._skus: list[str] = []
        self._vectors: np.ndarray | None = None

    def find_sku(self, folded: Sequence[str]) -> str | None:
        """Return the sku a message names literally, if any."""
        for word in folded:
            for form in (word, cut_ending(word)):  # "FTW-001'i" is FTW-001
                if form in self.by_sku:
                    return self.by_sku[form]
        return None

    def match_names(
        self, folded: Sequence[str], *, plain: bool = False
    ) -> list[tuple[str, float, set[str]]]:
        """Return (sku, score, matched words) of products named by the message, best first.

        The score is the share of the product name's weight that the message covers. With
        `plain`, a model code in many names typed alone names the plain model too ("X12 or
        X12 Pro?": the "Nova X12"; not otherwise: "screen repair on the x12" is the repair)."""
        hits: dict[str, float] = {}
        typed = list(word_parts(folded, whole=False))
        typed += [code for word in folded if (code := joined_code(word))]  # "p-145": p145
        # Spanish "¿o hay otro?" names no "Timothy Hay" (bot.core.common_words.own_words).
        own = own_words(current_language())
        for word in typed:
            if not _name_token(word) or word in own:
                continue
            candidates = [(word, 1.0)] if word in self.by_token else []
            if not candidates and current_language() == "tr" and not is_common(word):
                # "iphone 16 pronun": a model word; "başından" no "basin", "aeropressin" a part's
                stems = [t for t in turkish_stems(word) if len(t) <= 4]
                candidates = [(t, 0.9) for t in stems if t in self.by_token][:1]
            if not candidates and word in self.code_ends:
                # A model code typed in part: "xm6" is the "WH-1000XM6".
                candidates = [(t, 0.9) for t in self.code_ends[word]]
            # An ordinary question word is no typo of a product's ("whose" is not "hose"); nor
            # is a common word of the associates' languages (Spanish "encoge" is not "Encore"),
            # though it may be a name word's plural or singular ("wings", German "Filter").
            if not candidates and len(word) >= 5 and word not in question_words():
                if is_common(word):
                    forms = {word + "s", word.removesuffix("s")} - {word}
                    candidates = [(form, 0.8) for form in forms if form in self.by_token]
                else:
                    candidates = [
                        (token, 0.8)
                        for token, _, _ in process.extract(
                            word, self.vocab, scorer=OSA.distance, score_cutoff=1, limit=5
                        )
                    ]
            for token, q in candidates:
                hits[token] = max(hits.get(token, 0.0), q)
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, set[str]] = defaultdict(set)
        for token, q in hits.items():
            for sku in self.by_token[token]:
                scores[sku] += q * self.idf[token]
                matched[sku].add(token)
        ranked = []
        for sku, score in scores.items():
            # A word shared by many products ("coffee") does not name any one of them; words
            # that together are (see `_few_together`) do ("x12 pro": the Nova X12 Pro).
            if not (
                any(self.spread[t] <= self.distinct_df for t in matched[sku])
                or self._few_together(matched[sku])
                or (
                    plain
                    and any(self._plain_model.get(t) == self._base_of[sku] for t in matched[sku])
                )
            ):
                continue
            if all(t.isdigit() or t in _number_words() for t in matched[sku]):
                continue  # "50 euros", "the two Marias" name no "Breeze 50", "Two-Stage …"
            # A two-character code counts when typed ("the R7"), not against a name typed
            # without it ("the V60 dripper" for the "Hario V60 Dripper 02").
            weighed = (
                t
                for t in self.tokens_of[sku]
                if t in matched[sku] or (len(t) > 2 and t not in self._joined)
            )
            total = sum(self.idf[t] for t in weighed) or 1.0
            ranked.append((sku, score / total, matched[sku]))
        ranked.sort(key=lambda r: (-r[1], r[0]))
        return ranked

    def _few_together(self, tokens: set[str]) -> bool:
        """Return whether two or more name words appear together in at most twice
        `distinct_df` distinct names: each alone is in many, together they name a few."""
        if len(tokens) < 2:
            return False
        together = set.intersection(*(self._names_with[t] for t in tokens))
        return len(together) <= 2 * self.distinct_df

    def categories_named(self, folded: Sequence[str]) -> list[str]:
        """Return the catalogue categories a message names."""
        found = []
        for word in dict.fromkeys(form for w in folded for form in (w, cut_ending(w))):
            stem = word.rstrip("s")
            for key, category in self.category_of.items():
                if (word == key or stem == key.rstrip("s")) and category not in found:
                    found.append(category)
        return found

    def named_apart(
        self, hits: Sequence[tuple[str, float, set[str]]], categories: Sequence[str]
    ) -> list[tuple[str, float, set[str]]]:
        """Return the hits of `match_names` that name products beyond the categories named
        ("spend on Coffee" names no "AeroPress Original Coffee Maker"), of those the ones
        whose matched words no other hit's strictly contain (`most_named`)."""
        words = {key for key, category in self.category_of.items() if category in categories}
        return [hit for hit in most_named(hits) if not hit[2] <= words]

    def beyond_named(self, categories: Sequence[str], skus: Sequence[str]) -> list[str]:
        """Return the categories named besides those of the products named: "the AeroPress
        Original Coffee Maker" is that product, not all of Coffee (as in a due list's
        "coffee filters"); "the AeroPress and some tea" keeps Tea."""
        of_named = {self.products[s].category for s in skus if s in self.products}
        return [c for c in categories if c not in of_named]

    def names_well(self, folded: Sequence[str], sku: str) -> bool:
        """Return whether a message (folded words) names the product by its sku, or by words of
        its name typed without a typo, one of them no category's name ("AeroPress", not
        "coffee"), or is a few words all of the catalogue's names ("card for my z7 pro")."""
        if self.find_sku(folded) == sku or mostly_named(set(), folded, self.by_token):
            return True
        typed = set(word_parts(folded))
        return any(
            s == sku and tokens <= typed and tokens - self.category_of.keys()
            for s, _, tokens in self.match_names(folded)
        )

    def names_plainly(self, folded: Sequence[str], sku: str) -> bool:
        """Return whether a message (folded words) names the product by its sku or by two words
        of its name or more, none a category's name or a question word ("the Voyager Lite",
        not "the kettle"): a product the associate asks about, whatever else the message says
        ("el voyager lite entra en cabina del avión?")."""
        if self.find_sku(folded) == sku:
            return True
        typed = set(word_parts(folded))
        return any(
            s == sku
            and tokens <= typed
            and len(tokens - self.category_of.keys() - question_words()) >= 2
            for s, _, tokens in self.match_names(folded)
        )

    def for_another_model(self, accessory: str, device: str) -> bool:
        """Return whether an accessory's name holds the whole name of another model of the
        device's line, one whose words the device's name holds and more ("X12 Pro Clear Case"
        is for the X12 Pro, not the X12 Pro Max)."""
        own, held = self.tokens_of[device], self.tokens_of[accessory]
        if own <= held:
            return False  # "X12 Pro Clear Case" for the X12 Pro
        line = {other for token in own for other in self.by_token.get(token, ())}
        return any(
            other not in (device, accessory)
            and self.tokens_of[other] < own
            and self.tokens_of[other] <= held
            for other in line
        )

    def kind_named(self, text: str, name_words: set[str]) -> tuple[str, list[str]] | None:
        """Return the first word (as typed, not one of `name_words`, the customer's) that names
        a kind of product, singular or plural, and the skus whose names hold it ("did she buy
        any towels?" -> ("towels", [skus of the towels])); None when no word does."""
        for typed in words(text):
            word = fold(typed)
            if word in FOLDED_STOP_WORDS or word in name_words or len(word) < 4:
                continue
            for form in (word, word.removesuffix("s"), word.removesuffix("es")):
                if skus := self.by_token.get(form):
                    return typed, sorted(skus)
        return None

    def embed(self, embeddings: Embeddings) -> None:
        """Compute every product's meaning vector (CachedEmbeddings keeps them across starts)."""
        skus = sorted(self.products)
        if not skus:  # a fresh install, or customers imported before products
            self._skus, self._vectors = [], None
            return
        texts = [self.products[s].passage() for s in skus]
        vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        self._skus, self._vectors = skus, vectors.reshape(len(skus), -1)

    def nearest(
        self, vector: Sequence[float], *, within: Iterable[str] | None = None, k: int = 3
    ) -> list[tuple[str, float]]:
        """Return the products closest in meaning to a query vector, optionally among some."""
        if self._vectors is None or not self._skus:
            return []
        sims = self._vectors @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-sims)
        allowed = set(within) if within is not None else None
        result = []
        for i in order:
            sku = self._skus[int(i)]
            if allowed is None or sku in allowed:
                result.append((sku, float(sims[int(i)])))
                if len(result) == k:
                    break
        return result


def _name_token(word: str) -> bool:
    """Return whether a folded word can name a product: three letters or more and no stop
    word, or a model number of two ("Breeze 50" is not the "Breeze 30", "R7", "W5")."""
    if _coded(word):
        return len(word) >= 2
    return len(word) > 2 and word not in FOLDED_STOP_WORDS


def _coded(word: str) -> bool:
    """Return whether a word holds a digit: a model number, size or code ("v60", "2", "5l")."""
    return any(c.isdigit() for c in word)


def _name_words(text: str) -> list[str]:
    # Words without their punctuation: "(sage)", "(100" and "chef's" are typed sage, 100, chef.
    return [w for part in words(text) for w in re.split(r"[-'’]", part) if w]


def joined_code(word: str) -> str | None:
    """Return a hyphenated model code's parts joined ("SD-1" → "SD1", "P-145" → "P145",
    "WH-1000XM5" → "WH1000XM5"), None for any other word ("X12", "e-bike", "anti-age")."""
    pieces = word.split("-")
    if len(pieces) < 2 or not all(p.isalnum() for p in pieces) or not _coded(word):
        return None
    return "".join(pieces)


class Catalogue:
    """The in-memory name and product indexes over a store, re-read when it changes.

    Imports run in other processes (the CLI) while the bot runs: `refresh_when_changed` looks
    now and then (every `check_every` seconds) whether customers or products changed."""

    def __init__(self, engine: Engine, embeddings: Embeddings, *, check_every: float = 30.0):
        self.engine = engine
        self.embeddings = embeddings
        self.check_every = check_every
        self.refresh()

    def refresh(self) -> None:
        """Re-read customer names and products, and embed product descriptions (cached)."""
        self._checked_at = time.monotonic()
        with read_session(self.engine) as session:
            self._stamp = catalogue_stamp(session=session)
            self.customers = CustomerIndex.build(customer_names(session=session))
            products = [
                ProductInfo(p.sku, p.name, p.category, p.brand, p.description)
                for p in session.exec(select(Product)).all()
            ]
        self.products = ProductIndex(products)
        self.products.embed(self.embeddings)

    def reindex_customer(self, customer_id: str) -> None:
        """Re-read one customer's names (a note just saved may say the name she goes by)."""
        with read_session(self.engine) as session:
            for row in customer_names(session=session, customer_id=customer_id):
                self.customers.add(row[0], row[1], row[2], known_as_in_row(row))

    def refresh_when_changed(self) -> None:
        """Refresh when the store's customers or products changed since the last look."""
        if time.monotonic() - self._checked_at < self.check_every:
            return
        self._checked_at = time.monotonic()
        with read_session(self.engine) as db:
            stamp = catalogue_stamp(session=db)
        if stamp != self._stamp:
            self.refresh()


def is_code(word: str) -> bool:
    """Return whether a word is a model code: letters and digits ("xm6", "v15", "1000xm6")."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def _code_ends(token: str) -> list[str]:
    # A code's ends from a letter after a digit, 3+ characters: "1000xm6" → "xm6"; "128gb" → none.
    return [
        token[i:]
        for i in range(1, len(token) - 2)
        if token[i - 1].isdigit() and token[i].isalpha() and is_code(token[i:])
    ]


def most_named(hits: Sequence[tuple[str, float, set[str]]]) -> list[tuple[str, float, set[str]]]:
    """Return the hits of `ProductIndex.match_names` whose matched words no other hit's
    strictly contain: "AeroPress filters" names the micro-filters, not the brewer; "the
    AeroPress Original Coffee Maker" is not also "Levi's 501 Original Jeans"."""
    return [hit for hit in hits if not any(hit[2] < other[2] for other in hits)]


def first_place(folded: list[str], matched: set[str]) -> int:
    """Return where the first of the matched name words (or a typo of one) is typed, a
    hyphenated word counting by its parts or its code ("p-145": 145, p145); a word with a
    Turkish ending ("29'a": to the 29) is not placed."""

    def holds(word: str) -> bool:
        if word in matched or "-" not in word:
            return word in matched  # "29'a": the 29, said as the target, is not placed
        return not {joined_code(word), *word.split("-")}.isdisjoint(matched)

    places = [i for i, word in enumerate(folded) if holds(word)]
    return places[0] if places else len(folded)


def named_first(folded: list[str], top: list[tuple[str, float, set[str]]]) -> str | None:
    """Return the one of equally named products whose own words (those the others' names do
    not share) are typed first, when each has some and they are set against each other
    ("nordlicht 36 or the 38?" is about the 36). None when they are not told apart that way."""
    if len(top) < 2:
        return None
    shared = set.intersection(*(h[2] for h in top))
    own = [(h[0], h[2] - shared) for h in top]
    if not all(words for _, words in own):
        return None
    places = sorted((first_place(folded, words), sku) for sku, words in own)
    (first, sku), (second, _) = places[:2]
    # Set against each other ("36 y el 38", "38 or the 36"), not one phrase ("coffee dripper")
    # nor one owned and the other asked about ("has the V60 dripper, needs the filters?").
    between = set(folded[first + 1 : second]) - set().union(*(h[2] for h in top))
    return sku if second < len(folded) and between & _VERSUS and len(between) <= 3 else None


# Words that set two products against each other, folded.
_VERSUS = frozenset("or vs versus o u y oder i veya ya yoksa mi gegen".split())  # "i": ή

"""Narrowing a list of items due to what a question names: "who is due for coffee beans?",
"kahvesi bitmek üzere olan müşteriler", "ποιοι πρέπει να ξαναπάρουν καφέ;".

The words a question names besides asking (bot.core.list_requests.named_runs) are matched to the
catalogue, the narrowest match first:

1. product names (bot.core.catalogue.ProductIndex: words few names share, typos included, a
   plural as its singular): of the products named, those whose name holds the most of the
   words typed ("AeroPress filters" is the micro-filters, not the brewer);
2. a category's name as the catalogue writes it, or one typo away ("coffe");
3. a category named in another language ("kahvesi", "καφέ", "Kaffee"): the word's e5 meaning
   is clearly nearest that category's name. Only with the bundled model, on which the two
   thresholds below were measured; with another one, names only.

A category named with more words ("coffee beans", "granos de café") keeps its products nearest
the phrase in meaning when a group of them stands out; a phrase the glossary
(bot.core.product_words) knows is met by its English, so each language keeps the same group.
Words that match nothing are reported, never silently dropped.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import OSA

from bot.core.book import BookRow
from bot.core.catalogue import ProductIndex, most_named
from bot.core.list_requests import asked_kind, asks_for_list, named_runs
from bot.core.product_words import english_terms
from bot.core.retrieval import Retrieval
from bot.core.text import FOLDED_STOP_WORDS, fold

# A category named in another language: the word's meaning (e5 query against the category's
# name as a query) at least this close and this far ahead of the next category. On the demo
# catalogue the categories' own words in five languages scored 0.87-0.99 and led by 0.03-0.13;
# words of asking ("soon", "müşteriler", "πρέπει", "running") 0.82-0.87, at most 0.02 ahead.
CATEGORY_SIMILARITY = 0.87
CATEGORY_MARGIN = 0.025
# A category named with more words keeps the products whose centred meaning
# (bot.core.centring) is within this of the best product's: "coffee beans" keeps the five
# roasts (0.145-0.18) and drops the filters and the descaler (under 0.11).
NARROW_GAP = 0.04
# Shorter words ("q", "de") name nothing.
MIN_CHARS = 3

_category_vectors: weakref.WeakKeyDictionary[ProductIndex, tuple[list[str], np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class Narrowing:
    """What a list question names: the products it covers (None: nothing could be matched),
    how a reply names it, and the words that matched nothing in the catalogue."""

    skus: frozenset[str] | None
    label: str
    unmatched: tuple[str, ...] = ()

    def rows(self, rows: Sequence[BookRow]) -> list[BookRow]:
        """Return the rows about the products named (all of them when none could be)."""
        if self.skus is None:
            return list(rows)
        return [row for row in rows if row.sku in self.skus]


def asks_for_a_list(r: Retrieval, text: str, *, about_one: bool, product: bool) -> bool:
    """Return whether a message asks for a list by its own words (bot.core.list_requests
    .asks_for_list); who bought something names a `product` also when the catalogue sells
    what it names by name or in meaning ("kim kahve aldı?": coffee; not "siparişi kim aldı?",
    who took the order)."""
    product = product or (asked_kind(text) == "buyers" and bool(narrowing(r, text).skus))
    return asks_for_list(text, about_one=about_one, product=product)


# A question that names nothing besides asking: the whole list.
NOTHING_NAMED = Narrowing(None, "")


def narrowing(r: Retrieval, text: str) -> Narrowing:
    """Return what a question about items due names, matched to the catalogue (see the
    module); NOTHING_NAMED when it names nothing besides asking."""
    runs = named_runs(text)
    if not runs:
        return NOTHING_NAMED
    products = r.catalogue.products
    skus: set[str] = set()
    labels: list[str] = []
    unmatched: list[str] = []
    for run in runs:
        found, label, left = _run_match(r, products, run)
        if found:
            skus |= found
            labels.append(label)
        else:
            unmatched.extend(left)
    if not labels:
        return Narrowing(None, "", tuple(unmatched))
    return Narrowing(frozenset(skus), ", ".join(dict.fromkeys(labels)), ())


def _run_match(
    r: Retrieval, products: ProductIndex, phrase: list[str]
) -> tuple[set[str], str, list[str]]:
    """Return the products a run of words names, how to name them and the words left."""
    run = [
        w
        for w in phrase
        if (len(w) >= MIN_CHARS or any(c.isdigit() for c in w))  # a model code: "x5", "v60"
        and fold(w) not in FOLDED_STOP_WORDS
    ]
    categories: dict[str, str] = {}  # typed word → category
    for word in run:
        if category := _category_by_name(products, word):
            categories[word] = category
    rest = [w for w in run if w not in categories]
    held = _products_by_name(products, rest)
    named = set(held)
    if len(named) > 1 and not frozenset.intersection(*held.values()):
        # Each holds another word ("moka pot": the Moka Express, a terracotta pot): the ones
        # nearest the phrase in meaning.
        named = _nearest_group(r, products, " ".join(phrase), named) or named
    if named:
        # "coffee filters": the filters, not all coffee; "coffee and socks": both.
        kept = products.beyond_named(list(dict.fromkeys(categories.values())), list(named))
        also = {sku for sku, p in products.products.items() if p.category in kept}
        return named | also, " ".join(phrase), []
    by_name = list(dict.fromkeys(categories.values()))
    for word in rest:
        if category := _category_by_meaning(r, products, word):
            categories[word] = category
    if not categories:
        return set(), "", rest
    in_categories = {
        sku for sku, p in products.products.items() if p.category in categories.values()
    }
    # A category named in another language as the associate typed it ("café", not the
    # catalogue's "Coffee"); named as the catalogue has it, or one typo away, its own name
    meant = [c if c in by_name else word for word, c in categories.items()]
    label = ", ".join(dict.fromkeys(meant))
    # Met in English when the glossary knows the words ("granos de café", "Kaffeebohnen" as
    # "coffee beans"): the same products, whichever of the five languages named them.
    terms = english_terms(" ".join(phrase))
    kinds = [t for t in terms if not products.categories_named([fold(t)])]
    if len(run) > len(categories) or kinds:  # "coffee beans": more than the category
        narrowed = _nearest_group(r, products, ", ".join(terms) or " ".join(phrase), in_categories)
        if narrowed:
            return narrowed, " ".join(phrase), []
    return in_categories, label, []


def _category_by_name(products: ProductIndex, word: str) -> str | None:
    """Return the category a word names as the catalogue writes it, plural or one typo away
    ("coffe") for words of five letters or more."""
    folded = fold(word)
    found = products.categories_named([folded])
    if found:
        return found[0]
    if len(folded) < 5:
        return None
    near = [c for key, c in products.category_of.items() if OSA.distance(folded, key) <= 1]
    return near[0] if len(near) == 1 else None


def _products_by_name(products: ProductIndex, words: list[str]) -> dict[str, frozenset[str]]:
    """Return the products whose names the words name, each with the words its name holds,
    keeping those that hold the most of them ("AeroPress filters": the micro-filters, not the
    brewer nor the other filters)."""
    typed = [_singular(products, fold(w)) for w in words]
    return {sku: frozenset(held) for sku, _, held in most_named(products.match_names(typed))}


def _singular(products: ProductIndex, word: str) -> str:
    """Return the form of a word that product names use: "socks" as typed, "towels" as
    "towel"."""
    if word in products.by_token:
        return word
    for form in (word.removesuffix("s"), word.removesuffix("es")):
        if form in products.by_token:
            return form
    return word


def _category_by_meaning(r: Retrieval, products: ProductIndex, word: str) -> str | None:
    """Return the category a word (in any language) means, when its meaning is clearly
    nearest that category's name; None without the bundled model's calibration."""
    if not r.centring.languages or not products.category_of:
        return None
    if products not in _category_vectors:
        names = sorted(set(products.category_of.values()))
        vectors = np.asarray([r.embeddings.embed_query(n) for n in names], dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        _category_vectors[products] = (names, vectors)
    names, vectors = _category_vectors[products]
    query = np.asarray(r.embeddings.embed_query(word), dtype=np.float32)
    sims = vectors @ (query / np.linalg.norm(query))
    order = np.argsort(-sims)
    best = float(sims[order[0]])
    second = float(sims[order[1]]) if len(order) > 1 else -1.0
    if best >= CATEGORY_SIMILARITY and best - second >= CATEGORY_MARGIN:
        return names[int(order[0])]
    return None


def _nearest_group(
    r: Retrieval, products: ProductIndex, phrase: str, within: set[str]
) -> set[str] | None:
    """Return the products of `within` nearest a phrase in centred meaning (within NARROW_GAP
    of the best), when they are fewer than all of them; else None."""
    if not r.centring.languages or len(within) < 2:
        return None
    centred = r.centring.centre(r.embeddings.embed_query(phrase))
    ranked = products.nearest(centred.tolist(), within=within, k=len(within))
    if not ranked:
        return None
    best = ranked[0][1]
    group = {sku for sku, score in ranked if score >= best - NARROW_GAP}
    return group if len(group) < len(within) else None

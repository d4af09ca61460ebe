"""Which product a message asks about when it names more than one: the one fitted to another
("does the sport band fit the 45mm watch?"), the accessory asked for a device ("a case for the
X12 Pro"), or the two set against each other ("X12 or X12 Pro?"); else the one it names or
describes (bot.core.product_names).

`ProductLookup` is bot.core.retrieval.Retrieval's base; Retrieval adds the customers' look-ups.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache

from bot.core.catalogue import ProductIndex, first_place
from bot.core.catalogue import ProductInfo as Product
from bot.core.comparisons import accessory_for, asks_fit, before_word, compared_parts
from bot.core.features import undenied
from bot.core.i18n import current_language
from bot.core.product_names import EARLIER_SHARE, NAME_SHARE, STRONG_NAME, ProductNames
from bot.core.product_words import english_terms, is_kind_word
from bot.core.text import FOLDED_STOP_WORDS, folded_words
from bot.core.vocabulary import question_words

# What may follow a number in a product name's word: a unit ("50ml", "1kg", "65w", "625wh").
_UNIT = re.compile(r"[a-z]{0,3}")


def _forms(word: str) -> set[str]:
    """Return a folded word with its English singulars ("batteries": battery, batterie)."""
    forms = {word}
    for ending, instead in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: -len(ending)] + instead)
    return forms


@lru_cache(maxsize=4096)
def _words_in(name: str, description: str, category: str) -> frozenset[str]:
    typed = folded_words(f"{name} {description} {category}")
    return frozenset(form for word in typed for form in _forms(word))


def product_words_of(product: Product) -> frozenset[str]:
    """Return the folded words of a product's name, description and category."""
    return _words_in(product.name, product.description or "", product.category or "")


@lru_cache(maxsize=4096)
def _folded_text(name: str, description: str) -> str:
    return f" {' '.join(folded_words(f'{name} {description}'))} "


def _text_of(product: Product) -> str:
    """Return a product's name and description as folded words, a space each side."""
    return _folded_text(product.name, product.description or "")


_word_index: weakref.WeakKeyDictionary[ProductIndex, dict[str, set[str]]] = (
    weakref.WeakKeyDictionary()
)


_kind_index: weakref.WeakKeyDictionary[ProductIndex, dict[str, frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)


def _kind_words(index: ProductIndex, category: str) -> frozenset[str]:
    """Return the words of the names of a category's products (the cameras' "pro", "x5")."""
    if index not in _kind_index:
        found: dict[str, set[str]] = {}
        for sku, product in index.products.items():
            found.setdefault(product.category or "", set()).update(index.tokens_of[sku])
        _kind_index[index] = {c: frozenset(ws) for c, ws in found.items()}
    return _kind_index[index].get(category, frozenset())


def _by_word(index: ProductIndex) -> dict[str, set[str]]:
    """Return, for each word (and English singular) of the products' names, descriptions and
    categories, the skus holding it; built once per catalogue."""
    if index not in _word_index:
        found: dict[str, set[str]] = {}
        for sku, product in index.products.items():
            for word in product_words_of(product):
                found.setdefault(word, set()).add(sku)
        _word_index[index] = found
    return _word_index[index]


def _nearest(
    folded: list[str], named: list[tuple[str, float, set[str]]], *, end: bool
) -> str | None:
    """Return the last (`end`) or the first of a text's words (`folded`) that the names hit
    (`ProductIndex.match_names`) hold: the name word nearest the end or the start. Words are
    read as typed ("wh-1000xm5" is two); a typo of a name word is not placed. None when no
    word is placed."""
    typed = [part for word in folded for part in re.split(r"[-'’]", word)]
    placed = [part for part in typed if any(part in h[2] for h in named)]
    return (placed[-1] if end else placed[0]) if placed else None


class ProductLookup(ProductNames):
    """The products a message is about, from the catalogue, the tips and their meaning."""

    def product_named(self, text: str) -> str | None:
        """Return the sku of the product a text names (by sku or name), if any."""
        products = self.catalogue.products
        folded = folded_words(text)
        return products.find_sku(folded) or self.product_by_name(
            text, self.name_hits(text, folded)
        )

    def product_by_name(self, text: str, hits: list[tuple[str, float, set[str]]]) -> str | None:
        """Return the product the name hits (`ProductIndex.match_names` of the text's folded
        words) point to, None when they name none: of two products set against each other,
        each named on its side of an "or", a "vs" or (asking a comparison) an "and"
        (bot.core.comparisons), the one named first; else `_by_name`."""
        if not hits or hits[0][1] < NAME_SHARE:
            return None
        language = current_language()
        # Fitting first: "does the base work with the swivel seat or only the carrier?" asks
        # about the base.
        # (Placed by the words typed: the English of glossary words has no place in it.)
        if asks_fit(text, language) and (
            (typed := self.catalogue.products.match_names(folded_words(text)))
            and (fitted := self._fitted(text, typed))
        ):
            return fitted
        if (accessory := self._accessory(text, hits, language)) is not None:
            return accessory
        for before, after in compared_parts(text, language):
            first, second = self._set_against(before, after)
            if first is not None and self._rivals(first, second, after):
                return first  # "whats the diff between buds 2 and buds 2 pro?": the Buds 2
            if first is not None and second is None and self._sibling_typed(first, after):
                return first  # "e-city 625 ile 500 arasındaki fark": the 625
        named = self.with_typed_extra(self._by_name(text, hits), text)
        parts = accessory_for(text, language)
        said = {word for _, share, words in hits if share >= NAME_SHARE for word in words}
        if parts is not None and set(parts[2]) & said:
            return named  # its "for" named the device, and `_accessory` the part
        return self._part_for(text, named, hits) or named

    def _part_for(
        self,
        text: str,
        device: str | None,
        hits: list[tuple[str, float, set[str]]],
        among: set[str] | None = None,
    ) -> str | None:
        """Return the part, supply or service a message asks for the product it names ("which
        card for 8K on the Z7 Pro?", "welchen Akku braucht die Z7 Pro?", "ποια κάρτα θέλει η
        Z7 Pro;"): of the products of another category whose name or description holds the
        device's name as typed ("Only the Z7 Pro has a CFexpress slot") and a word typed that
        is not in the device's name, or its English (bot.core.product_words: "κάρτα" is a
        card), the one, or of several the one the question means. None for any other
        message. `among`: only these products may be the part."""
        if device is None:
            return None
        index = self.catalogue.products
        product = index.products[device]
        own = _words_in(product.name, "", product.category or "")  # its description may name it
        folded = folded_words(text)
        # Words naming models of the device's kind ("pro", "x5") and words denied ask for no
        # part: "z7 pro değil z7" is about the Z7.
        kin = _kind_words(index, product.category or "")
        kept = set(undenied(folded))
        typed = [
            w
            for w in folded
            if len(w) >= 3 and w not in FOLDED_STOP_WORDS and w not in kin and w in kept
        ]
        asked = {f for w in typed if w not in own for f in _forms(w)}
        asked |= {f for t in english_terms(text) for w in folded_words(t) for f in _forms(w)} - own
        naming = {w for sku, _, words in hits if sku == device for w in words}
        # The device's name as typed, in runs of words ("z7 … full frame"): a run holding a
        # word of which model it is, not only of what it is ("battery": the part itself).
        runs = " ".join(w if w in naming else "|" for w in folded).split("|")
        phrases = [f" {r.strip()} " for r in runs if any(not is_kind_word(w) for w in r.split())]
        if not asked or not phrases:
            return None
        holding = _by_word(index)
        parts = [
            sku
            for sku in sorted(set().union(*(holding.get(w, ()) for w in asked)))
            if index.products[sku].category != product.category
            and any(phrase in _text_of(index.products[sku]) for phrase in phrases)
            and (among is None or sku in among)
        ]
        if not parts:
            return None
        described = self.product_described(text)  # the question's meaning, only now
        if described == device:
            return None  # the meaning is the device's: "fliesen verlegen pro m2" (per m²)
        if described in parts:
            return described  # "which card, not the cheap v30 ones": denials read too
        if len(parts) == 1:
            return parts[0]
        meaning = self._meaning(text)
        return max(parts, key=lambda sku: meaning.get(sku, float("-inf")))

    def set_against(self, text: str) -> tuple[str, str] | None:
        """Return the skus of two products a message sets against each other, each named on its
        side of an "or", a "vs" or (asking a comparison) an "and" (bot.core.comparisons), the
        one named first first: ("P-105", "P-106") for "X12 or X12 Pro?". None when it sets no
        two different products against each other."""
        for before, after in compared_parts(text, current_language()):
            first, second = self._set_against(before, after)
            if first is not None and second is not None and self._rivals(first, second, after):
                return first, second
        return None

    def _rivals(self, first: str, second: str | None, after: str) -> bool:
        """Return whether two products named each side of an "or" are set against each other:
        the second named after it (NAME_SHARE of its name typed) and of the first one's kind (a
        category, or a word of their names, shared), or named surely (STRONG_NAME: "Pulse Watch
        5 oder Aero 16?"); not "does the P-145 come with a pedal or do i need to sell one
        separately" (no pedal named after the "or"). False when there is no second, or it is
        the first."""
        if second is None or second == first:
            return False
        index = self.catalogue.products
        hits = index.match_names(folded_words(after), plain=True)
        named = max((share for sku, share, _ in hits if sku == second), default=0.0)
        same_kind = index.products[first].category == index.products[second].category
        kin = same_kind or bool(index.tokens_of[first] & index.tokens_of[second])
        return named >= STRONG_NAME or (kin and named >= NAME_SHARE)

    def _accessory(
        self, text: str, hits: list[tuple[str, float, set[str]]], language: str
    ) -> str | None:
        """Return the product asked for another named right after its "for" (`accessory_for`),
        named or described before it, or meant by the whole question and of the device's line:
        "a case for the X12 Pro" (not the phone), "Hülle fürs X12 Pro", "filtros para la
        Chemex"; None when there is no such "for", nothing stands before it, the name read as a
        whole holds it ("filters for the Chemex"), it is the product named ("too expensive for
        her", "verkaufsargumente für den…") or is for another model of the line (the X12 Pro's
        case asked for the X12 Pro Max)."""
        parts = accessory_for(text, language)
        if parts is None:
            return None
        before, after, near = parts
        named = {word for _, share, words in hits if share >= NAME_SHARE for word in words}
        if not set(near) & named:
            return None
        index = self.catalogue.products
        tokens = index.tokens_of
        device = self._named_in(after)
        found = self._named_in(before) or self.named_in_english(before, heads=True)
        # The products whose names hold the words asking for the part ("card reader": one;
        # "tripod", "sensor clean": a kind, of which the one made for the device).
        asked = {w for w in folded_words(before) if w not in question_words()}
        holders = (
            set.intersection(*(index.by_token.get(w, set()) for w in asked)) if asked else set()
        )
        alone = found is not None and holders == {found}
        among = holders if len(holders) > 1 else None
        if (
            device is not None
            and not alone
            and (part := self._part_for(text, device, hits, among))
        ):
            return part  # "que tarjeta le doy para la Z7 Pro": the card made for it
        whole = self._by_name(text, hits)
        if whole is not None and tokens[whole] & set(folded_words(before)):
            return None  # "filters for the Chemex": the Chemex Filters, named as a whole
        if found is None and device is not None and self._describes(before):
            # Described in words the glossary lacks ("filtros para la Chemex"; not "consejos
            # para vender el X12"): what the whole question means, of the device's line.
            meant = self.product_described(text)
            found = meant if meant and tokens[meant] & tokens[device] else None
        if found is None or found == device:
            return None
        return None if device and index.for_another_model(found, device) else found

    @staticmethod
    def _describes(part: str) -> bool:
        """Return whether a part of a message holds a word of its own, not one of the questions'
        nor a stop word ("filtros", not "consejos para vender")."""
        asking = question_words()
        return any(w not in FOLDED_STOP_WORDS and w not in asking for w in folded_words(part))

    def _sibling_typed(self, sku: str, part: str) -> bool:
        """Return whether a part of a message holds a word of the name of another product of
        the same line as `sku` (sharing a word of its name) that its own name lacks: the other
        side of a comparison named by what sets it apart ("625 or 500", "the edt 50 and the
        edp 50"). A number counts with its unit in the name ("50" of "50ml")."""
        index = self.catalogue.products
        own = index.tokens_of[sku]
        for word in folded_words(part):
            if word in own or word in FOLDED_STOP_WORDS:
                continue
            tokens = {word} if word in index.by_token else set()
            if word.isdigit():
                tokens |= {
                    t
                    for t in index.by_token
                    if t.startswith(word) and _UNIT.fullmatch(t.removeprefix(word))
                }
            for token in tokens - own:
                if any(index.tokens_of[other] & own for other in index.by_token[token]):
                    return True
        return False

    def _set_against(self, before: str, after: str) -> tuple[str | None, str | None]:
        """Return the products named before and after a word that sets two against each other
        (`compared_parts`), each None when its side names none. Each is the one named nearest
        that word (`_by_name` of those whose names hold it), among those of a kind with one
        named on the other side (of a category, or sharing a name word) when there are such:
        "are the buds 3 good for running in the rain or the buds 3 pro?" sets the Buds 3
        against the Pro, not a running shoe."""
        index = self.catalogue.products
        folded = [folded_words(before), folded_words(after)]
        hits = [index.match_names(words, plain=True) for words in folded]
        named = [[h for h in side if h[1] >= NAME_SHARE] for side in hits]

        def kin(a: str, b: str) -> bool:
            same_kind = index.products[a].category == index.products[b].category
            return same_kind or bool(index.tokens_of[a] & index.tokens_of[b])

        kin_before = [h for h in named[0] if any(kin(h[0], o[0]) for o in named[1])]
        kin_after = [h for h in named[1] if any(kin(h[0], o[0]) for o in named[0])]
        if kin_before and kin_after:
            named = [kin_before, kin_after]
        found: list[str | None] = []
        for part, words, side, near, end in zip(
            (before, after), folded, hits, named, (True, False), strict=True
        ):
            # The one nearest the word setting them apart; none placed, named by typos only.
            word = _nearest(words, near, end=end)
            found.append(self._by_name(part, [h for h in side if word is None or word in h[2]]))
        return found[0], found[1]

    def _fitted(self, text: str, hits: list[tuple[str, float, set[str]]]) -> str | None:
        """Return the product a question about fitting another names or describes first ("does
        the sport band fit the 45mm watch?", "passt die Tastaturhülle aufs Slate 11?"), when
        it names two, or describes one before the one it names; else None."""
        folded = folded_words(text)
        rivals = [h for h in hits if h[1] >= EARLIER_SHARE * hits[0][1]]
        shared = set.intersection(*(h[2] for h in rivals))
        # Named only by words all share ("x12 pro" of the X12 Pro Max and its case): no rival.
        rivals = [h for h in rivals if h[2] - shared] or rivals[:1]
        at = {h[0]: first_place(folded, h[2] - shared or h[2]) for h in rivals}
        first = min(rivals, key=lambda h: at[h[0]])
        before = before_word(text, first_place(folded, first[2]))  # before all of its name
        # Words of its own name before it are the same mention ("the robot vac with the mop");
        # a product named only in part may be the one described ("das Ausziehbett 90x200").
        described = None
        if first[1] >= STRONG_NAME and not set(folded_words(before)) & first[2]:
            described = self._named_in(before) or self.named_in_english(before, heads=True)
        if described is not None and described != first[0]:
            return described
        return first[0] if len(rivals) > 1 else None

"""Which product a message names or describes, one product at a time: by its name typed (in
full, in part, with a model code), by the English of the product words of another language
(bot.core.product_words), or by meaning (the centred question against descriptions and tips,
bot.core.centring).

`ProductNames` holds the catalogue's indexes, the tip store and the embedding model;
bot.core.product_lookup.ProductLookup adds what a message naming two products asks about.
"""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from bot.core.catalogue import Catalogue, first_place, is_code, most_named, named_first
from bot.core.centring import centring_for
from bot.core.denials import name_words, other_models, undenied_hits
from bot.core.features import (
    NAME_NEGATORS,
    REACH,
    asked_features,
    feature_choice,
    number_choice,
    numbered,
    size_choice,
    tells_apart,
    twins,
    typed_measures,
    undenied,
)
from bot.core.i18n import current_language
from bot.core.product_words import (
    catalogue_words,
    english_terms,
    english_terms_placed,
    with_english,
)
from bot.core.text import (
    FOLDED_STOP_WORDS,
    fold,
    folded_words,
    replace_words,
    strip_accents,
    words,
)
from knowledge.tips import TipStore, search_tips_by_vector

# Share of a product name's weight a message must cover to name that product.
NAME_SHARE = 0.15
# A product only described: its best cosine with the centred question (bot.core.centring), among
# its description and tips, at DESCRIBED_FLOOR or above and DESCRIBED_MARGIN ahead of the next
# product's. Centred scores are small: on the development questions that described one product
# the winner scored 0.07-0.28, and at these two values it was the right product 18 times in 24.
DESCRIBED_FLOOR = 0.09
DESCRIBED_MARGIN = 0.01
# How many of the nearest descriptions and tips are compared.
DESCRIBED_CANDIDATES = 12
# Products this near the best in meaning are told apart by the features asked for ("the
# headphones without noise cancelling", "der kleine Luftreiniger"), at most TWIN_CANDIDATES.
TWIN_GAP = 0.04
TWIN_CANDIDATES = 4
# A product name typed to this share of its weight names it whatever the meaning says.
STRONG_NAME = 0.4
# A product named before the best-named one is asked about when named this share as surely:
# "the R9 … for long hair?" (R9 0.25, a dryer's "long" 0.36) is; "lady asking about the selene
# 50cm strand" (the watch "Lady" 0.39, the strand 0.78) is not.
EARLIER_SHARE = 0.6


def _standout(scores: dict[str, float]) -> str | None:
    """Return the best-scored product when it reaches DESCRIBED_FLOOR and leads the next by
    DESCRIBED_MARGIN, else None."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < DESCRIBED_FLOOR:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < DESCRIBED_MARGIN:
        return None
    return ranked[0][0]


def _english_not_names(text: str) -> list[str]:
    """Return the English of the glossary words of `text` (bot.core.product_words), but for
    those typed capitalised inside it, as a name is: "hat Frau Braun die Kira gekauft?" asks
    nothing about a brown Kira."""
    folded = strip_accents(text)
    capitalised = {
        strip_accents(w) for i, w in enumerate(words(text)) if i > 0 and w[:1].isupper()
    }
    placed = english_terms_placed(text)
    return list(dict.fromkeys(t for a, b, t in placed if folded[a:b] not in capitalised))


def _counted_words(phrase: str) -> int:
    """Return how many words of a phrase product-name matching counts (ProductIndex
    .match_names: no stop words, three letters or more)."""
    parts = [p for w in folded_words(phrase) for p in re.split(r"[-'’]", w) if p]
    return len({p for p in parts if len(p) >= 3 and p not in FOLDED_STOP_WORDS})


class ProductNames:
    """The product a message names or describes, from the catalogue, the tips and their meaning."""

    def __init__(self, *, catalogue: Catalogue, tips: TipStore, embeddings: Embeddings):
        self.catalogue = catalogue
        self.tips = tips
        self.embeddings = embeddings
        self.centring = centring_for(embeddings)

    def _named_in(self, part: str) -> str | None:
        """Return the product a part of a message names by its name (`_by_name`), if any."""
        return self._by_name(part, self.name_hits(part, folded_words(part)))

    def name_hits(self, text: str, folded: list[str]) -> list[tuple[str, float, set[str]]]:
        """Return the products a message names (`ProductIndex.match_names` of its folded words
        `folded`), scored with the English of the glossary words it types in another language
        (bot.core.product_words) that tell apart the products its own words name: "der braune
        Kira Boot" names the "Kira Chelsea boot brown" more than the black one, "las kira
        marrones" (Kira alone names four boots) names it. An English word every one of them
        has ("Ecksofa": sofa) tells nothing; the words so read must name a product more surely
        than the typed words alone (STRONG_NAME when these name none)."""
        index = self.catalogue.products
        hits, folded = undenied_hits(index, folded)
        if current_language() == "en":
            return hits
        english = [w for term in _english_not_names(text) for w in folded_words(term)]
        english += [w[:-1] for w in english if w.endswith("s") and len(w) > 3]  # "boots": boot
        if not english:
            return hits
        typed = {part for word in folded for part in re.split(r"[-'’]", word)}
        typed |= {w for _, _, matched in hits for w in matched}  # "xm6", "diffusor"
        named = {sku for w in typed for sku in index.by_token.get(w, ())} | {h[0] for h in hits}
        telling = [
            w for w in english if 0 < sum(w in index.tokens_of[s] for s in named) < len(named)
        ]
        if not telling:
            return hits
        richer = [
            h for h in index.match_names([*folded, *telling]) if h[0] in named and h[2] & typed
        ]
        if not richer or richer[0][1] < (hits[0][1] if hits else STRONG_NAME):
            return hits
        return richer

    def _by_name(self, text: str, hits: list[tuple[str, float, set[str]]]) -> str | None:
        """Return the product the name hits point to: the one more of whose name is typed
        ("iphone 17 pro"), else told apart by meaning ("the AeroPress": the brewer more than its
        filters); a model code typed ("xm6", "v15") keeps to the best named; a name only
        partly typed (under STRONG_NAME of its weight) gives way to a product the meaning
        clearly describes that the same words do not name ("el molinillo eléctrico": the
        grinder, not the electric kettle)."""
        if not hits or hits[0][1] < NAME_SHARE:
            return None
        named = most_named([h for h in hits if h[1] >= NAME_SHARE])
        hits = named + [h for h in hits if h not in named]
        # Two different products named ("sell the AeroPress to someone with a moka pot"): the
        # question is about the one named first, when named as surely ("lady asking about the
        # selene 50cm strand" is about the strand, not the watch named "Lady").
        folded = undenied(folded_words(text))  # a denied word names nothing first ("not the grey")
        best_at = first_place(folded, hits[0][2])
        earlier = [
            h
            for h in hits
            if h[1] >= EARLIER_SHARE * hits[0][1]
            and first_place(folded, h[2]) < best_at - 1
            and not h[2] & hits[0][2]
        ]
        if earlier:  # named apart, words between: not one phrase ("coffee dripper")
            first_named = min(earlier, key=lambda h: first_place(folded, h[2]))
            hits = [h for h in hits if h[2] == first_named[2]]
        top = [sku for sku, score, _ in hits if score >= hits[0][1] - 0.03]
        # Of one family, the one named first when set against each other, even when the other
        # is named more fully ("la crema mineral baby de sunshield y el spray kids").
        rivals = [
            h
            for h in hits
            if h[0] in top
            or (h[1] >= EARLIER_SHARE * hits[0][1] and h[2] & hits[0][2] and h[2] - hits[0][2])
        ]
        if (first := named_first(folded, rivals)) is not None:
            return first  # "diferencia entre el nordlicht 36 y el 38": the 36
        # Two models of one line, named by the same typed words (the longer name scoring
        # lower): the features asked for tell them apart ("robot vacuum with mopping", "the
        # one without the dock"), else the meaning among the equally named.
        if len(top) > 1 and (numbered := self._numbered(folded, top)) is not None:
            return numbered  # "la escalera de 5 peldaños": the "step ladder 5 tread"
        if chosen := self._sibling_asked(text, hits, top):
            return chosen
        if len(top) == 1 and hits[0][1] >= STRONG_NAME:
            return top[0]
        meaning = self._meaning(text)
        if any(is_code(w) for w in hits[0][2]):
            return max(top, key=lambda sku: meaning.get(sku, -1.0))
        # Products partly named: another the meaning singles out, and that no typed word names
        # at all, is what was meant ("el molinillo eléctrico" is no electric kettle, "the air
        # fryer's basket" no "Air 300" headphones).
        # Or one named by other words ("the lady says the bean to cup with the milk carafe…";
        # the R9+ is no answer to "the R9", named by the same words).
        same = {sku for sku, _, matched in hits if matched == hits[0][2]}
        if len(same) == 1 and self.catalogue.products.names_plainly(folded, hits[0][0]):
            return hits[0][0]  # two words of its name, no kind's: "okka minio" of a long name
        denied = set(folded_words(text)) - set(folded)  # "not the grey one": no grey model
        described = _standout(meaning) if hits[0][1] < STRONG_NAME else None
        tokens = self.catalogue.products.tokens_of
        if described is not None and described not in same and not denied & tokens[described]:
            return described
        if len(top) > 1:
            return max(top, key=lambda sku: meaning.get(sku, -1.0))
        return top[0]

    def _numbered(self, folded: list[str], top: list[str]) -> str | None:
        """Return the one of equally named products (`top`) whose name holds a number the
        message types (whole, as "5" in "5 tread"), else None."""
        typed = {w for w in folded if w.isdigit()}
        products = self.catalogue.products.products
        numbered = [s for s in top if typed & set(re.findall(r"\d+", products[s].name))]
        return numbered[0] if len(numbered) == 1 else None

    def _sibling_asked(
        self, text: str, hits: list[tuple[str, float, set[str]]], top: list[str]
    ) -> str | None:
        """Return the one of the best-named products (`top`) and their siblings (named by the
        same typed words, the longer name scoring lower) that the features asked for point to
        (bot.core.features), None when there is no choice to make or they don't tell."""
        siblings = [sku for sku, _, matched in hits if matched == hits[0][2] and sku not in top]
        if len(top) + len(siblings) < 2:
            return None
        english = current_language() == "en"
        asked = asked_features(text, english=english)
        index = self.catalogue.products
        if chosen := size_choice(top + siblings, index.products, asked):
            return chosen  # "the small Breeze"
        if chosen := number_choice(top + siblings, index.products, asked):
            return chosen  # "the 24 cm pan"
        own = set().union(*(index.tokens_of[s] for s in siblings)) - set().union(
            *(index.tokens_of[s] for s in top)
        )
        if english and not tells_apart(asked, own):
            siblings = []  # "is the R7 good on carpets?" is the R7, whatever the R7+ says
        return feature_choice(top + siblings, index.products, asked)

    def with_typed_extra(self, sku: str | None, text: str) -> str | None:
        """Return the product whose name is `sku`'s and more, every word more typed in the
        message ("gleitsicht pro": the Progressive Comfort Pro, not the Progressive Comfort
        the meaning found), the longest such, with the same numbers in its name; none denied
        ("not the pro"); else `sku`."""
        if sku is None or not self.catalogue.products.tokens_of[sku]:
            return sku
        index = self.catalogue.products
        tokens_of, typed = index.tokens_of, folded_words(text)
        # The words more denied ("not the pro", "sin el pro") are no asking for them.
        denied = {
            w for i, w in enumerate(typed) if NAME_NEGATORS & set(typed[max(0, i - REACH) : i])
        } | (set(typed) - set(undenied(typed)))  # and "pro değil"
        numbers = set(re.findall(r"\d+(?:[.,]\d+)?", index.products[sku].name))
        # The products whose names hold every word of its name (by the word index).
        holders = set.intersection(*(index.by_token.get(t, set()) for t in tokens_of[sku]))
        longer = [
            s
            for s in holders
            if tokens_of[sku] < (ts := tokens_of[s])
            and ts - tokens_of[sku] <= set(typed) - denied
            # the same numbers: "Single Vision 1.5" is no "1.6 Thin"
            and numbers <= set(re.findall(r"\d+(?:[.,]\d+)?", index.products[s].name))
        ]
        return max(longer, key=lambda s: len(tokens_of[s]), default=sku)

    def names_a_kind(self, text: str) -> bool:
        """Return whether a question in another language than English names a kind of product
        by a glossary word (bot.core.product_words: "la freidora de aire", "το μπλέντερ")."""
        return current_language() != "en" and bool(english_terms(text, naming=True))

    def product_described(self, text: str) -> str | None:
        """Return the product a text describes without naming it, when one stands out: by the
        centred meaning of the question (`_meaning`), the best product at DESCRIBED_FLOOR or
        above and DESCRIBED_MARGIN ahead of the next; else None."""
        meaning = self._meaning(text)
        if measures := typed_measures(text):  # "die 1,2-Liter-Gusseisenkanne": of those near
            asked = [((number,), True) for number in measures]
            if chosen := number_choice(list(meaning), self.catalogue.products.products, asked):
                return chosen
        chosen = self.named_in_english(text, meaning) or self._told_apart(text, meaning)
        chosen = self.with_typed_extra(chosen, text)
        typed = folded_words(text)
        denied = set(typed) - set(undenied(typed))
        if chosen is not None and denied & name_words(self.catalogue.products, chosen):
            # "el arreglo de cortinas, no el express": the model of its line that it denies not
            others = other_models(self.catalogue.products, chosen, denied)
            return max(others, key=lambda sku: meaning.get(sku, -1.0)) if others else chosen
        return chosen

    def _told_apart(self, text: str, meaning: dict[str, float]) -> str | None:
        """Return the product the meaning singles out (`_standout`), unless the products
        nearest in meaning (within TWIN_GAP of the best) are told apart by what the question
        asks: the small or the large model of a line (features.size_choice), a feature asked
        for or denied (features.feature_choice: "χωρίς ακύρωση θορύβου")."""
        ranked = sorted(meaning.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < DESCRIBED_FLOOR:
            return None
        near = [sku for sku, score in ranked if score >= ranked[0][1] - TWIN_GAP]
        near = near[:TWIN_CANDIDATES]
        if len(near) > 1:
            products = self.catalogue.products.products
            asked = asked_features(text, english=current_language() == "en")
            chosen = size_choice(twins(near[0], near, products), products, asked)
            chosen = chosen or number_choice(near, products, asked)
            if chosen := chosen or feature_choice(near, products, asked):
                return chosen
        return _standout(meaning)

    def named_in_english(
        self, text: str, meaning: dict[str, float] | None = None, *, heads: bool = False
    ) -> str | None:
        """Return the product whose name the English of the text's product words names
        (bot.core.product_words: "το μπουρνούζι βάφλα" asks about a bathrobe, and the
        catalogue's "Cotton Waffle Bathrobe" is one). Of the products so named (NAME_SHARE of
        their name's weight or more), the one nearest in meaning to those English words and
        to the whole question (`meaning`, centred cosines; None: those words alone) together:
        "coffee grinder" is the "Burr Grinder" more than the "Coffee Maker". With `heads`, a
        kind no product is named by names those its last word names ("phone case": a "Clear
        Case"; only where a kind is expected: the wine glass of "ποτήρια" is no "Glass Teapot").
        None for a text in English, or when no product is so named."""
        if current_language() == "en":
            return None
        terms = english_terms(text, naming=True)
        if not terms:
            return None
        products = self.catalogue.products

        def named_by(term: str, share: float) -> set[str]:
            # The products holding all the words of the term, or of another English word for
            # it ("bath robe" names no bath mat), at `share` of their name's weight or more.
            return {
                sku
                for phrase in catalogue_words([term])
                for sku, got, matched in products.match_names(folded_words(phrase))
                if got >= share and len(matched) >= _counted_words(phrase)
            }

        candidates = set().union(*(named_by(term, NAME_SHARE) for term in terms))
        if not candidates and heads:
            # Named by the kind's head noun alone ("phone case": the "X12 Pro Clear Case").
            ends = {term.split()[-1] for term in terms if " " in term}
            candidates = set().union(*(named_by(end, NAME_SHARE) for end in ends))
        if not candidates:
            return None
        asked = asked_features(text, english=False)
        if chosen := number_choice(sorted(candidates), products.products, asked):
            return chosen  # "die 1,2-Liter-Gusseisenkanne": the 1.2 L teapot
        if not numbered(sorted(candidates), products.products, asked):
            # A number none of them has, that products named less fully by the words hold
            # ("siyah mangal, 57lik": the Kettle Grill 57 cm, named "grill" only), the features
            # asked telling those apart (black, not the green one).
            loose = sorted(
                sku
                for phrase in catalogue_words(terms)
                for sku in set.intersection(
                    *(products.by_token.get(w, set()) for w in folded_words(phrase))
                )
            )
            if held := numbered(loose, products.products, asked):
                chosen = held[0] if len(held) == 1 else None
                if chosen := chosen or feature_choice(held, products.products, asked):
                    return chosen
        # Of those, the ones whose names hold the most of the words typed, features included:
        # "erkek merinos kazak" (men's, merino wool, sweater) is the "Men's Merino Jumper" more
        # than the "Merino Wool Throw".
        counts = dict.fromkeys(candidates, 0)
        for term in english_terms(text):
            for sku in named_by(term, 0.0) & candidates:
                counts[sku] += 1
        most = max(counts.values())
        named = [sku for sku, count in counts.items() if count == most]
        if chosen := size_choice(named, products.products, asked):
            return chosen  # "der kleine Luftreiniger": the Breeze 30, not the Breeze 50
        if chosen := feature_choice(named, products.products, asked):
            return chosen  # "Saugroboter mit Wischfunktion": the one that mops
        for term in english_terms(text) if len(named) > 1 else []:
            # Named as fully, the one the message names first: "η βούρτσα σουέτ μαζί με τα
            # μοκασίνια" asks about the suede brush, not the suede loafers.
            if 0 < len(first := named_by(term, 0.0) & set(named)) < len(named):
                named = sorted(first)
                break
        centred = self.centring.centre(self.embeddings.embed_query(", ".join(terms))).tolist()
        near_terms = dict(products.nearest(centred, within=named, k=len(named)))
        # A named product too far from the whole question for its DESCRIBED_CANDIDATES scores
        # as the farthest of them.
        meaning = meaning or {}
        farthest = min(meaning.values(), default=0.0)
        return max(named, key=lambda sku: near_terms.get(sku, 0.0) + meaning.get(sku, farthest))

    def products_by_meaning(self, text: str) -> list[tuple[str, float]]:
        """Return (sku, centred cosine) of the products nearest a text in meaning, best first
        (`_meaning`): at most DESCRIBED_CANDIDATES, and those tips of which are near."""
        return sorted(self._meaning(text).items(), key=lambda item: -item[1])

    def _unnamed(self, text: str) -> str:
        """Return `text` with each word that is a form of a customer's name and no word of a
        product's name masked as X (as the intent model's customers are)."""
        customers = self.catalogue.customers.by_form
        tokens = self.catalogue.products.by_token

        def masked(word: str) -> str | None:
            folded = fold(word)
            return "X" if folded in customers and folded not in tokens else None

        return replace_words(text, masked)

    def _meaning(self, text: str) -> dict[str, float]:
        """Return products near the question in meaning: the question's vector is centred
        (bot.core.centring: what every product question in its language shares taken out),
        and each product scores its best cosine with it among its description and its tips, in
        any language (the DESCRIBED_CANDIDATES nearest of each)."""
        # Read with the English of its product words: the catalogue is often in English; and
        # without the customers' names, which say nothing of a product ("Çağla Yılmaz is asking
        # if the chemex…" is no nearer the moka pot for her Turkish name).
        query = with_english(self._unnamed(text), current_language())
        centred = self.centring.centre(self.embeddings.embed_query(query)).tolist()
        known = self.catalogue.products.products
        best = dict(self.catalogue.products.nearest(centred, k=DESCRIBED_CANDIDATES))
        if not best:  # an empty catalogue
            return {}
        for hit in search_tips_by_vector(self.tips, centred, k=DESCRIBED_CANDIDATES):
            sku = hit.tip.sku
            if sku and sku in known:
                best[sku] = max(best.get(sku, -1.0), hit.score)
        return best

"""Fetching what an answer is made of: customers, products, tips and recommendations.

Plain methods over the store, the tip store and the catalogue, used by the offline answers and,
as the same calls, by the LLM agent's tools (bot.core.llm.tools): one copy of each look-up.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import datetime

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import wording
from bot.core.catalogue import (
    Catalogue,
    best_customers,
    first_place,
    is_code,
    most_named,
    named_first,
)
from bot.core.centring import centring_for
from bot.core.features import (
    asked_features,
    feature_choice,
    number_choice,
    size_choice,
    tells_apart,
    twins,
    typed_measures,
)
from bot.core.i18n import _, current_language
from bot.core.name_sounds import typed_sounds
from bot.core.names import NameMatch
from bot.core.product_words import catalogue_words, english_terms, with_english
from bot.core.recommend import Recommendation, recommend
from bot.core.text import FOLDED_STOP_WORDS, folded_words, greek_case_forms, words
from bot.core.types import Caller
from knowledge.tips import Tip, TipStore, search_tips, search_tips_by_vector
from storage.customers import find_by_email, find_by_phone, get_customer, get_customers
from storage.models import Customer
from storage.purchases import purchase_summary
from storage.scope import EVERYONE, Scope

# Share of a product name's weight a message must cover to name that product.
NAME_SHARE = 0.15
# At most this many customers are offered when a name fits several.
CANDIDATES = 6
# e5 tip scores are compressed: keep the tips close to the best one, not above a fixed level.
TIP_SCORE_GAP = 0.04
# …and never below this: on the demo tips, questions about a product scored 0.83-0.89 with
# their best tip, off-topic messages ("book me a taxi", "tell me a joke") 0.78-0.82.
TIP_SCORE_FLOOR = 0.825
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
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d[\d\s()./-]{5,}\d")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Fewer digits than this are a quantity, a price or a year, not a phone number.
MIN_PHONE_DIGITS = 7


def in_reply_language(tips: list[Tip]) -> list[Tip]:
    """Return the tips written in the reply's language (or with no language recorded), in
    their order, when there is any; else all of them (the wording marks their language)."""
    language = current_language()
    own = [t for t in tips if not t.language or t.language == language]
    return own or tips


def _standout(scores: dict[str, float]) -> str | None:
    """Return the best-scored product when it reaches DESCRIBED_FLOOR and leads the next by
    DESCRIBED_MARGIN, else None."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < DESCRIBED_FLOOR:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < DESCRIBED_MARGIN:
        return None
    return ranked[0][0]


def typed_contact(text: str) -> tuple[str, str] | None:
    """Return ("email", address) or ("phone", number as typed) found in a message, else None.
    A phone number has at least MIN_PHONE_DIGITS digits and is not an ISO date."""
    if email := _EMAIL.search(text):
        return "email", email.group()
    for phone in _PHONE.finditer(text):
        number = phone.group().strip()
        digits = sum(ch.isdigit() for ch in number)
        if digits >= MIN_PHONE_DIGITS and not _ISO_DATE.fullmatch(number):
            return "phone", number
    return None


def _counted_words(phrase: str) -> int:
    """Return how many words of a phrase product-name matching counts (ProductIndex
    .match_names: no stop words, three letters or more)."""
    parts = [p for w in folded_words(phrase) for p in re.split(r"[-'’]", w) if p]
    return len({p for p in parts if len(p) >= 3 and p not in FOLDED_STOP_WORDS})


class Retrieval:
    """The store's facts for one assistant: SQL, tips, the catalogue's indexes and the clock."""

    def __init__(
        self,
        *,
        engine: Engine,
        tips: TipStore,
        embeddings: Embeddings,
        catalogue: Catalogue,
        clock: Callable[[], datetime],
        phone_region: str = "",
        store_timezone: str = "UTC",
        customer_scope: str = "all",
    ):
        """`phone_region` (ISO 3166 alpha-2, "" for digits only) reads numbers typed without
        a country code, as the importer did (setting PHONE_REGION); `store_timezone` (IANA)
        is the zone whose wall-clock time purchases and notes are stored in;
        `customer_scope` (CUSTOMER_SCOPE, "all" or "store") which customers a caller sees
        (`for_caller`). ValueError for another scope."""
        Scope.of(customer_scope, role="", store=None)  # a bad value fails here, not mid-answer
        self.customer_scope = customer_scope
        # The customers these look-ups see: everyone until `for_caller` narrows a copy.
        self.scope: Scope = EVERYONE
        self.phone_region = phone_region
        self.store_timezone = store_timezone
        self.engine = engine
        self.tips = tips
        self.embeddings = embeddings
        self.catalogue = catalogue
        self.clock = clock
        self.centring = centring_for(embeddings)
        # MAX_MARKETING_CONTACTS_PER_30D and DEFAULT_LANGUAGE (drafts to a customer whose
        # language has no catalogue): the Assistant sets them from its settings.
        self.marketing_cap = 2
        self.default_language = "en"

    # --- customers -------------------------------------------------------------------------------

    def for_caller(self, caller: Caller) -> Retrieval:
        """Return these look-ups as `caller` may make them: every customer look-up below sees
        only the customers CUSTOMER_SCOPE lets them see (storage.scope); the rest is shared."""
        seen = copy.copy(self)
        seen.scope = Scope.of(self.customer_scope, role=caller.role, store=caller.store)
        return seen

    def customer(self, db: Session, customer_id: str) -> Customer | None:
        """Return the customer with this id when there is one in scope, else None."""
        return get_customer(session=db, customer_id=customer_id, scope=self.scope)

    def customers(self, db: Session, customer_ids: list[str]) -> list[Customer]:
        """Return those of these customers in scope, in the order asked."""
        return get_customers(session=db, customer_ids=customer_ids, scope=self.scope)

    def in_scope(self, db: Session, matches: list[NameMatch]) -> list[NameMatch]:
        """Return the name matches of customers in scope, in their order: others' names match
        nothing, as if they were not on record (no query under CUSTOMER_SCOPE=all)."""
        if self.scope.everyone or not matches:
            return matches
        seen = self.scope.visible(session=db, customer_ids=[m.customer_id for m in matches])
        return [m for m in matches if m.customer_id in seen]

    def direct_customers(self, db: Session, text: str) -> list[Customer]:
        """Return the customers (in scope) a text names directly: a customer id, an email or a
        phone."""
        for word in words(text):
            if not any(ch.isdigit() for ch in word):
                continue
            # Ids are typed as they come to mind: "c0154" for C0154.
            for form in dict.fromkeys((word, word.upper())):
                if c := self.customer(db, form):
                    return [c]
        contact = typed_contact(text)
        if contact is None:
            return []
        kind, value = contact
        if kind == "email":
            return find_by_email(session=db, email=value, scope=self.scope)
        return find_by_phone(session=db, phone=value, region=self.phone_region, scope=self.scope)

    def find_customers(self, db: Session, name: str) -> list[Customer]:
        """Return the customers (in scope) `name` fits (id, email, phone, or a name with
        typos), best first, at most CANDIDATES."""
        found = self.direct_customers(db, name)
        if found:
            return found[:CANDIDATES]
        index = self.catalogue.customers
        matches = best_customers(
            self.in_scope(
                db,
                index.match(
                    folded_words(name),
                    case_forms=greek_case_forms(name),
                    sounds=typed_sounds(name),
                ),
            )
        )
        ids = [m.customer_id for m in matches[:CANDIDATES]]
        return self.customers(db, ids)

    def candidate_detail(
        self,
        db: Session,
        customer: Customer,
        *,
        date: Callable[[datetime], str] = wording.day,
    ) -> str:
        """Return the one detail that tells same-named customers apart: store and last visit
        (the date written by `date`: "1 Mar 2025" for people by default)."""
        summary = purchase_summary(session=db, customer_id=customer.customer_id)
        detail = (
            _("last visit {date}").format(date=date(summary.last))
            if summary.last
            else _("no purchases yet")
        )
        if customer.home_store:
            return _("store {store}, {detail}").format(store=customer.home_store, detail=detail)
        return detail

    def recommendations(self, db: Session, customer_id: str, k: int = 5) -> list[Recommendation]:
        """Return what to show the customer next, best first, each with its reason."""
        return recommend(session=db, customer_id=customer_id, k=k, now=self.clock())

    # --- products and tips -----------------------------------------------------------------------

    def product_named(self, text: str) -> str | None:
        """Return the sku of the product a text names (by sku or name), if any."""
        products = self.catalogue.products
        folded = folded_words(text)
        return products.find_sku(folded) or self.product_by_name(
            text, products.match_names(folded)
        )

    def product_by_name(self, text: str, hits: list[tuple[str, float, set[str]]]) -> str | None:
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
        folded = folded_words(text)
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
        if (first := named_first(folded, [h for h in hits if h[0] in top])) is not None:
            return first  # "diferencia entre el nordlicht 36 y el 38": the 36
        # Two models of one line, named by the same typed words (the longer name scoring
        # lower): the features asked for tell them apart ("robot vacuum with mopping", "the
        # one without the dock"), else the meaning among the equally named.
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
        if hits[0][1] < STRONG_NAME and (described := _standout(meaning)) not in same | {None}:
            return described
        if len(top) > 1:
            return max(top, key=lambda sku: meaning.get(sku, -1.0))
        return top[0]

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
        return self.named_in_english(text, meaning) or self._told_apart(text, meaning)

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

    def named_in_english(self, text: str, meaning: dict[str, float] | None = None) -> str | None:
        """Return the product whose name the English of the text's product words names
        (bot.core.product_words: "το μπουρνούζι βάφλα" asks about a bathrobe, and the
        catalogue's "Cotton Waffle Bathrobe" is one). Of the products so named (NAME_SHARE of
        their name's weight or more), the one nearest in meaning to those English words and
        to the whole question (`meaning`, centred cosines; None: those words alone) together:
        "coffee grinder" is the "Burr Grinder" more than the "Coffee Maker". None for a text in
        English, or when no product is so named."""
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
        if not candidates:
            return None
        asked = asked_features(text, english=False)
        if chosen := number_choice(sorted(candidates), products.products, asked):
            return chosen  # "die 1,2-Liter-Gusseisenkanne": the 1.2 L teapot
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

    def _meaning(self, text: str) -> dict[str, float]:
        """Return products near the question in meaning: the question's vector is centred
        (bot.core.centring: what every product question in its language shares taken out),
        and each product scores its best cosine with it among its description and its tips, in
        any language (the DESCRIBED_CANDIDATES nearest of each)."""
        # Read with the English of its product words: the catalogue is often in English.
        query = with_english(text, current_language())
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

    def relevant_tips(self, text: str, *, k: int, sku: str | None = None) -> list[Tip]:
        """Return the tips that fit `text` (of one product when `sku` is given), best first:
        the best hit and those within TIP_SCORE_GAP of it, all at TIP_SCORE_FLOOR or above
        unless the product is given (its own tips fit it). Those in the reply's language only,
        when any is (`in_reply_language`)."""
        hits = search_tips(self.tips, text, k=k, sku=sku)
        if not hits:
            return []
        best = hits[0].score
        floor = best - TIP_SCORE_GAP if sku else max(best - TIP_SCORE_GAP, TIP_SCORE_FLOOR)
        return in_reply_language([h.tip for h in hits if h.score >= floor])

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
)
from bot.core.i18n import _, current_language
from bot.core.name_sounds import typed_sounds
from bot.core.names import NameMatch
from bot.core.product_lookup import ProductLookup
from bot.core.recommend import Recommendation, recommend
from bot.core.text import folded_words, greek_case_forms, words
from bot.core.types import Caller
from knowledge.tips import Tip, TipStore, search_tips
from storage.customers import find_by_email, find_by_phone, get_customer, get_customers
from storage.db import read_session
from storage.models import Customer
from storage.purchases import owned_skus, purchase_summary
from storage.scope import EVERYONE, Scope

# At most this many customers are offered when a name fits several.
CANDIDATES = 6
# e5 tip scores are compressed: keep the tips close to the best one, not above a fixed level.
TIP_SCORE_GAP = 0.04
# …and never below this: on the demo tips, questions about a product scored 0.83-0.89 with
# their best tip, off-topic messages ("book me a taxi", "tell me a joke") 0.78-0.82.
TIP_SCORE_FLOOR = 0.825
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


class Retrieval(ProductLookup):
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
        super().__init__(catalogue=catalogue, tips=tips, embeddings=embeddings)
        self.engine = engine
        self.clock = clock
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

    # --- tips ------------------------------------------------------------------------------------

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

    def product_meant(
        self, text: str, customer: Customer | None, *, pronoun: bool, discussed: str | None
    ) -> str | None:
        """Return the product a product question that names none is about: with a pronoun
        (`pronoun`), a kind named with an article ("la sartén de 24"), else the one of the
        customer's purchases nearest the question ("how do I clean it?" about what she bought),
        else the product discussed before (`discussed`, a sku); without, the one the question
        describes (`product_described`). None when none is found."""
        if pronoun and self.names_a_kind(text) and (sku := self.product_described(text)):
            return sku
        if customer is not None and pronoun:
            with read_session(self.engine) as db:
                owned = owned_skus(session=db, customer_id=customer.customer_id)
            nearest = self.catalogue.products.nearest
            if best := nearest(self.embeddings.embed_query(text), within=owned, k=1):
                return best[0][0]
        if pronoun and discussed:
            return discussed
        return self.product_described(text)

"""Fetching what an answer is made of: customers, products, tips and recommendations.

Plain methods over the store, the tip store and the catalogue, used by the offline answers and,
as the same calls, by the LLM agent's tools (bot.core.llm.tools): one copy of each look-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import wording
from bot.core.catalogue import Catalogue, best_customers
from bot.core.recommend import Recommendation, recommend
from bot.core.text import folded_words, words
from knowledge.tips import Tip, TipStore, search_tips
from storage.customers import find_by_email, find_by_phone, get_customer, get_customers
from storage.models import Customer
from storage.purchases import purchase_summary

# Share of a product name's weight a message must cover to name that product.
NAME_SHARE = 0.15
# At most this many customers are offered when a name fits several.
CANDIDATES = 6
# e5 tip scores are compressed: keep the tips close to the best one, not above a fixed level.
TIP_SCORE_GAP = 0.04
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


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
    ):
        self.engine = engine
        self.tips = tips
        self.embeddings = embeddings
        self.catalogue = catalogue
        self.clock = clock

    # --- customers -------------------------------------------------------------------------------

    def direct_customers(self, db: Session, text: str) -> list[Customer]:
        """Return the customers a text names directly: a customer id, an email or a phone."""
        for word in words(text):
            if any(ch.isdigit() for ch in word) and (
                c := get_customer(session=db, customer_id=word)
            ):
                return [c]
        if email := _EMAIL.search(text):
            return find_by_email(session=db, email=email.group())
        if phone := _PHONE.search(text):
            return find_by_phone(session=db, phone=phone.group())
        return []

    def find_customers(self, db: Session, name: str) -> list[Customer]:
        """Return the customers `name` fits (id, email, phone, or a name with typos), best
        first, at most CANDIDATES."""
        found = self.direct_customers(db, name)
        if found:
            return found[:CANDIDATES]
        matches = best_customers(self.catalogue.customers.match(folded_words(name)))
        ids = [m.customer_id for m in matches[:CANDIDATES]]
        return get_customers(session=db, customer_ids=ids)

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
        detail = f"last visit {date(summary.last)}" if summary.last else "no purchases yet"
        return f"store {customer.home_store}, {detail}" if customer.home_store else detail

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
        """Return the product the name hits point to; several equally named ones are told
        apart by meaning ("the AeroPress" is the brewer more than its filters)."""
        if not hits or hits[0][1] < NAME_SHARE:
            return None
        top = [sku for sku, score, _ in hits if score >= hits[0][1] - 0.03]
        if len(top) == 1:
            return top[0]
        vector = self.embeddings.embed_query(text)
        nearest = self.catalogue.products.nearest(vector, within=top, k=1)
        return nearest[0][0] if nearest else top[0]

    def relevant_tips(self, text: str, *, k: int, sku: str | None = None) -> list[Tip]:
        """Return the tips that fit `text` (of one product when `sku` is given), best first:
        the best hit and those within TIP_SCORE_GAP of it."""
        hits = search_tips(self.tips, text, k=k, sku=sku)
        if not hits:
            return []
        best = hits[0].score
        return [h.tip for h in hits if h.score >= best - TIP_SCORE_GAP]

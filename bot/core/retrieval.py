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
# …and never below this: on the demo tips, questions about a product scored 0.83-0.89 with
# their best tip, off-topic messages ("book me a taxi", "tell me a joke") 0.78-0.82.
TIP_SCORE_FLOOR = 0.825
# A product only described: by a tip of its own that leads every other product's tips by
# TIP_LEAD, or by its description, the nearest at DESCRIBED_FLOOR or above and DESCRIBED_MARGIN
# ahead of the next (e5 scores are compressed: 0.01 is a clear lead).
TIP_LEAD = 0.03
DESCRIBED_FLOOR = 0.8
DESCRIBED_MARGIN = 0.01
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d[\d\s()./-]{5,}\d")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Fewer digits than this are a quantity, a price or a year, not a phone number.
MIN_PHONE_DIGITS = 7


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


def _first_place(folded: list[str], matched: set[str]) -> int:
    """Return where the first of the matched name words (or a typo of one) is typed."""
    places = [i for i, word in enumerate(folded) if word in matched]
    return places[0] if places else len(folded)


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
    ):
        """`phone_region` (ISO 3166 alpha-2, "" for digits only) reads numbers typed without
        a country code, as the importer did (setting PHONE_REGION); `store_timezone` (IANA)
        is the zone whose wall-clock time purchases and notes are stored in."""
        self.phone_region = phone_region
        self.store_timezone = store_timezone
        self.engine = engine
        self.tips = tips
        self.embeddings = embeddings
        self.catalogue = catalogue
        self.clock = clock

    # --- customers -------------------------------------------------------------------------------

    def direct_customers(self, db: Session, text: str) -> list[Customer]:
        """Return the customers a text names directly: a customer id, an email or a phone."""
        for word in words(text):
            if not any(ch.isdigit() for ch in word):
                continue
            # Ids are typed as they come to mind: "c0154" for C0154.
            for form in dict.fromkeys((word, word.upper())):
                if c := get_customer(session=db, customer_id=form):
                    return [c]
        contact = typed_contact(text)
        if contact is None:
            return []
        kind, value = contact
        if kind == "email":
            return find_by_email(session=db, email=value)
        return find_by_phone(session=db, phone=value, region=self.phone_region)

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
        # Two different products named ("sell the AeroPress to someone with a moka pot"): the
        # question is about the one named first.
        folded = folded_words(text)
        best_at = _first_place(folded, hits[0][2])
        earlier = [
            h
            for h in hits
            if h[1] >= NAME_SHARE
            and _first_place(folded, h[2]) < best_at - 1
            and not h[2] & hits[0][2]
        ]
        if earlier:  # named apart, words between: not one phrase ("coffee dripper")
            first = min(earlier, key=lambda h: _first_place(folded, h[2]))
            hits = [h for h in hits if h[2] == first[2]]
        top = [sku for sku, score, _ in hits if score >= hits[0][1] - 0.03]
        if len(top) == 1:
            return top[0]
        vector = self.embeddings.embed_query(text)
        nearest = self.catalogue.products.nearest(vector, within=top, k=1)
        return nearest[0][0] if nearest else top[0]

    def product_described(self, text: str) -> str | None:
        """Return the product a text describes without naming it, when one stands out.

        First by its tips: when the best tip (with a product) leads the best tip of any other
        product by TIP_LEAD, its product. Tips are written in the associates' languages, and a
        question scores high with every tip in its own language, so only a clear lead counts.
        Else by the products' own descriptions: the nearest, when it reaches DESCRIBED_FLOOR
        and leads the next by DESCRIBED_MARGIN. None when neither stands out."""
        best_tip: dict[str, float] = {}
        for hit in search_tips(self.tips, text, k=8):
            sku = hit.tip.sku
            if sku and sku in self.catalogue.products.products:
                best_tip[sku] = max(best_tip.get(sku, 0.0), hit.score)
        by_tip = sorted(best_tip.items(), key=lambda item: -item[1])
        if by_tip and by_tip[0][1] >= TIP_SCORE_FLOOR:
            runner_up = by_tip[1][1] if len(by_tip) > 1 else 0.0
            if by_tip[0][1] - runner_up >= TIP_LEAD:
                return by_tip[0][0]
        best = self.catalogue.products.nearest(self.embeddings.embed_query(text), k=2)
        if not best or best[0][1] < DESCRIBED_FLOOR:
            return None
        if len(best) > 1 and best[0][1] - best[1][1] < DESCRIBED_MARGIN:
            return None
        return best[0][0]

    def relevant_tips(self, text: str, *, k: int, sku: str | None = None) -> list[Tip]:
        """Return the tips that fit `text` (of one product when `sku` is given), best first:
        the best hit and those within TIP_SCORE_GAP of it, all at TIP_SCORE_FLOOR or above
        unless the product is given (its own tips fit it)."""
        hits = search_tips(self.tips, text, k=k, sku=sku)
        if not hits:
            return []
        best = hits[0].score
        floor = best - TIP_SCORE_GAP if sku else max(best - TIP_SCORE_GAP, TIP_SCORE_FLOOR)
        return [h.tip for h in hits if h.score >= floor]

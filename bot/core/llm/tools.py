"""The LLM agent's tools: the retrieval functions of bot.core.retrieval as LangChain tools, each
recording what its result was about (customers, skus, tips) so the reply's structured fields
come from what the model actually read."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.tools import BaseTool, tool

from bot.core import wording as replies
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.text import folded_words
from storage.customer_lists import next_birthday
from storage.db import read_session
from storage.models import Product
from storage.notes import recent_notes
from storage.purchases import last_purchases, purchase_summary, purchases_between

HISTORY_LINES = 20
# LLM_DATA=minimal: a profile says only whether the birthday is this close, never its date,
# and holds no contact details.
BIRTHDAY_SOON_DAYS = 7
PRIVATE_FIELDS = frozenset({"email", "phone", "birthday"})


class Toolbox:
    """The retrieval tools of one question, recording what their results were about."""

    def __init__(self, retrieval: Retrieval, *, minimal: bool = False):
        """`minimal` (LLM_DATA=minimal): results leave out contact details and birth dates."""
        self.retrieval = retrieval
        self.minimal = minimal
        self.tools: list[BaseTool] = [
            tool(fn)
            for fn in (
                self.find_customer,
                self.customer_profile,
                self.purchase_history,
                self.recommend_for,
                self.product_tips,
                self.find_product,
            )
        ]
        # Tools of one model turn run in parallel threads.
        self._lock = threading.Lock()
        self.used: list[str] = []
        self.customer_ids: list[str] = []
        self.focus: str | None = None
        self.skus: list[str] = []
        self.tip_ids: list[str] = []
        self.sources: list[str] = []

    @property
    def customer_id(self) -> str | None:
        """Return the customer the answer is about: the last one whose own data was read."""
        if self.focus is not None:
            return self.focus
        return self.customer_ids[0] if len(set(self.customer_ids)) == 1 else None

    # --- the tools: docstrings are what the model reads --------------------------------------

    def find_customer(self, name: str) -> dict[str, Any]:
        """Find customers by name (typos are fine), id, email or phone, each with a detail."""
        r = self.retrieval
        with read_session(r.engine) as db:
            found = r.find_customers(db, name)
            candidates = [
                {
                    "customer_id": c.customer_id,
                    "name": replies.full_name(c),
                    "detail": r.candidate_detail(db, c, date=_iso_day),
                }
                for c in found[:CANDIDATES]
            ]
        self._record("find_customer", customers=[c.customer_id for c in found[:CANDIDATES]])
        if not candidates:
            return {"candidates": [], "note": f"no customer matches {name!r}"}
        return {"candidates": candidates}

    def customer_profile(self, customer_id: str) -> dict[str, Any]:
        """Return a customer's details: tier, sizes, preferences, purchases summary, notes."""
        with read_session(self.retrieval.engine) as db:
            customer = self.retrieval.customer(db, customer_id.strip())
            if customer is None:
                return _unknown_customer(customer_id)
            cid = customer.customer_id
            summary = purchase_summary(session=db, customer_id=cid)
            notes = recent_notes(session=db, customer_id=cid, limit=5)
            profile = _compact(
                customer_id=cid,
                name=replies.full_name(customer),
                tier=customer.tier,
                language=customer.language,
                sizes=customer.sizes,
                preferences=customer.preferences,
                home_store=customer.home_store,
                birthday=_date(customer.birthday),
                marketing_consent=customer.marketing_consent,
                orders=summary.orders,
                first_purchase=_date(summary.first),
                last_purchase=_date(summary.last),
                spent=round(summary.spent, 2),
                notes=[
                    _compact(date=_date(n.created_at), author=n.author, text=n.text) for n in notes
                ],
            )
        self._record(
            "customer_profile",
            focus=cid,
            sources=[f"customer {cid}", *(f"note {n.id}" for n in notes)],
        )
        if self.minimal:
            profile = {k: v for k, v in profile.items() if k not in PRIVATE_FIELDS}
            if customer.birthday and self._birthday_soon(customer.birthday):
                profile[f"birthday_within_{BIRTHDAY_SOON_DAYS}_days"] = True
        return profile

    def purchase_history(self, customer_id: str, year: int | None = None) -> dict[str, Any]:
        """Return a customer's purchase lines, newest first, of one year if given."""
        with read_session(self.retrieval.engine) as db:
            customer = self.retrieval.customer(db, customer_id.strip())
            if customer is None:
                return _unknown_customer(customer_id)
            cid = customer.customer_id
            if year is None:
                lines = last_purchases(session=db, customer_id=cid, limit=HISTORY_LINES + 1)
            else:
                lines = purchases_between(
                    session=db,
                    customer_id=cid,
                    start=datetime(year, 1, 1, tzinfo=UTC),
                    end=datetime(year + 1, 1, 1, tzinfo=UTC),
                    limit=HISTORY_LINES + 1,
                )
        shown = lines[:HISTORY_LINES]
        self._record(
            "purchase_history",
            focus=cid,
            skus=[ln.sku for ln in shown],
            sources=[f"customer {cid}", *(f"order {ln.order_id}" for ln in shown)],
        )
        return _compact(
            customer_id=cid,
            year=year,
            lines=[
                _compact(
                    date=_date(ln.purchased_at),
                    order_id=ln.order_id,
                    sku=ln.sku,
                    name=ln.name,
                    category=ln.category,
                    quantity=ln.quantity,
                    unit_price=ln.unit_price,
                )
                for ln in shown
            ],
            more_lines_not_shown=len(lines) > HISTORY_LINES or None,
        )

    def recommend_for(self, customer_id: str) -> dict[str, Any]:
        """Return products to show this customer next, each with the reason why."""
        with read_session(self.retrieval.engine) as db:
            customer = self.retrieval.customer(db, customer_id.strip())
            if customer is None:
                return _unknown_customer(customer_id)
            cid = customer.customer_id
            recs = self.retrieval.recommendations(db, cid, k=5)
        items = [{"sku": r.sku, "name": r.name, "reason": r.reason} for r in recs]
        self._record(
            "recommend_for",
            focus=cid,
            skus=[r.sku for r in recs],
            sources=[f"customer {cid}", "purchase history of all customers"],
        )
        return {"customer_id": cid, "recommendations": items}

    def product_tips(self, query: str, sku: str | None = None) -> dict[str, Any]:
        """Search the associates' product tips by meaning, optionally only those of one sku."""
        tips = self.retrieval.relevant_tips(query, k=3, sku=sku or None)
        self._record(
            "product_tips",
            skus=[t.sku for t in tips if t.sku],
            tips=[t.tip_id for t in tips],
        )
        return {"tips": [_compact(tip_id=t.tip_id, sku=t.sku, text=t.text) for t in tips]}

    def find_product(self, name: str) -> dict[str, Any]:
        """Find products by name, sku or description (any language); best match first."""
        index = self.retrieval.catalogue.products
        folded = folded_words(name)
        skus = [s for s, score, _ in index.match_names(folded) if score >= 0.5][:5]
        how = "by name"
        if (exact := index.find_sku(folded)) is not None:
            skus = [exact, *(s for s in skus if s != exact)]
        if not skus:
            vector = self.retrieval.embeddings.embed_query(name)
            skus = [s for s, _ in index.nearest(vector, k=3)]
            how = "by meaning only: check it is the product meant"
        with read_session(self.retrieval.engine) as db:
            found = [p for s in skus if (p := db.get(Product, s)) is not None]
            products = [
                _compact(
                    sku=p.sku,
                    name=p.name,
                    category=p.category,
                    brand=p.brand,
                    price=p.price,
                    description=(p.description or "")[:200] or None,
                )
                for p in found
            ]
        self._record(
            "find_product",
            skus=[p.sku for p in found],
            sources=[f"product {p.sku}" for p in found],
        )
        return {"matched": how, "products": products}

    # --- bookkeeping -------------------------------------------------------------------------

    def _birthday_soon(self, born: date) -> bool:
        today = self.retrieval.clock().date()
        return (next_birthday(born, today) - today).days <= BIRTHDAY_SOON_DAYS

    def _record(
        self,
        name: str,
        *,
        customers: Iterable[str] = (),
        focus: str | None = None,
        skus: Iterable[str] = (),
        tips: Iterable[str] = (),
        sources: Iterable[str] = (),
    ) -> None:
        with self._lock:
            _extend(self.used, [name])
            _extend(self.customer_ids, [*customers, *([focus] if focus else [])])
            if focus is not None:
                self.focus = focus
            _extend(self.skus, skus)
            _extend(self.tip_ids, tips)
            _extend(self.sources, [*sources, *(f"tip {t}" for t in tips)])


def _unknown_customer(customer_id: str) -> dict[str, Any]:
    return {"error": f"no customer has id {customer_id!r}; use find_customer first"}


def _date(moment: Any) -> str | None:
    if moment is None:
        return None
    return str(moment.date().isoformat() if isinstance(moment, datetime) else moment.isoformat())


def _compact(**fields: Any) -> dict[str, Any]:
    # Empty fields cost the model tokens and tell it nothing.
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != []}


def _extend(items: list[str], new: Iterable[str]) -> None:
    for item in new:
        if item not in items:
            items.append(item)


def _iso_day(moment: datetime) -> str:
    return moment.date().isoformat()

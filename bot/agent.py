"""The language model path: the chat model, the retrieval tools it may call, and the fallback.

The agent gets the same retrieval functions the offline answer uses, as tools. It only words the
answer: what the reply is about (customer, skus, tips) comes from the tools it actually called,
and a failing or slow model leaves the offline answer in place with a one-line notice.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from langchain.agents import create_agent
from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import BaseTool, tool
from sqlmodel import Session

from bot import prompts, replies
from bot.assistant import Assistant, Caller, Reply
from bot.lookup import best_customers
from bot.recommend import recommend
from bot.text import folded_words
from knowledge.tips import search_tips
from storage.customers import find_by_email, find_by_phone, get_customer, get_customers
from storage.db import read_session
from storage.models import Customer, Product
from storage.notes import recent_notes
from storage.purchases import last_purchases, purchase_summary, purchases_between

log = logging.getLogger(__name__)

# Writing notes and asking "which one?" stay deterministic: the model never decides them.
OFFLINE_ONLY_INTENTS = frozenset({"note", "help", "clarify", "not_found"})
# Graph steps per question (a model call and a tool round are one step each): room for about six
# rounds of tools, and a model that keeps calling tools still ends well inside the timeout.
MAX_STEPS = 14
HISTORY_LINES = 20
CANDIDATES = 6
# Tip scores from e5 are compressed: keep tips close to the best one rather than above a level.
TIP_SCORE_GAP = 0.04
# The integration package each optional extra of pyproject.toml installs.
_EXTRAS = {
    "langchain-openai": "openai",
    "langchain-ollama": "ollama",
    "langchain-anthropic": "anthropic",
}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")

TIMEOUT_NOTICE = "The language model did not answer in {seconds:g} s; this is the offline answer."
FAILED_NOTICE = "The language model failed ({error}); this is the offline answer."
EMPTY_NOTICE = "The language model gave no answer; this is the offline answer."


def make_llm(model: str) -> BaseChatModel:
    """Build the chat model named "provider:model", e.g. "openai:gpt-4o-mini"."""
    if not model.strip():
        raise ValueError("LLM_MODEL is empty: set it to 'provider:model' or leave the LLM off")
    try:
        return init_chat_model(model)
    except ImportError as exc:
        # LangChain names the missing package; our extras install exactly those packages.
        package = next((p for p in _EXTRAS if p in str(exc)), None)
        how = (
            f"pip install 'clienteling-assistant[{_EXTRAS[package]}]'"
            if package
            else f"install its LangChain integration ({exc})"
        )
        raise ValueError(f"LLM_MODEL={model!r} needs a provider package: {how}") from exc
    except ValueError as exc:
        raise ValueError(
            f"LLM_MODEL={model!r} names no provider LangChain knows; use 'provider:model', "
            f"e.g. 'openai:gpt-4o-mini', 'anthropic:claude-sonnet-4-5' or 'ollama:llama3.1'. "
            f"({exc})"
        ) from exc


class Toolbox:
    """The retrieval tools of one question, recording what their results were about."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
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
        with read_session(self.assistant.engine) as db:
            found = self._direct(db, name)
            if not found:
                matches = best_customers(self.assistant.customers.match(folded_words(name)))
                ids = [m.customer_id for m in matches[:CANDIDATES]]
                found = get_customers(session=db, customer_ids=ids)
            candidates = [
                {
                    "customer_id": c.customer_id,
                    "name": replies.full_name(c),
                    "detail": _detail(db, c),
                }
                for c in found[:CANDIDATES]
            ]
        self._record("find_customer", customers=[c.customer_id for c in found[:CANDIDATES]])
        if not candidates:
            return {"candidates": [], "note": f"no customer matches {name!r}"}
        return {"candidates": candidates}

    def customer_profile(self, customer_id: str) -> dict[str, Any]:
        """Return a customer's details: tier, sizes, preferences, purchases summary, notes."""
        with read_session(self.assistant.engine) as db:
            customer = get_customer(session=db, customer_id=customer_id.strip())
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
        return profile

    def purchase_history(self, customer_id: str, year: int | None = None) -> dict[str, Any]:
        """Return a customer's purchase lines, newest first, of one year if given."""
        with read_session(self.assistant.engine) as db:
            customer = get_customer(session=db, customer_id=customer_id.strip())
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
        with read_session(self.assistant.engine) as db:
            customer = get_customer(session=db, customer_id=customer_id.strip())
            if customer is None:
                return _unknown_customer(customer_id)
            cid = customer.customer_id
            recs = recommend(session=db, customer_id=cid, k=5, now=self.assistant.clock())
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
        hits = search_tips(self.assistant.tips, query, k=3, sku=sku or None)
        best = hits[0].score if hits else 0.0
        tips = [h.tip for h in hits if h.score >= best - TIP_SCORE_GAP]
        self._record(
            "product_tips",
            skus=[t.sku for t in tips if t.sku],
            tips=[t.tip_id for t in tips],
        )
        return {"tips": [_compact(tip_id=t.tip_id, sku=t.sku, text=t.text) for t in tips]}

    def find_product(self, name: str) -> dict[str, Any]:
        """Find products by name, sku or description (any language); best match first."""
        index = self.assistant.products
        folded = folded_words(name)
        skus = [s for s, score, _ in index.match_names(folded) if score >= 0.5][:5]
        how = "by name"
        if (exact := index.find_sku(folded)) is not None:
            skus = [exact, *(s for s in skus if s != exact)]
        if not skus:
            vector = self.assistant.embeddings.embed_query(name)
            skus = [s for s, _ in index.nearest(vector, k=3)]
            how = "by meaning only: check it is the product meant"
        with read_session(self.assistant.engine) as db:
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

    def _direct(self, db: Session, text: str) -> list[Customer]:
        # The same direct look-ups as the offline path: an id, an email or a phone number.
        for word in text.split():
            if any(ch.isdigit() for ch in word) and (
                c := get_customer(session=db, customer_id=word.strip(".,;:!?()"))
            ):
                return [c]
        if email := _EMAIL.search(text):
            return find_by_email(session=db, email=email.group())
        if phone := _PHONE.search(text):
            return find_by_phone(session=db, phone=phone.group())
        return []


def answer_with_llm(assistant: Assistant, caller: Caller, text: str, offline: Reply) -> Reply:
    """Answer with the language model and the retrieval tools, or return the offline reply."""
    toolbox = Toolbox(assistant)
    system_prompt = _system_prompt(assistant, caller, offline)
    run = _agent_run(assistant.llm, toolbox, system_prompt, text)
    seconds = assistant.llm_timeout
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm")
    future = pool.submit(run)
    # Return the pool's thread when the run ends, without waiting for it here: a run that
    # times out keeps its thread until the provider gives up, but the associate does not wait.
    pool.shutdown(wait=False)
    try:
        final = future.result(timeout=seconds)
    except Exception as exc:
        if not future.done():
            future.cancel()
            log.warning("LLM did not answer in %g s; answering offline", seconds)
            return replace(offline, notice=TIMEOUT_NOTICE.format(seconds=seconds))
        log.warning("LLM failed; answering offline", exc_info=exc)
        return replace(offline, notice=FAILED_NOTICE.format(error=type(exc).__name__))
    answer = final.text.strip()
    if not answer or final.tool_calls or final.invalid_tool_calls:
        log.warning("LLM gave no usable final answer; answering offline")
        return replace(offline, notice=EMPTY_NOTICE)
    return Reply(
        text=replies.clip(answer),
        intent=offline.intent,
        customer_id=toolbox.customer_id,
        skus=list(toolbox.skus),
        tip_ids=list(toolbox.tip_ids),
        options=list(offline.options),
        sources=[f"tool {name}" for name in toolbox.used] + toolbox.sources,
    )


def _agent_run(
    llm: BaseChatModel, toolbox: Toolbox, system_prompt: str, text: str
) -> Callable[[], AIMessage]:
    def run() -> AIMessage:
        # Built inside the worker so that building the graph counts against the timeout too.
        agent = create_agent(llm, toolbox.tools, system_prompt=system_prompt)
        state = agent.invoke(
            {"messages": [HumanMessage(text)]}, config={"recursion_limit": MAX_STEPS}
        )
        final = state["messages"][-1]
        if not isinstance(final, AIMessage):
            raise TypeError(f"the agent ended on a {type(final).__name__}, not an AI message")
        return final

    return run


def _system_prompt(assistant: Assistant, caller: Caller, offline: Reply) -> str:
    # One system message: some providers refuse a second one after the first.
    store = f", store {caller.store}" if caller.store else ""
    lines = [
        prompts.SYSTEM_PROMPT,
        prompts.TODAY.format(date=assistant.clock().date().isoformat()),
        prompts.CALLER.format(name=caller.name, role=caller.role, store=store),
    ]
    with read_session(assistant.engine) as db:
        if offline.customer_id and (
            customer := get_customer(session=db, customer_id=offline.customer_id)
        ):
            lines.append(
                prompts.CUSTOMER_CONTEXT.format(
                    customer_id=customer.customer_id, name=replies.full_name(customer)
                )
            )
        if offline.intent == "product" and len(offline.skus) == 1:
            product = db.get(Product, offline.skus[0])
            if product is not None:
                lines.append(prompts.PRODUCT_CONTEXT.format(sku=product.sku, name=product.name))
    return "\n".join(lines)


def _detail(db: Session, customer: Customer) -> str:
    summary = purchase_summary(session=db, customer_id=customer.customer_id)
    detail = f"last visit {_date(summary.last)}" if summary.last else "no purchases yet"
    return f"store {customer.home_store}, {detail}" if customer.home_store else detail


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

"""The assistant core: `answer(caller, text, session) -> Reply`, the same for every transport.

Offline it understands a message with rules, fuzzy name matching and multilingual embeddings,
fetches the facts from the SQL store and the tip store, and composes a short answer from them.
With an LLM configured, `bot.agent` words the answer from the same retrieval functions.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import replies
from bot.intents import (
    Intent,
    IntentClassifier,
    is_greeting,
    is_help,
    parse_note,
    parse_period,
)
from bot.lookup import CustomerIndex, ProductIndex, ProductInfo, best_customers
from bot.recommend import recommend
from bot.text import fold, folded_words, words
from knowledge.tips import Tip, TipStore, list_tips, search_tips
from storage.conversations import get_conversation, save_conversation
from storage.customers import (
    catalogue_stamp,
    customer_names,
    find_by_email,
    find_by_phone,
    get_customer,
    get_customers,
)
from storage.db import read_session, run_write
from storage.models import Conversation, Customer, Product
from storage.notes import add_note, recent_notes
from storage.purchases import (
    last_order,
    last_purchases,
    owned_skus,
    purchase_summary,
    purchases_between,
)

log = logging.getLogger(__name__)
CUSTOMER_INTENTS = {Intent.overview, Intent.history, Intent.recommend, Intent.sizes, Intent.notes}
# How often a running assistant looks for customers or products imported meanwhile.
REFRESH_CHECK_SECONDS = 30.0
# Share of a product name's weight a message must cover to name that product.
_NAME_SHARE = 0.15
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
# Words that point back at the customer or product already being discussed.
_PRONOUNS = frozenset(
    fold(w)
    for w in "she her hers he him his they them their it ella él su sus lo la o onun ona "
    "αυτή αυτός της του ihr ihre ihm sie er sein seine".split()
)


# Reply.options come back as the text of the next message: they mean exactly this.
OPTION_INTENTS = {
    "last purchases": Intent.history,
    "all purchases": Intent.history,
    "recommend": Intent.recommend,
    "notes": Intent.notes,
    "sizes": Intent.sizes,
    "who is this": Intent.overview,
    "more tips": Intent.product,
    "more": Intent.notes,
    "help": Intent.help,
}


@dataclass(frozen=True)
class Caller:
    """Who is asking: an associate, a manager or an admin."""

    name: str
    role: str = "associate"
    store: str | None = None
    telegram_id: int | None = None

    @classmethod
    def local_admin(cls) -> Caller:
        """Return the console user, who owns the machine the store runs on."""
        return cls(name="console", role="admin")


@dataclass
class Reply:
    """An answer: the text to show and what it is about, for buttons, logs and tests."""

    text: str
    intent: str
    customer_id: str | None = None
    skus: list[str] = field(default_factory=list)
    tip_ids: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notice: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the reply as plain JSON-ready values."""
        return asdict(self)


@dataclass
class _Understood:
    intent: Intent
    customer: Customer | None = None
    candidates: list[Customer] = field(default_factory=list)
    customer_query: str = ""
    named_customer: bool = False
    sku: str | None = None
    categories: list[str] = field(default_factory=list)
    product_skus: list[str] = field(default_factory=list)
    all_history: bool = False
    full_notes: bool = False


class Assistant:
    """Answers associates' questions from the store's own data."""

    def __init__(
        self,
        *,
        engine: Engine,
        tips: TipStore,
        embeddings: Embeddings,
        llm: Any = None,
        llm_timeout: float = 20.0,
        clock: Callable[[], datetime] | None = None,
    ):
        self.engine = engine
        self.tips = tips
        self.embeddings = embeddings
        self.llm = llm
        self.llm_timeout = llm_timeout
        self.clock = clock or (lambda: datetime.now(UTC))
        self.intents = IntentClassifier(embeddings)
        self.refresh()

    def refresh(self) -> None:
        """Re-read customer names and products (after an import)."""
        self._checked_at = time.monotonic()
        with read_session(self.engine) as session:
            self._catalogue_stamp = catalogue_stamp(session=session)
            self.customers = CustomerIndex.build(customer_names(session=session))
            products = [
                ProductInfo(p.sku, p.name, p.category, p.brand, p.description)
                for p in session.exec(select(Product)).all()
            ]
        self.products = ProductIndex(products)
        self.products.embed(self.embeddings)

    # --- the one entry point ---------------------------------------------------------------------

    def answer(self, caller: Caller, text: str, session: str) -> Reply:
        """Answer one message of a conversation; `session` keys the conversation's memory."""
        text = text.strip()
        self._refresh_when_changed()
        # Read in one transaction, write in short ones of their own (storage.db explains why).
        with read_session(self.engine) as db:
            conversation = get_conversation(session=db, key=session)
            # Changed while answering, saved afterwards: never flushed in this transaction.
            if conversation in db:
                db.expunge(conversation)
            reply = self._answer(db, caller, text, conversation)
            if reply.customer_id:
                conversation.customer_id = reply.customer_id
            if reply.skus and reply.intent == Intent.product:
                conversation.sku = reply.skus[0]
        self._remember(conversation)
        if self.llm is not None and reply.intent not in {"note", "help", "clarify", "not_found"}:
            from bot.agent import answer_with_llm  # here: bot.agent imports this module

            return answer_with_llm(self, caller, text, reply)
        return reply

    def _remember(self, conversation: Conversation) -> None:
        """Save what the chat is about; a failure costs the context, never the answer."""
        try:
            run_write(
                self.engine,
                lambda db: save_conversation(session=db, conversation=conversation),
            )
        except Exception as exc:  # the answer is computed: the associate gets it regardless
            log.warning(
                "conversation %s: context not saved (%s)", conversation.key, type(exc).__name__
            )

    def _refresh_when_changed(self) -> None:
        # Imports run in other processes (the CLI) while the bot runs: look now and then
        # whether customers or products changed, and re-read them if so.
        if time.monotonic() - self._checked_at < REFRESH_CHECK_SECONDS:
            return
        self._checked_at = time.monotonic()
        with Session(self.engine) as db:
            stamp = catalogue_stamp(session=db)
        if stamp != self._catalogue_stamp:
            self.refresh()

    def _answer(self, db: Session, caller: Caller, text: str, conversation: Conversation) -> Reply:
        if not text:
            return Reply(text=replies.HELP, intent=Intent.help)
        note = parse_note(text)
        if note is not None:
            return self._write_note(db, caller, note, conversation)
        if conversation.pending_note and (picked := self._picked_candidate(db, text)):
            pending, conversation.pending_note = conversation.pending_note, None
            return self._save_note(caller, picked, pending)
        conversation.pending_note = None
        understood = self._understand(db, text, conversation)
        return self._respond(db, text, understood)

    # --- understanding ---------------------------------------------------------------------------

    def _understand(self, db: Session, text: str, conversation: Conversation) -> _Understood:
        option = OPTION_INTENTS.get(text.casefold())
        if option is not None:
            return self._understand_option(db, text, option, conversation)
        folded = folded_words(text)
        product_hits = self.products.match_names(folded)
        product_words = {
            w for _, score, ws in product_hits[:1] if score >= _NAME_SHARE for w in ws
        }
        sku = self.products.find_sku(folded) or self._product_by_name(text, product_hits)
        name_words = set()
        customer, candidates, query = None, [], ""
        direct = self._direct_customer(db, text)
        if direct:
            if len(direct) == 1:
                customer = direct[0]
            else:
                candidates = direct
            query = text
        else:
            # Pronouns are never names ("αυτός" is one typo from the surname Aytaş).
            matches = best_customers(self.customers.match(folded, skip=product_words | _PRONOUNS))
            if matches and sku is not None and not any(m.exact for m in matches):
                matches = []  # a product question; "chef" one typo from Chen is no customer
            if matches:
                ids = [m.customer_id for m in matches]
                name_words = set().union(*(m.words for m in matches))
                query = " ".join(w for w in words(text) if fold(w) in name_words)
                # A name the chat already settled on stays settled ("Maria" after picking her).
                if conversation.customer_id in ids:
                    ids = [conversation.customer_id]
                found = get_customers(session=db, customer_ids=ids[:6])
                if len(found) == 1:
                    customer = found[0]
                else:
                    candidates = found
        masked = " ".join("X" if fold(w) in name_words else w for w in words(text)) or text
        guess = self.intents.classify(masked)
        intent = guess.intent
        if intent in (Intent.greeting, Intent.help) and not (is_greeting(text) or is_help(text)):
            # Short messages ("towels") sit near greetings and help in meaning; only real ones
            # (which the rules recognise) count.
            intent = Intent.unknown
        named = customer is not None or bool(candidates)
        categories = self.products.categories_named(folded)
        if not named and customer is None and conversation.customer_id:
            pronoun = bool(_PRONOUNS & set(folded))
            if intent in CUSTOMER_INTENTS or (pronoun and intent != Intent.product):
                customer = get_customer(session=db, customer_id=conversation.customer_id)
        if intent == Intent.product and sku is None:
            sku = self._product_by_meaning(text, folded, customer, conversation)
        if intent not in CUSTOMER_INTENTS and intent != Intent.product:
            if named:
                intent = Intent.overview
            elif sku is not None:
                intent = Intent.product
        elif intent == Intent.product and named and sku is None:
            intent = Intent.overview  # a customer and no product: the question is about them
        if intent in CUSTOMER_INTENTS and not named and customer is None and sku is not None:
            intent = Intent.product
        return _Understood(
            intent=intent,
            customer=customer,
            candidates=candidates,
            customer_query=query,
            named_customer=named,
            sku=sku,
            categories=categories,
            product_skus=[s for s, score, _ in product_hits if score >= _NAME_SHARE][:5],
        )

    def _understand_option(
        self, db: Session, text: str, intent: Intent, conversation: Conversation
    ) -> _Understood:
        customer = None
        if conversation.customer_id:
            customer = get_customer(session=db, customer_id=conversation.customer_id)
        if intent == Intent.product:
            return _Understood(intent=intent, customer=customer, sku=conversation.sku)
        return _Understood(
            intent=intent,
            customer=customer,
            all_history=text.casefold() == "all purchases",
            full_notes=text.casefold() == "more",
        )

    def _direct_customer(self, db: Session, text: str) -> list[Customer]:
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

    def product_named(self, text: str) -> str | None:
        """Return the sku of the product a text names (by sku or name), if any."""
        folded = folded_words(text)
        return self.products.find_sku(folded) or self._product_by_name(
            text, self.products.match_names(folded)
        )

    def _product_by_name(self, text: str, hits: list[tuple[str, float, set[str]]]) -> str | None:
        """Return the product the message names; several equally named ones are told apart
        by meaning ("the AeroPress" is the brewer more than its filters)."""
        if not hits or hits[0][1] < _NAME_SHARE:
            return None
        top = [sku for sku, score, _ in hits if score >= hits[0][1] - 0.03]
        if len(top) == 1:
            return top[0]
        nearest = self.products.nearest(self.embeddings.embed_query(text), within=top, k=1)
        return nearest[0][0] if nearest else top[0]

    def _product_by_meaning(
        self,
        text: str,
        folded: list[str],
        customer: Customer | None,
        conversation: Conversation,
    ) -> str | None:
        vector = self.embeddings.embed_query(text)
        pronoun = bool(_PRONOUNS & set(folded))
        if customer is not None and pronoun:
            with read_session(self.engine) as db:
                owned = owned_skus(session=db, customer_id=customer.customer_id)
            best = self.products.nearest(vector, within=owned, k=1)
            if best:
                return best[0][0]
        if pronoun and conversation.sku:
            return conversation.sku
        best = self.products.nearest(vector, k=2)
        # e5 similarities are compressed: take the nearest only when it stands out.
        if best and (len(best) == 1 or best[0][1] - best[1][1] >= 0.01) and best[0][1] >= 0.8:
            return best[0][0]
        return None

    def _picked_candidate(self, db: Session, text: str) -> Customer | None:
        direct = self._direct_customer(db, text)
        return direct[0] if len(direct) == 1 else None

    # --- answering -------------------------------------------------------------------------------

    def _respond(self, db: Session, text: str, u: _Understood) -> Reply:
        if u.intent == Intent.help:
            return Reply(text=replies.HELP, intent=Intent.help)
        if u.intent == Intent.greeting and not u.named_customer:
            return Reply(
                text="Hello! " + replies.HELP,
                intent=Intent.greeting,
                options=["Help"],
            )
        if u.candidates:
            return self._clarify(db, u.customer_query, u.candidates)
        if u.intent == Intent.product:
            return self._product(db, text, u)
        if u.intent in CUSTOMER_INTENTS:
            if u.customer is None:
                if u.customer_query or _looks_like_a_name(text):
                    return Reply(
                        text=replies.not_found_text(u.customer_query or text),
                        intent="not_found",
                    )
                return Reply(
                    text="Which customer? Give me a name, customer id, email or phone.",
                    intent="need_customer",
                )
            return self._customer_answer(db, text, u)
        tips = self._search(text, k=3)
        if tips:
            return self._tips_reply(text, tips)
        return Reply(text="I'm not sure what you need. " + replies.HELP, intent=Intent.unknown)

    def _customer_answer(self, db: Session, text: str, u: _Understood) -> Reply:
        customer = u.customer
        assert customer is not None
        cid = customer.customer_id
        source = [f"customer {cid}"]
        options = ["Last purchases", "Recommend", "Notes", "Sizes"]
        if u.intent == Intent.history:
            return self._history(db, text, customer, u)
        if u.intent == Intent.recommend:
            return self._recommend(db, customer)
        notes = recent_notes(session=db, customer_id=cid, limit=5)
        more = ["More"] if replies.has_more(notes) and not u.full_notes else []
        if u.intent == Intent.notes:
            return Reply(
                text=replies.notes_text(customer, notes, full=u.full_notes),
                intent=Intent.notes,
                customer_id=cid,
                options=more + [o for o in options if o != "Notes"],
                sources=source + [f"note {n.id}" for n in notes],
            )
        summary = purchase_summary(session=db, customer_id=cid)
        focus = "sizes" if u.intent == Intent.sizes else "all"
        shown = notes[:3] if focus == "all" else []
        more = ["More"] if replies.has_more(shown) else []
        return Reply(
            text=replies.overview(customer, summary, notes, focus=focus),
            intent=u.intent,
            customer_id=cid,
            options=more + [o for o in options if o != "Sizes" or focus != "sizes"],
            sources=source + [f"note {n.id}" for n in notes[:3]],
        )

    def _history(self, db: Session, text: str, customer: Customer, u: _Understood) -> Reply:
        cid = customer.customer_id
        period = parse_period(text, now=self.clock())
        wanted = set(u.product_skus)
        if not period and not wanted and not u.categories and not u.all_history:
            lines = last_order(session=db, customer_id=cid)
            return Reply(
                text=replies.last_order_text(customer, lines),
                intent=Intent.history,
                customer_id=cid,
                skus=_unique(line.sku for line in lines),
                options=["All purchases", "Recommend", "Notes"],
                sources=[f"customer {cid}", *_unique(f"order {ln.order_id}" for ln in lines)],
            )
        if period:
            lines = purchases_between(
                session=db, customer_id=cid, start=period.start, end=period.end, limit=500
            )
            label = period.label
        else:
            lines = last_purchases(session=db, customer_id=cid, limit=500)
            label = "on record"
        if wanted or u.categories:
            lines = [ln for ln in lines if ln.sku in wanted or ln.category in u.categories]
            what = ", ".join(u.categories) or ", ".join(
                self.products.products[s].name for s in list(wanted)[:2]
            )
            label = f"of {what} {label}".strip()
        shown = lines[:12]
        return Reply(
            text=replies.history_text(customer, shown, label=label, total=len(lines)),
            intent=Intent.history,
            customer_id=cid,
            skus=_unique(line.sku for line in shown),
            options=["Recommend", "Notes"],
            sources=[f"customer {cid}", *_unique(f"order {ln.order_id}" for ln in shown)],
        )

    def _recommend(self, db: Session, customer: Customer) -> Reply:
        cid = customer.customer_id
        recs = recommend(session=db, customer_id=cid, k=5, now=self.clock())
        if not recs:
            return Reply(
                text=f"I have nothing to suggest for {replies.full_name(customer)} yet.",
                intent=Intent.recommend,
                customer_id=cid,
            )
        lines = [f"For {replies.full_name(customer)}, show:"]
        lines += [f"{i}. {r.name} — {r.reason}" for i, r in enumerate(recs, 1)]
        skus = [r.sku for r in recs]
        tip_ids: list[str] = []
        # The tip goes with the top product: a metadata look-up, no embedding needed.
        top_tips = list_tips(self.tips, sku=recs[0].sku)[:1]
        if top_tips:
            lines.append(f"Tip: {top_tips[0].text}")
            tip_ids.append(top_tips[0].tip_id)
        return Reply(
            text=replies.clip("\n".join(lines)),
            intent=Intent.recommend,
            customer_id=cid,
            skus=skus,
            tip_ids=tip_ids,
            options=["Last purchases", "Sizes", "Notes"],
            sources=[f"customer {cid}", "purchase history of all customers"]
            + [f"tip {t}" for t in tip_ids],
        )

    def _product(self, db: Session, text: str, u: _Understood) -> Reply:
        if u.sku is None:
            tips = self._search(text, k=3)
            if not tips:
                return Reply(
                    text="I couldn't tell which product you mean. Try its name or sku.",
                    intent=Intent.product,
                )
            return self._tips_reply(text, tips)
        product = db.get(Product, u.sku)
        assert product is not None
        tips = self._search(text, k=3, sku=u.sku)
        owned_since = None
        customer_name = ""
        if u.customer is not None:
            lines = [
                ln
                for ln in last_purchases(session=db, customer_id=u.customer.customer_id, limit=200)
                if ln.sku == u.sku and ln.quantity > 0
            ]
            if lines:
                owned_since = lines[-1].purchased_at
                customer_name = replies.full_name(u.customer)
        return Reply(
            text=replies.product_text(
                product, tips, owned_since=owned_since, customer_name=customer_name
            ),
            intent=Intent.product,
            customer_id=u.customer.customer_id if u.customer and owned_since else None,
            skus=[u.sku],
            tip_ids=[t.tip_id for t in tips],
            options=["More tips"] if tips else [],
            sources=[f"product {u.sku}"] + [f"tip {t.tip_id}" for t in tips],
        )

    def _tips_reply(self, text: str, tips: list[Tip]) -> Reply:
        names = {s: p.name for s, p in self.products.products.items()}
        return Reply(
            text=replies.tips_text(text, tips, names),
            intent=Intent.product,
            skus=_unique(t.sku for t in tips if t.sku),
            tip_ids=[t.tip_id for t in tips],
            sources=[f"tip {t.tip_id}" for t in tips],
        )

    def _search(self, text: str, *, k: int, sku: str | None = None) -> list[Tip]:
        hits = search_tips(self.tips, text, k=k, sku=sku)
        if not hits:
            return []
        # e5 scores are compressed: keep the tips close to the best one, not a fixed threshold.
        best = hits[0].score
        return [h.tip for h in hits if h.score >= best - 0.04]

    def _clarify(self, db: Session, query: str, candidates: list[Customer]) -> Reply:
        rows = []
        for c in candidates[:6]:
            summary = purchase_summary(session=db, customer_id=c.customer_id)
            detail = (
                f"last visit {replies.day(summary.last)}" if summary.last else "no purchases yet"
            )
            if c.home_store:
                detail = f"store {c.home_store}, {detail}"
            rows.append((c, detail))
        return Reply(
            text=replies.candidates_text(query, rows),
            intent="clarify",
            options=[f"{replies.full_name(c)} ({c.customer_id})" for c, _ in rows],
        )

    # --- notes -----------------------------------------------------------------------------------

    def _write_note(
        self,
        db: Session,
        caller: Caller,
        note: tuple[str, str],
        conversation: Conversation,
    ) -> Reply:
        name, text = note
        folded = folded_words(name)
        customers = self._direct_customer(db, name)
        if not customers:
            if set(folded) <= _PRONOUNS and conversation.customer_id:
                found = get_customer(session=db, customer_id=conversation.customer_id)
                customers = [found] if found else []
            else:
                ids = [m.customer_id for m in best_customers(self.customers.match(folded))]
                customers = get_customers(session=db, customer_ids=ids[:6])
        if not customers:
            return Reply(text=replies.not_found_text(name), intent="not_found")
        if len(customers) > 1:
            conversation.pending_note = text
            reply = self._clarify(db, name, customers)
            reply.text += "\nI'll save the note once you pick."
            return reply
        return self._save_note(caller, customers[0], text)

    def _save_note(self, caller: Caller, customer: Customer, text: str) -> Reply:
        # Written in a transaction of its own, before the reply says it is saved.
        note = run_write(
            self.engine,
            lambda w: add_note(
                session=w, customer_id=customer.customer_id, text=text, author=caller.name
            ),
        )
        return Reply(
            text=f"Noted for {replies.full_name(customer)}: {replies.preview(note.text)}",
            intent=Intent.note,
            customer_id=customer.customer_id,
            options=["Notes", "Recommend"],
            sources=[f"note {note.id}"],
        )


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _looks_like_a_name(text: str) -> bool:
    return any(w[:1].isupper() for w in words(text)[1:])


def timed_answer(
    assistant: Assistant, caller: Caller, text: str, session: str
) -> tuple[Reply, float]:
    """Answer and return the reply with the milliseconds it took."""
    started = time.perf_counter()
    reply = assistant.answer(caller, text, session)
    return reply, (time.perf_counter() - started) * 1000

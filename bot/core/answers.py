"""One function per intent: the reply to a message once it is understood.

Each answer is composed only from records retrieved from the store (wording in
bot.core.wording) and offers its follow-ups as typed options.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from bot.core import wording
from bot.core.periods import parse_period
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.text import folded_words, words
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import CUSTOMER_INTENTS, PRONOUNS, Understood
from knowledge.tips import Tip, list_tips
from storage.customers import get_customer
from storage.db import run_write
from storage.models import Conversation, Customer, Product
from storage.notes import add_note, recent_notes
from storage.purchases import last_order, last_purchases, purchase_summary, purchases_between

LAST_PURCHASES = Option("Last purchases", Intent.history)
ALL_PURCHASES = Option("All purchases", Intent.history, "all")
RECOMMEND = Option("Recommend", Intent.recommend)
NOTES = Option("Notes", Intent.notes)
SIZES = Option("Sizes", Intent.sizes)
FULL_NOTES = Option("More", Intent.notes, "full")
MORE_TIPS = Option("More tips", Intent.product)
HELP = Option("Help", Intent.help)
_CUSTOMER_OPTIONS = (LAST_PURCHASES, RECOMMEND, NOTES, SIZES)


def respond(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Answer an understood message."""
    if u.intent == Intent.help:
        return Reply(text=wording.HELP, intent=Intent.help)
    if u.intent == Intent.greeting and not u.named_customer:
        return Reply(text="Hello! " + wording.HELP, intent=Intent.greeting, options=[HELP])
    if u.candidates:
        return clarify(r, db, u.customer_query, u.candidates)
    if u.intent == Intent.product:
        return product(r, db, text, u)
    if u.intent in CUSTOMER_INTENTS:
        if u.customer is None:
            if u.customer_query or _looks_like_a_name(text):
                return Reply(
                    text=wording.not_found_text(u.customer_query or text),
                    intent=Intent.not_found,
                )
            return Reply(
                text="Which customer? Give me a name, customer id, email or phone.",
                intent=Intent.need_customer,
            )
        return customer_answer(r, db, text, u)
    tips = r.relevant_tips(text, k=3)
    if tips:
        return tips_reply(r, text, tips)
    return Reply(text="I'm not sure what you need. " + wording.HELP, intent=Intent.unknown)


def customer_answer(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Answer about one customer: overview, sizes, notes, history or recommendations."""
    customer = u.customer
    assert customer is not None
    cid = customer.customer_id
    source = [f"customer {cid}"]
    if u.intent == Intent.history:
        return history(r, db, text, customer, u)
    if u.intent == Intent.recommend:
        return recommendations(r, db, customer)
    notes = recent_notes(session=db, customer_id=cid, limit=5)
    if u.intent == Intent.notes:
        more = [FULL_NOTES] if wording.has_more(notes) and not u.full_notes else []
        return Reply(
            text=wording.notes_text(customer, notes, full=u.full_notes),
            intent=Intent.notes,
            customer_id=cid,
            options=more + [o for o in _CUSTOMER_OPTIONS if o != NOTES],
            sources=source + [f"note {n.id}" for n in notes],
        )
    summary = purchase_summary(session=db, customer_id=cid)
    focus = "sizes" if u.intent == Intent.sizes else "all"
    shown = notes[:3] if focus == "all" else []
    more = [FULL_NOTES] if wording.has_more(shown) else []
    return Reply(
        text=wording.overview(customer, summary, notes, focus=focus),
        intent=u.intent,
        customer_id=cid,
        options=more + [o for o in _CUSTOMER_OPTIONS if o != SIZES or focus != "sizes"],
        sources=source + [f"note {n.id}" for n in notes[:3]],
    )


def history(r: Retrieval, db: Session, text: str, customer: Customer, u: Understood) -> Reply:
    """Answer what a customer bought: the last order, or lines of a period or product."""
    cid = customer.customer_id
    period = parse_period(text, now=r.clock())
    wanted = set(u.product_skus)
    if not period and not wanted and not u.categories and not u.all_history:
        lines = last_order(session=db, customer_id=cid)
        return Reply(
            text=wording.last_order_text(customer, lines),
            intent=Intent.history,
            customer_id=cid,
            skus=_unique(line.sku for line in lines),
            options=[ALL_PURCHASES, RECOMMEND, NOTES],
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
        names = r.catalogue.products.products
        what = ", ".join(u.categories) or ", ".join(names[s].name for s in list(wanted)[:2])
        label = f"of {what} {label}".strip()
    shown = lines[:12]
    return Reply(
        text=wording.history_text(customer, shown, label=label, total=len(lines)),
        intent=Intent.history,
        customer_id=cid,
        skus=_unique(line.sku for line in shown),
        options=[RECOMMEND, NOTES],
        sources=[f"customer {cid}", *_unique(f"order {ln.order_id}" for ln in shown)],
    )


def recommendations(r: Retrieval, db: Session, customer: Customer) -> Reply:
    """Answer what to show the customer next, with the top product's tip."""
    cid = customer.customer_id
    recs = r.recommendations(db, cid, k=5)
    if not recs:
        return Reply(
            text=f"I have nothing to suggest for {wording.full_name(customer)} yet.",
            intent=Intent.recommend,
            customer_id=cid,
        )
    lines = [f"For {wording.full_name(customer)}, show:"]
    lines += [f"{i}. {rec.name} — {rec.reason}" for i, rec in enumerate(recs, 1)]
    tip_ids: list[str] = []
    # The tip goes with the top product: a metadata look-up, no embedding needed.
    top_tips = list_tips(r.tips, sku=recs[0].sku)[:1]
    if top_tips:
        lines.append(f"Tip: {top_tips[0].text}")
        tip_ids.append(top_tips[0].tip_id)
    return Reply(
        text=wording.clip("\n".join(lines)),
        intent=Intent.recommend,
        customer_id=cid,
        skus=[rec.sku for rec in recs],
        tip_ids=tip_ids,
        options=[LAST_PURCHASES, SIZES, NOTES],
        sources=[f"customer {cid}", "purchase history of all customers"]
        + [f"tip {t}" for t in tip_ids],
    )


def product(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Answer about a product: its card and tips, and when the customer bought it."""
    if u.sku is None:
        tips = r.relevant_tips(text, k=3)
        if not tips:
            return Reply(
                text="I couldn't tell which product you mean. Try its name or sku.",
                intent=Intent.product,
            )
        return tips_reply(r, text, tips)
    found = db.get(Product, u.sku)
    assert found is not None
    tips = r.relevant_tips(text, k=3, sku=u.sku)
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
            customer_name = wording.full_name(u.customer)
    return Reply(
        text=wording.product_text(
            found, tips, owned_since=owned_since, customer_name=customer_name
        ),
        intent=Intent.product,
        customer_id=u.customer.customer_id if u.customer and owned_since else None,
        skus=[u.sku],
        tip_ids=[t.tip_id for t in tips],
        options=[MORE_TIPS] if tips else [],
        sources=[f"product {u.sku}"] + [f"tip {t.tip_id}" for t in tips],
    )


def tips_reply(r: Retrieval, text: str, tips: list[Tip]) -> Reply:
    """Answer with tips found for a question that names no known product."""
    names = {s: p.name for s, p in r.catalogue.products.products.items()}
    return Reply(
        text=wording.tips_text(text, tips, names),
        intent=Intent.product,
        skus=_unique(t.sku for t in tips if t.sku),
        tip_ids=[t.tip_id for t in tips],
        sources=[f"tip {t.tip_id}" for t in tips],
    )


def clarify(r: Retrieval, db: Session, query: str, candidates: list[Customer]) -> Reply:
    """Ask which customer was meant: names and one telling detail, a button each."""
    rows = [(c, r.candidate_detail(db, c)) for c in candidates[:CANDIDATES]]
    return Reply(
        text=wording.candidates_text(query, rows),
        intent=Intent.clarify,
        options=[
            Option(f"{wording.full_name(c)} ({c.customer_id})", Intent.overview, c.customer_id)
            for c, _ in rows
        ],
    )


def write_note(
    r: Retrieval, db: Session, caller: Caller, note: tuple[str, str], conversation: Conversation
) -> Reply:
    """Save a note for the customer it names, or ask which one (keeping the note pending)."""
    name, text = note
    folded = folded_words(name)
    customers = r.direct_customers(db, name)
    if not customers:
        if set(folded) <= PRONOUNS and conversation.customer_id:
            found = get_customer(session=db, customer_id=conversation.customer_id)
            customers = [found] if found else []
        else:
            customers = r.find_customers(db, name)
    if not customers:
        return Reply(text=wording.not_found_text(name), intent=Intent.not_found)
    if len(customers) > 1:
        conversation.pending_note = text
        reply = clarify(r, db, name, customers)
        reply.text += "\nI'll save the note once you pick."
        return reply
    return save_note(r, caller, customers[0], text)


def save_note(r: Retrieval, caller: Caller, customer: Customer, text: str) -> Reply:
    """Write the note in a transaction of its own, then say it is saved."""
    note = run_write(
        r.engine,
        lambda w: add_note(
            session=w, customer_id=customer.customer_id, text=text, author=caller.name
        ),
    )
    return Reply(
        text=f"Noted for {wording.full_name(customer)}: {wording.preview(note.text)}",
        intent=Intent.note,
        customer_id=customer.customer_id,
        options=[NOTES, RECOMMEND],
        sources=[f"note {note.id}"],
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _looks_like_a_name(text: str) -> bool:
    return any(w[:1].isupper() for w in words(text)[1:])

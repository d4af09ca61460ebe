"""One function per intent: the reply to a message once it is understood, composed only from
records retrieved from the store (wording in bot.core.wording), its follow-ups offered as typed
options."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlmodel import Session

from bot.core import audit, tasks, wording
from bot.core.i18n import N_, _, format_weekday
from bot.core.known_as import known_as
from bot.core.lookup_replies import clarify, help_reply, not_found
from bot.core.mentions import PRONOUNS, mask_name, name_matches
from bot.core.retrieval import CANDIDATES, Retrieval, in_reply_language
from bot.core.rules import (
    asks_for_ideas,
    is_farewell,
    is_thanks,
    note_content,
    only_command_words,
)
from bot.core.text import folded_words
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import CUSTOMER_INTENTS, Understood
from bot.core.wishes import ideas_for_anyone, wished_for
from knowledge.tips import Tip, list_tips
from storage.consent import consent_state
from storage.db import run_write
from storage.models import Conversation, Customer, Product
from storage.notes import add_note, recent_notes
from storage.purchases import (
    last_order,
    last_purchases,
    product_lines,
    purchase_summary,
    purchases_between,
    spend_between,
)

# Button labels are message ids, translated when a reply is made (`respond`).
LAST_PURCHASES = Option(N_("Last purchases"), Intent.history)
ALL_PURCHASES = Option(N_("All purchases"), Intent.history, "all")
RECOMMEND = Option(N_("Recommend"), Intent.recommend)
NOTES = Option(N_("Notes"), Intent.notes)
SIZES = Option(N_("Sizes"), Intent.sizes)
FULL_NOTES = Option(N_("More"), Intent.notes, "full")
MORE_TIPS = Option(N_("More tips"), Intent.product)
HELP = Option(N_("Help"), Intent.help)
_FIXED_OPTIONS = frozenset(
    o.label
    for o in (LAST_PURCHASES, ALL_PURCHASES, RECOMMEND, NOTES, SIZES, FULL_NOTES, MORE_TIPS, HELP)
)
_CUSTOMER_OPTIONS = (LAST_PURCHASES, RECOMMEND, NOTES, SIZES)


def respond(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Answer an understood message; say so when only its start was read."""
    reply = _respond(r, db, text, u)
    if u.cut:
        reply.notice = _(wording.CUT_NOTICE)  # each transport shows the notice above the text
    return reply


def localise_options(reply: Reply) -> None:
    """Label the reply's fixed buttons ("Notes", "Recommend"…) in the reply's language; a
    candidate's button keeps the customer's name."""
    reply.options = [
        replace(o, label=_(o.label)) if o.label in _FIXED_OPTIONS else o for o in reply.options
    ]


def _respond(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    if u.intent == Intent.help:
        return help_reply(r, db, text, u)
    if u.intent == Intent.greeting and not u.named_customer:
        if is_farewell(text) or is_thanks(text):  # "see you", else "you're welcome"
            said = wording.FAREWELL if is_farewell(text) else wording.WELCOME
            return Reply(text=_(said), intent=Intent.greeting, options=[HELP])
        hello = _("Hello!") + " " + _(wording.HELP)
        return Reply(text=hello, intent=Intent.greeting, options=[HELP])
    if u.candidates and u.intent != Intent.unknown:
        # (an errand or a stock question naming one of several Marías needs none of them)
        return clarify(r, db, u.customer_query, u.candidates, asked=u.intent)
    if u.unknown_contact is not None:
        kind, value = u.unknown_contact
        return Reply(text=wording.no_contact_text(kind, value), intent=Intent.not_found)
    if u.intent == Intent.lists:
        return Reply(text=_(wording.CANNOT_LIST), intent=Intent.lists)
    if u.intent == Intent.product:
        return product(r, db, text, u)
    if u.intent in CUSTOMER_INTENTS:
        if u.customer is None:
            if u.customer_query:
                return not_found(r, db, u)
            asked = u.intent == Intent.recommend and asks_for_ideas(text)
            if asked and (ideas := ideas_for_anyone(db)) is not None:
                return ideas  # "she's at the till, what can I show her?": who, and what sells
            return Reply(text=_(wording.NEED_CUSTOMER), intent=Intent.need_customer)
        return customer_answer(r, db, u, text)
    # Out of scope (or stock, which it cannot see): one sentence, nothing from the store. The
    # customer it names stays the one discussed ("book her a taxi", then "and her sizes?").
    said = wording.NO_STOCK if u.stock else wording.OUT_OF_SCOPE
    about = u.customer.customer_id if u.customer and u.named_customer else None
    return Reply(text=_(said), intent=Intent.unknown, options=[HELP], customer_id=about)


def customer_answer(r: Retrieval, db: Session, u: Understood, text: str = "") -> Reply:
    """Answer about one customer (the message `text`): overview, sizes, notes, history or
    recommendations."""
    customer = u.customer
    assert customer is not None
    cid = customer.customer_id
    source = [f"customer {cid}"]
    if u.intent == Intent.history:
        return history(r, db, customer, u)
    if u.intent == Intent.spend:
        return spend(r, db, customer, u)
    if u.intent == Intent.recommend:
        named = {s for s in (*u.product_skus, u.sku) if s}
        masked = mask_name(text, set(u.name_words))
        wished = wished_for(r, db, masked, customer_id=cid, named=named)
        return recommendations(r, db, customer, wished)
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
    since = consent_state(session=db, customer=customer).since if focus == "all" else None
    return Reply(
        text=wording.overview(customer, summary, notes, focus=focus, consent_since=since),
        intent=u.intent,
        customer_id=cid,
        options=more + [o for o in _CUSTOMER_OPTIONS if o != SIZES or focus != "sizes"],
        sources=source + [f"note {n.id}" for n in notes[:3]],
    )


def history(r: Retrieval, db: Session, customer: Customer, u: Understood) -> Reply:
    """Answer what a customer bought: the last order, or lines of a period or product."""
    cid = customer.customer_id
    period = u.period
    wanted = set(u.product_skus)
    kind = u.product_kind
    if kind and not wanted:
        wanted = set(kind[1])  # "any towels?": every product with towel in its name
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
        label = wording.period_phrase(period)
    else:
        lines = last_purchases(session=db, customer_id=cid, limit=500)
        label = _("on record")
    if wanted or u.categories:
        lines = [ln for ln in lines if ln.sku in wanted or ln.category in u.categories]
        names = r.catalogue.products.products
        what = ", ".join(u.categories) or (
            kind[0]
            if kind and not u.product_skus
            else ", ".join(names[s].name for s in list(wanted)[:2])
        )
        label = _("of {products} {period}").format(products=what, period=label).strip()
    shown = lines[:12]
    return Reply(
        text=wording.history_text(customer, shown, label=label, total=len(lines)),
        intent=Intent.history,
        customer_id=cid,
        skus=_unique(line.sku for line in shown),
        options=[RECOMMEND, NOTES],
        sources=[f"customer {cid}", *_unique(f"order {ln.order_id}" for ln in shown)],
    )


def spend(r: Retrieval, db: Session, customer: Customer, u: Understood) -> Reply:
    """Answer how much a customer spent, net of returns: in the period asked (else in all),
    on the categories or products named (else on everything)."""
    cid = customer.customer_id
    start, end = (u.period.start, u.period.end) if u.period else (None, None)
    spent = spend_between(
        session=db,
        customer_id=cid,
        start=start,
        end=end,
        categories=u.categories,
        skus=u.product_skus or (u.product_kind[1] if u.product_kind else []),
    )
    products = r.catalogue.products.products
    on = u.categories or [products[s].name for s in u.product_skus if s in products][:2]
    if not on and u.product_kind:
        on = [u.product_kind[0]]
    return Reply(
        text=wording.spend_text(
            customer,
            total=spent.total,
            orders=spent.orders,
            label=wording.period_phrase(u.period) if u.period else "",
            unpriced=spent.unpriced_lines,
            on=", ".join(on),
        ),
        intent=Intent.spend,
        customer_id=cid,
        options=[LAST_PURCHASES, RECOMMEND],
        sources=[f"customer {cid}", "purchases" + (f" {u.period.label}" if u.period else "")],
    )


def recommendations(
    r: Retrieval, db: Session, customer: Customer, wished: Sequence[Product] = ()
) -> Reply:
    """Answer what to show the customer next, with the top product's tip; what she is looking
    for (`wished`, bot.core.wishes.wished_for) first."""
    cid, name = customer.customer_id, wording.full_name(customer)
    asked = {p.sku for p in wished}
    recs = [rec for rec in r.recommendations(db, cid, k=5) if rec.sku not in asked]
    if not recs and not wished:
        return Reply(
            text=_("I have nothing to suggest for {name} yet.").format(name=name),
            intent=Intent.recommend,
            customer_id=cid,
        )
    wish = _("For {name}, what fits what they are looking for:").format(name=name)
    lines = [wish, *(f"• {p.name} ({p.sku})" for p in wished)] if wished else []
    if recs:
        lines.append(_("From their purchases, show:") if wished else _("For {name}, show:"))
        lines[-1] = lines[-1].format(name=name)
    lines += [f"{i}. {rec.name} — {rec.reason}" for i, rec in enumerate(recs, 1)]
    skus = [p.sku for p in wished] + [rec.sku for rec in recs]
    # The tip goes with the top product: a metadata look-up, no embedding needed.
    top_tips = in_reply_language(list_tips(r.tips, sku=skus[0]))[:1]
    tip_ids = [t.tip_id for t in top_tips]
    if top_tips:
        lines.append(_("Tip: {tip}").format(tip=wording.tip_line(top_tips[0])[2:]))
    return Reply(
        text=wording.clip("\n".join(lines)),
        intent=Intent.recommend,
        customer_id=cid,
        skus=skus,
        tip_ids=tip_ids,
        options=[LAST_PURCHASES, SIZES, NOTES],
        sources=[f"customer {cid}", "purchase history of all customers"]
        + [f"tip {t}" for t in tip_ids],
    )


def product(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Answer about a product: its card and tips, and when the customer bought it; two cards
    when the message sets two products against each other ("X12 or X12 Pro?")."""
    if u.sku is None:
        # Described, not named: the product that stands out, else the tips that fit.
        sku = r.product_described(text)
        if sku is not None:
            return product(r, db, text, replace(u, sku=sku))
        tips = r.relevant_tips(text, k=3)
        about = u.customer.customer_id if u.customer and u.named_customer else None
        if not tips:
            return Reply(text=_(wording.NO_PRODUCT), intent=Intent.product, customer_id=about)
        return replace(tips_reply(r, text, tips), customer_id=about)
    # "X12 or X12 Pro?": a card for each, the one asked about first.
    pair = r.set_against(text)
    skus = [u.sku, pair[1]] if pair is not None and pair[0] == u.sku else [u.sku]
    name = wording.full_name(u.customer) if u.customer is not None else ""
    cards, tips = [], []
    for sku in skus:
        found = db.get(Product, sku)
        assert found is not None
        own = r.relevant_tips(text, k=3 if len(skus) == 1 else 2, sku=sku)
        lines = []
        if u.customer is not None:
            lines = product_lines(session=db, customer_id=u.customer.customer_id, sku=sku)
        card = wording.product_text(
            found, own, customer_name=name, bought=lines, say_no_tips=len(skus) == 1
        )
        cards.append(card)
        tips += own
    return Reply(
        text=wording.clip("\n\n".join(cards)),
        intent=Intent.product,
        customer_id=u.customer.customer_id if u.customer else None,
        skus=skus,
        tip_ids=[t.tip_id for t in tips],
        options=[MORE_TIPS] if tips else [],
        sources=[f"product {sku}" for sku in skus] + [f"tip {t.tip_id}" for t in tips],
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


def write_note(
    r: Retrieval, db: Session, caller: Caller, note: tuple[str, str], conversation: Conversation
) -> Reply:
    """Save a note for the customer it names, or ask which one (keeping the note pending)."""
    name, text = note
    folded = folded_words(name)
    customers = r.direct_customers(db, name)
    if not customers:
        refers_back = set(folded) <= PRONOUNS or only_command_words(name)
        if refers_back and conversation.customer_id:
            found = r.customer(db, conversation.customer_id)
            customers = [found] if found else []
        else:
            # As a question's name: "Notiz für Herrn von Brandt: …" is not Gisela Brandt.
            matches = name_matches(r, db, name, folded, set(), conversation)
            customers = r.customers(db, [m.customer_id for m in matches[:CANDIDATES]])
    if not customers:
        return Reply(text=wording.not_found_text(name), intent=Intent.not_found)
    if len(customers) > 1:
        conversation.pending_note = text
        reply = clarify(r, db, name, customers)
        reply.text += "\n" + _(wording.NOTE_PENDING)
        return reply
    return save_note(r, caller, customers[0], text)


def note_in_words(
    r: Retrieval,
    db: Session,
    caller: Caller,
    text: str,
    u: Understood,
    conversation: Conversation,
) -> Reply:
    """Save a note asked for in free words ("remember that Ana's husband runs"): for the one
    customer it names, or after asking which one; the note is the message's own words."""
    content = note_content(text, name_words=u.name_words)
    if not content:
        return Reply(text=_(wording.NOTE_FORM), intent=Intent.need_customer)
    if u.candidates:
        conversation.pending_note = content
        reply = clarify(r, db, u.customer_query, u.candidates)
        reply.text += "\n" + _(wording.NOTE_PENDING)
        return reply
    if u.customer is None:
        if u.customer_query:
            return not_found(r, db, u)
        return Reply(text=_(wording.NOTE_FORM), intent=Intent.need_customer)
    return save_note(r, caller, u.customer, content)


def save_note(r: Retrieval, caller: Caller, customer: Customer, text: str) -> Reply:
    """Write the note in a transaction of its own, then say it is saved."""
    note = run_write(
        r.engine,
        lambda w: add_note(
            session=w,
            customer_id=customer.customer_id,
            text=text,
            author=caller.name,
            store_timezone=r.store_timezone,
            audit_as=audit.actor_of(caller),
        ),
    )
    if known_as(note.text, customer.first_name, note=True):
        r.catalogue.reindex_customer(customer.customer_id)  # "goes by Nell": Nell finds her now
    text = _("Noted for {name}: {note}").format(
        name=wording.full_name(customer), note=wording.preview(note.text)
    )
    options = [NOTES, RECOMMEND]
    task = tasks.note_followup(r, caller, customer, note.id, note.text)
    if task is not None:
        text += "\n" + _("Follow-up on {day}.").format(day=format_weekday(task.due_date))
        options = tasks.task_buttons(task, customer)
    return Reply(
        text=text,
        intent=Intent.note,
        customer_id=customer.customer_id,
        options=options,
        sources=[f"note {note.id}"],
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))

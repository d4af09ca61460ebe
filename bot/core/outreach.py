"""Outreach drafts: a short message to a customer in their language, from stored facts only,
with consent and the marketing frequency cap checked.

"draft a message to María about the new AeroPress" (or a list row's ✉ button) finds the
customer as questions do (a name several customers have gets "which one?", one nobody has is
not found), writes the message (bot.core.drafts) and keeps it as a drafted contact; the reply
offers WhatsApp with the text typed in and "Mark as sent" per channel, which logs who sent
what, when and how. A marketing message needs the customer's consent and stays under the cap
(MAX_MARKETING_CONTACTS_PER_30D, counted over all associates, checked again when it is marked
sent); a service message (an order ready, a size back in stock) needs neither.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlmodel import Session

from bot.core import lookup_replies, wording
from bot.core.draft_requests import (
    Asked,
    DraftRequest,
    apostrophised,
    named_product,
    read_request,
    sent_value,
)
from bot.core.drafts import (
    BACK,
    BIRTHDAY,
    CHECK_IN,
    EMAIL,
    OTHER,
    PRODUCT,
    READY,
    SMS,
    WHATSAPP,
    Facts,
    channels,
    compose,
    draft_language,
    greeting_name,
    whatsapp_number,
    whatsapp_url,
)
from bot.core.i18n import N_, _, ngettext
from bot.core.mentions import PRONOUNS, name_matches, name_rest, unknown_in
from bot.core.product_names import NAME_SHARE
from bot.core.retrieval import CANDIDATES, Retrieval, typed_contact
from bot.core.sent_contacts import mark_as_sent
from bot.core.text import bounded, fold, folded_words, words
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import Understood
from storage.contacts import (
    CAP_WINDOW_DAYS,
    MARKETING,
    ContactRefused,
    add_draft,
    check_contact,
    marketing_contacts,
)
from storage.db import read_session, run_write
from storage.models import Contact, Conversation, Customer, Product
from storage.purchases import last_purchases

# Buttons this module answers (Assistant.follow hands them here).
ACTIONS = frozenset({Intent.draft, Intent.contact_sent})
# Lines of purchase history read for the facts a draft may mention.
HISTORY_LINES = 50
UNCLEAR_PRODUCT = N_("I couldn't tell which product you meant, so the message names none.")
_MARK_SENT = {
    WHATSAPP: N_("Mark as sent (WhatsApp)"),
    SMS: N_("Mark as sent (SMS)"),
    EMAIL: N_("Mark as sent (e-mail)"),
    OTHER: N_("Mark as sent"),
}


def answer_message(
    r: Retrieval, db: Session, caller: Caller, text: str, conversation: Conversation
) -> Reply | None:
    """Return the draft a message asks for ("draft a message to María about the AeroPress"),
    or None when it asks for something else."""
    asked = read_request(text)
    if asked is None:
        return None
    text = bounded(text)[0]
    if asked.language == "tr":
        text = apostrophised(r.catalogue.customers, text)  # "çağlaya" is to Çağla
    found = addressee(r, db, text, asked, conversation)
    named = named_product(r.catalogue.products, text, asked.words | found.name_words)
    sku = named.sku
    kind = asked.service or (BIRTHDAY if asked.birthday else PRODUCT if sku else CHECK_IN)
    # A product named only partly, or several alike: the message names none (a birthday
    # message names none anyway).
    unclear = named.closest if kind != BIRTHDAY else ()
    if found.candidates:
        reply = lookup_replies.clarify(r, db, found.query, found.candidates)
        reply.options = [
            DraftRequest(c.customer_id, kind, sku).option(wording.candidate_label(c))
            for c in found.candidates[:CANDIDATES]
        ]
        reply.text += "\n" + _("I'll write the message once you pick.")
        if unclear:
            reply.text += "\n" + _(UNCLEAR_PRODUCT)
        return reply
    if found.customer is not None:
        request = DraftRequest(found.customer.customer_id, kind, sku)
        return draft(r, db, caller, found.customer, request, unclear=unclear)
    if (missing := nobody_found(r, db, found)) is not None:
        return missing
    # Nobody named: ask, offering the customer being discussed, never assuming them. With no
    # customer in the chat, a word in lower case that may be a name is not found; a request
    # about no product and no order is no request to write to a customer ("write an email to
    # my boss").
    discussed = r.customer(db, conversation.customer_id) if conversation.customer_id else None
    if discussed is None and found.maybe_names:
        u = Understood(Intent.overview, customer_query=" ".join(found.maybe_names))
        return lookup_replies.not_found(r, db, u)
    if discussed is None and not (asked.service or sku or unclear):
        return None
    return Reply(
        text=_("Who should I write to? Name the customer: “draft a message to NAME about …”."),
        intent=Intent.draft,  # worded offline, as every reply to a draft request
        options=[
            DraftRequest(discussed.customer_id, kind, sku).option(
                "✉ " + wording.full_name(discussed)
            )
        ]
        if discussed
        else [],
    )


def follow(r: Retrieval, db: Session, caller: Caller, option: Option) -> Reply:
    """Answer a draft's button (ACTIONS): write the draft a button asks for (a candidate, a
    list row, a service message instead), or log a draft as sent."""
    if option.intent == Intent.contact_sent:
        return mark_as_sent(r, db, option, caller)
    request = DraftRequest.decode(option.value)
    customer = r.customer(db, request.customer_id) if request else None
    if request is None or customer is None:
        return Reply(text=_("That draft can't be written any more."), intent=Intent.draft)
    return draft(r, db, caller, customer, request)


def draft(
    r: Retrieval,
    db: Session,
    caller: Caller,
    customer: Customer,
    request: DraftRequest,
    *,
    unclear: Sequence[str] = (),
) -> Reply:
    """Write the message `request` asks for to `customer`, in their language, and keep it as
    a drafted contact; or say why it may not go out (no consent, the cap). `unclear`: the
    products closest to one the request named unclearly, offered to write it again naming one
    (the message names none)."""
    if request.kind == BIRTHDAY and customer.birthday is None:
        request = replace(request, kind=CHECK_IN)  # no birthday on record: nothing to wish
    product = db.get(Product, request.sku) if request.sku else None
    facts = replace(_facts(db, customer, product, caller), unnamed_item=bool(unclear))
    language = draft_language(customer, _store_language(r))
    text = compose(request.kind, facts, language)
    now, cap = r.clock(), r.marketing_cap

    def save(session: Session) -> tuple[int, Contact]:
        check_contact(
            session=session, customer=customer, purpose=request.purpose, now=now, cap=cap
        )
        count = marketing_contacts(
            session=session,
            customer_id=customer.customer_id,
            since=now - timedelta(days=CAP_WINDOW_DAYS),
        )
        contact = Contact(
            customer_id=customer.customer_id,
            telegram_id=caller.telegram_id,
            associate_name=caller.name,
            store=caller.store,
            purpose=request.purpose,
            sku=product.sku if product else None,
            list_kind=request.list_kind,
            text=text,
            language=language,
            drafted_at=now,
        )
        return count, add_draft(session=session, contact=contact)

    try:
        count, contact = run_write(r.engine, save)
    except ContactRefused as refused:
        return _refused(customer, request, refused, cap)
    offered = [p for sku in unclear if (p := db.get(Product, sku)) is not None]
    return _draft_reply(customer, request, contact, count=count, cap=cap, offered=offered)


def reworded(
    r: Retrieval,
    reply: Reply,
    reword: Callable[[str, str, list[str], list[str]], str | None],
) -> Reply:
    """Return a draft reply with its message reworded by `reword(text, language, keep,
    avoid)` (the language model: bot.core.llm.drafts), which must keep the `keep` facts (the
    customer's name, the product's, the signature), name none of the `avoid` products (the
    rest of the catalogue) and returns None to keep the template. The drafted
    contact is updated too, so what is logged as sent is what the reply shows."""
    contact_id = next((int(s.split()[1]) for s in reply.sources if s.startswith("contact ")), None)
    if contact_id is None:
        return reply
    with read_session(r.engine) as db:
        contact = db.get(Contact, contact_id)
        customer = r.customer(db, contact.customer_id) if contact else None
        product = db.get(Product, contact.sku) if contact and contact.sku else None
    if contact is None or customer is None or contact.sent_at is not None:
        return reply
    keep = [greeting_name(customer, contact.language)]
    keep += [product.name] if product and product.name in contact.text else []
    keep += [contact.associate_name] if contact.associate_name and "\n— " in contact.text else []
    avoid = [p.name for p in r.catalogue.products.products.values()]
    new = reword(contact.text, contact.language, keep, avoid)
    if not new or new == contact.text:
        return reply
    old = contact.text

    def update(session: Session) -> None:
        row = session.get(Contact, contact_id)
        if row is not None and row.sent_at is None:
            row.text = new
            session.add(row)

    run_write(r.engine, update)
    e164 = whatsapp_number(customer)
    return replace(
        reply,
        text=reply.text.replace(old, new),
        links=[(label, whatsapp_url(e164, new)) for label, _url in reply.links] if e164 else [],
    )


# --- finding whom to write to ----------------------------------------------------------------


@dataclass
class Addressee:
    """Whom a request names: one customer, several that fit, or a name or contact nobody has."""

    customer: Customer | None = None
    candidates: list[Customer] = field(default_factory=list)
    # A name (or contact) nobody has, with the customers who share part of it.
    query: str = ""
    suggestions: list[Customer] = field(default_factory=list)
    name_words: set[str] = field(default_factory=set)
    unknown_contact: tuple[str, str] | None = None
    # Words typed in lower case that may be a name nobody has.
    maybe_names: list[str] = field(default_factory=list)


def nobody_found(r: Retrieval, db: Session, found: Addressee) -> Reply | None:
    """Return the "not found" reply for a request whose addressee is a phone, e-mail or name
    nobody has (with the customers who share part of the name); None otherwise."""
    if found.unknown_contact:
        return Reply(text=wording.no_contact_text(*found.unknown_contact), intent=Intent.not_found)
    if found.query:
        u = Understood(Intent.overview, customer_query=found.query, suggestions=found.suggestions)
        return lookup_replies.not_found(r, db, u)
    return None


def addressee(
    r: Retrieval, db: Session, text: str, asked: Asked, conversation: Conversation
) -> Addressee:
    """Return whom the request names, as questions find customers (bot.core.understanding):
    a customer id, e-mail or phone; names with typos; "her" for the customer discussed. A name
    nobody has, or words that may be one, never fall back to the customer discussed."""
    direct = r.direct_customers(db, text)
    contact = typed_contact(text)
    if direct:
        query = contact[1] if contact else ""
        return Addressee(direct[0]) if len(direct) == 1 else Addressee(None, direct, query)
    if contact:
        return Addressee(unknown_contact=contact)  # a phone or e-mail nobody has
    products = r.catalogue.products
    folded = folded_words(text)
    categories = products.categories_named(folded)
    known = set(asked.words) | {
        w for _, score, ws in products.match_names(folded) if score >= NAME_SHARE for w in ws
    }
    matches = name_matches(r, db, text, folded, known, conversation)
    if matches:
        name_words: set[str] = set().union(*(m.words for m in matches))
        ids = [m.customer_id for m in matches]
        if conversation.customer_id in ids:
            ids = [conversation.customer_id]  # "Maria" after picking her stays her
        found = r.customers(db, ids[:CANDIDATES])
        query = " ".join(w for w in words(text) if fold(w) in name_words)
        partial = all(m.coverage < 1.0 for m in matches)
        if partial and (rest := name_rest(r, text, name_words, known, categories)):
            # "Paula Schmidt" when only a Paula is on record: nobody, with Paula offered.
            query = " ".join(w for w in words(text) if fold(w) in name_words or w in rest)
            return Addressee(query=query, suggestions=found)
        if len(found) == 1:
            return Addressee(found[0], name_words=name_words)
        return Addressee(None, found, query, name_words=name_words)
    if names := unknown_in(r, text, known, categories, pronoun=True):
        return Addressee(query=" ".join(names))  # capitalised words nobody has: not found
    if maybe := unknown_in(r, text, known, categories, pronoun=False):
        return Addressee(maybe_names=maybe)  # a word that may be a name in lower case: ask
    if PRONOUNS & set(folded):
        if conversation.candidates:
            ids = conversation.candidates.split()
            return Addressee(None, r.customers(db, ids))
        if conversation.customer_id:
            return Addressee(r.customer(db, conversation.customer_id))
    return Addressee()


# --- the draft and its reply -----------------------------------------------------------------


def _store_language(r: Retrieval) -> str:
    # DEFAULT_LANGUAGE, which the assistant hands to its retrieval.
    return r.default_language


def _facts(db: Session, customer: Customer, product: Product | None, caller: Caller) -> Facts:
    """Return what the draft may mention: the product, when the customer last bought it, and
    their last purchase of something else."""
    lines = [
        ln
        for ln in last_purchases(session=db, customer_id=customer.customer_id, limit=HISTORY_LINES)
        if ln.quantity > 0
    ]
    same = next((ln for ln in lines if product and ln.sku == product.sku), None)
    other = next((ln for ln in lines if not product or ln.sku != product.sku), None)
    local = caller.name == Caller.local_admin().name and caller.telegram_id is None
    return Facts(
        customer=customer,
        product=product.name if product else None,
        product_bought_on=same.purchased_at if same else None,
        bought=other.name if other else None,
        bought_on=other.purchased_at if other else None,
        signature=None if local or not caller.name else caller.name,
    )


def _draft_reply(
    customer: Customer,
    request: DraftRequest,
    contact: Contact,
    *,
    count: int,
    cap: int,
    offered: Sequence[Product] = (),
) -> Reply:
    """Show the draft with its facts and buttons; `offered`: the products to write it again
    naming one, when the request named one unclearly."""
    name = wording.full_name(customer)
    language = wording.language_name(contact.language)
    if request.purpose == MARKETING:
        lines = [
            _("Marketing message to {name}, in {language}:").format(name=name, language=language),
            ngettext(
                "Marketing consent: yes · {count} marketing message in the last 30 days "
                "(at most {cap})",
                "Marketing consent: yes · {count} marketing messages in the last 30 days "
                "(at most {cap})",
                count,
            ).format(count=count, cap=cap),
        ]
    else:
        lines = [
            _("Service message to {name}, in {language}:").format(name=name, language=language),
            _(
                "A service message: no marketing consent needed, and it doesn't count towards "
                "the limit."
            ),
        ]
    own = (customer.language or "").split("-")[0].lower()
    if own and own != contact.language:
        lines.append(
            _("There are no message templates in {language} yet.").format(
                language=wording.language_name(own)
            )
        )
    if offered:
        lines.append(_(UNCLEAR_PRODUCT) + " " + _("To name one, press it below."))
    lines += ["", contact.text, ""]
    if customer.phone:
        lines.append(_("Phone: {phone}").format(phone=customer.phone))
    if customer.email:
        lines.append(_("E-mail: {email}").format(email=customer.email))
    if not (customer.phone or customer.email):
        lines.append(_("No phone or e-mail on record."))
    lines.append(_("Send it yourself, then press “Mark as sent”."))
    assert contact.id is not None
    e164 = whatsapp_number(customer)
    again = PRODUCT if request.kind == CHECK_IN else request.kind  # naming a product offered
    return Reply(
        text="\n".join(lines),
        intent=Intent.draft,
        customer_id=customer.customer_id,
        skus=[contact.sku] if contact.sku else [],
        options=[
            Option(_(_MARK_SENT[ch]), Intent.contact_sent, sent_value(contact.id, ch))
            for ch in channels(customer)
        ]
        + [replace(request, kind=again, sku=p.sku).option("✉ " + p.name) for p in offered],
        links=[(_("Open in WhatsApp"), whatsapp_url(e164, contact.text))] if e164 else [],
        sources=[f"customer {customer.customer_id}", f"contact {contact.id}"]
        + ([f"product {contact.sku}"] if contact.sku else []),
    )


def _refused(
    customer: Customer, request: DraftRequest, refused: ContactRefused, cap: int
) -> Reply:
    """Say why no marketing message may go out, and offer the service messages that may."""
    name = wording.full_name(customer)
    if refused.reason == "cap":
        text = ngettext(
            "{name} already had {count} marketing message in the last 30 days, from all "
            "associates (the limit is {cap}): no more for now.",
            "{name} already had {count} marketing messages in the last 30 days, from all "
            "associates (the limit is {cap}): no more for now.",
            refused.count,
        ).format(name=name, count=refused.count, cap=cap)
    else:
        text = _("{name} has not agreed to marketing messages: I won't draft one.").format(
            name=name
        )
    text += "\n" + _(
        "A service message is still fine: an order ready to pick up, or something they asked "
        "for back in stock."
    )
    service = [(READY, _("Service: order ready")), (BACK, _("Service: back in stock"))]
    return Reply(
        text=text,
        intent=Intent.draft,
        customer_id=customer.customer_id,
        options=[replace(request, kind=kind).option(label) for kind, label in service],
        sources=[f"customer {customer.customer_id}"],
    )

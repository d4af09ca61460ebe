"""Who and what a message is about: the customer, the product and the intent.

Rules for notes, help and greetings (bot.core.rules), fuzzy name matching over the
catalogue, and the nearest multilingual example questions decide it; the conversation carries
the customer and product already being discussed ("and her sizes?").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.core.catalogue import best_customers
from bot.core.intents import IntentClassifier
from bot.core.retrieval import CANDIDATES, NAME_SHARE, Retrieval
from bot.core.rules import is_greeting, is_help
from bot.core.text import fold, folded_words, words
from bot.core.types import Intent, Option
from storage.customers import get_customer, get_customers
from storage.db import read_session
from storage.models import Conversation, Customer
from storage.purchases import owned_skus

CUSTOMER_INTENTS = frozenset(
    {Intent.overview, Intent.history, Intent.recommend, Intent.sizes, Intent.notes}
)
# Words that point back at the customer or product already being discussed.
PRONOUNS = frozenset(
    fold(w)
    for w in "she her hers he him his they them their it ella él su sus lo la o onun ona "
    "αυτή αυτός της του ihr ihre ihm sie er sein seine".split()
)


@dataclass
class Understood:
    """What one message is about."""

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


def understand(
    r: Retrieval,
    classifier: IntentClassifier,
    db: Session,
    text: str,
    conversation: Conversation,
) -> Understood:
    """Work out the intent, customer and product of a free-text message."""
    products = r.catalogue.products
    folded = folded_words(text)
    product_hits = products.match_names(folded)
    product_words = {w for _, score, ws in product_hits[:1] if score >= NAME_SHARE for w in ws}
    sku = products.find_sku(folded) or r.product_by_name(text, product_hits)
    name_words: set[str] = set()
    customer: Customer | None = None
    candidates: list[Customer] = []
    query = ""
    direct = r.direct_customers(db, text)
    if direct:
        if len(direct) == 1:
            customer = direct[0]
        else:
            candidates = direct
        query = text
    else:
        # Pronouns are never names ("αυτός" is one typo from the surname Aytaş).
        matches = best_customers(
            r.catalogue.customers.match(folded, skip=product_words | PRONOUNS)
        )
        if matches and sku is not None and not any(m.exact for m in matches):
            matches = []  # a product question; "chef" one typo from Chen is no customer
        if matches:
            ids = [m.customer_id for m in matches]
            name_words = set().union(*(m.words for m in matches))
            query = " ".join(w for w in words(text) if fold(w) in name_words)
            # A name the chat already settled on stays settled ("Maria" after picking her).
            if conversation.customer_id in ids:
                ids = [conversation.customer_id]
            found = get_customers(session=db, customer_ids=ids[:CANDIDATES])
            if len(found) == 1:
                customer = found[0]
            else:
                candidates = found
    masked = " ".join("X" if fold(w) in name_words else w for w in words(text)) or text
    intent = classifier.classify(masked).intent
    if intent in (Intent.greeting, Intent.help) and not (is_greeting(text) or is_help(text)):
        # Short messages ("towels") sit near greetings and help in meaning; only real ones
        # (which the rules recognise) count.
        intent = Intent.unknown
    named = customer is not None or bool(candidates)
    categories = products.categories_named(folded)
    if not named and customer is None and conversation.customer_id:
        pronoun = bool(PRONOUNS & set(folded))
        if intent in CUSTOMER_INTENTS or (pronoun and intent != Intent.product):
            customer = get_customer(session=db, customer_id=conversation.customer_id)
    if intent == Intent.product and sku is None:
        sku = _product_by_meaning(r, text, folded, customer, conversation)
    if intent not in CUSTOMER_INTENTS and intent != Intent.product:
        if named:
            intent = Intent.overview
        elif sku is not None:
            intent = Intent.product
    elif intent == Intent.product and named and sku is None:
        intent = Intent.overview  # a customer and no product: the question is about them
    if intent in CUSTOMER_INTENTS and not named and customer is None and sku is not None:
        intent = Intent.product
    return Understood(
        intent=intent,
        customer=customer,
        candidates=candidates,
        customer_query=query,
        named_customer=named,
        sku=sku,
        categories=categories,
        product_skus=[s for s, score, _ in product_hits if score >= NAME_SHARE][:5],
    )


def understand_option(db: Session, option: Option, conversation: Conversation) -> Understood:
    """Return what a pressed follow-up means: its intent about the conversation's customer
    (or the candidate it names) and product."""
    customer_id = option.value if option.intent == Intent.overview else None
    customer_id = customer_id or conversation.customer_id
    customer = get_customer(session=db, customer_id=customer_id) if customer_id else None
    if option.intent == Intent.product:
        return Understood(intent=option.intent, customer=customer, sku=conversation.sku)
    return Understood(
        intent=option.intent,
        customer=customer,
        all_history=option.value == "all",
        full_notes=option.value == "full",
    )


def _product_by_meaning(
    r: Retrieval,
    text: str,
    folded: list[str],
    customer: Customer | None,
    conversation: Conversation,
) -> str | None:
    products = r.catalogue.products
    vector = r.embeddings.embed_query(text)
    pronoun = bool(PRONOUNS & set(folded))
    if customer is not None and pronoun:
        with read_session(r.engine) as db:
            owned = owned_skus(session=db, customer_id=customer.customer_id)
        best = products.nearest(vector, within=owned, k=1)
        if best:
            return best[0][0]
    if pronoun and conversation.sku:
        return conversation.sku
    best = products.nearest(vector, k=2)
    # e5 similarities are compressed: take the nearest only when it stands out.
    if best and (len(best) == 1 or best[0][1] - best[1][1] >= 0.01) and best[0][1] >= 0.8:
        return best[0][0]
    return None

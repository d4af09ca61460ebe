"""What a pressed follow-up button means: the intent it carries, about the conversation's
customer (or the candidate it names) and product."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.asked_periods import stored
from bot.core.retrieval import Retrieval
from bot.core.types import Intent, Option
from bot.core.understanding import Understood
from storage.models import Conversation

# The values a follow-up carries that are not a customer id: all purchases, whole notes.
OPTION_VALUES = frozenset({None, "all", "full"})


def understand_option(
    r: Retrieval, db: Session, option: Option, conversation: Conversation
) -> Understood:
    """Return what a pressed follow-up means: its intent about the conversation's customer
    (or the candidate it names) and product. A button naming a customer who is not on
    record, or not in the caller's scope, is about a customer not found."""
    # A candidate's button carries the customer's id (and the question asked about them).
    named = option.value if option.value not in OPTION_VALUES else None
    customer_id = named or conversation.customer_id
    customer = r.customer(db, customer_id) if customer_id else None
    if option.intent == Intent.product:
        return Understood(intent=option.intent, customer=customer, sku=conversation.sku)
    asked = named is not None and option.intent.value == conversation.intent
    return Understood(
        intent=option.intent,
        customer=customer,
        # A candidate picked: the question asked, over its period ("this year").
        period=stored(conversation) if asked else None,
        customer_query=(named or "") if customer is None else "",
        all_history=option.value == "all",
        full_notes=option.value == "full",
    )

"""A question about the customer being discussed that does not point back at her: Turkish
and Greek drop the pronoun ("önemli bir şey var mı?", is there anything important; "τι μας
είχε πει;"), and a short "anything I should know?" names nobody. Read off topic or as help,
it asks what colleagues noted about her."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlmodel import Session

from bot.core.retrieval import Retrieval
from bot.core.rules import asks_errand, asks_how, asks_what_was_said
from bot.core.text import strip_accents
from bot.core.types import Intent
from bot.core.understanding import CUSTOMER_INTENTS, Understood
from storage.models import Conversation

# The staff and the store's own matters (folded): what was said of them is no customer's note.
_STAFF = re.compile(
    r"\b(?:manager|boss|head office|hq|regional|area|team meeting|meeting|rota|shift|bonus|"
    r"inventory|stocktake|jef[ea]|encargad|gerente|reunion|turno|inventario|mudur|yonetici|"
    r"patron|toplanti|vardiya|prim|envanter|διευθυντ|μαναζερ|υπευθυν|συσκεψ|συναντησ|βαρδι|"
    r"απογραφ|chef|filialleit|geschaftsfuhr|besprechung|schicht|inventur|dienstplan)\w*"
)

# Readings that ask nothing of a customer, which the notes' cues outweigh after one
UNREAD = {Intent.unknown, Intent.help, Intent.greeting}


def asked_of_her(
    r: Retrieval, db: Session, u: Understood, text: str, conversation: Conversation
) -> Understood:
    """Return the understanding of a message read as off topic, help or a greeting, naming
    nobody and no product, as a question about the notes of the customer the conversation is
    about (in the caller's scope) when it asks what was said or noted (bot.core.rules
    .asks_what_was_said: "önemli bir şey var mı?", "anything important?"). Else unchanged:
    nobody discussed, how to do something, an errand."""
    if u.intent not in UNREAD or u.customer is not None or u.candidates or u.customer_query:
        return u
    if u.sku is not None or asks_how(text) or asks_errand(text, named=False):
        return u  # "how do I see what was noted?" is help; the weather, the store's hours…
    if _STAFF.search(strip_accents(text)):
        return u  # "what did the manager say about the bonuses?": the store's, not hers
    if not asks_what_was_said(text):
        return u
    previous = Intent(conversation.intent) if conversation.intent else None
    if not conversation.customer_id or previous not in CUSTOMER_INTENTS | {Intent.note}:
        # Nobody discussed: left as read (asking "which customer?" then answered more
        # off-topic questions wrongly than it helped, on four unread development sets)
        return u
    customer = r.customer(db, conversation.customer_id)  # None out of the caller's scope
    return u if customer is None else replace(u, intent=Intent.notes, customer=customer)

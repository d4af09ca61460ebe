"""The outreach message itself: a short text in the customer's language from stored facts only
(their name, what they bought, the product), and the ways it can go out (WhatsApp, SMS,
e-mail) from the contact details on record.

The templates are gettext messages like every fixed text, written in the customer's language
with `speaking(language)`; the reply around the draft stays in the associate's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import phonenumbers

from bot.core.i18n import (
    SOURCE_LANGUAGE,
    _,
    available_languages,
    current_language,
    format_day,
    speaking,
)
from bot.core.text import greek_vocative
from bot.core.wording import full_name, short_name
from storage.models import Customer

# Kinds of message: service ones need no marketing consent and are not capped.
READY, BACK = "ready", "back"  # an order to pick up; an item (a size) back in stock
PRODUCT, CHECK_IN, BIRTHDAY, RESTOCK = "product", "check_in", "birthday", "restock"
SERVICE_KINDS = frozenset({READY, BACK})
KINDS = (READY, BACK, PRODUCT, CHECK_IN, BIRTHDAY, RESTOCK)
WHATSAPP, SMS, EMAIL, OTHER = "whatsapp", "sms", "email", "other"


@dataclass(frozen=True)
class Facts:
    """What a draft may say: the customer, the product it is about and when they last bought
    it, their last purchase of another product and when, the associate's name, and whether
    an item was asked about without naming it clearly."""

    customer: Customer
    product: str | None = None
    product_bought_on: datetime | None = None
    bought: str | None = None
    bought_on: datetime | None = None
    signature: str | None = None
    # The request asked about an item it did not clearly name: "the item you asked for".
    unnamed_item: bool = False


def draft_language(customer: Customer, default: str) -> str:
    """Return the language to write to the customer in: theirs when there are templates for
    it, else `default` (the store's DEFAULT_LANGUAGE)."""
    own = (customer.language or "").split("-")[0].lower()
    if own in available_languages():
        return own
    return default if default in available_languages() else SOURCE_LANGUAGE


def compose(kind: str, facts: Facts, language: str) -> str:
    """Return the message of `kind` (KINDS) in `language`, made of `facts` only."""
    with speaking(language):
        text = _body(kind, facts)
        if facts.signature:
            text += "\n— " + facts.signature
    return text


def greeting_name(customer: Customer, language: str) -> str:
    """Return the name a draft in `language` greets the customer by: the first name (in
    Greek, its vocative: "Γεια σας, Νίκο!"), or the whole name when only that is on record or
    it is written in Chinese, Japanese or Korean script."""
    name = short_name(customer) if customer.first_name else full_name(customer)
    if language == "el" and customer.first_name:
        name = greek_vocative(name)
    return name


def _body(kind: str, facts: Facts) -> str:
    # Each text names only what the store holds: no price, no promise, no invented occasion.
    # The first name; the surname when only that is on record.
    customer = facts.customer
    name = greeting_name(customer, current_language())
    product, bought = facts.product, facts.bought
    when = format_day(facts.bought_on) if facts.bought_on else None
    restock = format_day(facts.product_bought_on) if facts.product_bought_on else None
    # Product names come as stored ("The Laundress Delicate Wash"): never after an article.
    if kind == READY:
        if product:
            return _("Hi {name}, your order is ready to pick up at the store: {product}.").format(
                name=name, product=product
            )
        return _("Hi {name}, your order is ready to pick up at the store.").format(name=name)
    if kind == BACK:
        if product:
            return _(
                "Hi {name}, good news: {product} is back in stock. Shall I put one aside for you?"
            ).format(name=name, product=product)
        if facts.unnamed_item:
            return _(
                "Hi {name}, good news: the item you asked for is back in stock. Shall I put it "
                "aside for you?"
            ).format(name=name)
        return _(
            "Hi {name}, good news: the size you asked for is back in stock. Shall I put it "
            "aside for you?"
        ).format(name=name)
    if kind == BIRTHDAY:
        return _("Happy birthday, {name}! Best wishes from all of us at the store.").format(
            name=name
        )
    if kind == RESTOCK and product and restock:
        return _(
            "Hi {name}, you last bought {product} on {date}: is it time for a new one? We have "
            "it at the store."
        ).format(name=name, product=product, date=restock)
    if kind in (PRODUCT, RESTOCK) and product:
        if bought:
            return _(
                "Hi {name}, after your purchase of {bought}, I thought you'd like to know: "
                "{product} is here at the store. Would you like to come and see it?"
            ).format(name=name, bought=bought, product=product)
        return _(
            "Hi {name}, I thought you'd like to know: {product} is here at the store. Would "
            "you like to come and see it?"
        ).format(name=name, product=product)
    if bought and when:
        return _(
            "Hi {name}, how are you getting on with {bought} (bought on {date})? We'd love to "
            "see you at the store again."
        ).format(name=name, bought=bought, date=when)
    return _("Hi {name}, we'd love to see you at the store again soon.").format(name=name)


def whatsapp_number(customer: Customer) -> str | None:
    """Return the customer's phone in E.164 ("+34600111222") when it is a valid number with
    its country code (WhatsApp needs one), else None."""
    key = customer.phone_key or ""
    if not key.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(key)
    except phonenumbers.NumberParseException:
        return None
    return key if phonenumbers.is_valid_number(number) else None


def whatsapp_url(e164: str, text: str) -> str:
    """Return the link that opens a WhatsApp chat with the number, the text typed in."""
    return f"https://wa.me/{e164.lstrip('+')}?text={quote(text, safe='')}"


def channels(customer: Customer) -> list[str]:
    """Return how a message can reach the customer: WhatsApp (a valid E.164 phone), SMS (any
    phone), e-mail; OTHER alone when there is no phone or e-mail."""
    found = []
    if whatsapp_number(customer):
        found.append(WHATSAPP)
    if customer.phone:
        found.append(SMS)
    if customer.email:
        found.append(EMAIL)
    return found or [OTHER]


def channel_name(channel: str) -> str:
    """Return a channel's name in the reply's language."""
    names = {
        WHATSAPP: "WhatsApp",
        SMS: _("SMS"),
        EMAIL: _("e-mail"),
        OTHER: _("another way"),
    }
    return names.get(channel, channel)

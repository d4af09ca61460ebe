"""Marking a drafted outreach message as sent: the contact is logged (who, when, channel,
purpose, product) after consent and the marketing cap are checked again, since another
associate may have sent one since it was drafted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core import audit, wording
from bot.core.draft_requests import read_sent_value
from bot.core.drafts import OTHER, channel_name
from bot.core.i18n import _, ngettext
from bot.core.retrieval import Retrieval
from bot.core.types import Caller, Intent, Option, Reply
from storage.contacts import MARKETING, ContactRefused, mark_sent
from storage.db import run_write
from storage.models import Contact, Customer


def mark_as_sent(r: Retrieval, db: Session, option: Option, caller: Caller) -> Reply:
    """Log the draft as sent over the button's channel, the consent and the cap checked again
    (another associate may have sent one meanwhile), and the caller's doing so in the audit
    trail."""
    parsed = read_sent_value(option.value)
    before = db.get(Contact, parsed[0]) if parsed else None
    customer = r.customer(db, before.customer_id) if before else None
    if parsed is None or before is None or customer is None:
        return Reply(text=_("That draft is no longer on record."), intent=Intent.draft)
    name = wording.full_name(customer)
    if before.sent_at is not None:
        return Reply(
            text=_(
                "That message was already logged as sent to {name} ({channel}, {date})."
            ).format(
                name=name,
                channel=channel_name(before.channel or OTHER),
                date=wording.day(before.sent_at),
            ),
            intent=Intent.draft,
            customer_id=customer.customer_id,
        )
    contact_id, channel = parsed
    now, cap, actor = r.clock(), r.marketing_cap, audit.actor_of(caller)
    try:
        sent = run_write(
            r.engine,
            lambda s: mark_sent(
                session=s, contact_id=contact_id, channel=channel, now=now, cap=cap, audit_as=actor
            ),
        )
    except ContactRefused as refused:
        return Reply(
            text=_not_sent_text(name, refused, cap),
            intent=Intent.draft,
            customer_id=customer.customer_id,
        )
    if sent is None:
        return Reply(text=_("That draft is no longer on record."), intent=Intent.draft)
    return _sent_reply(r, customer, sent)


def _not_sent_text(name: str, refused: ContactRefused, cap: int) -> str:
    if refused.reason == "cap":
        return ngettext(
            "Not logged: {name} has had {count} marketing message in the last 30 days (the "
            "limit is {cap}), sent by another associate since this draft. Please don't send it.",
            "Not logged: {name} has had {count} marketing messages in the last 30 days (the "
            "limit is {cap}), sent by another associate since this draft. Please don't send it.",
            refused.count,
        ).format(name=name, count=refused.count, cap=cap)
    return _(
        "Not logged: {name} no longer agrees to marketing messages. Please don't send it."
    ).format(name=name)


def _sent_reply(r: Retrieval, customer: Customer, sent: Contact) -> Reply:
    purpose = _("Marketing message") if sent.purpose == MARKETING else _("Service message")
    product = r.catalogue.products.products.get(sent.sku) if sent.sku else None
    detail = purpose + (f" · {product.name}" if product else "")
    sent_at: datetime | None = sent.sent_at
    return Reply(
        text=_("Logged: sent to {name} by {channel} on {date}.").format(
            name=wording.full_name(customer),
            channel=channel_name(sent.channel or OTHER),
            date=wording.day(sent_at),
        )
        + "\n"
        + detail,
        intent=Intent.draft,
        customer_id=customer.customer_id,
        sources=[f"contact {sent.id}"],
    )

"""Outreach contacts: drafts, sent messages, the marketing frequency cap and outcomes.

Times are the store's wall-clock time labelled UTC, as purchases and notes keep theirs, so a
contact and the purchase it led to compare directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.audit import Actor, add_entry
from storage.db import chunked
from storage.models import Contact, Customer, Purchase

MARKETING = "marketing"
SERVICE = "service"
PURPOSES = (MARKETING, SERVICE)
CHANNELS = ("whatsapp", "sms", "email", "other")
# The frequency cap counts sent marketing contacts over this many days.
CAP_WINDOW_DAYS = 30


class ContactRefused(Exception):
    """A marketing contact the customer did not consent to, or one over the frequency cap.

    `reason` is "no_consent" or "cap"; `count` the marketing contacts in the cap window."""

    def __init__(self, reason: str, count: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.count = count


def marketing_contacts(*, session: Session, customer_id: str, since: datetime) -> int:
    """Return how many marketing messages were sent to the customer since `since`, by any
    associate."""
    return session.exec(
        select(func.count())
        .select_from(Contact)
        .where(
            Contact.customer_id == customer_id,
            Contact.purpose == MARKETING,
            col(Contact.sent_at).is_not(None),
            col(Contact.sent_at) >= since,
        )
    ).one()


def check_contact(
    *, session: Session, customer: Customer, purpose: str, now: datetime, cap: int
) -> None:
    """Raise ContactRefused when a `purpose` message to `customer` may not go out at `now`: a
    marketing one without `marketing_consent`, or with `cap` marketing messages already sent
    in the last CAP_WINDOW_DAYS days. Service messages are always allowed. ValueError for an
    unknown purpose."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}: choose one of {', '.join(PURPOSES)}")
    if purpose != MARKETING:
        return
    if not customer.marketing_consent:
        raise ContactRefused("no_consent")
    count = marketing_contacts(
        session=session,
        customer_id=customer.customer_id,
        since=now - timedelta(days=CAP_WINDOW_DAYS),
    )
    if count >= cap:
        raise ContactRefused("cap", count)


def add_draft(*, session: Session, contact: Contact) -> Contact:
    """Store a drafted (not yet sent) contact and return it with its id."""
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def mark_sent(
    *,
    session: Session,
    contact_id: int,
    channel: str,
    now: datetime,
    cap: int,
    audit_as: Actor | None = None,
) -> Contact | None:
    """Record that the drafted contact went out over `channel` (CHANNELS) at `now`; consent
    and the cap are checked again, since another associate may have sent one meanwhile.
    `audit_as`: record it in the audit trail ("contact") as that actor's, in the same commit.
    Return it (unchanged when already sent); None when there is no such contact. Raises
    ContactRefused (see check_contact), ValueError for an unknown channel."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}: choose one of {', '.join(CHANNELS)}")
    contact = session.get(Contact, contact_id)
    if contact is None or contact.sent_at is not None:
        return contact
    # The customer's row is locked until the commit, so two associates marking at the same
    # instant are counted one after the other (PostgreSQL; SQLite's write lock does the same).
    customer = session.exec(
        select(Customer).where(Customer.customer_id == contact.customer_id).with_for_update()
    ).first()
    if customer is None:
        return None
    check_contact(session=session, customer=customer, purpose=contact.purpose, now=now, cap=cap)
    contact.sent_at = now
    contact.channel = channel
    session.add(contact)
    if audit_as is not None:
        detail = f"{channel}, {contact.purpose}"
        add_entry(
            session=session,
            actor=audit_as,
            kind="contact",
            customer_id=contact.customer_id,
            detail=detail,
        )
    session.commit()
    session.refresh(contact)
    return contact


@dataclass
class Outcome:
    """Contacts sent by one associate (or from one list) and what came of them: customers
    who bought within the attribution window, their orders and net spend."""

    key: str
    contacts: int = 0
    customers: int = 0
    buyers: int = 0
    orders: int = 0
    revenue: float = 0.0

    @property
    def conversion(self) -> float:
        """Share of contacted customers who bought within the window (0 to 1)."""
        return self.buyers / self.customers if self.customers else 0.0


def outcomes(
    *, session: Session, since: datetime, until: datetime, attribution_days: int
) -> tuple[dict[str, Outcome], dict[str, Outcome]]:
    """Return outcomes of the contacts sent in [`since`, `until`], per associate and per list
    kind ("chat" for contacts not made from a list; associates by name, "console" without).

    A purchase counts for a contact when the customer bought within `attribution_days` days
    after it was sent (last touch: a purchase after two contacts counts for the later one
    only; returns net out)."""
    contacts = session.exec(
        select(Contact)
        .where(col(Contact.sent_at).is_not(None), col(Contact.sent_at) >= since)
        .where(col(Contact.sent_at) <= until)
        .order_by(col(Contact.sent_at))
    ).all()
    window = timedelta(days=attribution_days)
    touches: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        touches[contact.customer_id].append(contact)
    bought: dict[int, tuple[set[str], float]] = defaultdict(lambda: (set(), 0.0))
    for ids in chunked(sorted(touches)):
        lines = session.exec(
            select(Purchase)
            .where(col(Purchase.customer_id).in_(ids))
            .where(col(Purchase.purchased_at) > since)
        ).all()
        for line in lines:
            if line.purchased_at is None:
                continue
            touch = _last_touch(touches[line.customer_id], line.purchased_at, window)
            if touch is None or touch.id is None:
                continue
            orders, revenue = bought[touch.id]
            orders.add(line.order_id)
            bought[touch.id] = (orders, revenue + line.quantity * (line.unit_price or 0.0))
    by_associate: dict[str, Outcome] = {}
    by_list: dict[str, Outcome] = {}
    for table, key_of in (
        (by_associate, lambda c: c.associate_name or "console"),
        (by_list, lambda c: c.list_kind or "chat"),
    ):
        seen: dict[str, set[str]] = defaultdict(set)
        buyers: dict[str, set[str]] = defaultdict(set)
        for contact in contacts:
            key = key_of(contact)
            row = table.setdefault(key, Outcome(key))
            row.contacts += 1
            seen[key].add(contact.customer_id)
            if contact.id in bought:
                orders, revenue = bought[contact.id]
                buyers[key].add(contact.customer_id)
                row.orders += len(orders)
                row.revenue = round(row.revenue + revenue, 2)
        for key, row in table.items():
            row.customers, row.buyers = len(seen[key]), len(buyers[key])
    return by_associate, by_list


def _last_touch(touches: list[Contact], at: datetime, window: timedelta) -> Contact | None:
    # The latest contact sent before the purchase and no longer than `window` before it.
    best = None
    for contact in touches:
        sent = contact.sent_at
        if sent is not None and sent < at <= sent + window:
            best = contact
    return best

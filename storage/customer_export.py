"""Everything held about one customer, as plain data: the "right of access" export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlmodel import Session, col, select

from storage.audit import audit_entries
from storage.consent import consent_history
from storage.models import AnswerLog, Contact, Customer, FollowUp, Note, Product, Purchase

SCHEMA_VERSION = 1


def _plain(value: object) -> object:
    """Return `value` as JSON can hold it: dates and times in ISO 8601."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _local(wall: datetime | None, offset_minutes: int | None) -> str | None:
    """Return a stored wall time (labelled UTC, see storage.local_times) as ISO 8601 with its
    own UTC offset ("2024-12-07T15:14:34+01:00"); rows kept before offsets were are UTC."""
    if wall is None:
        return None
    zone = timezone(timedelta(minutes=offset_minutes or 0))
    return wall.replace(tzinfo=zone).isoformat()


def customer_record(*, session: Session, customer_id: str) -> dict[str, Any] | None:
    """Return everything stored about one customer, or None when there is no such customer.

    The shape (every date and time an ISO 8601 string, every list oldest first; purchase and
    note times in the store's local time with its UTC offset)::

        {
          "schema": 1,
          "exported_at": "2026-11-30T12:00:00+00:00",   # UTC
          "customer": {<every column of Customer>},
          "purchases": [{order_id, sku, product, quantity, unit_price, purchased_at,
                         store_id, associate_id}],
          "notes": [{text, author, created_at}],
          "followups": [{text, due_date, associate_name, created_at, done_at}],
          "contacts": [{purpose, channel, sku, list_kind, text, language, associate_name,
                        drafted_at, sent_at}],
          "answers": [{question, answer, intent, created_at, associate_name}],
          "consent_history": [{marketing_consent, changed_at, source, changed_by}],  # UTC
          "audit": [{at, channel, associate_name, kind, detail}],   # UTC: who saw her data
        }
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    purchases = session.exec(
        select(Purchase, Product.name)
        .join(Product, col(Product.sku) == col(Purchase.sku), isouter=True)
        .where(Purchase.customer_id == customer_id)
        .order_by(col(Purchase.purchased_at), col(Purchase.id))
    ).all()
    notes = session.exec(
        select(Note)
        .where(Note.customer_id == customer_id)
        .order_by(col(Note.created_at), col(Note.id))
    ).all()
    followups = session.exec(
        select(FollowUp)
        .where(FollowUp.customer_id == customer_id)
        .order_by(col(FollowUp.created_at), col(FollowUp.id))
    ).all()
    contacts = session.exec(
        select(Contact)
        .where(Contact.customer_id == customer_id)
        .order_by(col(Contact.drafted_at), col(Contact.id))
    ).all()
    answers = session.exec(
        select(AnswerLog)
        .where(AnswerLog.customer_id == customer_id)
        .order_by(col(AnswerLog.created_at), col(AnswerLog.id))
    ).all()
    return {
        "schema": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "customer": {name: _plain(getattr(customer, name)) for name in Customer.model_fields},
        "purchases": [
            {
                "order_id": p.order_id,
                "sku": p.sku,
                "product": name,
                "quantity": p.quantity,
                "unit_price": p.unit_price,
                "purchased_at": _local(p.purchased_at, p.utc_offset_minutes),
                "store_id": p.store_id,
                "associate_id": p.associate_id,
            }
            for p, name in purchases
        ],
        "notes": [
            {
                "text": n.text,
                "author": n.author,
                "created_at": _local(n.created_at, n.utc_offset_minutes),
            }
            for n in notes
        ],
        "followups": [
            {
                "text": f.text,
                "due_date": _plain(f.due_date),
                "associate_name": f.associate_name,
                "created_at": _plain(f.created_at),
                "done_at": _plain(f.done_at),
            }
            for f in followups
        ],
        "contacts": [
            {
                "purpose": c.purpose,
                "channel": c.channel,
                "sku": c.sku,
                "list_kind": c.list_kind,
                "text": c.text,
                "language": c.language,
                "associate_name": c.associate_name,
                "drafted_at": _plain(c.drafted_at),
                "sent_at": _plain(c.sent_at),
            }
            for c in contacts
        ],
        "answers": [
            {
                "question": a.question,
                "answer": a.answer,
                "intent": a.intent,
                "created_at": _plain(a.created_at),
                "associate_name": a.associate_name,
            }
            for a in answers
        ],
        "consent_history": [
            {
                "marketing_consent": c.marketing_consent,
                "changed_at": _plain(c.changed_at),
                "source": c.source,
                "changed_by": c.changed_by,
            }
            for c in consent_history(session=session, customer_id=customer_id)
        ],
        "audit": [
            {
                "at": _plain(e.at),
                "channel": e.channel,
                "associate_name": e.associate_name,
                "kind": e.kind,
                "detail": e.detail,
            }
            for e in audit_entries(session=session, customer_id=customer_id)
        ],
    }

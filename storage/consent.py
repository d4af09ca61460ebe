"""Consent history: every change of a customer's marketing consent, with who, when and source.

A change is recorded where it happens: `set_consent` for one customer (the chat, the CLI) and
`record_import_changes` for a customers file, inside the import's own transaction, before its
rows are merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection, Table
from sqlmodel import Session, col, select

from storage.models import ConsentChange, Customer, utcnow

SOURCES = ("import", "chat", "cli")
_BY_MAX = 200


@dataclass(frozen=True, slots=True)
class ConsentState:
    """A customer's marketing consent now and since when (None when no change was recorded:
    it was set before consent history existed)."""

    marketing_consent: bool
    since: datetime | None
    source: str | None = None
    changed_by: str | None = None


def set_consent(
    *,
    session: Session,
    customer_id: str,
    consent: bool,
    source: str,
    changed_by: str | None = None,
    telegram_id: int | None = None,
    now: datetime | None = None,
) -> ConsentChange | None:
    """Set the customer's marketing consent and record the change (no commit); return the new
    history row, or None when the consent already was `consent` (nothing changes).

    Raises LookupError for an unknown customer, ValueError for a source outside SOURCES.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown consent source {source!r}: one of {', '.join(SOURCES)}")
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id!r}")
    if customer.marketing_consent == consent:
        return None
    when = now or utcnow()
    customer.marketing_consent = consent
    customer.updated_at = when
    change = ConsentChange(
        customer_id=customer_id,
        marketing_consent=consent,
        changed_at=when,
        source=source,
        changed_by=changed_by[:_BY_MAX] if changed_by else None,
        telegram_id=telegram_id,
    )
    session.add(customer)
    session.add(change)
    return change


def consent_history(*, session: Session, customer_id: str) -> list[ConsentChange]:
    """Return the customer's consent changes, oldest first."""
    return list(
        session.exec(
            select(ConsentChange)
            .where(ConsentChange.customer_id == customer_id)
            .order_by(col(ConsentChange.changed_at), col(ConsentChange.id))
        )
    )


def consent_state(*, session: Session, customer: Customer) -> ConsentState:
    """Return the customer's current consent and the change that set it, when one was recorded
    (not the first import that brought her in: it says when the file was read, not since when
    she agreed)."""
    last_two = session.exec(
        select(ConsentChange)
        .where(ConsentChange.customer_id == customer.customer_id)
        .order_by(col(ConsentChange.changed_at).desc(), col(ConsentChange.id).desc())
        .limit(2)
    ).all()
    if not last_two or last_two[0].marketing_consent != customer.marketing_consent:
        return ConsentState(customer.marketing_consent, None)
    last = last_two[0]
    if len(last_two) == 1 and last.source == "import":
        return ConsentState(customer.marketing_consent, None, last.source, last.changed_by)
    return ConsentState(customer.marketing_consent, last.changed_at, last.source, last.changed_by)


def record_import_changes(
    conn: Connection, stage: Table, *, changed_by: str, merged: bool, now: datetime | None = None
) -> int:
    """Record the consent changes of a customers file staged in `stage` (with a
    `marketing_consent` column): before the merge (`merged=False`) each stored customer whose
    consent the file changes, after it (`merged=True`) each customer the file added, with the
    consent it gave. Return how many rows were recorded."""
    customer = Customer.__table__  # type: ignore[attr-defined]
    s = stage.c
    if merged:
        # Added by this file: stamped with the staged row's own creation time.
        join = customer.c.customer_id == s.customer_id
        which = customer.c.created_at == s.created_at
    else:
        join = customer.c.customer_id == s.customer_id
        which = customer.c.marketing_consent.is_distinct_from(s.marketing_consent)
    changed = (
        sa.select(
            s.customer_id,
            s.marketing_consent,
            sa.literal(now or utcnow(), type_=ConsentChange.__table__.c.changed_at.type),  # type: ignore[attr-defined]
            sa.literal("import"),
            sa.literal(changed_by[:_BY_MAX]),
        )
        .select_from(stage.join(customer, join))
        .where(which)
        .order_by(s.line)
    )
    insert = sa.insert(ConsentChange.__table__).from_select(  # type: ignore[attr-defined]
        ["customer_id", "marketing_consent", "changed_at", "source", "changed_by"], changed
    )
    return conn.execute(insert, execution_options={"preserve_rowcount": True}).rowcount

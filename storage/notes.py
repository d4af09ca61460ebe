"""Notes associates keep about customers."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session, col, select

from storage.audit import Actor, add_entry
from storage.local_times import local_time, store_zone
from storage.models import Note, utcnow


def note_key(customer_id: str, text: str, author: str | None, created_at: str | None) -> str:
    """Return the identity of a note: the same note imported twice is one note."""
    raw = "\x1f".join((customer_id, text, author or "", created_at or ""))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def add_note(
    *,
    session: Session,
    customer_id: str,
    text: str,
    author: str,
    created_at: datetime | None = None,
    store_timezone: str = "UTC",
    audit_as: Actor | None = None,
) -> Note:
    """Store a note about a customer written by `author` at `created_at` (tz-aware; default
    now), kept as imported notes are: the wall-clock time in `store_timezone` (an IANA name)
    labelled UTC, with its UTC offset; `audit_as`: record it in the audit trail ("note") as
    that actor's, in the same commit. ValueError for an empty note or an unknown zone."""
    text = text.strip()
    if not text:
        raise ValueError("the note is empty")
    when = local_time(created_at or utcnow(), store_zone(store_timezone))
    note = Note(
        note_key=note_key(customer_id, text, author, when.identity()),
        customer_id=customer_id,
        text=text,
        author=author,
        created_at=when.wall,
        utc_offset_minutes=when.offset_minutes,
    )
    session.add(note)
    if audit_as is not None:
        add_entry(session=session, actor=audit_as, kind="note", customer_id=customer_id)
    session.commit()
    session.refresh(note)
    return note


def recent_notes(*, session: Session, customer_id: str, limit: int = 5) -> list[Note]:
    """Return the customer's newest notes first."""
    return list(
        session.exec(
            select(Note)
            .where(Note.customer_id == customer_id)
            .order_by(col(Note.created_at).desc(), col(Note.id).desc())
            .limit(limit)
        ).all()
    )

"""The right to erasure: removing one customer and everything derived from her.

Her profile, purchase lines, notes, follow-up tasks, contacts and consent history are deleted;
so are the answers the bot gave about her or that name her (with their votes) and the chat
sessions that point at her. Her purchase lines are deleted rather than kept under a pseudonym:
a pseudonymous customer would still show up in lists and counts, and one customer's lines are
noise in store-wide statistics; the caller refreshes the recommendation signals afterwards. The
audit trail keeps who looked when, under a pseudonym (`erased:` and the start of the hash of her
id). Her id, e-mail and phone join the suppression list so imports skip her. On SQLite the
file's freed space is then cleared (`clear_freed_space`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
from anyascii import anyascii
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from storage.audit import Actor, add_entry, pseudonymise_entries
from storage.db import chunked
from storage.models import (
    AnswerLog,
    ConsentChange,
    Contact,
    Conversation,
    Customer,
    Feedback,
    FollowUp,
    ItemRhythm,
    Note,
    Purchase,
    ReceiptSpend,
    VisitRhythm,
    utcnow,
)
from storage.shopping_history import forget_model
from storage.suppression import suppress_customer

_SCAN_BATCH = 2_000
# What stands for her in text that is kept (another customer's note, a manager's tip).
ERASED_MARK = "[…]"
_NOT_DIGITS = re.compile(r"\D+")
_DIGIT_RUNS = re.compile(r"\+?\d[\d\s().\-/]{5,}\d")


@dataclass
class Erasure:
    """What erasing one customer removed: counts per kind of row, and the pseudonym her audit
    entries now carry."""

    pseudonym: str
    # How texts named her: what tips and other stores are searched for afterwards.
    identifiers: Identifiers
    removed: dict[str, int] = field(default_factory=dict)


def _fold(value: str) -> str:
    # Case, accents and script ignored, as the assistant's own name search does: "ÇAĞLA
    # YILMAZ", "Cagla Yilmaz" and "çağla  yılmaz" name the same person; ı, ø, ł, ß and Greek
    # letters are transliterated (anyascii), not only stripped of accents.
    return " ".join(anyascii(value).casefold().split())


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    # `text` folded character by character as `_fold` does (spaces kept), with the index in
    # `text` that each folded character came from.
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        for part in anyascii(char).casefold() if not char.isspace() else " ":
            chars.append(part)
            origin.append(i)
    return "".join(chars), origin


@dataclass(frozen=True)
class Identifiers:
    """How a text can name one customer: her id, full name, e-mail and phone."""

    customer_id: str
    full_name: str | None
    email: str | None
    phone_digits: str | None
    # The national significant number (without country code or trunk 0), when the phone's
    # country is known: "07700 900123" and "+44 7700 900123" are the same phone.
    phone_national: str | None = None

    @classmethod
    def of(cls, customer: Customer) -> Identifiers:
        """Return the identifiers of `customer` (a full name needs both names)."""
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p and p.strip())
        digits = _NOT_DIGITS.sub("", customer.phone or "")
        national = None
        if customer.phone_key and customer.phone_key.startswith("+"):
            try:
                parsed = phonenumbers.parse(customer.phone_key)
                national = phonenumbers.national_significant_number(parsed)
            except phonenumbers.NumberParseException:
                national = None
        return cls(
            customer_id=customer.customer_id,
            full_name=_fold(name) if customer.first_name and customer.last_name else None,
            email=_fold(customer.email) if customer.email else None,
            phone_digits=digits if len(digits) >= 7 else None,
            phone_national=national if national and len(national) >= 7 else None,
        )

    def needles(self) -> list[str]:
        """Return the identifiers as plain strings, for searching other stores (tips)."""
        return [
            v for v in (self.full_name, self.email, self.phone_digits, self.phone_national) if v
        ]

    def redact(self, text: str, mark: str = ERASED_MARK) -> str:
        """Return `text` with her full name, e-mail and phone (in any case, accents, script or
        spacing) replaced by `mark`."""
        folded, origin = _folded_with_origin(text)
        spans: list[tuple[int, int]] = []
        for needle in (self.email, self.full_name):
            if needle:
                pattern = r"\s+".join(re.escape(part) for part in needle.split())
                spans += [m.span() for m in re.finditer(pattern, folded)]
        for run in _DIGIT_RUNS.finditer(folded):
            if self.phone_in(_NOT_DIGITS.sub("", run.group())):
                spans.append(run.span())
        out = text
        # Right to left, so earlier spans keep their places; overlapping ones merge.
        last_start = len(folded) + 1
        for start, end in sorted(spans, reverse=True):
            if end > last_start:
                continue
            first, stop = origin[start], origin[end - 1] + 1
            out = out[:first] + mark + out[stop:]
            last_start = start
        return out

    def phone_in(self, digits: str) -> bool:
        """True when a run of typed digits is her phone, written in any of its forms."""
        typed = digits.lstrip("0")
        if len(typed) < 7:
            return False
        return any(
            own.endswith(typed) or typed.endswith(own)
            for own in (self.phone_digits, self.phone_national)
            if own
        )

    def named_in(self, *texts: str | None, with_id: bool = True) -> bool:
        """True when any of `texts` holds her id (as a word; unless not `with_id`), full name,
        e-mail or phone."""
        id_word = _id_pattern(self.customer_id)  # compiled once per id, not per text
        for raw in texts:
            if not raw:
                continue
            if with_id and id_word.search(raw):
                return True
            folded = _fold(raw)
            if self.full_name and self.full_name in folded:
                return True
            if self.email and self.email in folded:
                return True
            if any(self.phone_in(_NOT_DIGITS.sub("", run)) for run in _DIGIT_RUNS.findall(raw)):
                return True
        return False


@functools.lru_cache(maxsize=64)
def _id_pattern(customer_id: str) -> re.Pattern[str]:
    # Her id as a word: "C7" in "customer C7" or "C7|2026-12-01|…", never inside "C70".
    return re.compile(rf"(?<![\w-]){re.escape(customer_id)}(?![\w-])", re.I)


def forget_customer(
    *,
    session: Session,
    customer_id: str,
    suppression_key: bytes,
    actor: Actor,
    reason: str | None = None,
    now: datetime | None = None,
) -> Erasure:
    """Erase one customer in the session's transaction (the caller commits); return what went.

    Raises LookupError for an unknown customer; storage.suppression.SuppressionKeyError when
    the suppression list was started under another key.
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id!r}")
    who = Identifiers.of(customer)
    hashes = suppress_customer(session=session, key=suppression_key, customer=customer, now=now)
    erasure = Erasure(pseudonym=f"erased:{hashes[0][:12]}", identifiers=who)
    removed = erasure.removed

    answers = _answers_naming(session, who)
    for ids in chunked([str(i) for i in answers]):
        numbers = [int(i) for i in ids]
        removed["votes"] = removed.get("votes", 0) + _delete(
            session, delete(Feedback).where(col(Feedback.answer_id).in_(numbers))
        )
        removed["answers"] = removed.get("answers", 0) + _delete(
            session, delete(AnswerLog).where(col(AnswerLog.id).in_(numbers))
        )
    sessions = _sessions_naming(session, who)
    for keys in chunked(sessions):
        removed["chat sessions"] = removed.get("chat sessions", 0) + _delete(
            session, delete(Conversation).where(col(Conversation.key).in_(keys))
        )
    of_her = customer_id
    removed["follow-ups"] = _delete(
        session, delete(FollowUp).where(col(FollowUp.customer_id) == of_her)
    )
    for table, label in (
        (Note, "notes"),
        (Contact, "contacts"),
        (ConsentChange, "consent changes"),
        (Purchase, "purchase lines"),
        (VisitRhythm, None),
        (ItemRhythm, None),
        (ReceiptSpend, None),
    ):
        count = _delete(
            session,
            delete(table).where(table.__table__.c.customer_id == of_her),  # type: ignore[union-attr]
        )
        if label:
            removed[label] = count
    if removed["purchase lines"]:
        # The shopping model holds her baskets: it goes with her, and the caller rebuilds it.
        forget_model(session=session)
    # What associates wrote about other customers may name her ("gift for Zoë Ünal"): kept,
    # without her.
    for written, label in ((Note, "notes"), (FollowUp, "follow-ups"), (Contact, "contacts")):
        removed[f"{label} of others rewritten"] = _rewrite_texts(session, written, who)
    pseudonymise_entries(session=session, customer_id=of_her, pseudonym=erasure.pseudonym)
    session.delete(customer)
    removed["customer"] = 1
    add_entry(
        session=session,
        actor=actor,
        kind="erasure",
        customer_id=erasure.pseudonym,
        detail=_clean_reason(reason, who),
        at=now or utcnow(),
    )
    session.flush()
    return erasure


def _rewrite_texts(session: Session, table: type[Any], who: Identifiers) -> int:
    """Replace her identifiers in the `text` of every row of `table` that names her (rows of
    other customers: hers are deleted first); return how many rows changed."""
    changed = 0
    last = 0
    key = table.__table__.c.id
    while True:
        rows: list[Any] = list(
            session.exec(select(table).where(key > last).order_by(key).limit(_SCAN_BATCH))
        )
        if not rows:
            return changed
        for row in rows:
            if who.named_in(row.text, with_id=False):
                row.text = who.redact(row.text)
                session.add(row)
                changed += 1
        last = rows[-1].id


def _delete(session: Session, stmt: object) -> int:
    result = session.exec(stmt, execution_options={"preserve_rowcount": True})  # type: ignore[call-overload]
    return int(result.rowcount)


def _answers_naming(session: Session, who: Identifiers) -> list[int]:
    # Answers about her by id, and any answer whose question, text or offered buttons name her
    # (a "which one?" list, a question typed with her e-mail): read in batches by id.
    found = [
        int(i)
        for i in session.exec(
            select(col(AnswerLog.id)).where(AnswerLog.customer_id == who.customer_id)
        )
        if i is not None
    ]
    last = 0
    while True:
        rows = session.exec(
            select(AnswerLog.id, AnswerLog.question, AnswerLog.answer, AnswerLog.options)
            .where(col(AnswerLog.id) > last)
            .order_by(col(AnswerLog.id))
            .limit(_SCAN_BATCH)
        ).all()
        if not rows:
            return sorted(set(found))
        for answer_id, question, answer, options in rows:
            if who.named_in(question, answer, json.dumps(options, ensure_ascii=False)):
                found.append(answer_id)  # type: ignore[arg-type]
        last = rows[-1][0]  # type: ignore[assignment]


def _sessions_naming(session: Session, who: Identifiers) -> list[str]:
    keys: list[str] = []
    for conv in session.exec(select(Conversation)):
        # Candidates are ids, or a reminder's "id|due|text" choices: read as text either way.
        if conv.customer_id == who.customer_id or who.named_in(
            conv.candidates, conv.pending_note, conv.pending_task
        ):
            keys.append(conv.key)
    return keys


def _clean_reason(reason: str | None, who: Identifiers) -> str | None:
    # The reason is typed by a manager and may name her ("Zoë asked by e-mail"): it is kept
    # only when it does not.
    if not reason or not reason.strip():
        return None
    if who.named_in(reason):
        return "(reason withheld: it named the customer)"
    return reason.strip()


def clear_freed_space(engine: Engine) -> None:
    """Make deleted rows unreadable in the database files: on SQLite, copy the write-ahead log
    into the database and truncate it, then VACUUM (rebuilds the file without free pages); on
    PostgreSQL nothing here (see the README: VACUUM FULL and backups are the operator's)."""
    if engine.dialect.name != "sqlite":
        return
    # VACUUM refuses to run inside a transaction, and SQLAlchemy connections always begin one
    # (storage.db): the driver's own connection runs it in autocommit.
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()

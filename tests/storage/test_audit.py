"""The audit trail's store: entries added in the caller's transaction, found by customer,
associate and time, forgotten after retention, and written with the note, task or contact they
record (SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage.audit import (
    Actor,
    add_entries,
    add_entry,
    audit_entries,
    forget_entries_before,
    pseudonymise_entries,
)
from storage.contacts import ContactRefused, add_draft, mark_sent
from storage.db import run_write
from storage.followups import add_followup
from storage.models import AuditEntry, Contact, Customer, Note
from storage.notes import add_note

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ANA = Actor(channel="telegram", name="Ana", telegram_id=1001)
CONSOLE = Actor(channel="console", name="console")


@pytest.fixture
def store(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(Customer(customer_id="C1", first_name="Ana", marketing_consent=True))
        db.add(Customer(customer_id="C2", first_name="Bo", marketing_consent=False))
        db.commit()
    return engine


def _entries(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as db:
        return list(db.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all())


def test_an_entry_lands_with_the_callers_commit_and_goes_with_its_rollback(
    store: Engine,
) -> None:
    with Session(store) as db:
        add_entry(session=db, actor=ANA, kind="overview", customer_id="C1", at=NOW)
        db.rollback()
    assert _entries(store) == []

    with Session(store) as db:
        add_entry(session=db, actor=ANA, kind="overview", customer_id="C1", at=NOW)
        db.commit()

    [entry] = _entries(store)
    assert (entry.channel, entry.associate_name, entry.telegram_id) == ("telegram", "Ana", 1001)
    assert (entry.customer_id, entry.kind, entry.at) == ("C1", "overview", NOW)


def test_several_entries_go_in_one_insert_with_the_callers_transaction(store: Engine) -> None:
    rows = [("candidates", "C1", "one of 2"), ("candidates", "C2", "one of 2")]
    with Session(store) as db:
        assert add_entries(session=db, actor=ANA, entries=rows, at=NOW) == 2
        db.rollback()
    assert _entries(store) == []

    with Session(store) as db:
        assert add_entries(session=db, actor=CONSOLE, entries=rows, at=NOW) == 2
        assert add_entries(session=db, actor=CONSOLE, entries=[]) == 0
        db.commit()

    assert [(e.kind, e.customer_id, e.detail, e.channel, e.at) for e in _entries(store)] == [
        ("candidates", "C1", "one of 2", "console", NOW),
        ("candidates", "C2", "one of 2", "console", NOW),
    ]


def test_an_unknown_channel_or_an_empty_kind_is_refused(store: Engine) -> None:
    with Session(store) as db, pytest.raises(ValueError, match="unknown channel"):
        add_entry(session=db, actor=Actor(channel="fax"), kind="overview")
    with Session(store) as db, pytest.raises(ValueError, match="needs a kind"):
        add_entry(session=db, actor=ANA, kind=" ")
    with Session(store) as db, pytest.raises(ValueError, match="unknown channel"):
        add_entries(session=db, actor=Actor(channel="fax"), entries=[("overview", "C1", None)])


def test_entries_are_found_by_customer_associate_and_time_oldest_first(store: Engine) -> None:
    with Session(store) as db:
        add_entry(session=db, actor=ANA, kind="history", customer_id="C1", at=NOW)
        add_entry(session=db, actor=CONSOLE, kind="notes", customer_id="C2", at=NOW)
        add_entry(
            session=db, actor=ANA, kind="overview", customer_id="C1", at=NOW - timedelta(days=2)
        )
        add_entry(session=db, actor=ANA, kind="list", detail="due: 3 customers", at=NOW)
        db.commit()

        def kinds(**filters: object) -> list[str]:
            return [e.kind for e in audit_entries(session=db, **filters)]  # type: ignore[arg-type]

        assert kinds() == ["overview", "history", "notes", "list"]
        assert kinds(customer_id="C1") == ["overview", "history"]
        assert kinds(associate="ana") == ["overview", "history", "list"]  # case ignored
        assert kinds(associate="1001") == ["overview", "history", "list"]  # Telegram id
        assert kinds(associate="console") == ["notes"]
        assert kinds(since=NOW - timedelta(days=1)) == ["history", "notes", "list"]
        assert kinds(customer_id="C1", since=NOW) == ["history"]


def test_entries_older_than_the_cut_off_are_forgotten_and_newer_kept(store: Engine) -> None:
    with Session(store) as db:
        for days in (400, 366, 364, 1):
            add_entry(
                session=db,
                actor=ANA,
                kind="overview",
                customer_id="C1",
                detail=str(days),
                at=NOW - timedelta(days=days),
            )
        db.commit()

    gone = run_write(
        store, lambda db: forget_entries_before(session=db, before=NOW - timedelta(days=365))
    )

    assert gone == 2
    assert [e.detail for e in _entries(store)] == ["364", "1"]


def test_an_erased_customers_entries_keep_who_and_when_under_a_pseudonym(store: Engine) -> None:
    with Session(store) as db:
        add_entry(session=db, actor=ANA, kind="overview", customer_id="C1", at=NOW)
        add_entry(session=db, actor=ANA, kind="notes", customer_id="C2", at=NOW)
        changed = pseudonymise_entries(session=db, customer_id="C1", pseudonym="erased-1")
        db.commit()

    assert changed == 1
    assert [(e.customer_id, e.associate_name) for e in _entries(store)] == [
        ("erased-1", "Ana"),
        ("C2", "Ana"),
    ]


def test_a_note_and_a_task_are_recorded_in_their_own_commit(store: Engine) -> None:
    note = run_write(
        store,
        lambda db: add_note(
            session=db, customer_id="C1", text="likes linen", author="Ana", audit_as=ANA
        ),
    )
    run_write(
        store,
        lambda db: add_followup(
            session=db,
            customer_id="C1",
            text="call her",
            due_date=date(2026, 12, 4),
            now=NOW,
            audit_as=ANA,
        ),
    )
    # Imports and other writes that name no actor record nothing.
    run_write(store, lambda db: add_note(session=db, customer_id="C2", text="x", author="file"))

    assert [(e.kind, e.customer_id, e.detail) for e in _entries(store)] == [
        ("note", "C1", None),
        ("task", "C1", "due 2026-12-04"),
    ]
    assert note.id is not None


def test_a_note_that_fails_leaves_no_entry(store: Engine) -> None:
    with pytest.raises(ValueError, match="empty"):
        run_write(
            store,
            lambda db: add_note(
                session=db, customer_id="C1", text=" ", author="Ana", audit_as=ANA
            ),
        )

    assert _entries(store) == []
    with Session(store) as db:
        assert db.exec(select(Note)).all() == []


def test_a_contact_is_recorded_once_when_marked_sent_and_never_when_refused(
    store: Engine,
) -> None:
    with Session(store) as db:
        ok = add_draft(
            session=db,
            contact=Contact(customer_id="C1", text="Hi", purpose="marketing", drafted_at=NOW),
        ).id
        refused = add_draft(
            session=db,
            contact=Contact(customer_id="C2", text="Hi", purpose="marketing", drafted_at=NOW),
        ).id
    assert ok is not None
    assert refused is not None

    def mark(contact_id: int) -> Contact | None:
        return run_write(
            store,
            lambda db: mark_sent(
                session=db, contact_id=contact_id, channel="sms", now=NOW, cap=2, audit_as=ANA
            ),
        )

    mark(ok)
    mark(ok)  # already sent: nothing new to record
    with pytest.raises(ContactRefused):
        mark(refused)  # no consent

    assert [(e.kind, e.customer_id, e.detail) for e in _entries(store)] == [
        ("contact", "C1", "sms, marketing")
    ]

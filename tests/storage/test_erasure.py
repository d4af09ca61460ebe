"""Erasing one customer in the database: everything of hers goes, nothing of anyone else's
(SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.audit import Actor, add_entry, audit_entries
from storage.erasure import Identifiers, forget_customer
from storage.models import (
    AnswerLog,
    ConsentChange,
    Conversation,
    Customer,
    Feedback,
    FollowUp,
    Note,
    Product,
    Purchase,
    SuppressedIdentity,
)
from storage.suppression import SuppressionKeyError, identity_keys

KEY = b"k" * 32
T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
OPS = Actor("cli", "ops")


@pytest.fixture
def store(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(Product(sku="K", name="Kettle"))
        db.add(
            Customer(
                customer_id="Z1", first_name="Zoë", last_name="Ünal", email="zoe@example.org",
                phone="+49 176 1234567", phone_key="+491761234567",
            )
        )  # fmt: skip
        db.add(Customer(customer_id="Z10", first_name="Zoe", last_name="Other"))
        db.flush()
        db.add(Purchase(order_id="O1", customer_id="Z1", sku="K", purchased_at=T))
        db.add(Purchase(order_id="O2", customer_id="Z10", sku="K", purchased_at=T))
        db.add(Note(note_key="n1", customer_id="Z1", text="kitchen"))
        db.add(Note(note_key="n2", customer_id="Z10", text="bath"))
        db.add(FollowUp(customer_id="Z1", text="call", due_date=date(2026, 12, 1)))
        db.add(ConsentChange(customer_id="Z1", marketing_consent=True, source="chat"))
        about = AnswerLog(
            chat_key="c", question="Zoë?", answer="x", intent="overview", customer_id="Z1"
        )
        named = AnswerLog(
            chat_key="c", question="which Zoe?", intent="candidates",
            answer="Which one? Zoë Ünal (store S1) or Zoe Other", customer_id=None,
        )  # fmt: skip
        typed = AnswerLog(
            chat_key="c", question="who has 0176 1234567?", answer="…", intent="overview"
        )
        by_email = AnswerLog(chat_key="c", question="ZOE@example.org", answer="…", intent="x")
        other = AnswerLog(
            chat_key="c", question="Zoe Other?", answer="y", intent="overview", customer_id="Z10"
        )
        db.add_all([about, named, typed, by_email, other])
        db.flush()
        db.add(Feedback(answer_id=about.id, telegram_id=1, vote=1))  # type: ignore[arg-type]
        db.add(Feedback(answer_id=other.id, telegram_id=1, vote=-1))  # type: ignore[arg-type]
        db.add(Conversation(key="tg:1", customer_id="Z1"))
        db.add(Conversation(key="tg:2", candidates="Z10 Z1"))
        db.add(Conversation(key="tg:3", customer_id="Z10", candidates="Z10"))
        add_entry(session=db, actor=Actor("telegram", "Ana", 1), kind="overview", customer_id="Z1")
        add_entry(
            session=db, actor=Actor("telegram", "Ana", 1), kind="overview", customer_id="Z10"
        )
        db.commit()
    return engine


def test_forget_removes_her_rows_and_the_answers_that_name_her(store: Engine) -> None:
    with Session(store) as db:
        erasure = forget_customer(
            session=db, customer_id="Z1", suppression_key=KEY, actor=OPS, reason="asked"
        )
        db.commit()
    assert erasure.removed["purchase lines"] == 1
    assert erasure.removed["answers"] == 4
    assert erasure.removed["votes"] == 1
    assert erasure.removed["chat sessions"] == 2
    with Session(store) as db:
        assert db.get(Customer, "Z1") is None
        for table in (Purchase, Note, FollowUp, ConsentChange):
            rows = db.exec(select(table).where(table.customer_id == "Z1")).all()  # type: ignore[attr-defined]
            assert rows == [], table.__name__
        answers = db.exec(select(AnswerLog.question)).all()
        assert answers == ["Zoe Other?"]
        assert len(db.exec(select(Feedback)).all()) == 1
        assert [c.key for c in db.exec(select(Conversation))] == ["tg:3"]
        # The other Zoe, whose id starts like hers, keeps everything.
        assert db.get(Customer, "Z10") is not None
        assert len(db.exec(select(Note).where(Note.customer_id == "Z10")).all()) == 1
        # The trail keeps who looked when, under her pseudonym, and the erasure itself.
        trail = audit_entries(session=db, customer_id=erasure.pseudonym)
        assert [(e.kind, e.associate_name) for e in trail] == [
            ("overview", "Ana"),
            ("erasure", "ops"),
        ]
        assert trail[1].detail == "asked"
        assert audit_entries(session=db, customer_id="Z1") == []
        hashes = set(db.exec(select(SuppressedIdentity.key)).all())
    for digest, _kind in identity_keys(
        KEY, customer_id="Z1", email="Zoe@Example.org", phone="+49 176 1234567"
    ):
        assert digest in hashes
    assert not any("zoe" in h for h in hashes)


def test_a_reason_that_names_her_is_not_kept(store: Engine) -> None:
    with Session(store) as db:
        forget_customer(
            session=db,
            customer_id="Z1",
            suppression_key=KEY,
            actor=OPS,
            reason="Zoë Ünal wrote from zoe@example.org",
        )
        db.commit()
        (entry,) = [e for e in audit_entries(session=db) if e.kind == "erasure"]
    assert entry.detail is not None
    assert "Zoë" not in entry.detail
    assert "zoe@" not in entry.detail


def test_a_second_erasure_under_another_key_is_refused(store: Engine) -> None:
    with Session(store) as db:
        forget_customer(session=db, customer_id="Z1", suppression_key=KEY, actor=OPS)
        db.commit()
    with Session(store) as db, pytest.raises(SuppressionKeyError, match="suppression key"):
        forget_customer(session=db, customer_id="Z10", suppression_key=b"x" * 32, actor=OPS)


def test_forgetting_nobody_is_a_lookup_error(store: Engine) -> None:
    with Session(store) as db, pytest.raises(LookupError):
        forget_customer(session=db, customer_id="NOPE", suppression_key=KEY, actor=OPS)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("what did ZOË ÜNAL buy?", True),
        ("zoe  unal", True),
        ("mail zoe@example.org", True),
        ("call +49 (176) 123-4567", True),
        ("call 0176 1234567", True),
        ("customer Z1 again", True),
        ("customer Z10 again", False),
        ("Zoë bought a kettle", False),
        ("order 2026-11-30 1234", False),
    ],
)
def test_what_counts_as_naming_her(text: str, named: bool) -> None:
    zoe = Customer(
        customer_id="Z1",
        first_name="Zoë",
        last_name="Ünal",
        email="zoe@example.org",
        phone="+49 176 1234567",
        phone_key="+491761234567",
    )
    assert Identifiers.of(zoe).named_in(text) is named


def test_what_others_wrote_about_her_is_kept_without_her_and_reminder_choices_go(
    engine: Engine,
) -> None:
    with Session(engine) as db:
        db.add(Product(sku="K", name="Kettle"))
        db.add(
            Customer(
                customer_id="C39", first_name="Çağla", last_name="Yılmaz",
                email="cagla.yilmaz@example.org", phone="+90 558 530 26 08",
                phone_key="+905585302608",
            )
        )  # fmt: skip
        db.add(Customer(customer_id="C3", first_name="Kostas", last_name="K"))
        db.flush()
        db.add(
            Note(note_key="n3", customer_id="C3", text="gift for Cagla Yilmaz (0558 530 26 08)")
        )
        db.add(Note(note_key="n4", customer_id="C3", text="likes espresso"))
        db.add(FollowUp(customer_id="C3", text="ask ÇAĞLA YILMAZ too", due_date=date(2026, 12, 1)))
        # A reminder's "which one?" keeps its choices as "id|due|text".
        db.add(Conversation(key="s15", candidates="C3|2026-12-01|call C39|2026-12-01|call"))
        db.commit()
        forget_customer(session=db, customer_id="C39", suppression_key=KEY, actor=OPS)
        db.commit()
        notes = sorted(n.text for n in db.exec(select(Note)))
        task = db.exec(select(FollowUp)).one()
        sessions = db.exec(select(Conversation)).all()
    assert notes == ["gift for […] ([…])", "likes espresso"]
    assert task.text == "ask […] too"
    assert sessions == []


@pytest.mark.parametrize(
    "text", ["Cagla Yilmaz", "ÇAĞLA  YILMAZ", "cağla yilmaz", "cagla.yilmaz@EXAMPLE.org"]
)
def test_letters_typed_without_their_marks_still_name_her(text: str) -> None:
    cagla = Customer(
        customer_id="C39", first_name="Çağla", last_name="Yılmaz", email="cagla.yilmaz@example.org"
    )
    who = Identifiers.of(cagla)
    assert who.named_in(f"note: {text} called")
    assert who.redact(f"note: {text} called") == "note: […] called"

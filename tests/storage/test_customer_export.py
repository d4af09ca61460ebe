"""The right-of-access export: everything held about one customer and nothing of another
(SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.audit import Actor, add_entry
from storage.consent import set_consent
from storage.customer_export import customer_record
from storage.models import AnswerLog, Contact, Customer, FollowUp, Note, Product, Purchase

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(Product(sku="AERO", name="AeroPress", price=40.0))
        db.add(Product(sku="BEANS", name="Bohnen", price=12.0))
        db.add(
            Customer(
                customer_id="ZOE",
                first_name="Zoë",
                last_name="Ünal",
                birthday=date(1990, 5, 17),
                marketing_consent=True,
            )
        )
        db.add(Customer(customer_id="OTHER", first_name="Cy"))
        db.flush()
        db.add(
            Purchase(
                order_id="O2", customer_id="ZOE", sku="BEANS", quantity=2, unit_price=12.0,
                purchased_at=datetime(2026, 10, 2, 9, 0, tzinfo=UTC), store_id="S1", associate_id="A1",
                utc_offset_minutes=120,
            )
        )  # fmt: skip
        db.add(
            Purchase(
                order_id="O1", customer_id="ZOE", sku="AERO", unit_price=40.0,
                purchased_at=datetime(2026, 9, 1, 9, 0, tzinfo=UTC), store_id="S1",
            )
        )  # fmt: skip
        db.add(Purchase(order_id="O9", customer_id="OTHER", sku="AERO"))
        db.add(Note(note_key="n1", customer_id="ZOE", text="likes light roasts", author="Ana"))
        db.add(Note(note_key="n2", customer_id="OTHER", text="secret of Cy", author="Ana"))
        db.add(
            FollowUp(
                customer_id="ZOE", text="call about grinder", due_date=date(2026, 12, 4),
                associate_name="Ana", created_at=T,
            )
        )  # fmt: skip
        db.add(FollowUp(customer_id="OTHER", text="Cy task", due_date=date(2026, 12, 4)))
        db.add(
            Contact(
                customer_id="ZOE", text="Hallo Zoë", language="de", purpose="service",
                channel="sms", sku="AERO", associate_name="Ana", drafted_at=T, sent_at=T,
            )
        )  # fmt: skip
        db.add(Contact(customer_id="OTHER", text="Hi Cy"))
        db.add(
            AnswerLog(
                chat_key="c1", question="what did Zoë buy?", answer="AeroPress",
                intent="purchases", customer_id="ZOE", associate_name="Ana",
            )
        )  # fmt: skip
        db.add(
            AnswerLog(
                chat_key="c1", question="Cy?", answer="Cy bought", intent="purchases",
                customer_id="OTHER",
            )
        )  # fmt: skip
        db.flush()
        set_consent(
            session=db, customer_id="ZOE", consent=False, source="chat", changed_by="Ana", now=T
        )
        set_consent(session=db, customer_id="OTHER", consent=True, source="cli", now=T)
        add_entry(
            session=db, actor=Actor("telegram", "Ana", 5), kind="overview", customer_id="ZOE"
        )
        add_entry(session=db, actor=Actor("cli", "ops"), kind="export", customer_id="OTHER")
        db.commit()
    return engine


def test_the_export_holds_everything_about_her_and_nothing_of_another(store: Engine) -> None:
    with Session(store) as db:
        record = customer_record(session=db, customer_id="ZOE")

    assert record is not None
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record
    assert record["schema"] == 1
    assert datetime.fromisoformat(record["exported_at"]).utcoffset() is not None
    customer = record["customer"]
    assert set(customer) == set(Customer.model_fields)
    assert (customer["first_name"], customer["birthday"]) == ("Zoë", "1990-05-17")
    assert [(p["order_id"], p["product"]) for p in record["purchases"]] == [
        ("O1", "AeroPress"),
        ("O2", "Bohnen"),
    ]
    assert record["purchases"][1]["quantity"] == 2
    assert record["purchases"][1]["associate_id"] == "A1"
    # Local wall time with its own offset; a row kept without an offset is UTC.
    assert record["purchases"][1]["purchased_at"] == "2026-10-02T09:00:00+02:00"
    assert record["purchases"][0]["purchased_at"] == "2026-09-01T09:00:00+00:00"
    assert [n["text"] for n in record["notes"]] == ["likes light roasts"]
    assert record["followups"][0]["due_date"] == "2026-12-04"
    assert record["followups"][0]["done_at"] is None
    assert record["contacts"][0]["text"] == "Hallo Zoë"
    assert record["contacts"][0]["channel"] == "sms"
    assert [a["question"] for a in record["answers"]] == ["what did Zoë buy?"]
    everything = json.dumps(record, ensure_ascii=False)
    assert record["consent_history"] == [
        {
            "marketing_consent": False,
            "changed_at": T.isoformat(),
            "source": "chat",
            "changed_by": "Ana",
        }
    ]
    assert [(e["kind"], e["associate_name"], e["channel"]) for e in record["audit"]] == [
        ("overview", "Ana", "telegram")
    ]
    assert "Cy" not in everything
    assert "O9" not in everything


def test_an_unknown_customer_has_no_record(store: Engine) -> None:
    with Session(store) as db:
        assert customer_record(session=db, customer_id="NOBODY") is None

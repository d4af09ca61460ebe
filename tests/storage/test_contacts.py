"""Outreach contacts: consent, the frequency cap across associates, and outcomes attributed
to the contact that preceded a purchase (SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.contacts import ContactRefused, add_draft, check_contact, mark_sent, outcomes
from storage.models import Contact, Customer, Product, Purchase

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(Product(sku="AERO", name="AeroPress", price=40.0))
        db.add(Customer(customer_id="YES", first_name="Ana", marketing_consent=True))
        db.add(Customer(customer_id="NO", first_name="Bo", marketing_consent=False))
        db.add(Customer(customer_id="OTHER", first_name="Cy", marketing_consent=True))
        db.commit()
    return engine


def _contact(
    customer_id: str, *, who: str, sent_days_ago: float | None, **extra: object
) -> Contact:
    sent = NOW - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
    return Contact(
        customer_id=customer_id,
        associate_name=who,
        text="Hello",
        drafted_at=sent or NOW,
        sent_at=sent,
        **extra,  # type: ignore[arg-type]
    )


def test_marketing_needs_consent_and_service_does_not(store: Engine) -> None:
    with Session(store) as db:
        no = db.get(Customer, "NO")
        assert no is not None
        with pytest.raises(ContactRefused) as refused:
            check_contact(session=db, customer=no, purpose="marketing", now=NOW, cap=2)
        check_contact(session=db, customer=no, purpose="service", now=NOW, cap=2)

    assert refused.value.reason == "no_consent"


def test_the_cap_counts_sent_marketing_of_every_associate_in_30_days(store: Engine) -> None:
    with Session(store) as db:
        add_draft(session=db, contact=_contact("YES", who="Ana", sent_days_ago=3))
        add_draft(session=db, contact=_contact("YES", who="Bea", sent_days_ago=29))
        # Not counted: older than 30 days, a service message, a draft never sent.
        add_draft(session=db, contact=_contact("YES", who="Ana", sent_days_ago=31))
        add_draft(
            session=db, contact=_contact("YES", who="Ana", sent_days_ago=1, purpose="service")
        )
        add_draft(session=db, contact=_contact("YES", who="Ana", sent_days_ago=None))
        yes = db.get(Customer, "YES")
        assert yes is not None

        with pytest.raises(ContactRefused) as capped:
            check_contact(session=db, customer=yes, purpose="marketing", now=NOW, cap=2)
        check_contact(session=db, customer=yes, purpose="marketing", now=NOW, cap=3)
        check_contact(session=db, customer=yes, purpose="service", now=NOW, cap=2)

    assert (capped.value.reason, capped.value.count) == ("cap", 2)


def test_marking_a_draft_sent_checks_the_cap_again(store: Engine) -> None:
    with Session(store) as db:
        first = add_draft(session=db, contact=_contact("OTHER", who="Ana", sent_days_ago=None))
        second = add_draft(session=db, contact=_contact("OTHER", who="Bea", sent_days_ago=None))
        assert first.id is not None
        assert second.id is not None

        sent = mark_sent(session=db, contact_id=first.id, channel="whatsapp", now=NOW, cap=1)
        with pytest.raises(ContactRefused):
            mark_sent(session=db, contact_id=second.id, channel="sms", now=NOW, cap=1)
        with pytest.raises(ValueError, match="unknown channel"):
            mark_sent(session=db, contact_id=second.id, channel="pigeon", now=NOW, cap=5)
        refreshed = db.get(Contact, second.id)

    assert sent is not None
    assert (sent.channel, sent.sent_at) == ("whatsapp", NOW)
    assert refreshed is not None
    assert refreshed.sent_at is None


def test_a_purchase_within_the_window_counts_for_the_last_contact_before_it(
    store: Engine,
) -> None:
    with Session(store) as db:
        # Ana contacted YES from the lapsed list 10 days ago, Bea from chat 4 days ago: the
        # purchase 2 days ago is Bea's (last touch). OTHER bought 20 days after Ana's contact
        # (outside 14 days); NO was contacted and bought nothing.
        add_draft(
            session=db, contact=_contact("YES", who="Ana", sent_days_ago=10, list_kind="lapsed")
        )
        add_draft(session=db, contact=_contact("YES", who="Bea", sent_days_ago=4))
        add_draft(
            session=db, contact=_contact("OTHER", who="Ana", sent_days_ago=25, list_kind="due")
        )
        add_draft(
            session=db, contact=_contact("NO", who="Ana", sent_days_ago=5, purpose="service")
        )
        for order, (customer, days_ago, quantity) in enumerate(
            [("YES", 2, 2), ("OTHER", 5, 1), ("YES", 12, 1)]
        ):
            db.add(
                Purchase(
                    order_id=f"O{order}",
                    customer_id=customer,
                    sku="AERO",
                    quantity=quantity,
                    unit_price=40.0,
                    purchased_at=NOW - timedelta(days=days_ago),
                )
            )
        db.commit()

        by_associate, by_list = outcomes(
            session=db,
            since=NOW - timedelta(days=30),
            until=NOW,
            attribution_days=14,
        )

    ana, bea = by_associate["Ana"], by_associate["Bea"]
    assert (ana.contacts, ana.customers, ana.buyers, ana.orders) == (3, 3, 0, 0)
    assert (bea.contacts, bea.buyers, bea.orders, bea.revenue) == (1, 1, 1, 80.0)
    assert by_list["chat"].buyers == 1
    assert by_list["lapsed"].buyers == 0
    assert by_list["due"].contacts == 1
    assert by_list["due"].buyers == 0


def test_two_associates_marking_at_once_send_no_more_than_the_cap(store: Engine) -> None:
    """Each marks their own draft in a transaction of its own, at the same time: the customer's
    row lock makes the second see the first's contact."""
    import threading

    from storage.db import run_write

    with Session(store) as db:
        ids = [
            add_draft(session=db, contact=_contact("OTHER", who=who, sent_days_ago=None)).id
            for who in ("Ana", "Bea", "Cy", "Di")
        ]
    barrier = threading.Barrier(len(ids))
    outcomes_: list[str] = []

    def mark(contact_id: int | None) -> None:
        assert contact_id is not None
        barrier.wait()
        try:
            run_write(
                store,
                lambda w: mark_sent(
                    session=w, contact_id=contact_id, channel="sms", now=NOW, cap=2
                ),
            )
            outcomes_.append("sent")
        except ContactRefused:
            outcomes_.append("refused")

    threads = [threading.Thread(target=mark, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes_) == ["refused", "refused", "sent", "sent"]

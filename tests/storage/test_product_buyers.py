"""Who bought a product, on a planted store (SQLite, and PostgreSQL with TEST_DATABASE_URL):
newest purchase first, returns count against what was bought, a period and a store's scope
bound the list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.models import Customer, Product, Purchase
from storage.product_buyers import buyers, unknown_skus
from storage.scope import Scope

TODAY = date(2026, 12, 3)


def _at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC)


@pytest.fixture
def planted(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(Product(sku="MOKA", name="Moka Express", price=35.0))
        db.add(Product(sku="POT", name="Terracotta Pot", price=20.0))
        for cid, home in (
            ("A", "S1"),
            ("B", "S1"),
            ("C", "S1"),
            ("D", "S1"),
            ("E", "S1"),
            ("F", "S2"),
        ):
            db.add(Customer(customer_id=cid, first_name=cid, last_name="Test", home_store=home))
        db.flush()
        lines = [
            ("A", "MOKA", 1, 10, "S1"),
            ("B", "MOKA", 2, 100, "S1"),
            ("C", "MOKA", 1, 50, "S1"),
            ("C", "MOKA", -1, 40, "S1"),  # brought it back: no buyer
            ("D", "POT", 1, 2, "S1"),
            ("E", "MOKA", 1, 20, "S1"),
            ("E", "POT", 1, 5, "S1"),
            ("F", "MOKA", 1, 3, "S2"),
        ]
        for n, (cid, sku, qty, days_ago, store) in enumerate(lines):
            db.add(
                Purchase(
                    order_id=f"O{n}",
                    customer_id=cid,
                    sku=sku,
                    quantity=qty,
                    unit_price=35.0,
                    purchased_at=_at(days_ago),
                    store_id=store,
                )
            )
        db.commit()
    return engine


def test_buyers_are_listed_newest_purchase_first_without_those_who_returned_it(
    planted: Engine,
) -> None:
    with Session(planted) as db:
        rows = buyers(session=db, skus=["MOKA"])

    assert [r.customer.customer_id for r in rows] == ["F", "A", "E", "B"]
    assert [r.quantity for r in rows] == [1, 1, 1, 2]
    assert rows[0].product == "Moka Express"
    assert rows[0].last_bought == _at(3)


def test_several_products_give_each_buyer_once_with_the_newest_one(planted: Engine) -> None:
    with Session(planted) as db:
        rows = buyers(session=db, skus=["MOKA", "POT"])

    assert [r.customer.customer_id for r in rows] == ["D", "F", "E", "A", "B"]
    e = next(r for r in rows if r.customer.customer_id == "E")
    assert (e.sku, e.quantity) == ("POT", 2)


def test_a_period_and_a_store_bound_the_list(planted: Engine) -> None:
    with Session(planted) as db:
        recent = buyers(session=db, skus=["MOKA"], since=_at(30), until=_at(0))
        older = buyers(session=db, skus=["MOKA"], since=_at(200), until=_at(30))
        s1 = buyers(
            session=db, skus=["MOKA"], scope=Scope.of("store", role="associate", store="S1")
        )
        few = buyers(session=db, skus=["MOKA"], limit=2)

    assert [r.customer.customer_id for r in recent] == ["F", "A", "E"]
    assert [r.customer.customer_id for r in older] == ["B"]  # C's return is in the span too
    assert [r.customer.customer_id for r in s1] == ["A", "E", "B"]
    assert [r.customer.customer_id for r in few] == ["F", "A"]


def test_no_products_no_buyers_and_unknown_skus_are_named(planted: Engine) -> None:
    with Session(planted) as db:
        assert buyers(session=db, skus=[]) == []
        assert unknown_skus(session=db, skus=["POT", "NOPE", "MOKA", "ALSO-NOT"]) == [
            "NOPE",
            "ALSO-NOT",
        ]

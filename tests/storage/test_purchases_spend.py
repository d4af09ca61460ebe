"""How much a customer spent: one aggregate, returns netted, unpriced lines counted apart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage.models import Customer, Product, Purchase
from storage.purchases import spend_between


def _at(day: int, month: int = 1, year: int = 2025) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_spend_nets_returns_counts_orders_and_unpriced_lines(engine: Engine) -> None:
    with Session(engine) as db:
        db.add_all([Customer(customer_id="c1"), Customer(customer_id="c2")])
        db.add_all([Product(sku="p1", name="Bowl"), Product(sku="p2", name="Cup")])
        db.flush()
        db.add_all(
            [
                Purchase(
                    order_id="o1",
                    customer_id="c1",
                    sku="p1",
                    quantity=2,
                    unit_price=10.0,
                    purchased_at=_at(5),
                ),
                Purchase(
                    order_id="o1",
                    customer_id="c1",
                    sku="p2",
                    quantity=1,
                    unit_price=None,
                    purchased_at=_at(5),
                ),
                Purchase(
                    order_id="o2",
                    customer_id="c1",
                    sku="p1",
                    quantity=-1,
                    unit_price=10.0,
                    purchased_at=_at(9),
                ),
                Purchase(
                    order_id="o3",
                    customer_id="c1",
                    sku="p2",
                    quantity=3,
                    unit_price=4.5,
                    purchased_at=_at(2, 3),
                ),
                Purchase(
                    order_id="o4",
                    customer_id="c2",
                    sku="p1",
                    quantity=9,
                    unit_price=10.0,
                    purchased_at=_at(5),
                ),
            ]
        )
        db.commit()

        everything = spend_between(session=db, customer_id="c1")
        january = spend_between(session=db, customer_id="c1", start=_at(1), end=_at(1, 2))
        nothing = spend_between(session=db, customer_id="nobody")

    assert (everything.total, everything.orders, everything.unpriced_lines) == (23.5, 3, 1)
    assert (january.total, january.orders, january.unpriced_lines) == (10.0, 2, 1)
    assert (nothing.total, nothing.orders, nothing.unpriced_lines) == (0.0, 0, 0)


def test_spend_on_categories_or_products_counts_only_theirs(engine: Engine) -> None:
    with Session(engine) as db:
        db.add(Customer(customer_id="c1"))
        db.add_all(
            [
                Product(sku="b1", name="Bath Towel", category="Bath"),
                Product(sku="k1", name="Knife", category="Kitchen"),
                Product(sku="k2", name="Board", category="Kitchen"),
            ]
        )
        db.flush()
        db.add_all(
            [
                Purchase(
                    order_id="o1",
                    customer_id="c1",
                    sku="b1",
                    quantity=2,
                    unit_price=15.0,
                    purchased_at=_at(3),
                ),
                Purchase(
                    order_id="o1",
                    customer_id="c1",
                    sku="k1",
                    quantity=1,
                    unit_price=80.0,
                    purchased_at=_at(3),
                ),
                Purchase(
                    order_id="o2",
                    customer_id="c1",
                    sku="k2",
                    quantity=1,
                    unit_price=25.0,
                    purchased_at=_at(4),
                ),
            ]
        )
        db.commit()

        kitchen = spend_between(session=db, customer_id="c1", categories=["kitchen"])
        towels = spend_between(session=db, customer_id="c1", skus=["b1"])

    assert (kitchen.total, kitchen.orders) == (105.0, 2)
    assert (towels.total, towels.orders) == (30.0, 1)

"""Small hand-made stores for tests: a catalogue, customers and one order per line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage.models import Customer, Product, Purchase

# (customer, sku, quantity, day offset from the start)
Line = tuple[str, str, int, float]


def add_store(
    engine: Engine,
    products: Mapping[str, tuple[str, str]],
    lines: Iterable[Line],
    *,
    start: datetime,
) -> None:
    """Add the products ({sku: (name, category)}), the customers of `lines` and one order
    per line, `day` days after `start`."""
    lines = list(lines)
    with Session(engine) as session:
        session.add_all(Product(sku=s, name=n, category=c) for s, (n, c) in products.items())
        session.add_all(Customer(customer_id=c) for c in sorted({line[0] for line in lines}))
        session.flush()
        session.add_all(
            Purchase(
                order_id=f"O{n}",
                customer_id=customer,
                sku=sku,
                quantity=quantity,
                purchased_at=start + timedelta(days=day),
            )
            for n, (customer, sku, quantity, day) in enumerate(lines)
        )
        session.commit()

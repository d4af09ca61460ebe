"""Small hand-made stores for tests: a catalogue, customers and one order per line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.assistant import Assistant
from storage.importers import import_csv
from storage.models import Customer, Product, Purchase

PRODUCTS_HEADER = "sku,name,category,brand,price,description\n"

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


def with_products(assistant: Assistant, folder: Path, rows: str) -> Assistant:
    """Import product `rows` (CSV lines under the products header, written into `folder`) with
    the real importer and reload the assistant's catalogue; return the assistant."""
    products = folder / "products.csv"
    products.write_text(PRODUCTS_HEADER + rows, encoding="utf-8")
    import_csv(assistant.engine, "products", products)
    assistant.refresh()
    return assistant

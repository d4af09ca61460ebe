"""Customer look-ups: by id, contact details or name, and the counts of a store."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Customer, Note, Product, Purchase


def count_rows(*, session: Session) -> dict[str, int]:
    """Return how many customers, products, purchase lines and notes the store holds."""
    return {
        name: session.exec(select(func.count()).select_from(model)).one()
        for name, model in (
            ("customers", Customer),
            ("products", Product),
            ("purchases", Purchase),
            ("notes", Note),
        )
    }


def known_skus(*, session: Session) -> set[str]:
    """Return every sku of the catalogue."""
    return set(session.exec(select(Product.sku)).all())


def get_customer(*, session: Session, customer_id: str) -> Customer | None:
    """Return the customer with this id, if any."""
    return session.get(Customer, customer_id)


def get_customers(*, session: Session, customer_ids: list[str]) -> list[Customer]:
    """Return these customers, in the order asked."""
    found = {
        c.customer_id: c
        for c in session.exec(select(Customer).where(col(Customer.customer_id).in_(customer_ids)))
    }
    return [found[i] for i in customer_ids if i in found]


def find_by_email(*, session: Session, email: str) -> list[Customer]:
    """Return customers with this email address, ignoring case."""
    return list(
        session.exec(
            select(Customer).where(func.lower(Customer.email) == email.strip().lower())
        ).all()
    )


def find_by_phone(*, session: Session, phone: str) -> list[Customer]:
    """Return customers whose phone number ends with these digits (at least 6)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return []
    stored = func.replace(
        func.replace(func.replace(func.replace(col(Customer.phone), " ", ""), "-", ""), "+", ""),
        ".",
        "",
    )
    return list(session.exec(select(Customer).where(stored.like(f"%{digits[-9:]}"))).all())


def customer_names(*, session: Session) -> list[tuple[str, str | None, str | None]]:
    """Return (customer_id, first_name, last_name) of every customer, for name matching."""
    rows = session.exec(select(Customer.customer_id, Customer.first_name, Customer.last_name))
    return [(r[0], r[1], r[2]) for r in rows]


def last_visit(*, session: Session, customer_id: str) -> datetime | None:
    """Return when the customer last bought (or returned) something."""
    return session.exec(
        select(func.max(Purchase.purchased_at)).where(Purchase.customer_id == customer_id)
    ).one()


def catalogue_stamp(*, session: Session) -> tuple[Any, ...]:
    """Return a cheap fingerprint of customers and products that changes when either does."""
    customers = session.exec(
        select(func.count(), func.max(Customer.updated_at)).select_from(Customer)
    ).one()
    products = session.exec(
        select(func.count(), func.max(Product.updated_at)).select_from(Product)
    ).one()
    return (*customers, *products)

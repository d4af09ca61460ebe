"""Customer look-ups and counts."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

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

""" "What goes well with the Chemex?" in chat: the product's complements (bot.core.complements),
for the customer in context less what they own. The words of such a question, per language, are
in `data/pairings.toml`."""

from __future__ import annotations

import re
from functools import cache

from sqlmodel import Session

from bot.core.complements import goes_well_with
from bot.core.datafiles import read_toml
from bot.core.i18n import _
from bot.core.text import strip_accents
from bot.core.types import Intent, Reply
from storage.models import Customer, Product


@cache
def _asks() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in read_toml("pairings.toml")["asks"].values()))


def asks_what_goes_with(text: str) -> bool:
    """Whether a message asks what goes well with a product, in any of the five languages."""
    return _asks().search(strip_accents(text)) is not None


@cache
def _owned() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in read_toml("pairings.toml")["owned"].values()))


def asks_about_owned(text: str) -> bool:
    """Whether a message asks what goes with what the customer already has, naming no product
    ("was passt zu dem, was sie schon hat?", "algo que combine con lo que ya tiene"): her own
    purchases, which recommendations build on."""
    return _owned().search(strip_accents(text)) is not None


def pairings_reply(db: Session, sku: str, customer: Customer | None = None, k: int = 5) -> Reply:
    """Answer what goes well with product `sku` (left out: what `customer` owns)."""
    product = db.get(Product, sku)
    if product is None:
        raise LookupError(f"no product {sku!r}")
    found = goes_well_with(
        session=db, sku=sku, k=k, customer_id=customer.customer_id if customer else None
    )
    if not found:
        text = _("Nothing is bought with {product} clearly more often than chance yet.").format(
            product=product.name
        )
    else:
        lines = [f"• {c.name} ({c.sku}) — {c.reason}" for c in found]
        text = "\n".join([_("Goes well with {product}:").format(product=product.name), *lines])
    return Reply(
        text=text,
        intent=Intent.product,
        customer_id=customer.customer_id if customer else None,
        skus=[sku, *(c.sku for c in found)],
        sources=[f"product {sku}", "complements learned from purchases"],
    )

"""Gift ideas when nobody is in context: "a present for a man under 100 euros?".

The words of `data/gifts.toml` tell a gift request, whom it is for (a man, a woman) and the
price to stay under; the catalogue's products priced under it are offered, those nearest in
meaning to what the message says of the gift first ("a christening keepsake", "for a 3-year-old"),
then what customers bought most lately; those whose name or category says they are for someone
else are left out ("Womenswear" for a man) and those made for the person asked about come first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from sqlmodel import Session

from bot.core import wording
from bot.core.datafiles import alternatives, read_toml
from bot.core.i18n import _
from bot.core.text import fold, strip_accents
from bot.core.types import Intent, Reply
from storage.recommendations import PricedProduct, popular_products

Recipient = Literal["men", "women"]
# "around 100": up to this much more is still around it.
AROUND = 1.2
# A number after a child's word, no currency said, up to this is her age ("a child under 3").
AGE = 12
# Gift ideas offered at most.
IDEAS = 5
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,5}(?:[.,]\d{1,2})?)(?![\w.,]*\d)")
# Words on either side of a number that may say it is a budget ("under 100 €", "100'e kadar").
_NEAR = 3


@dataclass(frozen=True)
class GiftRequest:
    """A gift asked for: for whom (None: not said) and the price to stay under (None: none)."""

    recipient: Recipient | None
    max_price: float | None


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = read_toml("gifts.toml")
    found = {key: re.compile(alternatives(data[key])) for key in ("gift", "men", "women")}
    found.update({key: re.compile(value) for key, value in data["budget"].items()})
    return found


def gift_request(text: str) -> GiftRequest | None:
    """Return the gift a message asks ideas for, or None when it asks for no gift."""
    folded = strip_accents(text)
    patterns = _patterns()
    if not patterns["gift"].search(folded):
        return None
    men, women = (patterns[k].search(folded) is not None for k in ("men", "women"))
    # Both ("a gift for him and her") or neither: for anyone.
    recipient: Recipient | None = ("men" if men else "women") if men != women else None
    return GiftRequest(recipient=recipient, max_price=budget(folded))


def names_only_the_gift(query: str) -> bool:
    """Return whether the words taken for a customer's name are only the gift's own words
    ("Weihnachtsgeschenk"), so that no customer was asked about."""
    patterns = [_patterns()[key] for key in ("gift", "men", "women")]
    return all(any(p.search(word) for p in patterns) for word in strip_accents(query).split())


def budget(text: str) -> float | None:
    """Return the price a message asks to stay under, in the store's currency: a number with a
    currency or a budget word within _NEAR words of it ("under 60 quid", "100'e kadar");
    "around" it allows AROUND times it. None when it gives none."""
    folded = strip_accents(text)
    patterns = _patterns()
    for match in _NUMBER.finditer(folded):
        before = " ".join(folded[: match.start()].split()[-_NEAR:])
        after = " ".join(folded[match.end() :].split()[:_NEAR])
        near = f"{before} {match.group(1)} {after}"
        if patterns["not_money"].search(folded[match.end() :].lstrip()):
            continue  # "a kid under 5 years", "ab 3 Jahren"
        currency = patterns["currency"].search(near)
        if not currency and patterns["child"].search(before) and float(match.group(1)) <= AGE:
            continue  # "a gift for a child under 3": an age
        said = currency or patterns["under"].search(near)
        if not said and not patterns["around"].search(before):
            continue
        value = float(match.group(1).replace(",", "."))
        return value * AROUND if patterns["around"].search(before) else value
    return None


@cache
def _made_for() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in read_toml("gifts.toml")["made_for"].items()}


def _for_whom(product: PricedProduct) -> set[str]:
    text = fold(f"{product.name} {product.category or ''}").replace("'s", "s")
    words = set(re.findall(r"\w+", text))
    return {whom for whom, marks in _made_for().items() if words & marks}


def gift_ideas(
    db: Session, request: GiftRequest, k: int = IDEAS, nearest: Mapping[str, float] | None = None
) -> list[PricedProduct]:
    """Return up to k products to offer as the gift, best first (see the module docstring);
    `nearest`: sku → closeness in meaning to the message (any scale, higher nearer; products
    without one come after, by popularity)."""
    ideas = []
    nearest = nearest or {}
    for product in popular_products(session=db, max_price=request.max_price):
        whom = _for_whom(product)
        if request.recipient is not None and whom and request.recipient not in whom:
            continue
        made_for = request.recipient is not None and request.recipient in whom
        ideas.append((not made_for, -nearest.get(product.sku, -math.inf), product))
    ideas.sort(key=lambda idea: idea[:2])  # stable: popularity within ties
    return [product for *_, product in ideas[:k]]


def gift_reply(
    db: Session, request: GiftRequest, nearest: Mapping[str, float] | None = None
) -> Reply:
    """Answer a gift request with the ideas found (`gift_ideas`), or say that nothing fits:
    ideas for a shopper, a reply of kind recommend."""
    ideas = gift_ideas(db, request, nearest=nearest)
    price = wording.money(request.max_price) if request.max_price is not None else ""
    if not ideas:
        text = (
            _("No product in the catalogue is priced under {price}.").format(price=price)
            if price
            else _(wording.NO_PRODUCT)
        )
        return Reply(text=text, intent=Intent.recommend)
    heading = {
        ("men", True): _("Gift ideas for him under {price}:"),
        ("women", True): _("Gift ideas for her under {price}:"),
        (None, True): _("Gift ideas under {price}:"),
        ("men", False): _("Gift ideas for him:"),
        ("women", False): _("Gift ideas for her:"),
        (None, False): _("Gift ideas:"),
    }[(request.recipient, bool(price))].format(price=price)
    lines = [wording.product_line(p.name, p.sku, p.price) for p in ideas]
    return Reply(
        text="\n".join([heading, *lines]),
        intent=Intent.recommend,
        skus=[p.sku for p in ideas],
        sources=["catalogue prices", "purchase history of all customers"],
    )

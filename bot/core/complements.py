"""What goes well with a product: complements learned from who owns what.

Two products go together when the same customers own both more often than chance says. They are
ranked by the cosine of their sets of owners (the Ochiai coefficient, together / √(owners of
one × owners of the other)), which, unlike counting customers who own both, does not favour
what everybody buys. A pair needs `MIN_TOGETHER` customers owning both (two shoppers' baskets
are an anecdote) and a lift of at least `MIN_LIFT`: owners of one own the other that many times
more often than customers at large, so a best seller that goes with anything is not listed. For
a customer in context, what they own or returned is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel import Session

from bot.core.i18n import ngettext
from bot.core.shopping_refresh import current_model
from storage.recommendations import product_facts

# A pair needs this many customers owning both: a couple of shoppers' baskets are an anecdote,
# not a pattern.
MIN_TOGETHER = 3
MIN_LIFT = 1.5


@dataclass(frozen=True)
class Complement:
    """A product that goes with the asked one: customers owning both, cosine, lift and why."""

    sku: str
    name: str
    together: int
    cosine: float
    lift: float
    reason: str


def goes_well_with(
    *, session: Session, sku: str, k: int = 5, customer_id: str | None = None
) -> list[Complement]:
    """Return up to `k` complements of `sku`, strongest first (ties by sku); none when the
    product is unknown or nobody owns it with anything. With `customer_id`, products that
    customer owns or returned are left out."""
    model = current_model(session=session)
    if model is None:
        return []
    anchor = model.sku_index.get(sku)
    if anchor is None or model.buyers[anchor] == 0:
        return []
    owners = model.owners
    mine = owners[:, anchor].nonzero()[0]
    together = np.asarray(owners[mine].sum(axis=0)).ravel()
    together[anchor] = 0
    u = model.customer_index.get(customer_id) if customer_id is not None else None
    if u is not None:
        together[model.indices[model.row(u)]] = 0
        together[model.returned(u)] = 0
    buyers = model.buyers.astype(float)
    customers = max(int(np.count_nonzero(model.baskets)), 1)
    lift = together * customers / np.maximum(buyers[anchor] * buyers, 1.0)
    candidates = np.flatnonzero((together >= MIN_TOGETHER) & (lift >= MIN_LIFT))
    if candidates.size == 0:
        return []
    cosine = together[candidates] / np.sqrt(buyers[anchor] * buyers[candidates])
    order = np.lexsort((model.skus[candidates], -cosine))[:k]
    chosen = candidates[order]
    facts = product_facts(session=session, skus=[str(model.skus[c]) for c in chosen])
    found: list[Complement] = []
    for c, score in zip(chosen.tolist(), cosine[order].tolist(), strict=True):
        product = facts.get(str(model.skus[c]))
        if product is None:
            continue  # no longer in the catalogue
        both = int(together[c])
        reason = ngettext(
            "{count} customer bought both", "{count} customers bought both", both
        ).format(count=both)
        found.append(
            Complement(
                product.sku, product.name, both, round(score, 4), round(float(lift[c]), 2), reason
            )
        )
    return found

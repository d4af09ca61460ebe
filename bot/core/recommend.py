"""Recommendations for one customer: ranked products, each with a reason an associate can say.

The ranking is bot.core.next_basket's: the chance each product is in the customer's next basket,
from their own baskets, the customers who shop most like them and what sells in their categories.
What they own comes back only when the chance that they buy it again now is not small (5%),
never when they bought it once and customers do not re-buy it, never when they returned it; the
reason always says when they last bought it.

Every reason cites the signal that put the product there, in the terms an associate uses:
"usually re-buys every 4 weeks; last bought 5 weeks ago", "often bought with the AeroPress
Original they own (4 customers)", "bought by 12 of the 40 customers who shop most like them",
"popular in Kitchen (5 customers in the last 90 days)".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
from sqlmodel import Session

from bot.core.complements import MIN_LIFT, MIN_TOGETHER
from bot.core.i18n import _, format_percent, ngettext
from bot.core.next_basket import (
    DEFAULT_SETTINGS,
    Candidates,
    Scored,
    Settings,
    candidates,
    rank_customer,
)
from bot.core.shopping_model import ShoppingModel
from bot.core.shopping_refresh import current_model
from storage.recommendations import (
    PopularProduct,
    latest_refresh,
    popular_in_categories,
    product_facts,
    top_products,
)
from storage.signal_refresh import RECENT_DAYS

Kind = Literal["replenish", "complement", "similar", "popular"]

# Popular products read per category of the customer (their five biggest), or in the store.
POPULAR_POOL = 10
CATEGORIES = 5
_DAY = 86400


@dataclass(frozen=True)
class Recommendation:
    """One suggestion: the product, the estimated chance it is bought next, the source and why."""

    sku: str
    name: str
    score: float
    kind: Kind
    reason: str


def recommend(
    *,
    session: Session,
    customer_id: str,
    k: int = 10,
    now: datetime | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Recommendation]:
    """Return up to `k` products to suggest to the customer, best first, each with its reason.

    `now` is when the associate asks (default: the store's latest purchase, so a store whose
    data ends at a fixed date does not see every habit as overdue). An unknown customer, or any
    customer before the first signals refresh, gets what sells now.
    """
    refresh = latest_refresh(session=session)
    when = _resolve_now(now, refresh.data_until if refresh else None)
    today = int(when.timestamp() // _DAY)
    model = current_model(session=session)
    u = model.customer_index.get(customer_id) if model is not None else None
    if model is None or u is None or model.baskets[u] == 0:
        # Nothing kept to learn from: what sells now, less what they returned.
        returned = set() if u is None or model is None else set(model.skus[model.returned(u)])
        popular = top_products(session=session, limit=k + len(returned))
        customers = refresh.customers if refresh else 0
        return [_popular(p, None, customers) for p in popular if p.sku not in returned][:k]
    categories = _categories(session, model, u)
    extra = _popular_columns(session, model, u, categories)
    scored = rank_customer(model, u, today, extra=extra, settings=settings)
    # A few spare: a product sold once and gone from the catalogue is left out below.
    return _explain(session, model, scored[: k + 5], today, categories)[:k]


def candidates_for(
    *, session: Session, customer_id: str, now: datetime, settings: Settings = DEFAULT_SETTINGS
) -> Candidates | None:
    """Return what `recommend` would score for the customer at `now` (None when the customer
    or the model is unknown): fitting the weights reads these (bench/recommend_bench.py)."""
    model = current_model(session=session)
    u = model.customer_index.get(customer_id) if model is not None else None
    if model is None or u is None:
        return None
    extra = _popular_columns(session, model, u, _categories(session, model, u))
    return candidates(model, u, int(_resolve_now(now, None).timestamp() // _DAY), extra, settings)


def _explain(
    session: Session,
    model: ShoppingModel,
    scored: Sequence[Scored],
    today: int,
    categories: Sequence[str],
) -> list[Recommendation]:
    facts = product_facts(
        session=session,
        skus=[str(model.skus[s.column]) for s in scored]
        + [str(model.skus[s.anchor]) for s in scored if s.anchor is not None],
    )
    found: list[Recommendation] = []
    for s in scored:
        sku = str(model.skus[s.column])
        product = facts.get(sku)
        if product is None:
            continue  # sold once, no longer in the catalogue
        customers = int(np.count_nonzero(model.baskets))
        kind, reason = _reason(s, model, facts, today, categories, customers)
        chance = round(1 / (1 + math.exp(-s.logit)), 4)
        found.append(Recommendation(sku, product.name, chance, kind, reason))
    return found


def _resolve_now(now: datetime | None, data_until: datetime | None) -> datetime:
    if now is not None:
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    if data_until is not None:
        return data_until if data_until.tzinfo else data_until.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _categories(session: Session, model: ShoppingModel, u: int) -> list[str]:
    """Return the customer's biggest categories (by days bought), at most CATEGORIES."""
    part = model.row(u)
    owned = model.owned[part]
    skus = model.skus[model.indices[part][owned]].tolist()
    days = model.days[part][owned].tolist()
    facts = product_facts(session=session, skus=skus)
    weight: dict[str, int] = {}
    for sku, n in zip(skus, days, strict=True):
        category = facts[sku].category if sku in facts else None
        if category:
            weight[category] = weight.get(category, 0) + n
    return sorted(weight, key=lambda c: (-weight[c], c))[:CATEGORIES]


def _popular_columns(
    session: Session, model: ShoppingModel, u: int, categories: Sequence[str]
) -> list[int]:
    """Return the model columns of what sells now in the customer's categories (or the store)."""
    mine = int(model.indptr[u + 1] - model.indptr[u]) + model.returned(u).size
    if categories:
        by_category = popular_in_categories(
            session=session, categories=categories, limit=POPULAR_POOL + mine
        )
        products = [p for category in categories for p in by_category[category]]
    else:
        products = top_products(session=session, limit=POPULAR_POOL + mine)
    column = model.sku_index
    mine_columns = set(model.indices[model.row(u)].tolist()) | set(model.returned(u).tolist())
    taken: dict[str | None, int] = {}
    found: list[int] = []
    for p in products:
        c = column.get(p.sku)
        # Within one category popularity alone ranks the rest: only its first few unseen count.
        if c is None or c in mine_columns or taken.get(p.category, 0) >= POPULAR_POOL:
            continue
        taken[p.category] = taken.get(p.category, 0) + 1
        found.append(c)
    return found


def _reason(
    s: Scored,
    model: ShoppingModel,
    facts: dict[str, PopularProduct],
    today: int,
    categories: Sequence[str],
    customers: int,
) -> tuple[Kind, str]:
    """Return the kind and the reason of a scored product, from the facts that scored it."""
    if s.owned:
        return "replenish", _replenish_reason(s, model, today)
    buyers = int(model.buyers[s.column])
    if s.anchor is not None and s.together >= MIN_TOGETHER:
        anchor_buyers = int(model.buyers[s.anchor])
        lift = s.together * customers / max(anchor_buyers * buyers, 1)
        anchor = facts.get(str(model.skus[s.anchor]))
        if lift >= MIN_LIFT and anchor is not None:
            return "complement", ngettext(
                "often bought with the {anchor} they own ({count} customer)",
                "often bought with the {anchor} they own ({count} customers)",
                s.together,
            ).format(anchor=anchor.name, count=s.together)
    if not s.extra:  # a neighbours' product: at least one of them owns it
        return "similar", ngettext(
            "bought by {count} of the {found} customer who shops most like them",
            "bought by {count} of the {found} customers who shop most like them",
            s.neighbours_found,
        ).format(count=s.neighbours_owning, found=s.neighbours_found)
    product = facts[str(model.skus[s.column])]
    return "popular", _popular(product, categories, customers).reason


def _replenish_reason(s: Scored, model: ShoppingModel, today: int) -> str:
    elapsed = max(today - s.last_day, 0)
    if s.days >= 2:
        interval = (s.last_day - s.first_day) / (s.days - 1)
        habit = _("usually re-buys every {interval}").format(interval=_duration(interval))
    else:
        buyers = max(int(model.buyers[s.column]), 1)
        rate = int(model.repeat_buyers[s.column]) / buyers
        interval = float(model.rebuy_days[s.column])
        if math.isnan(interval):  # nobody re-bought it yet: only the rules' settings allow this
            habit = _("{share} of its buyers re-buy it").format(share=format_percent(rate))
        else:
            habit = _("{share} of its buyers re-buy it, about every {interval}").format(
                share=format_percent(rate), interval=_duration(interval)
            )
    if elapsed == 0:
        return _("{habit}; last bought today").format(habit=habit)
    return _("{habit}; last bought {elapsed} ago").format(habit=habit, elapsed=_duration(elapsed))


def _popular(
    product: PopularProduct, categories: Sequence[str] | None, customers: int
) -> Recommendation:
    if categories and product.category in categories:
        where = _("popular in {category}").format(category=product.category)
    else:
        where = _("popular right now")
    recent = ngettext(
        "{count} customer in the last {days} days",
        "{count} customers in the last {days} days",
        product.recent_buyers,
    ).format(count=product.recent_buyers, days=RECENT_DAYS)
    chance = product.recent_buyers / customers if customers else 0.0
    return Recommendation(
        product.sku, product.name, round(min(chance, 1.0), 4), "popular", f"{where} ({recent})"
    )


def _duration(days: float) -> str:
    """Say a number of days the way people do, rounded: "3 days", "5 weeks", "4 months" (the
    reasons say "about" where it is an estimate)."""
    if days < 14:
        n = max(1, round(days))
        return ngettext("{count} day", "{count} days", n).format(count=n)
    if days < 61:
        n = round(days / 7)
        return ngettext("{count} week", "{count} weeks", n).format(count=n)
    if days < 700:
        n = round(days / 30.44)
        return ngettext("{count} month", "{count} months", n).format(count=n)
    n = round(days / 365.25)
    return ngettext("{count} year", "{count} years", n).format(count=n)

"""Recommendations for one customer: ranked products, each with a reason an associate can say.

Three sources, all learned from purchases (see storage.recommendations):
- replenish: products the customer owns and re-buys (or that customers re-buy), once enough of
  their usual interval has passed since the customer last bought them;
- complement: products that owners of what the customer owns also own;
- popular: what sells now in the customer's categories (or in the store).
A product the customer owns comes back only when it is due: never just after they bought it,
and never when customers do not re-buy it. A product returned in full is not owned.

Every candidate is scored as the chance it is in the customer's next basket: a logistic model
over a few features, fitted on the tuning split of the UCI Online Retail data
(`bench/recommend_bench.py --holdout 2 --fit` prints the weights below).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session

from bot.core.i18n import _, format_percent, ngettext
from storage.recommendations import (
    Complement,
    CustomerHistory,
    OwnedItem,
    PopularProduct,
    complements_of,
    customer_history,
    latest_refresh,
    popular_in_categories,
    top_products,
)
from storage.signal_refresh import RECENT_DAYS

Kind = Literal["replenish", "complement", "popular"]

# Log-odds that an owned product is in the next basket; the features are in _owned_candidate.
OWNED_WEIGHTS: Mapping[str, float] = {
    "bias": 0.793,
    "share": 0.557,
    "days": 0.408,
    "due_lo": 0.796,
    "due_hi": -0.088,
    "recency": -0.383,
    "rebuy_rate": 2.17,
    "popularity": 0.377,
}
# Log-odds that a product the customer never bought is in the next basket: _new_candidates.
NEW_WEIGHTS: Mapping[str, float] = {
    "bias": -0.697,
    "complement": 0.129,
    "best": 3.597,
    "popularity": 0.54,
    "visits": -0.375,
}
# Keeps log() finite for products with no complement or no recent buyer.
_FLOOR = 1e-4
# "Often bought with X" is said when X's owners own it at least this many times more often than
# customers at large.
_LIFT_TO_SAY_OFTEN = 1.5


@dataclass(frozen=True)
class Recommendation:
    """One suggestion: the product, the estimated chance it is bought next, the source and why."""

    sku: str
    name: str
    score: float
    kind: Kind
    reason: str


@dataclass(frozen=True)
class Tuning:
    """The rules and knobs of the ranking."""

    # An owned product is not suggested before this share of its usual interval has passed.
    # Online Retail customers often re-order early (bench/recommend_bench.py prints the cost of
    # the rule); a quarter still keeps "she bought it last week" off the list.
    due_at: float = 0.25
    # Bought once: suggested again only if at least this share of its owners re-bought it...
    min_rebuy_rate: float = 0.05
    # ...and enough customers own it for that share to mean something.
    min_buyers: int = 3
    # Complements are read for this many of the customer's most recently bought products.
    anchors: int = 20
    complements_per_anchor: int = 10
    # Only this many of the strongest complements compete: the weak tail never reaches a top k.
    complement_pool: int = 50
    # Popular products the customer does not have, read per category, and categories looked at.
    popular_pool: int = 10
    categories: int = 5
    owned_weights: Mapping[str, float] = field(default_factory=lambda: dict(OWNED_WEIGHTS))
    new_weights: Mapping[str, float] = field(default_factory=lambda: dict(NEW_WEIGHTS))


DEFAULT_TUNING = Tuning()


@dataclass(frozen=True)
class Evidence:
    """Everything the ranking reads about one customer, gathered in a few indexed queries."""

    history: CustomerHistory
    complements: list[Complement]
    popular: list[tuple[float, str | None, PopularProduct]]
    customers: int
    now: datetime


@dataclass(frozen=True)
class Candidate:
    """A product that could be suggested, with the features the model scores and its reason."""

    sku: str
    name: str
    kind: Kind
    features: dict[str, float]
    reason: str

    def logit(self, tuning: Tuning) -> float:
        """Return the log-odds that the customer buys it next."""
        weights = tuning.owned_weights if self.kind == "replenish" else tuning.new_weights
        return weights["bias"] + sum(weights[name] * x for name, x in self.features.items())


def recommend(
    *,
    session: Session,
    customer_id: str,
    k: int = 10,
    now: datetime | None = None,
    tuning: Tuning = DEFAULT_TUNING,
) -> list[Recommendation]:
    """Return up to `k` products to suggest to the customer, best first, each with its reason."""
    evidence = gather(session=session, customer_id=customer_id, now=now, tuning=tuning)
    return rank(evidence, k=k, tuning=tuning)


def gather(
    *,
    session: Session,
    customer_id: str,
    now: datetime | None = None,
    tuning: Tuning = DEFAULT_TUNING,
) -> Evidence:
    """Read what the ranking needs about the customer and the products around them."""
    history = customer_history(session=session, customer_id=customer_id)
    refresh = latest_refresh(session=session)
    owned = history.owned
    anchors = [item.sku for item in owned[: tuning.anchors]]
    complements = complements_of(
        session=session, skus=anchors, limit=tuning.complements_per_anchor
    )
    shares = _category_shares(owned)
    popular: list[tuple[float, str | None, PopularProduct]] = []
    if shares:
        top = dict(list(shares.items())[: tuning.categories])
        # Enough to find `popular_pool` of each category the customer does not have yet.
        limit = tuning.popular_pool + sum(1 for i in history.items if i.category in top)
        found = popular_in_categories(session=session, categories=list(top), limit=limit)
        popular = [(share, cat, p) for cat, share in top.items() for p in found[cat]]
    else:
        limit = tuning.popular_pool + min(len(history.items), 300)
        popular = [(1.0, None, p) for p in top_products(session=session, limit=limit)]
    return Evidence(
        history=history,
        complements=complements,
        popular=popular,
        customers=refresh.customers if refresh else 0,
        now=_resolve_now(now, refresh.data_until if refresh else None, history),
    )


def rank(
    evidence: Evidence, *, k: int = 10, tuning: Tuning = DEFAULT_TUNING
) -> list[Recommendation]:
    """Return the `k` best candidates for this evidence, best first."""
    scored = sorted(
        ((c.logit(tuning), c) for c in candidates(evidence, tuning)),
        key=lambda x: (-x[0], x[1].sku),
    )
    return [
        Recommendation(
            sku=c.sku,
            name=c.name,
            score=round(1 / (1 + math.exp(-logit)), 4),
            kind=c.kind,
            reason=c.reason,
        )
        for logit, c in scored[:k]
    ]


def candidates(evidence: Evidence, tuning: Tuning = DEFAULT_TUNING) -> list[Candidate]:
    """Return every product worth scoring for this customer, with its features and reason."""
    history = evidence.history
    found: list[Candidate] = []
    for item in history.owned:
        candidate = _owned_candidate(item, evidence, tuning)
        if candidate is not None:
            found.append(candidate)
    found += _new_candidates(evidence, tuning)
    return found


def _resolve_now(
    now: datetime | None, data_until: datetime | None, history: CustomerHistory
) -> datetime:
    if now is not None:
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    # The store's latest purchase, not the wall clock: a demo or an export whose data ends at a
    # fixed date would otherwise make every habit look months overdue. In a live store the two
    # are minutes apart.
    latest = [t for t in (data_until, *(i.last_bought for i in history.items)) if t is not None]
    return max(latest) if latest else datetime.now(UTC)


def _owned_candidate(item: OwnedItem, evidence: Evidence, tuning: Tuning) -> Candidate | None:
    if item.last_bought is None:
        return None
    rate = item.rebuy_rate
    interval = _own_interval(item)
    own_rhythm = interval is not None
    if interval is None:
        # Bought once: only what customers demonstrably re-buy comes back.
        if item.buyers < tuning.min_buyers or rate < tuning.min_rebuy_rate:
            return None
        interval = item.median_rebuy_days
        if interval is None:
            return None
    elapsed = max(0.0, (evidence.now - item.last_bought).total_seconds() / 86400)
    due = elapsed / max(interval, 1.0)
    if due < tuning.due_at:
        return None
    visits = max(evidence.history.visits, item.days)
    features = {
        "share": math.log(item.days / visits),
        "days": math.log(item.days),
        "due_lo": min(due, 1.0),
        "due_hi": math.log1p(max(due - 1.0, 0.0)),
        "recency": math.log1p(elapsed),
        "rebuy_rate": rate,
        "popularity": math.log(item.recent_buyers / max(evidence.customers, 1) + _FLOOR),
    }
    if own_rhythm:
        habit = _("usually re-buys every {interval}").format(interval=_duration(interval))
    else:
        habit = _("{share} of its buyers re-buy it, about every {interval}").format(
            share=format_percent(rate), interval=_duration(interval)
        )
    reason = _("{habit}; last bought {elapsed} ago").format(
        habit=habit, elapsed=_duration(elapsed)
    )
    return Candidate(item.sku, item.name, "replenish", features, reason)


def _own_interval(item: OwnedItem) -> float | None:
    if item.days < 2 or item.first_bought is None or item.last_bought is None:
        return None
    span = (item.last_bought - item.first_bought).total_seconds() / 86400
    return span / (item.days - 1) if span > 0 else None


@dataclass
class _NewProduct:
    name: str
    category: str | None
    recent_buyers: int
    strength: float = 0.0
    # The strongest owned product behind it: cosine, its name, customers owning both, and
    # whether owners of it buy this product clearly more often than customers at large.
    best: tuple[float, str, int, bool] = (0.0, "", 0, False)


def _new_candidates(evidence: Evidence, tuning: Tuning) -> list[Candidate]:
    history = evidence.history
    # Anything they bought, kept or returned, is not offered as new: a return is a "no thanks".
    seen = {item.sku for item in history.items}
    anchors = {item.sku: item for item in history.items}
    customers = max(evidence.customers, 1)
    products: dict[str, _NewProduct] = {}
    for pair in evidence.complements:
        if pair.other_sku in seen:
            continue
        # Stored as cosine similarity squared (no sqrt() in every SQLite build).
        cosine = math.sqrt(pair.score)
        product = products.setdefault(
            pair.other_sku, _NewProduct(pair.name, pair.category, pair.recent_buyers)
        )
        product.strength += cosine
        if cosine > product.best[0]:
            owned = anchors[pair.sku]
            # Lift: its share among the owners of `owned` over its share among all customers.
            lift = pair.together * customers / max(owned.buyers * pair.buyers, 1)
            product.best = (cosine, owned.name, pair.together, lift >= _LIFT_TO_SAY_OFTEN)
    strongest = sorted(products, key=lambda sku: -products[sku].strength)
    products = {sku: products[sku] for sku in strongest[: tuning.complement_pool]}
    # Within one category popularity alone ranks the rest: only its first few unseen can win.
    taken: dict[str | None, int] = {}
    for _share, category, popular in evidence.popular:
        if popular.sku in seen or taken.get(category, 0) >= tuning.popular_pool:
            continue
        taken[category] = taken.get(category, 0) + 1
        products.setdefault(
            popular.sku, _NewProduct(popular.name, popular.category, popular.recent_buyers)
        )

    shares = {category: share for share, category, _ in evidence.popular}
    visits = math.log(max(history.visits, 1))
    found = []
    for sku, product in products.items():
        # Popular among everyone, weighted by how much of the customer's buying is in its
        # category: "popular in their categories" (the whole store when there are none).
        share = shares.get(product.category, 0.0) if None not in shares else 1.0
        popularity = share * product.recent_buyers / customers
        features = {
            "complement": math.log(product.strength + 1e-3),
            "best": product.best[0],
            "popularity": math.log(popularity + _FLOOR),
            "visits": visits,
        }
        # The specific reason when it holds: owners of something they have buy it far more than
        # customers at large. Otherwise it is simply popular (a best seller goes with anything).
        _best, anchor, together, often = product.best
        if together and (often or not popularity):
            kind: Kind = "complement"
            reason = ngettext(
                "often bought with the {anchor} they own ({count} customer)",
                "often bought with the {anchor} they own ({count} customers)",
                together,
            ).format(anchor=anchor, count=together)
        else:
            kind = "popular"
            where = (
                _("popular in {category}").format(category=product.category)
                if None not in shares
                else _("popular right now")
            )
            recent = ngettext(
                "{count} customer in the last {days} days",
                "{count} customers in the last {days} days",
                product.recent_buyers,
            ).format(count=product.recent_buyers, days=RECENT_DAYS)
            reason = f"{where} ({recent})"
        found.append(Candidate(sku, product.name, kind, features, reason))
    return found


def _category_shares(owned: Sequence[OwnedItem]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for item in owned:
        if item.category:
            counts[item.category] = counts.get(item.category, 0) + item.days
    total = sum(counts.values())
    return {cat: n / total for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


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

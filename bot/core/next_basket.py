"""The chance that each product is in a customer's next basket, from the shopping model.

Candidates are what the customer owns (bot.core.shopping_model) and what the customers who shop
most like them own. Each is scored by a logistic model, one for the products the customer owns
and one for the others, over features that carry over to any retailer (shares, ranks and ratios
rather than counts):

- neighbours: log of the mean TIFU weight of the product among the customer's `n_neighbours`
  most similar customers (cosine of TIFU vectors, only customers who share a product count) —
  TIFU-KNN's neighbour term (Hu et al., SIGIR 2020);
- share (the customer's baskets holding it), since (log of baskets since it was last in
  one), in_last (in the latest basket): the customer's own repeat behaviour, as in repeat-aware
  next-basket models (Li et al., "A Next Basket Recommendation Reality Check", TOIS 2023);
- rebuy: the share of its owners who bought it on two days or more (smoothed);
- popularity: log of the share of customers who own it;
- with_last: the largest cosine between its owners and the owners of a product in the latest
  basket (item-to-item co-purchase; 1 for a product of that basket);
- idle: log(1 + days since the last visit / the customer's usual interval); baskets: log of
  their number of baskets;
- due: log(1 + days since they last bought it / its usual interval: theirs, else its owners'
  median), 0 when unknown: replenishment;
- recent: log of the share of customers who bought it in the last 90 days of the data;
- trending: log of the share of customers who first bought it in the 14 days before now (what
  is catching on at the time of the question: a season, a launch);
- loyalty: of the customer's baskets after the first one holding it, the share holding it again
  (drawn towards the store's rate by 5 baskets; 0 for products they never bought), and
  item_loyalty: log of the same rate over all its buyers — the per customer × product repeat
  signal of ReCANet (Ariannezhad et al., SIGIR 2022).

The features are computed in bot.core.basket_features.

The shipped weights (WEIGHTS) were fitted by `bench/recommend_bench.py --fit` on the validation
split of UCI Online Retail (each customer's last basket before the held-out one predicted from the
earlier ones). Each store refits them on its own history at every full refresh, drawn towards
these (bot.core.store_fit); `store_weights` returns the ones in use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from bot.core.basket_features import FEATURES, candidate_features, intervals
from bot.core.shopping_model import ShoppingModel

# Fitted by bench/recommend_bench.py --fit (the validation split of Online Retail; 2026-12,
# with loyalty, item_loyalty and trending, log-loss): one model
# for the products the customer owns, one for the products they never bought. The prior of
# every store's own fit (bot.core.store_fit), and its weights while it has too little history.
WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "owned": {
        "bias": -0.533,
        "neighbours": 0.109,
        "share": 0.25,
        "since": -0.368,
        "rebuy": 2.113,
        "popularity": -0.51,
        "in_last": -1.242,
        "with_last": 1.446,
        "idle": 0.538,
        "baskets": -0.069,
        "due": -0.028,
        "recent": 0.262,
        "trending": 0.369,
        "loyalty": 4.032,
        "item_loyalty": 0.18,
    },
    "new": {
        "bias": 0.688,
        "neighbours": 0.337,
        "share": 0.0,
        "since": -1.246,
        "rebuy": 0.171,
        "popularity": -0.893,
        "in_last": 0.0,
        "with_last": 3.123,
        "idle": 0.454,
        "baskets": 0.544,
        "due": 0.0,
        "recent": 0.32,
        "trending": 0.683,
        "loyalty": 0.0,
        "item_loyalty": 0.096,
    },
}
# The two models: for products the customer owns, and for the others.
GROUPS = ("owned", "new")


@dataclass(frozen=True)
class Settings:
    """How many neighbours and candidates are read, and the rules owned products must pass."""

    n_neighbours: int = 100
    # Neighbours are looked for among this many customers with the most baskets: a 50,000
    # customer store compares each customer with 20,000 rows, not all of them.
    neighbour_pool: int = 20_000
    # Products the customer never bought that compete: the strongest by the neighbour term.
    new_products: int = 50
    # Bought once: suggested again only if at least this share of its owners re-bought it...
    min_rebuy_rate: float = 0.05
    # ...and enough customers own it for that share to mean something.
    min_buyers: int = 3
    # An owned product comes back only when its chance of being in the next basket is at least
    # this: re-buying is learned, never assumed.
    min_owned_chance: float = 0.05
    # And not before this share of its usual interval has passed; None: the store's own early
    # re-buy point (ShoppingModel.early_rebuy). 0 by default: on Online Retail customers
    # re-order at any time, and even a rule at a quarter of the interval cost 1.1 points of
    # recall@10 (bench/recommend_bench.py --validation); the reason always says when it was
    # last bought.
    due_at: float | None = 0.0
    # Bought on two days or more: not before this share of their quickest re-buy of it...
    own_gap_share: float = 0.25
    # ...when their re-buys of it are regular: their quickest at least this share of their usual
    # interval (a wholesaler who re-orders at any time is not held back). On Online Retail's
    # validation split the rule costs 0.0010 of recall@10 so; applied to every re-buy, 0.0026.
    regular_share: float = 0.75
    # ...and only once they bought it on this many days: a single interval shows no rhythm (on
    # Online Retail's validation split, holding back products bought on two days cost 0.0017 of
    # recall@10).
    regular_days: int = 3
    # None: the weights fitted on the store's own history (ShoppingModel.fitted), else WEIGHTS.
    weights: Mapping[str, Mapping[str, float]] | None = None


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Scored:
    """One candidate product for one customer: its score and the facts its reason can cite."""

    column: int
    logit: float
    owned: bool
    # The customer's own history of it (0 and -1 when they never bought it).
    days: int
    first_day: int
    last_day: int
    # How many of the customer's similar customers own it, out of how many were found.
    neighbours_owning: int
    neighbours_found: int
    # The product of the latest basket most owned together with it, and by how many customers.
    anchor: int | None
    together: int
    # It is here only as one of the `extra` (popular) products.
    extra: bool = False


@dataclass(frozen=True)
class Candidates:
    """Customer u's candidate product columns, their features (columns × FEATURES), and per
    column the facts a reason cites (see `Scored`)."""

    u: int
    columns: np.ndarray
    owned: np.ndarray
    # Which candidates came only from the `extra` columns (popular ones), not from the customer
    # or their neighbours.
    extra: np.ndarray
    x: np.ndarray
    anchors: np.ndarray
    together: np.ndarray
    holders: np.ndarray
    neighbours_found: int


def candidates(
    model: ShoppingModel,
    u: int,
    now_day: int,
    extra: Iterable[int] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> Candidates:
    """Return customer row u's candidates: owned products that pass the rules, the neighbours'
    strongest products they never bought, and the `extra` product columns (e.g. popular ones),
    none they bought or returned. `now_day` is the epoch day of the question."""
    seen = model.indices[model.row(u)]
    neighbours = similar_customers(model, u, settings)
    taste = _neighbour_taste(model, neighbours, settings.n_neighbours)
    blocked = np.zeros(model.skus.size, dtype=bool)
    blocked[seen] = True
    blocked[model.returned(u)] = True
    new = np.flatnonzero((taste > 0) & ~blocked)
    new = new[np.argsort(-taste[new], kind="stable")[: settings.new_products]]
    taken = set(new.tolist())
    more = [c for c in dict.fromkeys(extra) if not blocked[c] and c not in taken]
    owned = [int(c) for c in seen[_eligible(model, u, now_day, settings)]]
    columns = np.array(owned + new.tolist() + more, dtype=np.int64)
    x, anchors, together = candidate_features(model, u, now_day, columns, taste)
    return Candidates(
        u=u,
        columns=columns,
        owned=np.arange(columns.size) < len(owned),
        extra=np.arange(columns.size) >= len(owned) + new.size,
        x=x,
        anchors=anchors,
        together=together,
        holders=_holders(model, neighbours, columns),
        neighbours_found=int(neighbours.size),
    )


def rank_customer(
    model: ShoppingModel,
    u: int,
    now_day: int,
    extra: Iterable[int] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Scored]:
    """Return customer row u's `candidates`, scored and sorted best first (ties by sku)."""
    found = candidates(model, u, now_day, extra, settings)
    if found.columns.size == 0:
        return []
    logits = scores(found, settings.weights or store_weights(model))
    chance = settings.min_owned_chance
    floor = math.log(chance / (1 - chance)) if 0 < chance < 1 else -math.inf
    part = model.row(u)
    entry = {int(c): i for i, c in enumerate(model.indices[part].tolist())}
    scored: list[Scored] = []
    for j, column in enumerate(found.columns.tolist()):
        if found.owned[j] and logits[j] < floor:
            continue
        i = entry.get(column)
        scored.append(
            Scored(
                column=column,
                logit=float(logits[j]),
                owned=bool(found.owned[j]),
                days=int(model.days[part][i]) if i is not None else 0,
                first_day=int(model.first_day[part][i]) if i is not None else -1,
                last_day=int(model.last_day[part][i]) if i is not None else -1,
                neighbours_owning=int(found.holders[j]),
                neighbours_found=found.neighbours_found,
                anchor=None if found.anchors[j] < 0 else int(found.anchors[j]),
                together=int(found.together[j]),
                extra=bool(found.extra[j]),
            )
        )
    scored.sort(key=lambda s: (-s.logit, model.skus[s.column]))
    return scored


def store_weights(model: ShoppingModel) -> Mapping[str, Mapping[str, float]]:
    """Return the weights fitted on the store's own history when the model carries them
    (bot.core.store_fit), else the shipped WEIGHTS."""
    names = ("bias", *FEATURES)
    if model.fitted.shape != (len(GROUPS), len(names)):
        return WEIGHTS
    return {
        group: dict(zip(names, row.tolist(), strict=True))
        for group, row in zip(GROUPS, model.fitted, strict=True)
    }


def weights_array(weights: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Return weights as `ShoppingModel.fitted` holds them: a row per GROUPS, bias then
    FEATURES."""
    return np.array([[weights[g][n] for n in ("bias", *FEATURES)] for g in GROUPS], dtype=float)


def scores(found: Candidates, weights: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Return the log-odds of each candidate: the "owned" model for what the customer owns,
    the "new" model for the rest."""
    logits = np.empty(found.columns.size)
    for group, rows in (("owned", found.owned), ("new", ~found.owned)):
        w = weights[group]
        logits[rows] = w["bias"] + found.x[rows] @ np.array([w[name] for name in FEATURES])
    return logits


def similar_customers(
    model: ShoppingModel, u: int, settings: Settings = DEFAULT_SETTINGS
) -> np.ndarray:
    """Return the rows of customer u's most similar customers, most similar first: cosine of
    TIFU vectors, at most `n_neighbours`, never u, only customers sharing a product with u."""
    rows, unit = model.pool(settings.neighbour_pool)
    mine = model.unit_vectors[u]
    if mine.nnz == 0 or rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    dense = np.zeros(model.skus.size, dtype=np.float32)
    dense[mine.indices] = mine.data
    similarity = unit @ dense
    similarity[rows == u] = 0.0
    candidates = np.flatnonzero(similarity > 1e-6)
    if candidates.size > settings.n_neighbours:
        top = np.argpartition(-similarity[candidates], settings.n_neighbours - 1)
        candidates = candidates[top[: settings.n_neighbours]]
    order = np.lexsort((rows[candidates], -similarity[candidates]))
    return np.asarray(rows[candidates[order]], dtype=np.int64)


def _neighbour_taste(model: ShoppingModel, neighbours: np.ndarray, k: int) -> np.ndarray:
    """Return the neighbours' summed TIFU vectors over k (TIFU-KNN's neighbour mean): missing
    neighbours count as empty, so a customer with few similar customers gets weak scores."""
    if neighbours.size == 0:
        return np.zeros(model.skus.size)
    return np.asarray(model.vectors[neighbours].sum(axis=0)).ravel() / k


def _holders(model: ShoppingModel, neighbours: np.ndarray, columns: np.ndarray) -> np.ndarray:
    if neighbours.size == 0:
        return np.zeros(columns.size, dtype=np.int64)
    # A product returned in full weighs nothing: a positive weight is a product owned.
    weights = model.vectors[neighbours][:, columns]
    return np.asarray((weights > 0).sum(axis=0)).ravel().astype(np.int64)


def _eligible(model: ShoppingModel, u: int, now_day: int, settings: Settings) -> np.ndarray:
    """Which of customer u's entries may be suggested again: owned; bought on two days or more
    by them, or re-bought by enough of its owners; at least `due_at` of its interval ago and,
    for their own re-buys of a habit (bought on `regular_days` days or more), `own_gap_share` of
    their quickest one."""
    part = model.row(u)
    items = model.indices[part]
    buyers = model.buyers[items]
    rate = model.repeat_buyers[items] / np.maximum(buyers, 1)
    once = model.days[part] < 2
    proven = (buyers >= settings.min_buyers) & (rate >= settings.min_rebuy_rate)
    elapsed = now_day - model.last_day[part]
    interval = np.nan_to_num(intervals(model, u), nan=0.0)
    due_at = model.early_rebuy if settings.due_at is None else settings.due_at
    due = ~(elapsed < due_at * interval)
    # Never sooner than a share of their own quickest re-buy of it: a descaler they buy every
    # five months is not offered five days after, while a wholesaler who re-orders any day
    # still gets it.
    gap = model.min_gap[part]
    habit = model.days[part] >= settings.regular_days
    regular = habit & (gap >= settings.regular_share * interval)
    too_soon = regular & (elapsed < settings.own_gap_share * gap)
    return np.asarray(model.owned[part] & (~once | proven) & due & ~too_soon)

"""The features the next-basket ranking (bot.core.next_basket) scores each candidate product by.

Per candidate product of one customer (see FEATURES for the list and next_basket's docstring for
what each one means); shares, ranks and ratios rather than counts, so that a fitted weight
carries over to another retailer.
"""

from __future__ import annotations

import math

import numpy as np

from bot.core.shopping_model import REPEAT_PSEUDO, ShoppingModel

FEATURES = (
    "neighbours",
    "share",
    "since",
    "rebuy",
    "popularity",
    "in_last",
    "with_last",
    "idle",
    "baskets",
    "due",
    "recent",
    "trending",
    "loyalty",
    "item_loyalty",
)
# Keeps log() finite for a product none of the neighbours owns.
NEIGHBOUR_FLOOR = 1e-5
# `trending` counts the customers who first bought a product in this many days before the
# question: what is catching on now (a season, a launch), as of `now`, not of the data's end.
TRENDING_DAYS = 14


def candidate_features(
    model: ShoppingModel, u: int, now_day: int, columns: np.ndarray, taste: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the features (len(columns) × len(FEATURES), in FEATURES' order) of these product
    columns for customer u, and per column the latest-basket product most owned with it (-1
    when none) and the number of customers owning both."""
    part = model.row(u)
    seen = {int(c): i for i, c in enumerate(model.indices[part].tolist())}
    baskets = max(int(model.baskets[u]), 1)
    n = columns.size
    idx = np.array([seen.get(int(c), -1) for c in columns], dtype=np.int64)
    mine = idx >= 0

    def entries(own: np.ndarray, fill: float) -> np.ndarray:
        return np.where(mine, own[np.maximum(idx, 0)], fill) if own.size else np.full(n, fill)

    def take(values: np.ndarray, fill: float) -> np.ndarray:
        return entries(values[part], fill)

    days = take(model.days, 0)
    last = take(model.last_basket, -1)
    since = np.where(mine, baskets - 1 - last, baskets)
    buyers = model.buyers[columns].astype(float)
    customers = max(int(np.count_nonzero(model.baskets)), 1)
    latest = model.indices[part][(model.last_basket[part] == baskets - 1) & model.owned[part]]
    with_last, anchors, together = co_owners(model, columns, latest)
    f: dict[str, np.ndarray | float] = {}
    f["neighbours"] = np.log(taste[columns] + NEIGHBOUR_FLOOR)
    f["share"] = days / baskets
    f["since"] = np.log1p(since)
    f["rebuy"] = (model.repeat_buyers[columns] + 0.5) / (buyers + 5.0)
    f["popularity"] = np.log((buyers + 1.0) / (customers + 1.0))
    f["in_last"] = since == 0
    f["with_last"] = with_last
    f["idle"] = math.log1p(max(now_day - int(model.last_visit[u]), 0) / usual_interval(model, u))
    f["baskets"] = math.log(baskets)
    # Replenishment: how far into its usual interval it is now (0 when unknown or not theirs).
    interval = entries(intervals(model, u), -1.0).astype(float)
    elapsed = np.maximum(now_day - take(model.last_day, now_day), 0)
    known = mine & (interval > 0)
    f["due"] = np.where(known, np.log1p(elapsed / np.where(known, interval, 1.0)), 0.0)
    f["recent"] = np.log((model.recent_buyers[columns] + 1.0) / (customers + 1.0))
    f["trending"] = np.log((new_buyers(model, now_day)[columns] + 1.0) / (customers + 1.0))
    # The customer's own re-buy rate of it (ReCANet's user-item repeat signal, Ariannezhad et
    # al., SIGIR 2022): of their baskets after the first holding it, the share holding it
    # again, drawn towards the store's rate; and the same rate over all its buyers.
    chances = baskets - 1 - take(model.first_basket, baskets - 1)
    again = days - 1 + REPEAT_PSEUDO * model.store_loyalty
    f["loyalty"] = np.where(mine, again / (chances + REPEAT_PSEUDO), 0.0)
    f["item_loyalty"] = np.log(model.item_loyalty[columns])
    x = np.zeros((n, len(FEATURES)))
    for j, name in enumerate(FEATURES):
        x[:, j] = f[name]
    return x, anchors, together


def new_buyers(model: ShoppingModel, now_day: int, days: int = TRENDING_DAYS) -> np.ndarray:
    """Return per product how many customers first bought it in the `days` days before epoch
    day `now_day` (that day itself not counted; a first purchase is a fixed fact, so this holds
    for any `now`, even one before the model's latest purchases)."""
    first, products = model.first_purchases
    start, end = np.searchsorted(first, [now_day - days, now_day])
    return np.bincount(products[start:end], minlength=model.skus.size)


def intervals(model: ShoppingModel, u: int) -> np.ndarray:
    """Return the usual days between two purchases of each of customer u's entries: their own
    average when they bought it on two days or more, else its owners' median (NaN if none)."""
    part = model.row(u)
    days = model.days[part]
    once = days < 2
    span = (model.last_day[part] - model.first_day[part]).astype(float)
    own = np.divide(span, days - 1, out=np.full(days.size, np.nan), where=~once)
    return np.where(once, model.rebuy_days[model.indices[part]], own)


def usual_interval(model: ShoppingModel, u: int) -> float:
    """Days between the customer's visits on average; the store's median for a one-visit one."""
    if model.baskets[u] >= 2:
        span = float(model.last_visit[u] - model.first_visit[u])
        return max(span / (int(model.baskets[u]) - 1), 1.0)
    many = model.baskets >= 2
    if not many.any():
        return 30.0
    spans = (model.last_visit[many] - model.first_visit[many]) / (model.baskets[many] - 1)
    return max(float(np.median(spans)), 1.0)


def co_owners(
    model: ShoppingModel, columns: np.ndarray, latest: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return per column the largest cosine between its owners and the owners of a product of
    `latest`, that product (-1 when none) and how many customers own both."""
    n = columns.size
    if latest.size == 0:
        return np.zeros(n), np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    owners = model.owners
    counts = np.asarray((owners[:, columns].T @ owners[:, latest]).todense())
    norms = np.sqrt(np.outer(model.buyers[columns], model.buyers[latest]).astype(float))
    # A product of the latest basket is its own best match (cosine 1): `in_last` and this
    # feature's weights were fitted together that way.
    cosine = np.divide(counts, norms, out=np.zeros_like(counts), where=norms > 0)
    best = cosine.argmax(axis=1)
    rows = np.arange(n)
    top = cosine[rows, best]
    anchors = np.where(top > 0, latest[best], -1)
    return top, anchors, np.where(top > 0, counts[rows, best], 0).astype(np.int64)

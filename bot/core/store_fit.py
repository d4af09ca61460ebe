"""Fitting the next-basket weights on the store's own history, at each full refresh.

The shipped weights (bot.core.next_basket.WEIGHTS) were fitted on one store, a wholesaler whose
customers re-order at any time; a shop whose customers re-buy a descaler every five months
needs others. So each full refresh fits them on the store itself, with the protocol the
benchmark uses (Li et al., "A Next Basket Recommendation Reality Check", ACM TOIS 2023): every
customer's last basket is held out, the shopping model is built from what came before, and the
two logistic models are fitted on the candidates of up to SAMPLE of those customers, labelled by
whether the held-out basket holds them. The fit is drawn towards the shipped weights (a Gaussian
prior of PRIOR_STRENGTH, `fit_weights`), so a small store stays near them and
a large one learns its own habits. A store with fewer than MIN_CUSTOMERS such customers, or with
no re-bought or no newly bought product among their held-out baskets, keeps the shipped weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy.optimize import minimize

from bot.core.next_basket import DEFAULT_SETTINGS, FEATURES, GROUPS, WEIGHTS, Settings, candidates
from bot.core.shopping_model import build_model
from storage.shopping_history import DayLine

# Customers whose held-out basket is fitted on, at most (a 50,000-customer store fits on these
# in a few seconds; more moves the weights little).
SAMPLE = 1_000
# Customers with two purchase days or more needed before the store's own history is trusted.
MIN_CUSTOMERS = 30
# Held-out purchases needed in each model ("owned" and "new") to fit it.
MIN_POSITIVES = 10
# How strongly the fit is drawn towards the shipped weights: as much as this many candidate rows
# of evidence per weight (`fit_weights`' l2).
PRIOR_STRENGTH = 200.0
# Fit listwise (`fit_weights` with customers). Off: on Online Retail's validation split it gave
# the same recall@10 and NDCG@10 as log-loss (+0.0091 / +0.0144 over TIFU-KNN), and its shipped
# weights let an owned product's chance fall as it comes due (bench/README.md).
LISTWISE = False
# Best sellers of the earlier baskets added as candidates, as recommend() adds what sells now.
POPULAR = 20


def fit_store_weights(
    lines: Sequence[DayLine],
    *,
    prior: Mapping[str, Mapping[str, float]] = WEIGHTS,
    sample: int = SAMPLE,
    strength: float = PRIOR_STRENGTH,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, dict[str, float]] | None:
    """Return the next-basket weights fitted on these day lines (customer id, epoch day or None,
    sku, net quantity: storage.shopping_history.day_lines), or None when the store has too
    little history to fit on (see the module's docstring). Deterministic: the same lines give
    the same weights."""
    held = _held_out(lines)
    if len(held) < MIN_CUSTOMERS:
        return None
    before = build_model(
        line for line in lines if line[0] not in held or held[line[0]][0] != line[1]
    )
    chosen = sorted(held)
    if len(chosen) > sample:
        picked = np.random.default_rng(0).choice(len(chosen), size=sample, replace=False)
        chosen = [chosen[i] for i in sorted(picked.tolist())]
    popular = np.argsort(-before.recent_buyers, kind="stable")[:POPULAR].tolist()
    fitting = replace(settings, weights=prior)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    owned: list[np.ndarray] = []
    groups: list[np.ndarray] = []
    for customer_id in chosen:
        u = before.customer_index.get(customer_id)
        if u is None:
            continue
        day, basket = held[customer_id]
        found = candidates(before, u, day, popular, fitting)
        if found.columns.size == 0:
            continue
        xs.append(found.x)
        owned.append(found.owned)
        ys.append(np.isin(before.skus[found.columns], list(basket)).astype(float))
        groups.append(np.full(found.columns.size, len(groups)))
    if not xs:
        return None
    x, y, mine = np.vstack(xs), np.concatenate(ys), np.concatenate(owned)
    if min(int(y[mine].sum()), int(y[~mine].sum())) < MIN_POSITIVES:
        return None
    who = np.concatenate(groups) if LISTWISE else None
    return fit_weights(x, y, mine, l2=strength, prior=prior, customers=who)


def _held_out(lines: Sequence[DayLine]) -> dict[str, tuple[int, frozenset[str]]]:
    """Return per customer with purchases on two days or more their last purchase day and what
    they bought that day (net quantity above 0)."""
    days: dict[str, set[int]] = {}
    for customer_id, day, _sku, quantity in lines:
        if day is not None and quantity > 0:
            days.setdefault(customer_id, set()).add(day)
    last = {c: max(d) for c, d in days.items() if len(d) >= 2}
    baskets: dict[str, set[str]] = {c: set() for c in last}
    for customer_id, day, sku, quantity in lines:
        if day is not None and quantity > 0 and last.get(customer_id) == day:
            baskets[customer_id].add(sku)
    return {c: (last[c], frozenset(baskets[c])) for c in last}


def fit_weights(
    x: np.ndarray,
    y: np.ndarray,
    owned: np.ndarray,
    l2: float = 1.0,
    prior: Mapping[str, Mapping[str, float]] | None = None,
    customers: np.ndarray | None = None,
) -> dict[str, dict[str, float]]:
    """Fit the two models ("owned" on the rows where `owned`, "new" on the others) to features
    `x` (rows × FEATURES) and 0/1 labels `y`, drawn towards `prior` by l2·|w − prior|² (biases
    not penalised; `prior` None: zeros): the posterior mode under a Gaussian prior.

    With `customers` (rows,: whose candidate each row is) the fit is listwise: the softmax
    cross-entropy of each customer's candidates against their bought ones (ListNet, Cao et al.,
    ICML 2007), both models at once, which ranks a customer's candidates against each other as
    recall@k does; its scores are then turned into log-odds by one logistic fit of the labels
    on them (Platt, 1999), which rescales the weights and shifts both biases alike, so the order
    stays and a score is a chance again. Without it, one logistic model per group (log-loss,
    L-BFGS). Raises ValueError when a group has no rows."""
    names = ("bias", *FEATURES)
    for group, rows in zip(GROUPS, (owned, ~owned), strict=True):
        if not rows.any():
            raise ValueError(f"no {group} candidates to fit on")
    centre = {
        g: np.array([prior[g][n] for n in names]) if prior else np.zeros(len(names))
        for g in GROUPS
    }
    if customers is not None:
        fitted = _fit_listwise(x, y, owned, customers, l2, centre)
    else:
        fitted = {
            g: _fit_logistic(x[rows], y[rows], l2, centre[g])
            for g, rows in zip(GROUPS, (owned, ~owned), strict=True)
        }
    return {
        g: {n: round(float(v), 3) for n, v in zip(names, w, strict=True)}
        for g, w in fitted.items()
    }


def _design(x: np.ndarray, owned: np.ndarray) -> np.ndarray:
    """Rows × 2(1 + FEATURES): the owned model's columns, then the new model's, zero where the
    row belongs to the other."""
    ones = np.hstack([np.ones((x.shape[0], 1)), x])
    return np.hstack([ones * owned[:, None], ones * ~owned[:, None]])


def _fit_listwise(
    x: np.ndarray,
    y: np.ndarray,
    owned: np.ndarray,
    customers: np.ndarray,
    l2: float,
    centre: Mapping[str, np.ndarray],
) -> dict[str, np.ndarray]:
    width = x.shape[1] + 1
    start = np.concatenate([centre[g] for g in GROUPS]).astype(float)
    free = np.zeros(2 * width, dtype=bool)
    free[[0, width]] = True  # the biases are not drawn towards the prior
    order = np.argsort(customers, kind="stable")
    design, labels, who = _design(x[order], owned[order]), y[order], customers[order]
    _, who = np.unique(who, return_inverse=True)
    bought = np.bincount(who, weights=labels)
    # A customer who bought none of their candidates says nothing about their order.
    keep = bought[who] > 0
    design_k, target, who_k = design[keep], labels[keep] / bought[who][keep], who[keep]
    _, who_k = np.unique(who_k, return_inverse=True)
    starts = np.flatnonzero(np.r_[True, who_k[1:] != who_k[:-1]])
    rows = max(labels.size, 1)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = design_k @ w
        top = np.maximum.reduceat(z, starts) if z.size else z
        e = np.exp(z - top[who_k])
        total = np.add.reduceat(e, starts) if z.size else e
        p = e / total[who_k]
        off = np.where(free, 0.0, w - start)
        value = float((top + np.log(total)).sum() - target @ z + l2 * off @ off) / rows
        return value, (design_k.T @ (p - target) + 2 * l2 * off) / rows

    w = minimize(loss, start, jac=True, method="L-BFGS-B").x
    # Platt scaling: log-odds = a·score + b over every row, the same a and b for both models.
    score = design @ w

    def platt(ab: np.ndarray) -> tuple[float, np.ndarray]:
        z = ab[0] * score + ab[1]
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.mean(np.logaddexp(0.0, z) - labels * z))
        return value, np.array([np.mean((p - labels) * score), np.mean(p - labels)])

    a, b = minimize(platt, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B").x
    a = max(float(a), 1e-3)  # the order must stay
    w = a * w
    w[[0, width]] += b
    return {g: w[i * width : (i + 1) * width] for i, g in enumerate(GROUPS)}


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, centre: np.ndarray) -> np.ndarray:
    rows = x.shape[0]
    design = np.hstack([np.ones((rows, 1)), x])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ w
        p = 1.0 / (1.0 + np.exp(-z))
        off = w[1:] - centre[1:]
        value = np.mean(np.logaddexp(0.0, z) - y * z) + l2 / rows * float(off @ off)
        grad = design.T @ (p - y) / rows
        grad[1:] += 2 * l2 / rows * off
        return float(value), grad

    return np.asarray(minimize(loss, centre.astype(float), jac=True, method="L-BFGS-B").x)

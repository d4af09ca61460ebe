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
    if not xs:
        return None
    x, y, mine = np.vstack(xs), np.concatenate(ys), np.concatenate(owned)
    if min(int(y[mine].sum()), int(y[~mine].sum())) < MIN_POSITIVES:
        return None
    return fit_weights(x, y, mine, l2=strength, prior=prior)


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
) -> dict[str, dict[str, float]]:
    """Fit the two logistic models ("owned" on the rows where `owned`, "new" on the others) to
    features `x` (rows × FEATURES) and 0/1 labels `y`: L-BFGS on the summed log-loss plus
    l2·|w − prior|² (the bias is not penalised; `prior` None: zeros), i.e. the posterior mode
    under a Gaussian prior centred on `prior`. Raises ValueError when a group has no rows."""
    names = ("bias", *FEATURES)
    fitted: dict[str, dict[str, float]] = {}
    for group, rows in zip(GROUPS, (owned, ~owned), strict=True):
        if not rows.any():
            raise ValueError(f"no {group} candidates to fit on")
        centre = np.array([prior[group][n] for n in names]) if prior else np.zeros(len(names))
        fitted[group] = _fit_logistic(x[rows], y[rows], l2, centre)
    return fitted


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, centre: np.ndarray) -> dict[str, float]:
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

    fitted = minimize(loss, centre.astype(float), jac=True, method="L-BFGS-B")
    names = ("bias", *FEATURES)
    return {name: round(float(v), 3) for name, v in zip(names, fitted.x, strict=True)}

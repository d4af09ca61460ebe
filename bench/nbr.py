"""Next-basket recommendation groundwork: the protocol, metrics and baselines of Li et al.

Li, Jullien, Ariannezhad, de Rijke, "A Next Basket Recommendation Reality Check", ACM TOIS 41(4),
2023 (code: github.com/liming-7/A-Next-Basket-Recommendation-Reality-Check, "Li's code" below).
Plain functions over plain data: a customer's history is a list of baskets in time order, a basket
a set or list of hashable item ids. Nothing here reads files or knows the store.

TIFU-KNN is Hu, He, Gao, Zhang, "Modeling Personalized Item Frequency Information for
Next-basket Recommendation", SIGIR 2020 (code: github.com/HaojiHu/TIFUKNN, "Hu's code").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from math import log2

import numpy as np
import scipy.sparse as sp

from bot.core.tifu import TifuParams, basket_weights

Item = Hashable
Basket = Collection[Item]
History = Sequence[Basket]


def split_last_basket(
    histories: Sequence[History], min_baskets: int = 2
) -> tuple[list[list[Basket]], list[Basket], list[int]]:
    """Hold out each customer's last basket; return (training, held-out, kept customer indices).

    Customers with fewer than `min_baskets` baskets are left out (Li et al. hold out the last
    basket of every user; the rest is the user's history).
    """
    train: list[list[Basket]] = []
    test: list[Basket] = []
    kept: list[int] = []
    for index, history in enumerate(histories):
        if len(history) >= min_baskets:
            train.append(list(history[:-1]))
            test.append(history[-1])
            kept.append(index)
    return train, test, kept


def split_validation(
    train: Sequence[History], min_baskets: int = 2
) -> tuple[list[list[Basket]], list[Basket], list[int]]:
    """Hold out the last basket of each *training* history (the second-to-last overall).

    Call it on the training part of `split_last_basket`, never on full histories: tuning then
    never sees the test basket.
    """
    return split_last_basket(train, min_baskets)


# --- metrics -----------------------------------------------------------------------------------


def recall_at_k(ranked: Sequence[Item], basket: Basket, k: int) -> float:
    """Return |top-k ∩ basket| / |basket| (uncapped, as in Li et al.; 0 for an empty basket)."""
    truth = set(basket)
    if not truth:
        return 0.0
    return len(set(ranked[:k]) & truth) / len(truth)


def ndcg_at_k(ranked: Sequence[Item], basket: Basket, k: int) -> float:
    """Return binary-relevance NDCG@k, the ideal DCG taken over min(k, |basket|) items.

    DCG = sum over hits at rank r (1-based) of 1 / log2(r + 1). Li et al.'s code (get_NDCG)
    takes the ideal DCG over all |basket| items instead, so its value is lower when |basket| > k.
    """
    truth = set(basket)
    if not truth:
        return 0.0
    dcg = sum(1.0 / log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in truth)
    ideal = sum(1.0 / log2(rank + 2) for rank in range(min(k, len(truth))))
    return dcg / ideal


def repeat_explore_recall(
    ranked: Sequence[Item], basket: Basket, history: History, k: int
) -> tuple[float | None, float | None]:
    """Return (repeat recall@k, explore recall@k), None where the basket has no such items.

    Repeat items R = basket items found in any training basket of `history`; explore items
    E = the other basket items. Repeat recall = |top-k ∩ R| / |R|, explore recall =
    |top-k ∩ E| / |E|, as in Li et al.'s evaluation/model_performance.py; a customer whose
    basket has no repeat (explore) item is left out of the repeat (explore) average.
    """
    truth = set(basket)
    seen: set[Item] = set().union(*map(set, history)) if history else set()
    top = set(ranked[:k])
    repeat, explore = truth & seen, truth - seen
    return (
        len(top & repeat) / len(repeat) if repeat else None,
        len(top & explore) / len(explore) if explore else None,
    )


@dataclass(frozen=True)
class Scores:
    """Per-customer metric arrays; repeat/explore hold only the customers that have such items."""

    recall: np.ndarray
    ndcg: np.ndarray
    repeat_recall: np.ndarray
    explore_recall: np.ndarray


def evaluate(
    rankings: Sequence[Sequence[Item]],
    baskets: Sequence[Basket],
    train: Sequence[History],
    k: int = 10,
) -> Scores:
    """Score one method's rankings against held-out baskets, customer by customer."""
    repeat: list[float] = []
    explore: list[float] = []
    for ranked, basket, history in zip(rankings, baskets, train, strict=True):
        rep, exp = repeat_explore_recall(ranked, basket, history, k)
        if rep is not None:
            repeat.append(rep)
        if exp is not None:
            explore.append(exp)
    return Scores(
        recall=np.array([recall_at_k(r, b, k) for r, b in zip(rankings, baskets, strict=True)]),
        ndcg=np.array([ndcg_at_k(r, b, k) for r, b in zip(rankings, baskets, strict=True)]),
        repeat_recall=np.array(repeat),
        explore_recall=np.array(explore),
    )


# --- baselines ---------------------------------------------------------------------------------


def _distinct(basket: Basket) -> list[Item]:
    """Return the basket's items once each, in its own order (a set of strings iterates in an
    order that varies between runs, so pass lists where tie order matters)."""
    return list(dict.fromkeys(basket))


def _popularity(train: Sequence[History]) -> list[Item]:
    """Items by the number of training baskets holding them, most first; ties by first sight."""
    counts: Counter[Item] = Counter()
    for history in train:
        for basket in history:
            counts.update(_distinct(basket))
    return [item for item, _ in counts.most_common()]  # most_common is stable on ties


def top_popular(train: Sequence[History], k: int = 10) -> list[list[Item]]:
    """Recommend the k items in most training baskets to everyone (Li et al.'s G-TopFreq).

    Popularity = number of baskets holding the item, counted over all customers' training
    baskets: the count Li et al.'s p_topfreq/gp_topfreq use (one history row per item and basket).
    """
    top = _popularity(train)[:k]
    return [list(top) for _ in train]


def gp_topfreq(train: Sequence[History], k: int = 10) -> list[list[Item]]:
    """Recommend the customer's own items by frequency, then popular items they never bought.

    Own frequency = number of the customer's baskets holding the item; ties go to the item
    bought most recently (Li et al.'s gp_topfreq.py keeps first-seen order on ties instead).
    The list is filled up to k with `top_popular`'s order, skipping items already listed.
    """
    popular = _popularity(train)
    result: list[list[Item]] = []
    for history in train:
        counts: Counter[Item] = Counter()
        last: dict[Item, int] = {}
        for position, basket in enumerate(history):
            for item in _distinct(basket):
                counts[item] += 1
                last[item] = position
        own = sorted(counts, key=lambda item: (-counts[item], -last[item]))[:k]
        chosen = set(own)
        for item in popular:
            if len(own) >= k:
                break
            if item not in chosen:
                own.append(item)
                chosen.add(item)
        result.append(own)
    return result


def customer_vectors(
    train: Sequence[History], params: TifuParams
) -> tuple[sp.csr_matrix, list[Item]]:
    """Return TIFU-KNN's customer × item matrix (rows = u above) and the item of each column."""
    index: dict[Item, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, history in enumerate(train):
        for basket, weight in zip(history, basket_weights(len(history), params), strict=True):
            for item in _distinct(basket):  # baskets are binary vectors in Hu et al.
                rows.append(row)
                cols.append(index.setdefault(item, len(index)))
                vals.append(float(weight))
    # csr sums duplicates: an item in several baskets adds up their weights.
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(train), len(index)))
    return matrix, list(index)


def nearest_neighbours(vectors: sp.csr_matrix, k: int, chunk: int = 1024) -> np.ndarray:
    """Return each row's k nearest other rows by Euclidean distance (ties to the lower index).

    Euclidean as in Hu's and Li's code (sklearn NearestNeighbors, default Minkowski p=2); the
    customer never counts as their own neighbour (Hu's code draws neighbours from other users).
    """
    n = vectors.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros((n, 0), dtype=np.int64)
    norms = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    out = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        gram = (vectors[start:stop] @ vectors.T).toarray()
        dist = norms[start:stop, None] + norms[None, :] - 2.0 * gram
        dist[np.arange(stop - start), np.arange(start, stop)] = np.inf
        # Round away float noise so equal distances tie and the stable sort picks the lower index.
        order = np.argsort(np.round(dist, 12), axis=1, kind="stable")
        out[start:stop] = order[:, :k]
    return out


def _neighbour_means(neighbours: np.ndarray) -> sp.csr_matrix:
    """Return the customer × customer matrix whose row averages that customer's neighbours."""
    n, k = neighbours.shape
    rows = np.repeat(np.arange(n), k)
    values = np.full(rows.size, 1.0 / k) if k else np.zeros(0)
    return sp.csr_matrix((values, (rows, neighbours.ravel())), shape=(n, n))


def tifu_scores(
    train: Sequence[History], params: TifuParams | None = None
) -> tuple[np.ndarray, list[Item]]:
    """Return the dense score matrix α·u + (1−α)·mean(neighbours' u) and the column items."""
    params = params or TifuParams()
    vectors, items = customer_vectors(train, params)
    means = _neighbour_means(nearest_neighbours(vectors, params.n_neighbours))
    scores = params.alpha * vectors + (1.0 - params.alpha) * (means @ vectors)
    return np.asarray(scores.todense()), items


def tifu_knn(
    train: Sequence[History], k: int = 10, params: TifuParams | None = None, chunk: int = 512
) -> list[list[Item]]:
    """Recommend each customer's k highest TIFU-KNN scores (positive scores only; ties by id).

    Hu et al. 2020 §4: customer vector u from time-decayed groups (see `basket_weights`), the
    `n_neighbours` nearest customers by Euclidean distance between u vectors, and
    score = α·u + (1 − α)·(1/k)Σ u_neighbour. Items are columns in order of first sight.
    """
    params = params or TifuParams()
    vectors, items = customer_vectors(train, params)
    means = _neighbour_means(nearest_neighbours(vectors, params.n_neighbours))
    result: list[list[Item]] = []
    for start in range(0, len(train), chunk):
        part = slice(start, start + chunk)
        scores = params.alpha * vectors[part] + (1.0 - params.alpha) * (means[part] @ vectors)
        for row in np.asarray(scores.todense()):
            order = np.argsort(-row, kind="stable")[:k]
            result.append([items[i] for i in order if row[i] > 0])
    return result


# --- significance ------------------------------------------------------------------------------


def paired_bootstrap(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    n: int = 2000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Return mean(a − b) and its 95% percentile-bootstrap interval over customers.

    Customers are resampled with replacement n times, the pairs kept together; the interval is
    the 2.5th and 97.5th percentiles of the resampled mean differences (Efron & Tibshirani,
    "An Introduction to the Bootstrap", 1993, ch. 13).
    """
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.size == 0:
        raise ValueError("no customers to compare")
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, diff.size, size=(n, diff.size))
    means = diff[samples].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(diff.mean()), float(low), float(high)

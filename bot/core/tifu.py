"""Time-decayed item-frequency vectors: TIFU-KNN's customer representation.

Hu, He, Gao, Zhang, "Modeling Personalized Item Frequency Information for Next-basket
Recommendation", SIGIR 2020 (code: github.com/HaojiHu/TIFUKNN, "Hu's code"). A customer's
baskets, oldest first, are cut into groups; each basket weighs less the further back it is in its
group, each group the further back it is in the history. The recommender (bot.core.next_basket)
and the benchmark's TIFU-KNN baseline (bench/nbr.py) both weigh baskets this way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TifuParams:
    """TIFU-KNN hyper-parameters; names as in Hu et al. 2020 §4."""

    n_groups: int = 7  # m: the history is cut into m groups (Hu's code calls it group_size)
    within_decay: float = 0.9  # r_b
    group_decay: float = 0.7  # r_g
    n_neighbours: int = 300  # k
    alpha: float = 0.7  # weight of the customer's own vector
    # Hu's code (temporal_decay_sum_history) decays each basket by r_b^(t-i) over the whole
    # history, not within its group, and each group by r_g^(m-1-j) even when t < m groups exist.
    code_decay: bool = False


# The best values per data set as published by Hu et al. 2020 and rerun by Li et al. 2023 (their
# README: tifuknn_new.py arguments k r_b r_g alpha m). The defaults above are TaFeng's, the example
# run of Hu's README (`TIFUKNN.py ... 300 0.9 0.7 0.7 7 10`).
PUBLISHED = {
    "tafeng": TifuParams(7, 0.9, 0.7, 300, 0.7),
    "dunnhumby": TifuParams(3, 0.9, 0.6, 900, 0.2),
    "instacart": TifuParams(3, 0.9, 0.7, 900, 0.9),
}


def _groups(t: int, m: int) -> list[range]:
    """Cut positions 0..t-1 into groups as Hu's code (group_history_list) does.

    With t < m each basket is a group; else m groups of floor(t/m), the last t mod m of which
    hold one more basket (so the latest groups are the larger ones).
    """
    if t < m:
        return [range(i, i + 1) for i in range(t)]
    base, extra = divmod(t, m)
    sizes = [base] * (m - extra) + [base + 1] * extra
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return [range(int(s), int(s) + n) for s, n in zip(starts, sizes, strict=True)]


def basket_weights(t: int, params: TifuParams) -> np.ndarray:
    """Return the weight of each of t baskets in the customer vector (Hu et al. Eq. for u).

    Group j (1..G, oldest first) with baskets b_1..b_x: g_j = (1/x) Σ_i r_b^(x-i) b_i;
    customer vector u = (1/G) Σ_j r_g^(G-j) g_j. So basket i of group j weighs
    r_g^(G-j) r_b^(x-i) / (x G). G = min(t, m).
    """
    weights = np.zeros(t)
    groups = _groups(t, params.n_groups)
    n = len(groups)
    for j, group in enumerate(groups):
        x = len(group)
        g = params.n_groups - 1 - j if params.code_decay else n - 1 - j
        for i, position in enumerate(group):
            b = t - 1 - position if params.code_decay else x - 1 - i
            weights[position] = params.group_decay**g * params.within_decay**b / (x * n)
    return weights

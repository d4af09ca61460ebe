"""Next-basket protocol, metrics and baselines (bench/nbr.py), on cases computed by hand."""

from __future__ import annotations

from math import log2

import numpy as np
import pytest

from bench.nbr import (
    TifuParams,
    basket_weights,
    customer_vectors,
    evaluate,
    gp_topfreq,
    ndcg_at_k,
    paired_bootstrap,
    recall_at_k,
    repeat_explore_recall,
    split_last_basket,
    split_validation,
    tifu_knn,
    tifu_scores,
    top_popular,
)


def test_last_basket_is_held_out_and_short_histories_are_left_out() -> None:
    histories = [[["a"], ["b"], ["c"]], [["d"]], [], [["e"], ["f"]]]
    train, test, kept = split_last_basket(histories)
    assert train == [[["a"], ["b"]], [["e"]]]
    assert test == [["c"], ["f"]]
    assert kept == [0, 3]


def test_validation_holds_out_the_second_to_last_basket_never_the_test_one() -> None:
    train, _, _ = split_last_basket([[["a"], ["b"], ["c"]], [["e"], ["f"]]])
    fit, valid, kept = split_validation(train)
    assert fit == [[["a"]]]
    assert valid == [["b"]]
    assert kept == [0]


def test_recall_and_ndcg_on_a_three_item_basket_with_hits_at_ranks_one_and_three() -> None:
    """Basket {a, b, c}; list a, x, b, y, z: hits at ranks 1 and 3.

    recall@5 = 2/3; DCG@5 = 1/log2(2) + 1/log2(4) = 1.5; IDCG@5 over min(5, 3) = 3 items =
    1 + 1/log2(3) + 1/2. At k = 2 only a hits: recall 1/3, NDCG = 1 / (1 + 1/log2(3)).
    """
    ranked = ["a", "x", "b", "y", "z"]
    basket = {"a", "b", "c"}
    assert recall_at_k(ranked, basket, 5) == pytest.approx(2 / 3)
    assert ndcg_at_k(ranked, basket, 5) == pytest.approx(1.5 / (1.5 + 1 / log2(3)))
    assert recall_at_k(ranked, basket, 2) == pytest.approx(1 / 3)
    assert ndcg_at_k(ranked, basket, 2) == pytest.approx(1 / (1 + 1 / log2(3)))
    assert ndcg_at_k(["a", "b", "c"], basket, 2) == pytest.approx(1.0)
    assert recall_at_k(["a", "b"], basket, 10) == pytest.approx(2 / 3)  # uncapped


def test_repeat_and_explore_recall_count_hits_among_their_own_items() -> None:
    """History {a, b}, {c}; basket {a, c, d}: repeat items {a, c}, explore {d}.

    List a, d, x: repeat recall 1/2 (a of a, c), explore recall 1/1 (d).
    """
    history = [["a", "b"], ["c"]]
    assert repeat_explore_recall(["a", "d", "x"], {"a", "c", "d"}, history, 3) == (0.5, 1.0)
    assert repeat_explore_recall(["a"], {"a", "c"}, history, 3) == (0.5, None)
    assert repeat_explore_recall(["a"], {"z"}, history, 3) == (None, 0.0)


def test_customers_without_repeat_or_explore_items_are_left_out_of_that_average() -> None:
    train = [[["a", "b"]], [["c"]]]
    scores = evaluate([["a", "x"], ["y"]], [{"a", "x"}, {"c"}], train, k=2)
    assert scores.recall.tolist() == [1.0, 0.0]
    assert scores.repeat_recall.tolist() == [1.0, 0.0]  # both have a repeat item
    assert scores.explore_recall.tolist() == [1.0]  # only the first has an explore item


def test_top_popular_counts_baskets_not_customers() -> None:
    train = [[["a"], ["a"], ["a"]], [["b"]], [["b"]], [["c", "a"]]]
    assert top_popular(train, 2) == [["a", "b"]] * 4


def test_gp_topfreq_orders_own_items_by_frequency_then_recency_then_fills_with_popular() -> None:
    """Customer 1: a in baskets 1 and 3, b in 1 and 2, c in 2, d in 3.

    a and b tie at 2 (a last bought later), d and c tie at 1 (d later): a, b, d, c; then the
    most popular item they never bought, e. Popularity: a = b = e = 2 baskets (in order of
    first sight), then c = d = f = 1. Customer 2: e, f (e twice), then a, b, c.
    """
    train = [[["a", "b"], ["b", "c"], ["a", "d"]], [["e"], ["e", "f"]]]
    assert gp_topfreq(train, 5) == [["a", "b", "d", "c", "e"], ["e", "f", "a", "b", "c"]]
    assert gp_topfreq(train, 2)[0] == ["a", "b"]


TINY = TifuParams(n_groups=2, within_decay=0.5, group_decay=0.5, n_neighbours=1, alpha=0.5)
# A: {a}, {a,b}, {b}; B: {c} (one basket, one group); C: {a}, {c}.
TINY_TRAIN = [[["a"], ["a", "b"], ["b"]], [["c"]], [["a"], ["c"]]]


def test_tifu_basket_weights_follow_the_paper() -> None:
    """m = 2, r_b = r_g = 1/2. Basket i of group j weighs r_g^(G-j) r_b^(x-i) / (x G).

    t = 3: groups [1], [2, 3] (the later group is the larger, as in Hu's code); G = 2:
    basket 1: 0.5 / (1·2) = 0.25; basket 2: 0.5 / (2·2) = 0.125; basket 3: 1 / (2·2) = 0.25.
    t = 1: one group, weight 1. Hu's code decays within the whole history and by r_g^(m-1-j):
    t = 3 gives 0.5·0.25/2 = 0.0625, 0.125, 0.25; t = 1 gives r_g^1 = 0.5.
    """
    assert basket_weights(3, TINY).tolist() == [0.25, 0.125, 0.25]
    assert basket_weights(1, TINY).tolist() == [1.0]
    code = TifuParams(2, 0.5, 0.5, 1, 0.5, code_decay=True)
    assert basket_weights(3, code).tolist() == [0.0625, 0.125, 0.25]
    assert basket_weights(1, code).tolist() == [0.5]


def test_tifu_knn_on_three_customers_matches_the_hand_computation() -> None:
    """Vectors over (a, b, c) from the weights above:

    u_A = (0.25 + 0.125, 0.125 + 0.25, 0) = (0.375, 0.375, 0); u_B = (0, 0, 1) (single group);
    u_C = (0.25, 0, 0.5). Squared distances: AB = 1.28125, AC = 0.40625, BC = 0.3125, so with
    one neighbour A -> C, B -> C, C -> B. Scores 0.5·u + 0.5·u_neighbour:
    A = (0.3125, 0.1875, 0.25) -> a, c, b; B = (0.125, 0, 0.75) -> c, a; C = same as B.
    """
    vectors, items = customer_vectors(TINY_TRAIN, TINY)
    assert items == ["a", "b", "c"]
    np.testing.assert_allclose(
        vectors.toarray(), [[0.375, 0.375, 0.0], [0.0, 0.0, 1.0], [0.25, 0.0, 0.5]]
    )
    scores, _ = tifu_scores(TINY_TRAIN, TINY)
    np.testing.assert_allclose(
        scores, [[0.3125, 0.1875, 0.25], [0.125, 0.0, 0.75], [0.125, 0.0, 0.75]]
    )
    assert tifu_knn(TINY_TRAIN, 3, TINY) == [["a", "c", "b"], ["c", "a"], ["c", "a"]]


def test_tifu_knn_agrees_with_a_naive_implementation_on_random_data() -> None:
    rng = np.random.default_rng(1)
    train = [
        [list(rng.choice(30, size=rng.integers(1, 5), replace=False)) for _ in range(n)]
        for n in rng.integers(1, 12, size=60)
    ]
    params = TifuParams(n_groups=3, within_decay=0.8, group_decay=0.6, n_neighbours=5, alpha=0.4)
    dense = customer_vectors(train, params)[0].toarray()
    dist = np.linalg.norm(dense[:, None, :] - dense[None, :, :], axis=2)
    np.fill_diagonal(dist, np.inf)
    near = np.argsort(dist, axis=1, kind="stable")[:, :5]
    expected = params.alpha * dense + (1 - params.alpha) * dense[near].mean(axis=1)
    np.testing.assert_allclose(tifu_scores(train, params)[0], expected, atol=1e-12)


def test_bootstrap_interval_holds_zero_for_identical_methods() -> None:
    a = np.random.default_rng(2).random(500)
    mean, low, high = paired_bootstrap(a, a.copy())
    assert mean == 0.0
    assert low <= 0.0 <= high


def test_bootstrap_interval_excludes_zero_for_a_clearly_better_method() -> None:
    rng = np.random.default_rng(3)
    b = rng.random(500)
    a = b + 0.1 + rng.normal(0, 0.05, size=500)
    mean, low, high = paired_bootstrap(a, b)
    assert 0.0 < low < mean < high
    assert mean == pytest.approx(0.1, abs=0.01)

"""The baseline gene selectors on SYNTHETIC data: top-|t|, univariate Cox, network PageRank ratio."""

from __future__ import annotations

import numpy as np

from omicsdl.g2vec._selectors import (
    cox_genes,
    network_pagerank_genes,
    pagerank_ratio,
    random_genes,
    top_t_genes,
)


def test_pagerank_ratio_is_one_without_scores_and_rewards_high_t_neighbourhoods():
    # a star: hub 0 and leaves 1..4, plus a chain 4 - 5 - 6
    src, dst = np.array([0, 0, 0, 0, 4, 5]), np.array([1, 2, 3, 4, 5, 6])
    flat = pagerank_ratio(7, src, dst, np.ones(7))
    np.testing.assert_allclose(flat, 1.0, rtol=1e-6)  # uniform scores: plain PageRank, ratio 1
    scores = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 5.0, 1.0])
    ratio = pagerank_ratio(7, src, dst, scores)
    assert ratio.argmax() == 5  # a high-|t| gene draws its neighbours' PageRank
    assert ratio[0] < 1.0  # the hub is not rewarded for its degree


def test_selectors_choose_the_planted_genes():
    rng = np.random.default_rng(0)
    n = 60
    y = np.repeat([0, 1], n // 2)
    x = rng.normal(size=(n, 8))
    x[:, 3] += 2.0 * y  # differs between the groups
    days = rng.exponential(1000, n) / np.exp(1.5 * x[:, 6])  # gene 6 drives survival
    events = np.ones(n)
    assert top_t_genes(x, y, 1).tolist() == [3]
    assert cox_genes(x, days, events, 1).tolist() == [6]
    cols = np.arange(8)
    net = network_pagerank_genes(x, y, cols, np.array([0, 1, 2, 3, 4]), np.array([1, 2, 3, 4, 5]), 1)
    assert net.tolist() == [3]
    picked = random_genes(8, 3, np.random.default_rng(0))
    assert picked.tolist() == sorted(set(picked.tolist())) and len(picked) == 3

"""The vectorised weighted walks: correctness on SYNTHETIC graphs, directed and not."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omicsdl.g2vec._walks import correlation_weights, csr_adjacency, random_walks_csr


def _random_graph(n: int, p: float, seed: int):
    g = nx.gnp_random_graph(n, p, seed=seed)
    edges = np.array(g.edges(), dtype=np.int64).reshape(-1, 2)
    w = np.random.default_rng(seed).uniform(0.5, 1.0, edges.shape[0])
    return g, edges, w


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 40), st.floats(0.05, 0.6), st.integers(0, 10_000), st.integers(2, 12))
def test_walks_are_self_avoiding_paths_on_the_graph(n, p, seed, max_length):
    g, edges, w = _random_graph(n, p, seed)
    if edges.shape[0] == 0:
        return
    indptr, indices, weights = csr_adjacency(n, edges[:, 0], edges[:, 1], w)
    paths, lengths = random_walks_csr(indptr, indices, weights, n_walks=3, max_length=max_length, rng=seed)
    starts = [v for v in range(n) if g.degree(v) > 0]
    assert paths.shape == (3 * len(starts), max_length)
    assert sorted(paths[:, 0].tolist()) == sorted(starts * 3)
    for row, k in zip(paths, lengths, strict=True):
        walk = row[:k].tolist()
        assert (row[k:] == -1).all()
        assert len(set(walk)) == k  # never revisits a gene
        assert all(g.has_edge(a, b) for a, b in itertools.pairwise(walk))
        if k < max_length:  # stopped early => dead end: every neighbour visited
            assert set(g.neighbors(walk[-1])) <= set(walk)


def test_walks_follow_weights():
    # star: centre 0 with leaves 1 (weight 9) and 2 (weight 1): first step ~ 90 % to leaf 1
    indptr, indices, weights = csr_adjacency(3, np.array([0, 0]), np.array([1, 2]), np.array([9.0, 1.0]))
    paths, _ = random_walks_csr(indptr, indices, weights, n_walks=4000, max_length=2, rng=1)
    first = paths[paths[:, 0] == 0, 1]
    assert np.mean(first == 1) == pytest.approx(0.9, abs=0.02)


def test_same_seed_same_walks():
    _, edges, w = _random_graph(60, 0.1, 3)
    indptr, indices, weights = csr_adjacency(60, edges[:, 0], edges[:, 1], w)
    a = random_walks_csr(indptr, indices, weights, rng=7)
    b = random_walks_csr(indptr, indices, weights, rng=7)
    c = random_walks_csr(indptr, indices, weights, rng=8)
    assert np.array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_correlation_weights_match_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 5))
    x[:, 4] = 2.0  # constant gene: r = 0
    src, dst = np.array([0, 1, 2, 0]), np.array([1, 2, 3, 4])
    r = correlation_weights(x, src, dst)
    expected = [np.corrcoef(x[:, a], x[:, b])[0, 1] for a, b in zip(src[:3], dst[:3], strict=True)]
    np.testing.assert_allclose(r[:3], expected, rtol=1e-10)
    assert r[3] == 0.0


def test_walks_in_small_blocks_are_still_valid(monkeypatch):
    from omicsdl.g2vec import _walks as _g2vec_walks

    monkeypatch.setattr(_g2vec_walks, "_BLOCK_BYTES", 16)  # 16 bytes / 5-byte rows: blocks of 3 walkers
    g, edges, w = _random_graph(40, 0.15, 5)
    indptr, indices, weights = csr_adjacency(40, edges[:, 0], edges[:, 1], w)
    paths, lengths = random_walks_csr(indptr, indices, weights, n_walks=2, max_length=10, rng=0)
    for row, k in zip(paths, lengths, strict=True):
        walk = row[:k].tolist()
        assert len(set(walk)) == k
        assert all(g.has_edge(a, b) for a, b in itertools.pairwise(walk))


def test_step_after_visited_neighbour_follows_weights():
    # path 0 - 1, then from 1: neighbour 0 is visited, 2 (weight 1) and 3 (weight 3) => 3 with p = 0.75
    src, dst, w = np.array([0, 1, 1]), np.array([1, 2, 3]), np.array([0.9, 1.0, 3.0])
    indptr, indices, weights = csr_adjacency(4, src, dst, w)
    paths, lengths = random_walks_csr(indptr, indices, weights, n_walks=6000, max_length=3, rng=2)
    from_zero = paths[paths[:, 0] == 0]
    assert (from_zero[:, 1] == 1).all()
    assert np.mean(from_zero[:, 2] == 3) == pytest.approx(0.75, abs=0.02)
    # a walk from 2 goes 2 -> 1 -> {0, 3} with weights 0.9 : 3
    from_two = paths[paths[:, 0] == 2]
    assert np.mean(from_two[:, 2] == 3) == pytest.approx(3 / 3.9, abs=0.02)
    assert (lengths[paths[:, 0] == 3] == 3).all()


def test_directed_adjacency_walks_only_as_listed_and_keeps_the_largest_duplicate():
    # 0 -> 1 -> 2 listed once each, 1 -> 2 listed twice with two weights
    src, dst, w = np.array([0, 1, 1]), np.array([1, 2, 2]), np.array([0.9, 0.6, 0.8])
    indptr, indices, weights = csr_adjacency(3, src, dst, w, directed=True)
    assert indptr.tolist() == [0, 1, 2, 2]  # gene 2 has no outgoing edge
    assert indices.tolist() == [1, 2] and weights.tolist() == [0.9, 0.8]
    paths, lengths = random_walks_csr(indptr, indices, weights, n_walks=3, max_length=5, rng=0)
    assert paths[:, 0].tolist() == [0, 0, 0, 1, 1, 1]  # gene 2 cannot start a walk
    assert [tuple(r[:k]) for r, k in zip(paths, lengths, strict=True)] == [(0, 1, 2)] * 3 + [(1, 2)] * 3
    both = csr_adjacency(3, src, dst, w, directed=False)
    assert np.diff(both[0]).tolist() == [1, 2, 1]

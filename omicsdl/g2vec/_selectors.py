"""Gene selectors G2Vec is compared with, each choosing ``k`` genes from the training patients only.

``top_t``
    the ``k`` genes of largest pooled |t| (poor against good);
``cox``
    the ``k`` genes of largest |z| of a univariate Cox model on the training
    patients' overall survival (:func:`omicsdl.survival.cox_univariate`);
``random``
    ``k`` genes drawn at random;
``network``
    a network selector that is not G2Vec, after the same group's CPR (Choi et
    al. 2017, github mathcom/G2Vec ``CPR.py``): PageRank on the network where
    a gene passes its score to a neighbour in proportion to the neighbour's
    |t|, divided by plain PageRank on the same network (so hubs do not win by
    degree alone); the ``k`` genes of largest ratio. Damping 0.7 as in CPR; one
    patient cluster (CPR's optional patient clustering is not used).

``all_genes`` (every gene) is not a selector but is scored alongside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl.g2vec._lgroups import abs_t

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["cox_genes", "network_pagerank_genes", "pagerank_ratio", "random_genes", "top_t_genes"]


def top_t_genes(x: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` genes of largest pooled |t| (ties: lower index first)."""
    return np.argsort(-abs_t(x, y, pooled=True), kind="stable")[:k]


def cox_genes(x: np.ndarray, durations: np.ndarray, events: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` genes of largest univariate Cox |z| (constant genes last)."""
    from omicsdl.survival import cox_univariate

    table = cox_univariate(x, durations, events, on_constant="skip", min_events=1)
    z = np.nan_to_num(np.abs(table["z"].to_numpy(dtype=float)), nan=-1.0)
    return np.argsort(-z, kind="stable")[:k]


def random_genes(n_genes: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` column indices drawn without replacement, sorted."""
    return np.sort(rng.choice(n_genes, size=min(k, n_genes), replace=False))


def _pagerank(
    transition: csr_matrix, damping: float, *, tol: float = 1e-10, max_iter: int = 200
) -> np.ndarray:
    n = transition.shape[0]
    score = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1.0 - damping) / n + damping * (transition @ score)
        if np.abs(new - score).sum() < tol:
            return new
        score = new
    return score


def pagerank_ratio(
    n: int, src: np.ndarray, dst: np.ndarray, weights: np.ndarray, *, damping: float = 0.7
) -> np.ndarray:
    """t-weighted PageRank over plain PageRank on an undirected network of ``n`` genes.

    Parameters
    ----------
    n
        Number of genes.
    src, dst
        Undirected edges (each once) as gene indices.
    weights
        A non-negative score per gene (|t|): a gene sends its PageRank to its
        neighbours in proportion to their score.
    damping
        PageRank damping factor.

    Returns
    -------
    The ratio per gene (0 for genes without an edge).
    """
    from scipy.sparse import csr_matrix

    a = np.concatenate([src, dst])
    b = np.concatenate([dst, src])
    adjacency = csr_matrix((np.ones(a.shape[0]), (b, a)), shape=(n, n))  # column = where the score leaves
    adjacency.sum_duplicates()
    adjacency.data[:] = 1.0
    degree = np.asarray(adjacency.sum(axis=0)).ravel()
    linked = degree > 0

    def column_stochastic(matrix: csr_matrix) -> csr_matrix:
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        scale = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
        return csr_matrix(matrix.multiply(scale[None, :]))

    plain = _pagerank(column_stochastic(adjacency), damping)
    weighted = _pagerank(column_stochastic(csr_matrix(adjacency.multiply(weights[:, None]))), damping)
    return np.where(linked, weighted / np.maximum(plain, 1e-300), 0.0)


def network_pagerank_genes(
    x: np.ndarray,
    y: np.ndarray,
    columns: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    k: int,
    *,
    damping: float = 0.7,
) -> np.ndarray:
    """Column indices of the ``k`` network genes of largest t-weighted / plain PageRank (module docstring).

    Parameters
    ----------
    x, y
        Training patients × genes (all expression columns) and their 0/1 labels.
    columns
        Expression column of each network gene.
    src, dst
        Undirected network edges as indices into ``columns``.
    k
        Genes to choose.
    damping
        PageRank damping factor (CPR: 0.7).
    """
    t = abs_t(x[:, columns], y, pooled=True)
    ratio = pagerank_ratio(len(columns), src, dst, t, damping=damping)
    return np.asarray(columns)[np.argsort(-ratio, kind="stable")[:k]]

"""Correlation-weighted, self-avoiding random walks on a CSR adjacency, vectorised.

All walks advance together, one step per iteration, on a CSR adjacency (a
row lists the genes a gene may step to; directed or not). A step draws a
neighbour uniformly and accepts it with probability ``weight / largest weight
of the row`` unless the gene is already in the path
(rejection sampling: exactly proportional to the weights among unvisited
neighbours). Walkers still unresolved after a few draws are handled exactly by
masking their visited neighbours, which also detects dead ends. No Python loop
runs per walker or per edge.
"""

from __future__ import annotations

import logging

import numpy as np

from omicsdl._core._random import RNGLike, as_generator

__all__ = ["correlation_weights", "csr_adjacency", "random_walks_csr"]

logger = logging.getLogger(__name__)

_REJECTION_TRIES = 6


def correlation_weights(
    x: np.ndarray, src: np.ndarray, dst: np.ndarray, *, chunk: int = 200_000
) -> np.ndarray:
    """Pearson r over the rows of ``x`` (patients × genes) for each edge ``src–dst``.

    Edges touching a gene that is constant over the patients get r = 0.

    Parameters
    ----------
    x
        Patients × genes expression.
    src, dst
        Edge endpoints as column indices of ``x``.
    chunk
        Edges per vectorised block (bounds the memory used).

    Returns
    -------
    One r in [-1, 1] per edge.
    """
    x = np.asarray(x, dtype=np.float64)
    centred = x - x.mean(axis=0)
    norm = np.sqrt((centred**2).sum(axis=0))
    ok = norm > 1e-12 * max(1.0, float(np.abs(x).max(initial=0.0)))
    z = np.zeros_like(centred)
    z[:, ok] = centred[:, ok] / norm[ok]
    zt = np.ascontiguousarray(z.T)
    r = np.empty(src.shape[0], dtype=np.float64)
    for lo in range(0, src.shape[0], chunk):
        hi = min(lo + chunk, src.shape[0])
        r[lo:hi] = np.einsum("ij,ij->i", zt[src[lo:hi]], zt[dst[lo:hi]])
    return np.clip(r, -1.0, 1.0)


def csr_adjacency(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, *, directed: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR adjacency ``(indptr, indices, weights)`` of ``n`` nodes from edges ``src → dst``.

    Parameters
    ----------
    n
        Number of nodes.
    src, dst, w
        Edge endpoints and weights. A pair listed twice keeps its largest weight.
    directed
        ``True``: a row lists only the edges leaving it (``src → dst`` as given).
        ``False``: every edge is walked both ways.
    """
    src, dst, w = np.asarray(src, np.int64), np.asarray(dst, np.int64), np.asarray(w, np.float64)
    if not directed:
        src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([w, w])
    order = np.lexsort((-w, dst, src))
    src, dst, w = src[order], dst[order], w[order]
    first = np.ones(src.shape[0], dtype=bool)
    first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])  # duplicates: the largest weight comes first
    src, dst, w = src[first], dst[first], w[first]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst.astype(np.int32), w


def random_walks_csr(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    *,
    n_walks: int = 10,
    max_length: int = 80,
    rng: RNGLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted self-avoiding random walks from every node with a neighbour.

    Parameters
    ----------
    indptr, indices, weights
        CSR adjacency with positive weights (:func:`csr_adjacency`; directed or not).
    n_walks
        Walks started from each node.
    max_length
        Maximum number of genes in a walk; a walk also stops at a dead end
        (every neighbour already visited).
    rng
        Seed or generator.

    Returns
    -------
    ``(paths, lengths)``: ``(n_walkers, max_length)`` int32 padded with -1, and lengths.

    Notes
    -----
    Walkers advance in blocks; each block keeps a bit set of visited genes per
    walker (at most ~64 MiB), so checking a step is O(1) whatever the path length.
    Nodes without an outgoing edge start no walk: the caller decides what a
    gene that cannot move contributes (G2Vec: a one-gene path).
    """
    gen = as_generator(rng)
    n = indptr.shape[0] - 1
    deg = np.diff(indptr)
    starts = np.repeat(np.flatnonzero(deg > 0).astype(np.int32), n_walks)
    n_walkers = starts.shape[0]
    paths = np.full((n_walkers, max_length), -1, dtype=np.int32)
    lengths = np.ones(n_walkers, dtype=np.int64)
    paths[:, 0] = starts
    if n_walkers == 0 or max_length < 2:
        return paths, lengths
    row_max = np.zeros(n)
    nonempty = deg > 0
    row_max[nonempty] = np.maximum.reduceat(weights, indptr[:-1][nonempty])
    accept = weights / np.repeat(np.where(nonempty, row_max, 1.0), deg)  # in (0, 1]
    graph = (indptr, indices, weights, accept, deg)
    block = max(1, _BLOCK_BYTES // ((n + 7) // 8))
    for lo in range(0, n_walkers, block):
        hi = min(lo + block, n_walkers)
        _walk_block(graph, paths[lo:hi], lengths[lo:hi], n, gen)
    return paths, lengths


_BLOCK_BYTES = 64 * 2**20


def _is_set(bits: np.ndarray, rows: np.ndarray, genes: np.ndarray) -> np.ndarray:
    return ((bits[rows, genes >> 3] >> (genes & 7).astype(np.uint8)) & 1).astype(bool)


def _mark(bits: np.ndarray, rows: np.ndarray, genes: np.ndarray) -> None:
    # one gene per walker per call: (row, byte) pairs are unique, so |= is safe
    bits[rows, genes >> 3] |= (np.uint8(1) << (genes & 7).astype(np.uint8)).astype(np.uint8)


def _walk_block(
    graph: tuple, paths: np.ndarray, lengths: np.ndarray, n: int, gen: np.random.Generator
) -> None:
    indptr, indices, _, accept, deg = graph
    m, max_length = paths.shape
    visited = np.zeros((m, (n + 7) // 8), dtype=np.uint8)
    _mark(visited, np.arange(m), paths[:, 0].astype(np.int64))
    active = np.arange(m)
    for step in range(1, max_length):
        cur = paths[active, step - 1].astype(np.int64)
        chosen = np.full(active.shape[0], -1, dtype=np.int64)
        pending = np.arange(active.shape[0])
        for _ in range(_REJECTION_TRIES):
            c = cur[pending]
            draws = gen.random((2, pending.shape[0]))
            pos = indptr[c] + np.minimum((draws[0] * deg[c]).astype(np.int64), deg[c] - 1)
            cand = indices[pos].astype(np.int64)
            ok = (draws[1] < accept[pos]) & ~_is_set(visited, active[pending], cand)
            chosen[pending[ok]] = cand[ok]
            pending = pending[~ok]
            if pending.shape[0] == 0:
                break
        if pending.shape[0]:
            chosen[pending] = _exact_step(graph, cur[pending], visited, active[pending], gen)
        moved = chosen >= 0
        walkers = active[moved]
        paths[walkers, step] = chosen[moved]
        lengths[walkers] += 1
        _mark(visited, walkers, chosen[moved])
        active = walkers
        if active.shape[0] == 0:
            break


def _exact_step(
    graph: tuple,
    cur: np.ndarray,
    visited: np.ndarray,
    rows: np.ndarray,
    gen: np.random.Generator,
) -> np.ndarray:
    """Draw among unvisited neighbours exactly; -1 for walkers at a dead end."""
    indptr, indices, weights = graph[:3]
    deg = indptr[cur + 1] - indptr[cur]
    ends = np.cumsum(deg)
    owner = np.repeat(np.arange(cur.shape[0]), deg)
    pos = indptr[cur][owner] + np.arange(owner.shape[0]) - np.repeat(ends - deg, deg)
    nb = indices[pos].astype(np.int64)
    w = weights[pos].copy()
    w[_is_set(visited, rows[owner], nb)] = 0.0
    totals = np.bincount(owner, weights=w, minlength=cur.shape[0])
    out = np.full(cur.shape[0], -1, dtype=np.int64)
    idx = np.flatnonzero(totals > 0)
    if idx.shape[0] == 0:
        return out
    cum = np.cumsum(w)
    base = np.concatenate([[0.0], cum])[ends - deg]
    target = base[idx] + gen.random(idx.shape[0]) * totals[idx]
    lo, hi = (ends - deg)[idx], ends[idx] - 1
    hit = np.clip(np.searchsorted(cum, target, side="right"), lo, hi)
    # float rounding may land on a zero-weight (visited) entry: move to the nearest allowed one
    for k in np.flatnonzero(w[hit] <= 0):
        seg = np.arange(lo[k], hi[k] + 1)
        seg = seg[w[seg] > 0]
        hit[k] = seg[np.argmin(np.abs(cum[seg] - target[k]))]
    out[idx] = nb[hit]
    return out

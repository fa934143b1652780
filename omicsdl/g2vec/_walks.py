"""G2Vec gene-paths: correlation-weighted, self-avoiding random walks, vectorised.

All walks of a group advance together, one step per iteration, on a CSR
adjacency. A step draws a neighbour uniformly and accepts it with probability
``weight / largest weight of the row`` unless the gene is already in the path
(rejection sampling: exactly proportional to the weights among unvisited
neighbours). Walkers still unresolved after a few draws are handled exactly by
masking their visited neighbours, which also detects dead ends. No Python loop
runs per walker or per edge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator
from omicsdl.survival._labels import PROGNOSIS_GROUPS

__all__ = ["GenePaths", "correlation_weights", "generate_gene_paths", "group_gene_paths", "random_walks_csr"]

logger = logging.getLogger(__name__)

GROUPS = PROGNOSIS_GROUPS
_REJECTION_TRIES = 6


@dataclass
class GenePaths:
    """Gene-paths of both prognosis groups.

    Parameters
    ----------
    genes
        Gene names; path entries index into it.
    paths
        ``(n_paths, max_length)`` int32 gene indices, padded with ``-1``.
    lengths
        Number of genes in each path (at least 2).
    labels
        0 for a path of the ``good`` group, 1 for ``poor``.
    n_edges
        Edges kept per group (|r| above the threshold).
    n_dropped_common
        Paths removed because the same gene sequence occurred in both groups.
    """

    genes: list[str]
    paths: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray
    n_edges: dict[str, int] = field(default_factory=dict)
    n_dropped_common: int = 0

    def __len__(self) -> int:
        return int(self.paths.shape[0])

    def as_lists(self) -> list[list[str]]:
        """Paths as lists of gene names (the "sentences" for gensim)."""
        names = np.asarray(self.genes, dtype=object)
        return [names[row[:n]].tolist() for row, n in zip(self.paths, self.lengths, strict=True)]

    def n_per_group(self) -> dict[str, int]:
        """Number of paths of each group: ``{"good": …, "poor": …}``."""
        return {name: int((self.labels == g).sum()) for g, name in enumerate(GROUPS)}

    def counts(self) -> np.ndarray:
        """``(n_genes, 2)`` occurrences of each gene in good and poor paths."""
        out = np.zeros((len(self.genes), 2), dtype=np.int64)
        for g in (0, 1):
            rows = self.paths[self.labels == g]
            flat = rows[rows >= 0]
            out[:, g] = np.bincount(flat, minlength=len(self.genes))
        return out


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


def _csr(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    both_src = np.concatenate([src, dst])
    both_dst = np.concatenate([dst, src])
    both_w = np.concatenate([w, w])
    order = np.lexsort((both_dst, both_src))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(both_src, minlength=n), out=indptr[1:])
    return indptr, both_dst[order].astype(np.int32), both_w[order].astype(np.float64)


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
        Symmetric CSR adjacency with positive weights.
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


def _row_hashes(paths: np.ndarray) -> np.ndarray:
    mult = np.random.default_rng(0x9E3779B9).integers(1, 2**63 - 1, size=paths.shape[1], dtype=np.uint64) | 1
    with np.errstate(over="ignore"):
        return ((paths.astype(np.int64) + 1).astype(np.uint64) * mult).sum(axis=1, dtype=np.uint64)


def group_gene_paths(
    x: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    min_abs_corr: float,
    n_walks: int,
    max_length: int,
    rng: RNGLike,
    group: str = "group",
) -> tuple[np.ndarray, np.ndarray, int]:
    """Gene-paths of one group: threshold |r| on the network, then walk.

    Parameters
    ----------
    x
        The group's patients × genes expression.
    src, dst
        Network edges as column indices of ``x``.
    min_abs_corr
        Keep an edge when |Pearson r| over the group's patients exceeds this.
    n_walks, max_length
        Walks per gene and maximum genes per walk.
    rng
        Seed or generator.
    group
        The group's name, for messages.

    Returns
    -------
    ``(paths, lengths, n_edges_kept)``; paths with fewer than 2 genes are dropped.
    """
    n = x.shape[1]
    r = np.abs(correlation_weights(x, src, dst))
    keep = r > min_abs_corr
    n_kept = int(keep.sum())
    logger.info("%s: %d of %d edges with |r| > %.2f", group, n_kept, src.shape[0], min_abs_corr)
    if n_kept == 0:
        best = float(r.max(initial=0.0))
        msg = (
            f"no network edge has |Pearson r| > {min_abs_corr} among the {group!r} patients "
            f"(largest |r| is {best:.3f}), so the walks find no gene-path"
        )
        raise InputError(
            msg,
            item=group,
            fix=f"lower the threshold min_abs_corr (--min-corr), e.g. to {max(0.0, best - 0.05):.2f}",
        )
    indptr, indices, weights = _csr(n, src[keep], dst[keep], r[keep])
    paths, lengths = random_walks_csr(
        indptr, indices, weights, n_walks=n_walks, max_length=max_length, rng=rng
    )
    ok = lengths >= 2
    return paths[ok], lengths[ok], n_kept


def generate_gene_paths(
    x: np.ndarray,
    labels: np.ndarray,
    genes: list[str],
    src: np.ndarray,
    dst: np.ndarray,
    *,
    min_abs_corr: float = 0.5,
    n_walks: int = 10,
    max_length: int = 80,
    rng: RNGLike = None,
) -> GenePaths:
    """Gene-paths of the good (label 0) and poor (label 1) patients, common paths removed.

    Parameters
    ----------
    x
        Patients × genes expression (log scale).
    labels
        0 = good, 1 = poor prognosis, one per row of ``x``.
    genes
        Column names of ``x``.
    src, dst
        Network edges as column indices of ``x`` (each undirected edge once).
    min_abs_corr
        Keep an edge in a group when |Pearson r| over its patients exceeds this.
    n_walks, max_length
        Walks per gene and maximum genes per walk.
    rng
        Seed or generator.

    Returns
    -------
    The labelled gene-paths.

    Raises
    ------
    InputError
        When a group has no edge above the threshold, or every path occurs in both groups.
    """
    gen = as_generator(rng)
    seeds = gen.integers(0, 2**31 - 1, size=2)
    parts = []
    n_edges = {}
    for g, name in enumerate(GROUPS):
        p, ln, k = group_gene_paths(
            x[labels == g],
            src,
            dst,
            min_abs_corr=min_abs_corr,
            n_walks=n_walks,
            max_length=max_length,
            rng=np.random.default_rng(seeds[g]),
            group=name,
        )
        parts.append((p, ln))
        n_edges[name] = k
    hashes = [_row_hashes(p) for p, _ in parts]
    common = np.intersect1d(hashes[0], hashes[1])
    keep = [~np.isin(h, common) for h in hashes]
    n_dropped = int(sum((~k).sum() for k in keep))
    paths = np.concatenate([parts[0][0][keep[0]], parts[1][0][keep[1]]])
    lengths = np.concatenate([parts[0][1][keep[0]], parts[1][1][keep[1]]])
    labels_out = np.concatenate([np.zeros(keep[0].sum(), np.int8), np.ones(keep[1].sum(), np.int8)])
    for g, name in enumerate(GROUPS):
        if not (labels_out == g).any():
            msg = (
                f"no gene-path is left for the {name!r} group (all walks were shorter than 2 genes "
                "or also occurred in the other group)"
            )
            raise InputError(
                msg,
                item=name,
                fix="lower the correlation threshold min_abs_corr (--min-corr) or use a denser network",
            )
    logger.info(
        "gene-paths: %d good, %d poor (%d in both groups dropped)", *np.bincount(labels_out), n_dropped
    )
    return GenePaths(list(genes), paths, lengths, labels_out, n_edges, n_dropped)

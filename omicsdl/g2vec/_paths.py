"""G2Vec gene-paths: per prognosis group, the *sets* of genes that correlation-weighted walks visit.

The authors' procedure (Choi et al. 2018, ``G2Vec.py`` of github mathcom/G2Vec), step by step:

1. per group, a network edge is kept when |Pearson r| over the group's patients
   exceeds ``min_abs_corr``; its weight is |r|. Edges are walked as listed
   (``src → dest``) for a directed network, both ways for an undirected one;
2. from every gene, ``n_walks`` times, a walk visits at most ``max_length``
   genes, each step to an unvisited out-neighbour with probability ∝ |r|,
   stopping at a dead end. A gene with no kept out-edge gives a one-gene path:
   in the group where a gene lost its correlations, that one-gene path is the
   signal;
3. a path is the **set** of its genes (order forgotten); each group keeps each
   set once;
4. sets found in both groups are removed from both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator
from omicsdl.g2vec._walks import correlation_weights, csr_adjacency, random_walks_csr
from omicsdl.survival._labels import PROGNOSIS_GROUPS

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "GROUPS",
    "GenePaths",
    "combine_groups",
    "distinct_gene_sets",
    "generate_gene_paths",
    "group_walks",
]

logger = logging.getLogger(__name__)

#: the two prognosis groups; label 0 = ``good``, 1 = ``poor``
GROUPS = PROGNOSIS_GROUPS


@dataclass
class GenePaths:
    """Labelled gene-paths of both prognosis groups (each a set of genes, see the module docstring).

    Parameters
    ----------
    genes
        Gene names; path entries index into it.
    paths
        ``(n_paths, width)`` int32 gene indices, ascending within a row, padded with ``-1``.
    lengths
        Number of genes in each path (1 for a gene that could not move).
    labels
        0 for a path of the ``good`` group, 1 for ``poor``.
    n_edges
        Edges kept per group (|r| above the threshold).
    n_walks
        Walks per group before de-duplication (one-gene paths included).
    n_distinct
        Distinct gene sets per group.
    n_common
        Distinct gene sets found in both groups (removed from both).
    n_singletons
        One-gene paths kept per group.
    """

    genes: list[str]
    paths: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray
    n_edges: dict[str, int] = field(default_factory=dict)
    n_walks: dict[str, int] = field(default_factory=dict)
    n_distinct: dict[str, int] = field(default_factory=dict)
    n_common: int = 0
    n_singletons: dict[str, int] = field(default_factory=dict)

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
        """``(n_genes, 2)``: how many good and poor paths contain each gene."""
        out = np.zeros((len(self.genes), 2), dtype=np.int64)
        for g in (0, 1):
            rows = self.paths[self.labels == g]
            out[:, g] = np.bincount(rows[rows >= 0], minlength=len(self.genes))
        return out


def distinct_gene_sets(paths: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each walk as the set of its genes, every set once.

    Parameters
    ----------
    paths
        ``(n, width)`` gene indices padded with ``-1``.
    lengths
        Genes per walk.

    Returns
    -------
    ``(sets, lengths)``: distinct rows with ascending gene indices (padded with
    ``-1``, in lexicographic order) and their sizes.
    """
    width = int(lengths.max(initial=1))
    rows = np.asarray(paths[:, :width], dtype=np.int64)
    big = np.iinfo(np.int64).max
    rows = np.sort(np.where(rows < 0, big, rows), axis=1)
    unique = np.unique(rows, axis=0)
    sizes = (unique != big).sum(axis=1)
    return np.where(unique == big, -1, unique).astype(np.int32), sizes.astype(np.int64)


def combine_groups(
    sets: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Label each group's distinct gene sets and remove the sets found in both (step 4).

    Parameters
    ----------
    sets
        ``[(rows, sizes) of good, (rows, sizes) of poor]`` from :func:`distinct_gene_sets`.

    Returns
    -------
    ``(paths, lengths, labels, n_common)``: the kept sets (padded to one
    width), their sizes, 0/1 labels, and how many sets both groups held.
    """
    width = max(rows.shape[1] for rows, _ in sets)
    padded = [np.pad(rows, ((0, 0), (0, width - rows.shape[1])), constant_values=-1) for rows, _ in sets]
    both = np.concatenate(padded)
    _, inverse, counts = np.unique(both, axis=0, return_inverse=True, return_counts=True)
    keep = counts[inverse.ravel()] == 1  # each group holds a set once: count 2 = found in both
    labels = np.concatenate([np.full(r.shape[0], g, np.int8) for g, r in enumerate(padded)])
    lengths = np.concatenate([sizes for _, sizes in sets])
    return both[keep], lengths[keep], labels[keep], int((~keep).sum() // 2)


def group_walks(
    x: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    min_abs_corr: float,
    n_walks: int,
    max_length: int,
    directed: bool,
    rng: RNGLike,
    group: str = "group",
) -> tuple[np.ndarray, np.ndarray, int]:
    """The walks of one group (steps 1–2 of the module docstring), one-gene paths included.

    Parameters
    ----------
    x
        The group's patients × genes expression.
    src, dst
        Network edges as column indices of ``x`` (``src → dst`` when ``directed``).
    min_abs_corr
        Keep an edge when |Pearson r| over the group's patients exceeds this.
    n_walks, max_length
        Walks from each gene and most genes per walk.
    directed
        Walk edges only as listed.
    rng
        Seed or generator.
    group
        The group's name, for messages.

    Returns
    -------
    ``(paths, lengths, n_edges_kept)``: a gene without a kept out-edge gives
    one one-gene path (all its ``n_walks`` walks are that same set).

    Raises
    ------
    InputError
        No edge of the network passes the threshold in this group.
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
    indptr, indices, weights = csr_adjacency(n, src[keep], dst[keep], r[keep], directed=directed)
    paths, lengths = random_walks_csr(
        indptr, indices, weights, n_walks=n_walks, max_length=max_length, rng=rng
    )
    stuck = np.flatnonzero(np.diff(indptr) == 0).astype(np.int32)
    single = np.full((stuck.shape[0], paths.shape[1]), -1, dtype=np.int32)
    single[:, 0] = stuck
    return (
        np.concatenate([paths, single]),
        np.concatenate([lengths, np.ones(stuck.shape[0], dtype=np.int64)]),
        n_kept,
    )


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
    directed: bool = False,
    rng: RNGLike = None,
) -> GenePaths:
    """Gene-paths of the good (label 0) and poor (label 1) patients (module docstring, steps 1–4).

    Parameters
    ----------
    x
        Patients × genes expression (log scale).
    labels
        0 = good, 1 = poor prognosis, one per row of ``x``.
    genes
        Column names of ``x``.
    src, dst
        Network edges as column indices of ``x``.
    min_abs_corr
        Keep an edge in a group when |Pearson r| over its patients exceeds this.
    n_walks, max_length
        Walks per gene and maximum genes per walk.
    directed
        ``True``: walk each edge only as listed (``src → dst``), as the authors'
        code reads its network file; ``False``: both ways.
    rng
        Seed or generator.

    Returns
    -------
    The labelled gene-paths.

    Raises
    ------
    InputError
        When a group has no edge above the threshold, or no path is left for a group.
    """
    gen = as_generator(rng)
    seeds = gen.integers(0, 2**31 - 1, size=2)
    sets, n_edges, n_walks_done, n_distinct = [], {}, {}, {}
    for g, name in enumerate(GROUPS):
        p, ln, k = group_walks(
            x[labels == g],
            src,
            dst,
            min_abs_corr=min_abs_corr,
            n_walks=n_walks,
            max_length=max_length,
            directed=directed,
            rng=np.random.default_rng(seeds[g]),
            group=name,
        )
        n_edges[name] = k
        n_walks_done[name] = int(n_walks * len(genes))
        rows, sizes = distinct_gene_sets(p, ln)
        sets.append((rows, sizes))
        n_distinct[name] = int(rows.shape[0])
    paths, lengths, labels_out, n_common = combine_groups(sets)
    for g, name in enumerate(GROUPS):
        if not (labels_out == g).any():
            msg = f"no gene-path is left for the {name!r} group (every gene set also occurred in the other group)"
            raise InputError(
                msg,
                item=name,
                fix="lower the correlation threshold min_abs_corr (--min-corr) or use a denser network",
            )
    singletons = {name: int(((labels_out == g) & (lengths == 1)).sum()) for g, name in enumerate(GROUPS)}
    logger.info(
        "gene-paths (distinct gene sets): %d good, %d poor kept; %d sets in both groups removed",
        *np.bincount(labels_out, minlength=2),
        n_common,
    )
    return GenePaths(
        genes=list(genes),
        paths=paths,
        lengths=lengths,
        labels=labels_out,
        n_edges=n_edges,
        n_walks=n_walks_done,
        n_distinct=n_distinct,
        n_common=n_common,
        n_singletons=singletons,
    )

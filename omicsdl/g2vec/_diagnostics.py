"""What a G2Vec fit did, in numbers: paths, training, L-groups, and whether the vectors mean anything.

Every fit computes a :class:`G2VecDiagnostics` (``G2Vec.diagnostics_``; written
as ``diagnostics.json`` by :class:`~omicsdl.g2vec.G2VecRun`). Two checks warn:

* **collapse** — the mean cosine between the vectors of the genes in paths
  exceeds :data:`COLLAPSE_COSINE`: every gene points the same way, so nearest
  neighbours are meaningless (the supervised CBOW's only training signal is the
  projection of a vector on the output weights, one direction);
* **no neighbourhood signal** — a gene's nearest genes by cosine share a
  gene-path with it less than :data:`MIN_NEIGHBOUR_RATIO` times as often as
  random genes would, or less than :data:`MIN_NEIGHBOUR_Z` standard deviations
  above chance.

Also reported: when an L-group holds no more genes than are selected from it
(the score then ranks nothing: every gene of it is a biomarker). For the run as a
whole, :func:`input_limits` states what limits the input (a truncated gene
list) and :func:`gene_family_modules` flags modules made of one gene family.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from omicsdl.g2vec._paths import GenePaths

__all__ = [
    "COLLAPSE_COSINE",
    "MIN_NEIGHBOUR_RATIO",
    "MIN_NEIGHBOUR_Z",
    "G2VecDiagnostics",
    "gene_family_modules",
    "input_limits",
    "neighbour_path_overlap",
]

#: mean pairwise cosine above which the vectors are called collapsed
COLLAPSE_COSINE = 0.9
#: cosine neighbours must share a path this many times more often than random genes ...
MIN_NEIGHBOUR_RATIO = 1.5
#: ... and this many standard deviations above chance
MIN_NEIGHBOUR_Z = 3.0
_N_NEIGHBOURS = 10
_MAX_QUERY_GENES = 500


@dataclass(frozen=True)
class G2VecDiagnostics:
    """Numbers of one G2Vec fit (see the module docstring).

    Parameters
    ----------
    variant
        ``"reference"`` or ``"omicsdl"``.
    network_directed
        Whether edges were walked only as listed.
    n_genes
        Genes of the fit (rows of the vectors).
    n_walks, n_distinct_paths, n_paths, n_singleton_paths
        Per group: walks, distinct gene sets, sets kept after removing those in
        both groups, and one-gene paths among them.
    n_common_paths
        Gene sets found in both groups (removed).
    n_genes_in_paths
        Genes in at least one kept path.
    epochs_run, best_epoch, stop_reason
        The supervised CBOW's epochs, the epoch kept and why it stopped (``None``
        for Word2Vec).
    holdout_accuracy
        Hold-out accuracy of the kept epoch (``None`` for Word2Vec).
    mean_pairwise_cosine
        Mean cosine over all pairs of genes in paths.
    pc1_variance_share
        Share of the variance of those vectors along their first principal axis.
    neighbour_path_overlap, random_path_overlap, neighbour_signal_z
        How often a gene's 10 nearest genes (cosine) share a path with it, how
        often 10 random genes would, and the difference in standard deviations
        (:func:`neighbour_path_overlap`).
    vector_norms
        Per L-group: ``n``, ``mean``, ``min``, ``max`` of the vector lengths.
    l_group_sizes, n_selected
        Genes per L-group, and biomarkers chosen from each.
    warnings
        Plain-words warnings (collapse, no neighbourhood signal, L-groups fully selected).
    """

    variant: str
    network_directed: bool
    n_genes: int
    n_walks: dict[str, int]
    n_distinct_paths: dict[str, int]
    n_common_paths: int
    n_paths: dict[str, int]
    n_singleton_paths: dict[str, int]
    n_genes_in_paths: int
    epochs_run: int | None
    best_epoch: int | None
    stop_reason: str | None
    holdout_accuracy: float | None
    mean_pairwise_cosine: float | None
    pc1_variance_share: float | None
    neighbour_path_overlap: float | None
    random_path_overlap: float | None
    neighbour_signal_z: float | None
    vector_norms: dict[str, dict[str, float]]
    l_group_sizes: dict[str, int]
    n_selected: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    @property
    def collapsed(self) -> bool:
        """Whether the mean pairwise cosine exceeds :data:`COLLAPSE_COSINE`."""
        return self.mean_pairwise_cosine is not None and self.mean_pairwise_cosine > COLLAPSE_COSINE

    @property
    def neighbourhood_signal(self) -> bool:
        """Whether cosine neighbours share paths clearly more often than random genes (and no collapse).

        Clearly: at least :data:`MIN_NEIGHBOUR_RATIO` times as often, and at least
        :data:`MIN_NEIGHBOUR_Z` standard deviations above chance.
        """
        if self.collapsed or self.neighbour_path_overlap is None or not self.random_path_overlap:
            return False
        ratio_ok = self.neighbour_path_overlap >= MIN_NEIGHBOUR_RATIO * self.random_path_overlap
        return ratio_ok and (self.neighbour_signal_z or 0.0) >= MIN_NEIGHBOUR_Z

    @classmethod
    def from_fit(
        cls,
        *,
        variant: str,
        network_directed: bool,
        paths: GenePaths,
        vectors: np.ndarray,
        l_group: np.ndarray,
        n_selected: dict[str, int],
        history: list[dict[str, float]] | None,
        best_epoch: int | None,
        stop_reason: str | None,
        seed: int,
    ) -> G2VecDiagnostics:
        """Compute the diagnostics of a fit (arguments as the fit produced them)."""
        seen = paths.counts().sum(axis=1) > 0
        used = seen & (np.abs(vectors).sum(axis=1) > 0)
        cosine, pc1 = _cosine_and_pc1(vectors[used])
        overlap, random_overlap, z = neighbour_path_overlap(
            vectors, paths, genes=np.flatnonzero(used), seed=seed
        )
        norms = np.linalg.norm(vectors, axis=1)
        vector_norms = {
            name: {
                "n": int((l_group == name).sum()),
                "mean": float(norms[l_group == name].mean()),
                "min": float(norms[l_group == name].min()),
                "max": float(norms[l_group == name].max()),
            }
            for name in ("good", "poor", "rest")
            if (l_group == name).any()
        }
        sizes = {name: int((l_group == name).sum()) for name in ("good", "poor", "rest")}
        kept = history[best_epoch - 1] if history and best_epoch else None
        diag = cls(
            variant=variant,
            network_directed=network_directed,
            n_genes=int(vectors.shape[0]),
            n_walks=dict(paths.n_walks),
            n_distinct_paths=dict(paths.n_distinct),
            n_common_paths=int(paths.n_common),
            n_paths=paths.n_per_group(),
            n_singleton_paths=dict(paths.n_singletons),
            n_genes_in_paths=int(seen.sum()),
            epochs_run=len(history) if history is not None else None,
            best_epoch=best_epoch,
            stop_reason=stop_reason,
            holdout_accuracy=None if kept is None else float(kept["holdout_accuracy"]),
            mean_pairwise_cosine=cosine,
            pc1_variance_share=pc1,
            neighbour_path_overlap=overlap,
            random_path_overlap=random_overlap,
            neighbour_signal_z=z,
            vector_norms=vector_norms,
            l_group_sizes=sizes,
            n_selected=dict(n_selected),
        )
        return cls(**{**diag.__dict__, "warnings": diag._warnings()})

    def _warnings(self) -> list[str]:
        out = []
        if self.collapsed:
            out.append(
                f"the gene vectors collapsed: their mean pairwise cosine is {self.mean_pairwise_cosine:.3f}, "
                "so every gene is every other gene's nearest neighbour; nearest-neighbour lists carry no signal"
            )
        elif self.neighbour_path_overlap is not None and not self.neighbourhood_signal:
            out.append(
                f"the gene vectors carry no neighbourhood signal: a gene's 10 nearest genes share a gene-path "
                f"with it {self.neighbour_path_overlap:.0%} of the time, random genes would "
                f"{(self.random_path_overlap or 0):.0%} (z = {(self.neighbour_signal_z or 0):.1f})"
            )
        for name in ("good", "poor"):
            size, chosen = self.l_group_sizes.get(name, 0), self.n_selected.get(name, 0)
            if size and chosen >= size:
                out.append(
                    f"the {name} L-group has {size} genes and all {chosen} were selected: "
                    "the gene score ranks nothing there"
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values, plus ``collapsed`` and ``neighbourhood_signal``."""
        out = dict(self.__dict__)
        out["collapsed"] = self.collapsed
        out["neighbourhood_signal"] = self.neighbourhood_signal
        return out

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> G2VecDiagnostics:
        """Rebuild from :meth:`to_dict` (derived keys ignored)."""
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in doc.items() if k in names})


def _cosine_and_pc1(vectors: np.ndarray) -> tuple[float | None, float | None]:
    """Mean cosine over all pairs, and the first principal axis' share of the variance."""
    n = vectors.shape[0]
    if n < 2:
        return None, None
    v = np.asarray(vectors, dtype=np.float64)
    unit = v / np.linalg.norm(v, axis=1, keepdims=True)
    total = unit.sum(axis=0)
    cosine = (float(total @ total) - n) / (n * (n - 1))
    centred = v - v.mean(axis=0)
    s = np.linalg.svd(centred, compute_uv=False)
    var = s**2
    return cosine, float(var[0] / var.sum()) if var.sum() > 0 else None


def neighbour_path_overlap(
    vectors: np.ndarray, paths: GenePaths, *, genes: np.ndarray, seed: int
) -> tuple[float | None, float | None, float | None]:
    """How often a gene's 10 nearest genes by cosine share a gene-path with it, against chance.

    Parameters
    ----------
    vectors
        ``genes × dim`` vectors.
    paths
        The gene-paths of the fit.
    genes
        Indices of the genes to consider (those in paths, with non-zero vectors);
        at most 500 of them are queried.
    seed
        Seed of the query sample.

    Returns
    -------
    ``(observed, expected, z)``: the share of nearest genes that share a path
    with their query gene; the share expected if the 10 genes were drawn at
    random (for a query gene sharing paths with ``K`` of the ``N`` other genes,
    ``K / N``); and the observed count's distance from the expected one in
    standard deviations (hypergeometric variances summed over the queries).
    ``None`` with fewer than 12 genes.
    """
    from scipy.sparse import csr_matrix

    if genes.shape[0] < _N_NEIGHBOURS + 2:
        return None, None, None
    rng = np.random.default_rng(seed)
    query = np.sort(rng.choice(genes, size=min(_MAX_QUERY_GENES, genes.shape[0]), replace=False))
    lengths = paths.lengths.astype(np.int64)
    cols = paths.paths[paths.paths >= 0].astype(np.int64)
    rows = np.repeat(np.arange(len(paths)), lengths)
    incidence = csr_matrix(
        (np.ones(cols.shape[0], np.float32), (rows, cols)), shape=(len(paths), len(paths.genes))
    )
    shared = (incidence[:, query].T @ incidence).toarray()[:, genes] > 0  # query × considered genes
    position = {int(g): i for i, g in enumerate(genes)}
    self_col = np.array([position[int(g)] for g in query])
    shared[np.arange(query.shape[0]), self_col] = False
    v = np.asarray(vectors[genes], dtype=np.float64)
    unit = v / np.linalg.norm(v, axis=1, keepdims=True)
    sims = unit[self_col] @ unit.T
    sims[np.arange(query.shape[0]), self_col] = -np.inf
    near = np.argsort(-sims, axis=1, kind="stable")[:, :_N_NEIGHBOURS]
    hits = float(np.take_along_axis(shared, near, axis=1).sum())
    n_other = genes.shape[0] - 1
    k = shared.sum(axis=1).astype(float)
    p = k / n_other
    draws = _N_NEIGHBOURS * query.shape[0]
    var = float((_N_NEIGHBOURS * p * (1 - p) * (n_other - _N_NEIGHBOURS) / max(n_other - 1, 1)).sum())
    expected = float(_N_NEIGHBOURS * p.sum())
    z = (hits - expected) / np.sqrt(var) if var > 0 else 0.0
    return hits / draws, expected / draws, float(z)


def input_limits(genes: Sequence[str], uns: Mapping[str, Any] | None = None) -> list[str]:
    """Plain-words limits of the expression a run used: what its metadata says, and what its genes show.

    Parameters
    ----------
    genes
        The expressed genes.
    uns
        ``adata.uns``; ``uns["omicsdl"]["limits"]`` (a list of sentences) is copied.

    Returns
    -------
    Sentences; a gene list of at least 50 symbols that all start with the same
    letter is called truncated alphabetically (a complete transcriptome spans
    the alphabet).
    """
    out: list[str] = []
    meta = (uns or {}).get("omicsdl", {})
    given = meta.get("limits") if isinstance(meta, Mapping) else None
    if isinstance(given, list | tuple):
        out.extend(str(x) for x in given)
    names = sorted(str(g) for g in genes)
    initials = {g[:1].upper() for g in names if g}
    if len(names) >= 50 and len(initials) == 1 and not out:
        out.append(
            f"all {len(names)} expressed genes start with {names[0][:1]!r} ({names[0]} … {names[-1]}): the "
            "expression looks truncated alphabetically, so genes of one family sit side by side and "
            "modules and their enrichment may be artefacts of the truncation"
        )
    return out


_ROOT = re.compile(r"^([A-Za-z]{3,})\d")


def gene_family_modules(modules: pd.DataFrame, *, min_share: float = 0.5) -> dict[str, list[str]]:
    """Modules whose genes are mostly one family, by shared symbol root.

    A gene's root is its leading letters before the first digit, when there are
    at least three (ABL1 → ABL, ACSL4 → ACSL); genes without a digit have no
    root. A module is flagged when one root covers at least two genes and at
    least ``min_share`` of the module, as paralogs (ABL1/ABL2, ACSL1/3/4) do.

    Parameters
    ----------
    modules
        ``module, gene, …`` rows (``modules.tsv``).
    min_share
        Share of the module the family must cover.

    Returns
    -------
    Module → the genes of its largest family.
    """
    out: dict[str, list[str]] = {}
    if modules is None or not len(modules):
        return out
    for module, genes in modules.groupby("module", sort=False)["gene"]:
        roots: dict[str, list[str]] = {}
        for gene in genes.astype(str):
            match = _ROOT.match(gene)
            if match:
                roots.setdefault(match.group(1).upper(), []).append(gene)
        if not roots:
            continue
        family = max(roots.values(), key=len)
        if len(family) >= 2 and len(family) >= min_share * len(genes):
            out[str(module)] = sorted(family)
    return out

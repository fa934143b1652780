"""Over-representation analysis: hypergeometric test with Benjamini–Hochberg FDR.

:func:`run_ora` tests one gene list; :func:`run_module_enrichment` tests many
lists (modules) against many collections at once, adjusted together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from scipy.sparse import csr_matrix

__all__ = ["MODULE_ENRICHMENT_COLUMNS", "Membership", "ModuleEnrichment", "run_module_enrichment", "run_ora"]

ORA_COLUMNS = ["term", "overlap", "set_size", "n_query", "n_background", "p", "fdr", "genes"]


def run_ora(
    genes: Iterable[str],
    gene_sets: Mapping[str, Iterable[str]],
    *,
    background: Iterable[str],
    min_size: int = 5,
    max_size: int = 500,
) -> pd.DataFrame:
    """Test each gene set for over-representation among ``genes``.

    For a set with ``K`` members in the background of ``N`` genes, a query of
    ``n`` genes of which ``k`` are members gets the one-sided hypergeometric
    p-value ``P(X >= k)``. P-values are adjusted over all tested sets with
    Benjamini–Hochberg (:func:`statsmodels.stats.multitest.multipletests`).

    Parameters
    ----------
    genes
        The query (e.g. a module). Genes outside ``background`` are ignored.
    gene_sets
        ``{name: genes}``, e.g. from :func:`read_gmt`.
    background
        All genes that could have been selected — the genes tested, not the
        genome. Sets are restricted to it before sizes are counted.
    min_size, max_size
        Sets with fewer or more members in the background are not tested.

    Returns
    -------
    One row per tested set with at least one query gene, sorted by p:
    ``term, overlap, set_size, n_query, n_background, p, fdr, genes``
    (``genes`` the overlapping genes, comma-separated). The FDR is computed
    over every tested set, including those without overlap (their p is 1).

    Raises
    ------
    InputError
        Empty background or no query gene in the background.

    Examples
    --------
    >>> import omicsdl as od
    >>> sets = {"a": ["G1", "G2", "G3"], "b": ["G4", "G5"]}
    >>> res = od.enrich.run_ora(["G1", "G2"], sets, background=[f"G{i}" for i in range(1, 11)], min_size=2)
    >>> res["term"].tolist()
    ['a']
    """
    from scipy.stats import hypergeom
    from statsmodels.stats.multitest import multipletests

    universe = set(background)
    if not universe:
        msg = "the enrichment background is empty"
        raise InputError(msg, fix="pass the genes that were tested")
    query = set(genes) & universe
    if not query:
        msg = "none of the query genes is in the background"
        raise InputError(
            msg,
            fix="use the genes tested (e.g. the expression/network genes) as background",
        )
    n_bg, n_q = len(universe), len(query)
    names, sizes, overlaps, members = [], [], [], []
    for name, set_genes in gene_sets.items():
        in_bg = universe.intersection(set_genes)
        if not min_size <= len(in_bg) <= max_size:
            continue
        hit = sorted(in_bg & query)
        names.append(name)
        sizes.append(len(in_bg))
        overlaps.append(len(hit))
        members.append(",".join(hit))
    if not names:
        return pd.DataFrame(columns=ORA_COLUMNS)
    k = np.asarray(overlaps)
    big_k = np.asarray(sizes)
    p = hypergeom.sf(k - 1, n_bg, big_k, n_q)
    p = np.clip(p, 0.0, 1.0)
    fdr = multipletests(p, method="fdr_bh")[1]
    table = pd.DataFrame(
        {
            "term": names,
            "overlap": k,
            "set_size": big_k,
            "n_query": n_q,
            "n_background": n_bg,
            "p": p,
            "fdr": fdr,
            "genes": members,
        }
    )
    table = table[table["overlap"] > 0].sort_values(["p", "term"], kind="mergesort")
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class Membership:
    """Gene sets of several collections restricted to a background, as a genes × sets matrix.

    Parameters
    ----------
    genes
        The background genes (rows), sorted.
    terms
        ``(collection, set name)`` of each column.
    matrix
        Sparse 0/1 ``genes × sets`` membership.
    sizes
        Members of each set within the background.
    """

    genes: list[str]
    terms: list[tuple[str, str]]
    matrix: csr_matrix
    sizes: np.ndarray

    @classmethod
    def build(
        cls,
        collections: Mapping[str, Mapping[str, Iterable[str]]],
        *,
        background: Iterable[str],
        min_size: int,
        max_size: int,
    ) -> Membership:
        """Sets with ``min_size``–``max_size`` members in ``background``, every collection together."""
        from scipy.sparse import csr_matrix

        genes = sorted(set(background))
        index = {g: i for i, g in enumerate(genes)}
        rows, cols, terms = [], [], []
        for collection, sets in collections.items():
            for name, members in sets.items():
                hit = sorted({index[g] for g in members if g in index})
                if min_size <= len(hit) <= max_size:
                    rows.extend(hit)
                    cols.extend([len(terms)] * len(hit))
                    terms.append((collection, name))
        matrix = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(genes), len(terms))
        )
        return cls(genes, terms, matrix, np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64))

    def indicator(self, queries: list[list[str]]) -> csr_matrix:
        """``queries × genes`` 0/1 matrix of gene lists (genes outside the background ignored)."""
        from scipy.sparse import csr_matrix

        index = {g: i for i, g in enumerate(self.genes)}
        rows, cols = [], []
        for q, genes in enumerate(queries):
            hit = sorted({index[g] for g in genes if g in index})
            rows.extend([q] * len(hit))
            cols.extend(hit)
        return csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(queries), len(self.genes))
        )

    def p_values(self, queries: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """``(overlaps, p)``: ``queries × sets`` overlap counts and one-sided hypergeometric p-values."""
        from scipy.stats import hypergeom

        overlaps = np.asarray((queries @ self.matrix).toarray(), dtype=np.int64)
        n_query = np.asarray(queries.sum(axis=1)).ravel().astype(np.int64)[:, None]
        p = hypergeom.sf(overlaps - 1, len(self.genes), self.sizes[None, :], n_query)
        return overlaps, np.clip(p, 0.0, 1.0)


@dataclass(frozen=True)
class ModuleEnrichment:
    """Enrichment of several modules in several collections, adjusted together.

    Parameters
    ----------
    table
        One row per (module, set) with at least one module gene:
        ``module, collection, term, overlap, set_size, n_query, n_background, p, fdr, genes``,
        significant rows first (by FDR, then p).
    n_tests
        Tests adjusted together (modules × sets tested, zero overlaps included).
    n_sets
        Sets tested per module.
    """

    table: pd.DataFrame
    n_tests: int
    n_sets: int

    def n_significant(self, alpha: float = 0.05) -> int:
        """Rows with FDR below ``alpha``."""
        return int((self.table["fdr"] < alpha).sum()) if len(self.table) else 0


MODULE_ENRICHMENT_COLUMNS = ["module", "collection", *ORA_COLUMNS]


def run_module_enrichment(
    modules: Mapping[str, Iterable[str]],
    collections: Mapping[str, Mapping[str, Iterable[str]]],
    *,
    background: Iterable[str],
    min_size: int = 3,
    max_size: int = 500,
) -> ModuleEnrichment:
    """Hypergeometric test of every module against every set of every collection, BH-adjusted together.

    Each (module, set) pair is one test: a module of ``n`` genes with ``k`` in a
    set of ``K`` background genes (background of ``N``) gets ``P(X >= k)``. The
    Benjamini–Hochberg FDR runs over **all** modules × sets at once (zero
    overlaps count as tests with p = 1), so testing more modules or
    collections cannot make a term look better.

    Parameters
    ----------
    modules
        ``{module: genes}``.
    collections
        ``{collection: {set: genes}}``.
    background
        The genes that could have been in a module (the genes tested).
    min_size, max_size
        Sets with fewer or more members in the background are not tested.

    Returns
    -------
    :class:`ModuleEnrichment`.

    Examples
    --------
    >>> import omicsdl as od
    >>> sets = {"go": {"a": ["G1", "G2", "G3"], "b": ["G4", "G5", "G6"]}}
    >>> res = od.enrich.run_module_enrichment(
    ...     {"M1": ["G1", "G2", "G3"]}, sets, background=[f"G{i}" for i in range(1, 21)]
    ... )
    >>> res.n_tests, res.table["term"].tolist()
    (2, ['a'])
    """
    from statsmodels.stats.multitest import multipletests

    universe = set(background)
    if not universe:
        msg = "the enrichment background is empty"
        raise InputError(msg, fix="pass the genes that were tested")
    member = Membership.build(collections, background=universe, min_size=min_size, max_size=max_size)
    names = list(modules)
    lists = [list(modules[m]) for m in names]
    if not names or not member.terms:
        return ModuleEnrichment(pd.DataFrame(columns=MODULE_ENRICHMENT_COLUMNS), 0, len(member.terms))
    queries = member.indicator(lists)
    overlaps, p = member.p_values(queries)
    fdr = multipletests(p.ravel(), method="fdr_bh")[1].reshape(p.shape)
    n_query = np.asarray(queries.sum(axis=1)).ravel().astype(int)
    rows = []
    dense = member.matrix.tocsc()
    for i, j in zip(*np.nonzero(overlaps), strict=True):
        set_genes = {member.genes[g] for g in dense[:, j].indices}
        rows.append(
            {
                "module": names[i],
                "collection": member.terms[j][0],
                "term": member.terms[j][1],
                "overlap": int(overlaps[i, j]),
                "set_size": int(member.sizes[j]),
                "n_query": int(n_query[i]),
                "n_background": len(member.genes),
                "p": float(p[i, j]),
                "fdr": float(fdr[i, j]),
                "genes": ",".join(sorted(set_genes.intersection(lists[i]))),
            }
        )
    table = pd.DataFrame(rows, columns=MODULE_ENRICHMENT_COLUMNS)
    if len(table):
        table = table.sort_values(["fdr", "p", "module", "term"], kind="mergesort").reset_index(drop=True)
    return ModuleEnrichment(table, int(p.size), len(member.terms))

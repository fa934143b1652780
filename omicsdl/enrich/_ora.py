"""Over-representation analysis: hypergeometric test with Benjamini–Hochberg FDR."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["run_ora"]

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

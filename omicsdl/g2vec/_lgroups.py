"""L-groups and gene scores of G2Vec: which genes the vectors tie to the good or the poor group.

Two rules, one per :class:`~omicsdl.g2vec.G2Vec` variant:

``reference`` (the authors' ``find_lgroups``)
    K-means (k = 3) on the vectors of **all** genes; the largest cluster is the
    rest; each gene is called good (poor) when more good (poor) gene-paths
    contain it, and of the other two clusters the one with more good-called
    minus poor-called genes is the good L-group. (The published code compares
    a Python list with 0 at this step, so both counts are always 0 and the
    good/poor names follow the cluster numbers; the selected genes are the same
    either way. omicsdl implements the evident intent.)
``omicsdl``
    K-means on the genes that occur in a path; the cluster with the smallest
    mean vector length is the rest; the good L-group is the cluster whose genes
    have the smaller mean share of poor paths, each group's counts divided by
    its number of paths (so a group with more paths does not claim every gene).

Gene score inside an L-group: half the min-max scaled vector length plus half
the min-max scaled |t| (poor against good), the t statistic pooled (authors) or
Welch's.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["L_GROUPS", "abs_t", "assign_l_groups", "gene_scores"]

#: categories of ``G2Vec.scores_["l_group"]``
L_GROUPS = ["good", "poor", "rest"]

LGroupRule = Literal["reference", "omicsdl"]


def abs_t(x: np.ndarray, y: np.ndarray, *, pooled: bool = True) -> np.ndarray:
    """|t| of each column of ``x``, poor (``y == 1``) against good patients; 0 where undefined.

    Parameters
    ----------
    x
        Patients × genes.
    y
        0 = good, 1 = poor.
    pooled
        Student's t with pooled variance (authors); ``False``: Welch's t.
    """
    import warnings

    from scipy.stats import ttest_ind

    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant genes: t undefined, reported as 0
        t = ttest_ind(x[y == 1], x[y == 0], equal_var=pooled).statistic
    return np.nan_to_num(np.abs(np.asarray(t, dtype=np.float64)), nan=0.0, posinf=0.0, neginf=0.0)


def _minmax(v: np.ndarray) -> np.ndarray:
    span = float(v.max() - v.min()) if v.size else 0.0
    return (v - v.min()) / span if span > 0 else np.zeros_like(v)


def assign_l_groups(vectors: np.ndarray, counts: np.ndarray, *, rule: LGroupRule, seed: int) -> np.ndarray:
    """The L-group (``good``/``poor``/``rest``) of every gene.

    Parameters
    ----------
    vectors
        ``genes × dim`` gene vectors.
    counts
        ``genes × 2``: good and poor gene-paths containing each gene.
    rule
        ``"reference"`` or ``"omicsdl"`` (module docstring).
    seed
        Seed of the K-means (10 starts).

    Returns
    -------
    Object array of ``"good"``, ``"poor"``, ``"rest"``.
    """
    from sklearn.cluster import KMeans

    n = vectors.shape[0]
    out = np.full(n, "rest", dtype=object)
    seen = counts.sum(axis=1) > 0
    member = np.ones(n, dtype=bool) if rule == "reference" else seen
    if member.sum() < 3:
        return out
    data = np.asarray(vectors[member], dtype=np.float64)
    if np.unique(data, axis=0).shape[0] < 3:
        return out  # fewer than three distinct vectors: no three clusters
    cluster = KMeans(n_clusters=3, n_init=10, random_state=seed).fit_predict(data)
    if rule == "reference":
        sizes = np.bincount(cluster, minlength=3)
        rest = int(np.argmax(sizes))  # first largest, as the authors' strict comparison
        call = np.sign(counts[member, 0] - counts[member, 1])  # +1 good, -1 poor, 0 tie/absent
        others = [c for c in range(3) if c != rest]
        diff = [int((call[cluster == c] > 0).sum() - (call[cluster == c] < 0).sum()) for c in others]
        good, poor = (others[0], others[1]) if diff[0] > diff[1] else (others[1], others[0])
    else:
        norm = np.linalg.norm(data, axis=1)
        per_group = counts[member] / np.maximum(counts[member].sum(axis=0, keepdims=True), 1)
        with np.errstate(invalid="ignore"):
            poor_share = per_group[:, 1] / (per_group[:, 0] + per_group[:, 1])
        rest = int(np.argmin([norm[cluster == c].mean() for c in range(3)]))
        others = [c for c in range(3) if c != rest]
        share = [np.nanmean(poor_share[cluster == c]) for c in others]
        poor, good = (others[0], others[1]) if share[0] > share[1] else (others[1], others[0])
    names = {rest: "rest", good: "good", poor: "poor"}
    out[member] = [names[int(c)] for c in cluster]
    return out


def gene_scores(l_group: np.ndarray, norm: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Half min-max vector length plus half min-max |t| within each of the good and poor L-groups (rest: 0)."""
    score = np.zeros(norm.shape[0])
    for name in ("good", "poor"):
        m = l_group == name
        if m.any():
            score[m] = 0.5 * _minmax(norm[m]) + 0.5 * _minmax(t[m])
    return score

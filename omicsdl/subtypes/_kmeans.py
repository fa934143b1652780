"""K-means clustering with the number of clusters chosen by silhouette and Calinski-Harabasz."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, derive_seed

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["KSelection", "select_k"]


@dataclass(frozen=True, slots=True)
class KSelection:
    """Result of :func:`select_k`.

    Attributes
    ----------
    k
        The chosen number of clusters.
    table
        One row per candidate ``k``: ``silhouette``, ``calinski_harabasz``,
        ``min_cluster_size``, ``chosen``.
    labels
        Cluster of each patient at the chosen ``k`` (0 … k-1).
    centers
        K-means centres at the chosen ``k`` (k × features).
    criterion
        Which score chose ``k``.
    """

    k: int
    table: pd.DataFrame
    labels: np.ndarray
    centers: np.ndarray
    criterion: str


def select_k(
    X: np.ndarray,
    *,
    k_values: Sequence[int] | int = (2, 3, 4, 5),
    criterion: str = "silhouette",
    min_cluster_size: int = 5,
    n_init: int = 10,
    rng: RNGLike = None,
) -> KSelection:
    """Cluster with K-means for each candidate ``k``; keep the best by ``criterion``.

    Both scores are computed and reported for every ``k`` (Chaudhary et al. 2018
    used both; k = 2 won there). Candidates whose smallest cluster has fewer
    than ``min_cluster_size`` patients are not chosen.

    Parameters
    ----------
    X
        Patients × features (e.g. the survival-associated bottleneck features).
    k_values
        Candidate numbers of clusters (or one fixed ``k``).
    criterion
        ``"silhouette"`` (default) or ``"calinski_harabasz"``.
    min_cluster_size
        Smallest acceptable cluster.
    n_init
        K-means restarts.
    rng
        Seed or generator.

    Raises
    ------
    InputError
        If a ``k`` is below 2 or the patients cannot form ``k`` clusters of
        ``min_cluster_size``.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import calinski_harabasz_score, silhouette_score

    if criterion not in ("silhouette", "calinski_harabasz"):
        msg = f"criterion must be 'silhouette' or 'calinski_harabasz', got {criterion!r}"
        raise ValueError(msg)
    X = np.asarray(X, dtype=float)
    ks = [int(k_values)] if np.isscalar(k_values) else sorted({int(k) for k in k_values})
    n = X.shape[0]
    if not ks or min(ks) < 2:
        msg_0 = f"k must be at least 2, got {ks}"
        raise InputError(msg_0, fix="pass k_values such as (2, 3, 4, 5)")
    if max(ks) * min_cluster_size > n:
        msg_0 = (
            f"k = {max(ks)} clusters of at least {min_cluster_size} patients need "
            f"{max(ks) * min_cluster_size} "
            f"patients; there are {n}"
        )
        raise InputError(
            msg_0,
            fix=f"use k <= {max(1, n // min_cluster_size)} or lower min_cluster_size",
        )
    seed = derive_seed(rng)
    rows, fits = [], {}
    for k in ks:
        km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(X)
        labels = km.labels_
        distinct = len(np.unique(labels))
        sizes = np.bincount(labels, minlength=k)
        ok = distinct == k
        rows.append(
            {
                "k": k,
                "silhouette": float(silhouette_score(X, labels)) if ok else np.nan,
                "calinski_harabasz": float(calinski_harabasz_score(X, labels)) if ok else np.nan,
                "min_cluster_size": int(sizes.min()),
            }
        )
        fits[k] = km
    table = pd.DataFrame(rows).set_index("k")
    eligible = table[(table["min_cluster_size"] >= min_cluster_size) & table[criterion].notna()]
    if eligible.empty:
        msg_0 = f"no candidate k in {ks} gives clusters of at least {min_cluster_size} patients"
        raise InputError(
            msg_0,
            fix="lower k or min_cluster_size; the data may not support separate groups",
        )
    k_best = int(eligible[criterion].idxmax())
    table["chosen"] = table.index == k_best
    km = fits[k_best]
    return KSelection(
        k=k_best, table=table, labels=km.labels_.astype(int), centers=km.cluster_centers_, criterion=criterion
    )

"""K-means with k chosen by silhouette; both scores reported; impossible k refused."""

from __future__ import annotations

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl.subtypes import select_k


def _blobs(k: int, n: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)  # synthetic, well separated clusters
    centres = rng.normal(scale=10, size=(k, 4))
    return np.concatenate([c + rng.normal(size=(n, 4)) for c in centres])


def test_recovers_three_synthetic_clusters():
    sel = select_k(_blobs(3), k_values=(2, 3, 4, 5), rng=0)
    assert sel.k == 3
    assert set(sel.table.columns) >= {"silhouette", "calinski_harabasz", "min_cluster_size", "chosen"}
    assert sel.table["chosen"].sum() == 1
    assert np.bincount(sel.labels).tolist() == [40, 40, 40]
    assert sel.centers.shape == (3, 4)
    ch = select_k(_blobs(3), k_values=(2, 3, 4), criterion="calinski_harabasz", rng=0)
    assert ch.k == 3


def test_same_seed_same_labels():
    X = _blobs(2, seed=4) + np.random.default_rng(5).normal(scale=5, size=(80, 4))
    a = select_k(X, rng=1)
    b = select_k(X, rng=1)
    assert np.array_equal(a.labels, b.labels)


def test_k_larger_than_groups_allow():
    with pytest.raises(InputError, match="k = 5 clusters of at least 10 patients need 50"):
        select_k(_blobs(2, n=10), k_values=(2, 5), min_cluster_size=10)
    with pytest.raises(InputError, match="at least 2"):
        select_k(_blobs(2), k_values=(1, 2))

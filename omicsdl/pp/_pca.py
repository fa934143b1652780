"""Exact, deterministic PCA for wide matrices (few patients, many features), from the patients' Gram matrix.

With ``n`` patients and ``p ≫ n`` features, the principal axes lie in the span
of the centred patients: the eigen-decomposition of the ``n × n`` Gram matrix
``Xc Xcᵀ`` gives them exactly (the same axes as a full SVD of ``Xc``) at a
cost of ``n² p`` instead of ``n p²`` — milliseconds for a cross-validation fold
of a few hundred patients, even at 80,000 features. Signs are fixed so that
each component's largest absolute loading is positive; nothing is random.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["fit_pca"]


def fit_pca(X: ArrayLike, n_components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal axes of ``X`` (patients × features): ``(components, mean, explained_variance)``.

    Parameters
    ----------
    X
        Training matrix, no missing values.
    n_components
        Axes kept (at most ``min(n_patients - 1, n_features)``).

    Returns
    -------
    ``components`` (n_components × features, orthonormal rows), the feature means,
    and the variance each component explains.

    Examples
    --------
    >>> import numpy as np
    >>> import omicsdl as od
    >>> X = np.random.default_rng(0).normal(size=(30, 200))  # SYNTHETIC
    >>> comps, mean, var = od.pp.fit_pca(X, 5)
    >>> comps.shape, bool(np.allclose(comps @ comps.T, np.eye(5))), bool(np.all(np.diff(var) <= 0))
    ((5, 200), True, True)
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        msg = "PCA needs a finite patients × features matrix"
        raise InputError(msg, fix="impute missing values first (omicsdl.pp.Preprocessor)")
    n, p = X.shape
    k = int(min(n_components, n - 1, p))
    if k < 1:
        msg = f"PCA of {n} patients × {p} features has no component"
        raise InputError(msg)
    mean = X.mean(axis=0)
    Xc = X - mean
    if p <= n:
        vals, vecs = np.linalg.eigh(Xc.T @ Xc)
        order = np.argsort(-vals, kind="stable")[:k]
        comps = vecs[:, order].T
        var = vals[order] / (n - 1)
    else:
        vals, vecs = np.linalg.eigh(Xc @ Xc.T)
        order = np.argsort(-vals, kind="stable")[:k]
        vals, vecs = np.clip(vals[order], 0, None), vecs[:, order]
        comps = (Xc.T @ vecs / np.sqrt(np.where(vals > 0, vals, 1.0))).T
        var = vals / (n - 1)
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    comps *= np.where(signs == 0, 1.0, signs)[:, None]
    return comps, mean, var

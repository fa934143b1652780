"""Stratified bootstrap percentile interval of the ROC AUC."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator
from omicsdl.metrics._delong import _check

__all__ = ["bootstrap_auc_ci"]

_CHUNK = 256  # resamples ranked at a time (bounds memory at _CHUNK × n samples)


def bootstrap_auc_ci(
    y: np.ndarray,
    score: np.ndarray,
    *,
    n_boot: int = 2000,
    rng: RNGLike = None,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the ROC AUC, resampling within each class.

    Each resample draws the positives with replacement from the positives and
    the controls from the controls (a stratified bootstrap, as pROC does by
    default for a case-control design), so every resample keeps both classes and
    the observed class sizes. The AUC of a resample is the Mann–Whitney
    statistic (ties count one half).

    Parameters
    ----------
    y
        0/1 labels (1 = positive).
    score
        Higher means more likely positive.
    n_boot
        Bootstrap resamples (>= 100; 2000 gives stable 95 % limits).
    rng
        Seed or generator of the resampling (``None``: ``settings.seed``).
    level
        Confidence level.

    Returns
    -------
    ``(ci_low, ci_high)``: the ``(1 - level) / 2`` and ``(1 + level) / 2``
    quantiles of the resampled AUCs.

    Raises
    ------
    InputError
        Only one class, labels other than 0/1, non-finite scores, ``n_boot < 100``
        or ``level`` outside (0, 1).

    References
    ----------
    Efron B, Tibshirani RJ (1993). An Introduction to the Bootstrap, ch. 13 (percentile intervals).
    Robin X et al. (2011). pROC. BMC Bioinformatics 12:77. doi:10.1186/1471-2105-12-77

    Examples
    --------
    >>> import numpy as np, omicsdl as od
    >>> y = np.r_[np.ones(8), np.zeros(9)].astype(int)
    >>> p = np.r_[np.linspace(0.4, 0.9, 8), np.linspace(0.1, 0.6, 9)]
    >>> low, high = od.metrics.bootstrap_auc_ci(y, p, n_boot=500, rng=0)
    >>> bool(low < od.metrics.auc_delong(y, p)[0] <= high)
    True
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 100:
        msg = f"n_boot must be a whole number >= 100, got {n_boot!r}"
        raise InputError(msg, item="n_boot")
    if not 0.0 < level < 1.0:
        msg = f"level must lie in (0, 1), got {level}"
        raise InputError(msg, item="level")
    yb, scores = _check(y, score)
    pos, neg = scores[0, yb], scores[0, ~yb]
    m, n = pos.size, neg.size
    gen = as_generator(rng)
    aucs = np.empty(int(n_boot))
    for start in range(0, int(n_boot), _CHUNK):
        size = min(_CHUNK, int(n_boot) - start)
        sample = np.concatenate(
            [pos[gen.integers(0, m, size=(size, m))], neg[gen.integers(0, n, size=(size, n))]], axis=1
        )
        rank_sum = rankdata(sample, axis=1)[:, :m].sum(axis=1)
        aucs[start : start + size] = (rank_sum - m * (m + 1) / 2.0) / (m * n)
    low, high = np.quantile(aucs, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(low), float(high)

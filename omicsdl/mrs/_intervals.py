"""Confidence intervals of the cCNN's metrics (exact binomial, bootstrap AUC) and Holm adjustment.

Private stand-ins, with the same signatures, for ``omicsdl.metrics.clopper_pearson`` and
``omicsdl.metrics.bootstrap_auc_ci`` (being added in parallel); swap the imports when
those land.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._random import RNGLike, as_generator

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["bootstrap_auc_ci", "clopper_pearson", "holm_adjust"]


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) confidence interval of a proportion ``k / n``.

    Parameters
    ----------
    k
        Successes.
    n
        Trials (positive).
    level
        Confidence level.

    Returns
    -------
    ``(low, high)``.

    Examples
    --------
    >>> lo, hi = clopper_pearson(7, 7)
    >>> round(lo, 3), hi
    (0.59, 1.0)
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 <= k <= n or n < 1:
        msg = f"need 0 <= k <= n and n >= 1, got k={k}, n={n}"
        raise ValueError(msg)
    lo, hi = proportion_confint(int(k), int(n), alpha=1 - level, method="beta")
    return float(lo), float(hi)


def bootstrap_auc_ci(
    y: np.ndarray, score: np.ndarray, *, n_boot: int, rng: RNGLike, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the ROC AUC, resampling within each class.

    Resampling positives and negatives separately keeps both classes in every
    replicate (a 17-patient cohort would otherwise sometimes lose its 7 positives).

    Parameters
    ----------
    y
        True labels, 1 = positive.
    score
        Scores, higher = more likely positive.
    n_boot
        Bootstrap replicates.
    rng
        Seed or generator of the resampling.
    level
        Confidence level.

    Returns
    -------
    ``(low, high)``.
    """
    y = np.asarray(y).astype(bool)
    score = np.asarray(score, float)
    pos, neg = score[y], score[~y]
    if pos.size == 0 or neg.size == 0:
        msg = "the AUC needs at least one positive and one negative"
        raise ValueError(msg)
    gen = as_generator(rng)
    p = pos[gen.integers(0, pos.size, (int(n_boot), pos.size))]
    q = neg[gen.integers(0, neg.size, (int(n_boot), neg.size))]
    # AUC = P(score_pos > score_neg) + 0.5 P(tie), per replicate
    diff = p[:, :, None] - q[:, None, :]
    auc = ((diff > 0) + 0.5 * (diff == 0)).mean((1, 2))
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(auc, [tail, 100 - tail])
    return float(lo), float(hi)


def holm_adjust(p_values: Mapping[str, float]) -> dict[str, float]:
    """Holm-adjusted p-values (family-wise error control), same keys as ``p_values``.

    The step-down of Holm (1979): the ``i``-th smallest of ``m`` p-values is multiplied by
    ``m - i + 1``, then made non-decreasing and capped at 1. Written out here because
    ``statsmodels.stats.multitest.multipletests`` (same values, checked in the tests) runs a
    full garbage collection on every call, 0.1 s in a process holding torch.
    """
    keys = list(p_values)
    p = np.array([float(p_values[k]) for k in keys])
    order = np.argsort(p, kind="stable")
    steps = np.minimum(np.maximum.accumulate(p[order] * (p.size - np.arange(p.size))), 1.0)
    adjusted = np.empty_like(p)
    adjusted[order] = steps
    return {k: float(a) for k, a in zip(keys, adjusted, strict=True)}

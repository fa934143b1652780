"""Paired comparison of two models evaluated on the same cross-validation folds.

Fold scores of repeated K-fold cross-validation are not independent (training
sets overlap), so a plain t interval over fold differences is too narrow.
:func:`paired_cv_difference` uses the corrected resampled t interval of
Nadeau & Bengio (Machine Learning 52:239, 2003), as recommended for repeated
cross-validation by Bouckaert & Frank (PAKDD 2004): the variance of the mean
difference is inflated from ``s² / J`` to ``(1 / J + n_test / n_train) · s²``
over the ``J`` folds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["PairedDifference", "paired_cv_difference"]


@dataclass(frozen=True, slots=True)
class PairedDifference:
    """Mean paired difference over folds with its corrected confidence interval.

    Attributes
    ----------
    mean
        Mean over folds of (model − reference).
    ci_low, ci_high
        The corrected resampled t interval.
    level
        Confidence level of the interval.
    n_folds
        Folds (over all repeats) the difference was averaged over.
    """

    mean: float
    ci_low: float
    ci_high: float
    level: float
    n_folds: int


def paired_cv_difference(
    differences: ArrayLike, *, n_train: float, n_test: float, level: float = 0.95
) -> PairedDifference:
    """Corrected resampled t interval of the mean of per-fold differences.

    Parameters
    ----------
    differences
        Per fold (all repeats): score of the model minus score of the reference, same folds.
    n_train, n_test
        Mean training and held-out patients per fold.
    level
        Confidence level.

    Raises
    ------
    InputError
        Fewer than two finite differences.

    Examples
    --------
    >>> import omicsdl as od
    >>> d = od.survival.paired_cv_difference([0.02, 0.03, 0.01, 0.04, 0.02], n_train=288, n_test=72)
    >>> round(d.mean, 3), d.ci_low < d.mean < d.ci_high, d.n_folds
    (0.024, True, 5)
    """
    from scipy.stats import t as student_t

    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    if d.size < 2:
        msg = f"a paired interval needs at least two folds with a score, got {d.size}"
        raise InputError(msg)
    mean = float(d.mean())
    var = float(d.var(ddof=1)) * (1.0 / d.size + float(n_test) / float(n_train))
    half = float(student_t.ppf(0.5 + level / 2, df=d.size - 1) * np.sqrt(var))
    return PairedDifference(
        mean=mean, ci_low=mean - half, ci_high=mean + half, level=level, n_folds=int(d.size)
    )

"""Mean and paired difference of a score over repeated train/test splits, with a corrected t interval.

Repeated random splits of one cohort share most of their training patients, so
their scores are correlated and the plain t interval over repeats is too
narrow. Nadeau & Bengio (2003, Machine Learning 52:239, doi:10.1023/A:1024068626366)
inflate the variance of the mean of ``J`` repeats from ``s² / J`` to
``(1 / J + n_test / n_train) s²``; the interval uses Student's t with ``J - 1``
degrees of freedom. Without ``n_test``/``n_train`` the plain interval is given
(for independent repeats).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["ScoreInterval", "paired_difference", "score_interval"]


@dataclass(frozen=True, slots=True)
class ScoreInterval:
    """A mean over repeats with its confidence interval.

    Parameters
    ----------
    mean
        Mean over the repeats (of a score, or of paired differences).
    ci_low, ci_high
        The interval (``nan`` with fewer than two repeats).
    n
        Repeats used (non-missing values).
    confidence
        Coverage of the interval.
    corrected
        Whether the Nadeau–Bengio correction was applied.
    """

    mean: float
    ci_low: float
    ci_high: float
    n: int
    confidence: float
    corrected: bool

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict."""
        return asdict(self)


def score_interval(
    values: ArrayLike,
    *,
    n_train: float | None = None,
    n_test: float | None = None,
    confidence: float = 0.95,
) -> ScoreInterval:
    """Mean of ``values`` (one per repeat) with a t interval, corrected for overlapping training sets.

    Parameters
    ----------
    values
        One score per repeat; NaN entries are left out.
    n_train, n_test
        Patients used to train and to test in each repeat; give both for the
        Nadeau–Bengio correction.
    confidence
        Coverage of the interval.

    Returns
    -------
    The mean and its interval.

    Examples
    --------
    >>> r = score_interval([0.70, 0.74, 0.66, 0.72])
    >>> round(r.mean, 2), r.ci_low < r.mean < r.ci_high
    (0.7, True)
    """
    from scipy.stats import t as student_t

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = int(v.shape[0])
    corrected = n_train is not None and n_test is not None
    if n == 0:
        return ScoreInterval(float("nan"), float("nan"), float("nan"), 0, confidence, corrected)
    mean = float(v.mean())
    if n < 2:
        return ScoreInterval(mean, float("nan"), float("nan"), n, confidence, corrected)
    factor = 1.0 / n + (float(n_test) / float(n_train) if corrected else 0.0)
    half = float(student_t.ppf(0.5 + confidence / 2, n - 1) * np.sqrt(factor * v.var(ddof=1)))
    return ScoreInterval(mean, mean - half, mean + half, n, confidence, corrected)


def paired_difference(
    a: ArrayLike,
    b: ArrayLike,
    *,
    n_train: float | None = None,
    n_test: float | None = None,
    confidence: float = 0.95,
) -> ScoreInterval:
    """Mean of ``a - b`` over repeats scored on the same test patients, with its (corrected) interval.

    Parameters
    ----------
    a, b
        The two methods' scores, one per repeat, paired by position; pairs
        with a NaN are left out.
    n_train, n_test, confidence
        As in :func:`score_interval`.

    Returns
    -------
    The mean difference ``a - b`` and its interval.

    Examples
    --------
    >>> d = paired_difference([0.70, 0.74, 0.66], [0.65, 0.70, 0.60])
    >>> round(d.mean, 3)
    0.05
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        msg = f"paired scores must have the same length, got {x.shape} and {y.shape}"
        raise ValueError(msg)
    return score_interval(x - y, n_train=n_train, n_test=n_test, confidence=confidence)

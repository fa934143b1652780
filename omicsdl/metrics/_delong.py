"""ROC AUC with DeLong confidence intervals, and DeLong's paired test of two AUCs.

The AUC variance follows DeLong, DeLong & Clarke-Pearson (1988, Biometrics
44:837) in the fast mid-rank form of Sun & Xu (2014, IEEE Signal Process. Lett.
21:1389): with placement values ``V10_i`` (share of controls scored below
positive ``i``, ties counting one half) and ``V01_j`` (share of positives scored
above control ``j``), ``Var(AUC) = s10^2 / m + s01^2 / n`` for ``m`` positives
and ``n`` controls. The 95 % interval is ``AUC ± 1.96 sqrt(Var)``, clipped to [0, 1].

For two scores of the *same* samples the placement values of both scores give
the covariance matrices ``S10`` and ``S01`` (2 × 2) and
``Var(AUC_a - AUC_b) = c' S10 c / m + c' S01 c / n`` with ``c = (1, -1)``; the
difference divided by its standard error is referred to the standard normal
(DeLong et al. 1988, section 3). The test treats the two scoring rules as
fixed: it is exact in the limit for models scored on samples they were not
fitted on, and says nothing about how much the models would change with
another training set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import norm, rankdata

from omicsdl._core._errors import InputError

__all__ = ["PairedAUCTest", "auc_delong", "delong_covariance", "delong_paired_test"]


def _check(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(labels as bool, scores as k × N float)``; an InputError for anything DeLong cannot use."""
    y = np.asarray(y)
    if y.ndim != 1:
        msg = f"labels must be one-dimensional, got shape {y.shape}"
        raise InputError(msg)
    if not np.isin(y, (0, 1, False, True)).all():
        msg = "labels must be 0/1 (1 = positive)"
        raise InputError(msg)
    y = y.astype(bool)
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    if scores.shape[1] != y.size:
        msg = f"{scores.shape[1]} scores for {y.size} labels"
        raise InputError(msg)
    m, n = int(y.sum()), int((~y).sum())
    if m == 0 or n == 0:
        msg = f"AUC needs both classes, got {m} positive and {n} negative samples"
        raise InputError(msg)
    if not np.isfinite(scores).all():
        msg = "scores contain NaN or infinite values"
        raise InputError(msg)
    return y, scores


def _placements(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(aucs, V10, V01)`` for ``k`` scores of the same samples (Sun & Xu mid-ranks).

    ``V10`` is ``k × m`` (one row per score, one column per positive), ``V01`` is ``k × n``.
    """
    pos, neg = scores[:, y], scores[:, ~y]
    m, n = pos.shape[1], neg.shape[1]
    all_ranks = rankdata(np.concatenate([pos, neg], axis=1), axis=1)
    v10 = (all_ranks[:, :m] - rankdata(pos, axis=1)) / n
    v01 = 1.0 - (all_ranks[:, m:] - rankdata(neg, axis=1)) / m
    return v10.mean(axis=1), v10, v01


def delong_covariance(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The AUCs of ``k`` scores of the same samples and their DeLong covariance matrix.

    Parameters
    ----------
    y
        0/1 labels (1 = positive), length ``N``.
    scores
        ``k × N`` (or one score of length ``N``); higher means more likely positive.

    Returns
    -------
    ``(aucs, covariance)``: shape ``(k,)`` and ``(k, k)``. A class with a single
    sample contributes no variance.

    Raises
    ------
    InputError
        Only one class, labels other than 0/1, non-finite scores, or a score
        length other than ``N``.

    Examples
    --------
    >>> import omicsdl as od
    >>> aucs, cov = od.metrics.delong_covariance([0, 0, 1, 1], [[0.1, 0.4, 0.35, 0.8], [0.2, 0.1, 0.6, 0.7]])
    >>> aucs.tolist(), cov.shape
    ([0.75, 1.0], (2, 2))
    """
    y, scores = _check(y, scores)
    aucs, v10, v01 = _placements(y, scores)
    m, n = v10.shape[1], v01.shape[1]
    k = scores.shape[0]
    s10 = np.cov(v10, ddof=1).reshape(k, k) if m > 1 else np.zeros((k, k))
    s01 = np.cov(v01, ddof=1).reshape(k, k) if n > 1 else np.zeros((k, k))
    return aucs, s10 / m + s01 / n


def auc_delong(y: np.ndarray, score: np.ndarray, *, level: float = 0.95) -> tuple[float, float, float, float]:
    """ROC AUC, its DeLong variance and confidence interval.

    Parameters
    ----------
    y
        0/1 labels (1 = positive).
    score
        Higher means more likely positive.
    level
        Confidence level of the interval.

    Returns
    -------
    ``(auc, variance, ci_low, ci_high)``.

    Raises
    ------
    InputError
        Only one class in ``y``, labels other than 0/1, or non-finite scores.

    Examples
    --------
    >>> import omicsdl as od
    >>> auc, var, lo, hi = od.metrics.auc_delong([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> auc
    0.75
    """
    aucs, cov = delong_covariance(y, score)
    auc, var = float(aucs[0]), float(cov[0, 0])
    return auc, var, *_auc_interval(auc, var, level=level)


def _auc_interval(auc: float, var: float, *, level: float = 0.95) -> tuple[float, float]:
    """Normal-approximation interval ``AUC ± z sqrt(var)`` at ``level``, clipped to [0, 1]."""
    half = float(norm.ppf(0.5 + level / 2)) * float(np.sqrt(var))
    return max(0.0, auc - half), min(1.0, auc + half)


@dataclass(frozen=True, slots=True)
class PairedAUCTest:
    """DeLong's test of two correlated AUCs (two scores of the same samples).

    Parameters
    ----------
    auc_a, auc_b
        The two AUCs.
    difference
        ``auc_a - auc_b``.
    variance
        DeLong variance of the difference.
    ci_low, ci_high
        Normal-approximation interval of the difference at ``level`` (clipped to [-1, 1]).
    z
        ``difference / sqrt(variance)`` (0 when both are 0).
    p_value
        Two-sided p-value of ``auc_a == auc_b``.
    level
        Confidence level of the interval.
    """

    auc_a: float
    auc_b: float
    difference: float
    variance: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    level: float = 0.95

    def to_dict(self) -> dict[str, float]:
        """Plain dict (JSON-ready)."""
        return asdict(self)

    @classmethod
    def from_moments(
        cls, auc_a: float, auc_b: float, variance: float, *, level: float = 0.95
    ) -> PairedAUCTest:
        """The test of ``auc_a - auc_b`` given the variance of the difference (normal reference).

        :func:`delong_paired_test` uses it with the DeLong variance; the blood
        comparison with AUCs and variances averaged over cross-validation repeats.
        A zero variance with a zero difference (identical rankings) gives
        ``z = 0`` and ``p = 1``.

        Parameters
        ----------
        auc_a, auc_b
            The two AUCs.
        variance
            The variance of their difference (negative rounding errors count as 0).
        level
            Confidence level of the interval.
        """
        difference = float(auc_a) - float(auc_b)
        var = max(float(variance), 0.0)
        se = float(np.sqrt(var))
        if se == 0.0:
            z = 0.0 if difference == 0 else float(np.copysign(np.inf, difference))
        else:
            z = difference / se
        half = float(norm.ppf(0.5 + level / 2)) * se
        return cls(
            auc_a=float(auc_a),
            auc_b=float(auc_b),
            difference=difference,
            variance=var,
            ci_low=max(-1.0, difference - half),
            ci_high=min(1.0, difference + half),
            z=z,
            p_value=float(2.0 * norm.sf(abs(z))),
            level=float(level),
        )


def delong_paired_test(
    y: np.ndarray, score_a: np.ndarray, score_b: np.ndarray, *, level: float = 0.95
) -> PairedAUCTest:
    """DeLong's paired test of whether two scores of the same samples have the same ROC AUC.

    Parameters
    ----------
    y
        0/1 labels (1 = positive).
    score_a, score_b
        Two scores of the same samples (higher = more likely positive), e.g. the
        predicted probabilities of two classifiers on one test set.
    level
        Confidence level of the interval of the difference.

    Returns
    -------
    The AUCs, their difference ``auc_a - auc_b`` with its DeLong variance and
    interval, ``z`` and the two-sided p-value.

    Raises
    ------
    InputError
        Only one class, labels other than 0/1, non-finite scores, or scores of
        another length than ``y``.

    Notes
    -----
    Valid for scoring rules fixed before the samples were seen (models fitted
    elsewhere); out-of-fold predictions of cross-validation come from several
    fitted models, and the test then ignores the variation due to the training
    samples.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under two
    or more correlated receiver operating characteristic curves: a nonparametric
    approach. Biometrics 44:837-845. doi:10.2307/2531595

    Examples
    --------
    >>> import numpy as np, omicsdl as od
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.ones(50), np.zeros(50)].astype(int)
    >>> good, weak = y + rng.normal(size=100), 0.3 * y + rng.normal(size=100)
    >>> res = od.metrics.delong_paired_test(y, good, weak)
    >>> res.difference > 0, res.p_value < 0.05
    (True, True)
    """
    a = np.asarray(score_a, dtype=float)
    b = np.asarray(score_b, dtype=float)
    if a.shape != b.shape:
        msg = f"the two scores differ in shape: {a.shape} vs {b.shape}"
        raise InputError(msg)
    aucs, cov = delong_covariance(y, np.vstack([np.ravel(a), np.ravel(b)]))
    var = float(cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1])
    return PairedAUCTest.from_moments(aucs[0], aucs[1], var, level=level)

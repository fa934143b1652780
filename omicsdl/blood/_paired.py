"""DeLong's paired test between every pair of methods, Holm-adjusted (compute only).

On one test set (the validation cohort) the test is DeLong's, directly. For
repeated cross-validation each repeat gives every method out-of-fold
probabilities for all training samples; per repeat the DeLong covariance of
the methods' AUCs is computed, and AUCs and covariances are averaged over
repeats (the repeats re-use the same samples, so the variance is *not* divided
by the number of repeats, as for the AUC intervals). The CV test is
conditional on the fitted fold models: it ignores the variation a new
training set would bring, which a test set of its own does not have to.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from omicsdl.blood._results import PairedTest
from omicsdl.metrics import PairedAUCTest, delong_covariance

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["paired_delong_tests"]


def paired_delong_tests(y: np.ndarray, scores: Mapping[str, np.ndarray]) -> dict[tuple[str, str], PairedTest]:
    """DeLong's paired test for every pair of methods, with Holm-adjusted p-values.

    Parameters
    ----------
    y
        0/1 labels of the ``n`` samples.
    scores
        Method → its probabilities: ``(n,)`` for one test set, or
        ``(n_repeats, n)`` out-of-fold probabilities of repeated CV (every
        method the same number of repeats).

    Returns
    -------
    ``(a, b)`` → the test of ``auc_a - auc_b``, for ``a`` before ``b`` in
    ``scores``' order; Holm's adjustment runs over all these pairs.
    """
    from statsmodels.stats.multitest import multipletests

    methods = list(scores)
    stacked = np.stack([np.atleast_2d(np.asarray(scores[m], dtype=float)) for m in methods], axis=1)
    n_repeats = stacked.shape[0]
    aucs = np.zeros(len(methods))
    cov = np.zeros((len(methods), len(methods)))
    for r in range(n_repeats):
        a_r, c_r = delong_covariance(y, stacked[r])
        aucs += a_r / n_repeats
        cov += c_r / n_repeats
    pairs = list(combinations(range(len(methods)), 2))
    if not pairs:
        return {}
    tests = [
        PairedAUCTest.from_moments(aucs[i], aucs[j], cov[i, i] + cov[j, j] - 2 * cov[i, j]) for i, j in pairs
    ]
    p_holm = multipletests([t.p_value for t in tests], method="holm")[1]
    return {
        (methods[i], methods[j]): PairedTest(
            auc_difference=t.difference, ci_low=t.ci_low, ci_high=t.ci_high, p=t.p_value, p_holm=float(adj)
        )
        for (i, j), t, adj in zip(pairs, tests, p_holm, strict=True)
    }

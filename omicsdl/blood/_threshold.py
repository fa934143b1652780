"""Decision thresholds for a score, chosen on training data only."""

from __future__ import annotations

import numpy as np

from omicsdl._core._errors import InputError

__all__ = ["ThresholdRule", "choose_threshold"]

#: ``"youden"`` maximises sensitivity + specificity − 1; a float in (0, 1] is a
#: target sensitivity (the highest threshold whose sensitivity reaches it).
ThresholdRule = str | float


def choose_threshold(y: np.ndarray, score: np.ndarray, *, rule: ThresholdRule = "youden") -> float:
    """Threshold on ``score`` (predict positive when ``score >= threshold``).

    Parameters
    ----------
    y
        0/1 labels of the *training* samples.
    score
        Scores (e.g. probabilities) of the same samples.
    rule
        ``"youden"`` (Youden's J; ties go to the higher threshold) or a target
        sensitivity in (0, 1].

    Returns
    -------
    The threshold.
    """
    from sklearn.metrics import roc_curve

    y = np.asarray(y).astype(int)
    score = np.asarray(score, dtype=float)
    fpr, tpr, thresholds = roc_curve(y, score, drop_intermediate=False)
    finite = np.isfinite(thresholds)
    fpr, tpr, thresholds = fpr[finite], tpr[finite], thresholds[finite]
    if isinstance(rule, str):
        if rule != "youden":
            msg = f"threshold rule must be 'youden' or a target sensitivity in (0, 1], got {rule!r}"
            raise InputError(msg, item="threshold")
        return float(thresholds[int(np.argmax(tpr - fpr))])
    target = float(rule)
    if not 0.0 < target <= 1.0:
        msg = f"target sensitivity must lie in (0, 1], got {target}"
        raise InputError(msg, item="threshold")
    reach = np.flatnonzero(tpr >= target - 1e-12)
    return float(thresholds[reach[0]])

"""Sensitivity, specificity and the confusion matrix of a score at one threshold."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

__all__ = ["ThresholdMetrics", "threshold_metrics"]


@dataclass(frozen=True, slots=True)
class ThresholdMetrics:
    """Sensitivity, specificity and the confusion matrix at one threshold.

    Parameters
    ----------
    threshold
        Samples with ``score >= threshold`` were called positive.
    sensitivity
        ``tp / (tp + fn)``; ``NaN`` without positive samples.
    specificity
        ``tn / (tn + fp)``; ``NaN`` without negative samples.
    tp, fn, tn, fp
        True positives, false negatives, true negatives, false positives.
    """

    threshold: float
    sensitivity: float
    specificity: float
    tp: int
    fn: int
    tn: int
    fp: int

    def to_dict(self) -> dict[str, float | int]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


def threshold_metrics(y: np.ndarray, score: np.ndarray, threshold: float) -> ThresholdMetrics:
    """Classify ``score >= threshold`` as positive and count against ``y``.

    Parameters
    ----------
    y
        0/1 labels (1 = positive).
    score
        Scores (e.g. probabilities) of the same samples.
    threshold
        Decision threshold; a score equal to it counts as positive.

    Returns
    -------
    Sensitivity, specificity and the four confusion counts.
    """
    y = np.asarray(y).astype(bool)
    pred = np.asarray(score, dtype=float) >= threshold
    tp = int((pred & y).sum())
    fn = int((~pred & y).sum())
    tn = int((~pred & ~y).sum())
    fp = int((pred & ~y).sum())
    sens = tp / (tp + fn) if tp + fn else float("nan")
    spec = tn / (tn + fp) if tn + fp else float("nan")
    return ThresholdMetrics(float(threshold), sens, spec, tp, fn, tn, fp)

"""Calibration of predicted probabilities: Brier score and a quantile reliability table."""

from __future__ import annotations

import numpy as np

__all__ = ["calibration_summary"]


def calibration_summary(y: np.ndarray, prob: np.ndarray, *, n_bins: int = 5) -> dict[str, object]:
    """Brier score and a quantile-binned reliability table of predicted probabilities.

    Parameters
    ----------
    y
        0/1 labels (1 = positive).
    prob
        Predicted probability of the positive class (clipped to [0, 1]).
    n_bins
        Number of quantile bins (equal numbers of samples per bin).

    Returns
    -------
    ``{"brier": ..., "bins": [{"mean_predicted": ..., "observed_fraction": ...}, ...]}``.
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    y = np.asarray(y).astype(int)
    prob = np.clip(np.asarray(prob, dtype=float), 0.0, 1.0)
    observed, predicted = calibration_curve(y, prob, n_bins=n_bins, strategy="quantile")
    return {
        "brier": float(brier_score_loss(y, prob)),
        "bins": [
            {"mean_predicted": float(p), "observed_fraction": float(o)}
            for p, o in zip(predicted, observed, strict=True)
        ],
    }

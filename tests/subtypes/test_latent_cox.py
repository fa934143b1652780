"""The ridge Cox model on latent features, its penalty chosen inside the training fold."""

from __future__ import annotations

import numpy as np


def test_penalised_cox_risk_chooses_from_the_grid_and_ranks_synthetic_risk():
    """Synthetic: hazard rises with feature 0; the held-out risk must rank it."""
    from omicsdl.subtypes._latent_cox import PENALIZER_GRID, penalised_cox_risk
    from omicsdl.survival import concordance_index

    rng = np.random.default_rng(1)
    x = rng.normal(size=(240, 4))
    t = rng.exponential(np.exp(-1.0 * x[:, 0]))
    e = (rng.random(240) < 0.7).astype(float)
    x[5, 2] = np.nan  # missing values are filled with the training median
    risk, train_risk, pen = penalised_cox_risk(x[:160], t[:160], e[:160], x[160:], rng=0)
    assert pen in PENALIZER_GRID
    assert risk.shape == (80,) and train_risk.shape == (160,)
    assert np.isfinite(risk).all()
    assert concordance_index(t[160:], e[160:], risk) > 0.65
    again = penalised_cox_risk(x[:160], t[:160], e[:160], x[160:], rng=0)
    np.testing.assert_array_equal(again[0], risk)

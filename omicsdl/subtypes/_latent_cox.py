"""A ridge-penalised Cox model on latent features, its penalty chosen inside the training fold.

Used by :func:`~omicsdl.subtypes.evaluate_subtypes` as a continuous-risk alternative
to the k subtypes: the training fold's survival-associated autoencoder
features (optionally with clinical stage) enter a lifelines ``CoxPHFitter``
with an L2 penalty; the penalty is picked from a small grid by an inner
stratified split of the **training patients only**, then the model is refitted
on the whole training fold and applied to the held-out patients.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from omicsdl._core._random import RNGLike, derive_seed

__all__ = ["PENALIZER_GRID", "penalised_cox_risk"]

logger = logging.getLogger(__name__)

#: Ridge penalties tried by the inner split (lifelines ``penalizer``, ``l1_ratio = 0``).
PENALIZER_GRID: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0)


def _fit_coef(x_tr: np.ndarray, t: np.ndarray, e: np.ndarray, penalizer: float) -> np.ndarray:
    from lifelines import CoxPHFitter

    cols = [f"x{j}" for j in range(x_tr.shape[1])]
    frame = pd.DataFrame(x_tr, columns=cols).assign(T=t, E=e.astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines convergence chatter on tiny inner folds
        cph = CoxPHFitter(penalizer=penalizer).fit(frame, "T", "E")
    return cph.params_.to_numpy()


def penalised_cox_risk(
    x_train: np.ndarray,
    t: np.ndarray,
    e: np.ndarray,
    x_test: np.ndarray,
    *,
    penalizers: tuple[float, ...] = PENALIZER_GRID,
    inner_folds: int = 3,
    rng: RNGLike = 0,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit a ridge Cox model on training features and score held-out patients.

    Features are standardised with the training mean and sd; missing values are
    filled with the training median. The penalty maximising the mean inner
    C-index (inner stratified folds of the training patients) is used.

    Parameters
    ----------
    x_train
        Training features (patients x features).
    t, e
        Training survival times and event indicators.
    x_test
        Held-out features, same columns.
    penalizers
        Candidate L2 penalties.
    inner_folds
        Inner split of the training patients used to choose the penalty.
    rng
        Seed of the inner split.

    Returns
    -------
    Held-out linear predictor, training linear predictor, chosen penalty.
    """
    from sklearn.model_selection import StratifiedKFold

    from omicsdl.survival import concordance_index

    x_train = np.asarray(x_train, dtype=float)
    x_test = np.asarray(x_test, dtype=float)
    fill = np.nanmedian(x_train, axis=0)
    fill = np.where(np.isfinite(fill), fill, 0.0)
    x_train = np.where(np.isnan(x_train), fill, x_train)
    x_test = np.where(np.isnan(x_test), fill, x_test)
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0, ddof=1)
    sd = np.where(sd > 0, sd, 1.0)
    x_train, x_test = (x_train - mu) / sd, (x_test - mu) / sd

    best, best_c = penalizers[0], -np.inf
    if len(penalizers) > 1:
        seed = derive_seed(rng)
        inner = StratifiedKFold(n_splits=inner_folds, shuffle=True, random_state=seed)
        splits = list(inner.split(x_train, e.astype(int)))
        for pen in penalizers:
            scores = []
            for itr, ite in splits:
                if not e[ite].any():
                    continue
                risk = x_train[ite] @ _fit_coef(x_train[itr], t[itr], e[itr], pen)
                scores.append(concordance_index(t[ite], e[ite], risk))
            c = float(np.mean(scores)) if scores else -np.inf
            logger.debug("latent Cox: penalizer %g, inner C-index %.3f", pen, c)
            if c > best_c:
                best, best_c = pen, c
    coef = _fit_coef(x_train, t, e, best)
    return x_test @ coef, x_train @ coef, float(best)

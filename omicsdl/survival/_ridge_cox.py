"""Ridge-penalised Cox regression with the penalty chosen by inner cross-validation (scikit-survival).

:func:`fit_ridge_cox` standardises the covariates with the training mean and
sd (missing values filled with the training median), then picks the L2
penalty from a grid by the mean Harrell's C over inner stratified folds **of
the training patients only**, and refits on all of them. The fit itself is
scikit-survival's :class:`~sksurv.linear_model.CoxPHSurvivalAnalysis`
(Newton-Raphson on the partial likelihood, Efron ties, penalty
``alpha / 2 · ||β||²``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, derive_seed
from omicsdl.survival._km import survival_arrays
from omicsdl.survival._quiet import quiet_in_main_thread as _quiet

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["RIDGE_ALPHAS", "RidgeCoxFit", "fit_ridge_cox"]

logger = logging.getLogger(__name__)

#: L2 penalties tried by the inner cross-validation (scikit-survival ``alpha`` on standardised covariates)
RIDGE_ALPHAS: tuple[float, ...] = (1.0, 10.0, 100.0, 1000.0, 10000.0)


@dataclass(frozen=True, slots=True)
class RidgeCoxFit:
    """A fitted ridge Cox model on standardised covariates.

    Attributes
    ----------
    coef
        Coefficient per standardised covariate (log hazard ratio per sd).
    mean, scale, fill
        Training mean, sd and median of every covariate (the standardisation).
    alpha
        The chosen L2 penalty.
    inner_cindex
        Mean inner-fold Harrell's C of every penalty tried (``alpha → C``).
    """

    coef: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    fill: np.ndarray
    alpha: float
    inner_cindex: dict[float, float]

    def linear_predictor(self, X: ArrayLike) -> np.ndarray:
        """Log relative hazard of each row of ``X`` (same columns as the training covariates)."""
        return self.standardise(X) @ self.coef

    def standardise(self, X: ArrayLike) -> np.ndarray:
        """``X`` with training-median gaps filled, centred and scaled with the training statistics."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.shape[0]:
            msg = f"expected {self.coef.shape[0]} covariates, got shape {X.shape}"
            raise InputError(msg)
        X = np.where(np.isnan(X), self.fill, X)
        return (X - self.mean) / self.scale


def _fit_coef(X: np.ndarray, t: np.ndarray, e: np.ndarray, alpha: float) -> np.ndarray:
    from sksurv.linear_model import CoxPHSurvivalAnalysis
    from sksurv.util import Surv

    with _quiet():  # convergence chatter on tiny inner folds; the penalty keeps the fit finite
        model = CoxPHSurvivalAnalysis(alpha=alpha, ties="efron", n_iter=100).fit(X, Surv.from_arrays(e, t))
    return np.asarray(model.coef_, dtype=float)


def fit_ridge_cox(
    X: ArrayLike,
    durations: ArrayLike,
    events: ArrayLike,
    *,
    alphas: tuple[float, ...] = RIDGE_ALPHAS,
    inner_folds: int = 3,
    rng: RNGLike = 0,
) -> RidgeCoxFit:
    """Fit a ridge Cox model; choose its penalty by inner stratified CV of these patients.

    Parameters
    ----------
    X
        Training covariates (patients × covariates); NaN are filled with the training median.
    durations, events
        Training survival.
    alphas
        Candidate L2 penalties (one value: no inner CV).
    inner_folds
        Inner folds used to choose the penalty.
    rng
        Seed of the inner split.

    Returns
    -------
    The coefficients, the standardisation and the chosen penalty.

    Raises
    ------
    InputError
        Fewer patients than inner folds, no event, or mismatched shapes.

    Examples
    --------
    >>> import numpy as np
    >>> import omicsdl as od
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(200, 3))  # SYNTHETIC: the first covariate raises the hazard
    >>> t = rng.exponential(np.exp(-x[:, 0]))
    >>> fit = od.survival.fit_ridge_cox(x, t, np.ones(200), rng=0)
    >>> bool(fit.coef[0] > 0.5), fit.alpha in od.survival.RIDGE_ALPHAS
    (True, True)
    """
    from sklearn.model_selection import StratifiedKFold

    from omicsdl.survival._concordance import concordance_index

    t, e = survival_arrays(durations, events)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != t.shape[0]:
        msg = f"X has shape {X.shape}, but there are {t.shape[0]} patients"
        raise InputError(msg)
    if not e.any():
        msg = "no event among the training patients: a Cox model cannot be fitted"
        raise InputError(msg)
    fill = np.nanmedian(X, axis=0) if np.isnan(X).any() else np.median(X, axis=0)
    fill = np.where(np.isfinite(fill), fill, 0.0)
    Xf = np.where(np.isnan(X), fill, X)
    mean = Xf.mean(axis=0)
    sd = Xf.std(axis=0, ddof=1) if Xf.shape[0] > 1 else np.ones(Xf.shape[1])
    scale = np.where(sd > 1e-12, sd, 1.0)
    Z = (Xf - mean) / scale
    scores: dict[float, float] = {}
    best = float(alphas[0])
    n_splits = min(inner_folds, int(e.sum()), int((~e).sum()))
    if len(alphas) > 1 and n_splits >= 2:
        inner = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=derive_seed(rng))
        splits = [(a, b) for a, b in inner.split(Z, e.astype(int)) if e[b].any()]
        for alpha in alphas:
            cs = [
                concordance_index(t[b], e[b], Z[b] @ _fit_coef(Z[a], t[a], e[a], float(alpha)))
                for a, b in splits
            ]
            scores[float(alpha)] = float(np.mean(cs)) if cs else float("nan")
        finite = {a: c for a, c in scores.items() if np.isfinite(c)}
        if finite:
            best = max(finite, key=lambda a: (finite[a], a))  # ties: the stronger penalty
    coef = _fit_coef(Z, t, e, best)
    logger.debug("ridge Cox: alpha %g chosen (inner C %s)", best, scores)
    return RidgeCoxFit(coef=coef, mean=mean, scale=scale, fill=fill, alpha=best, inner_cindex=scores)

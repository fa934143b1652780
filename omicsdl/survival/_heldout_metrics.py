"""Held-out metrics of a risk score, from scikit-survival: Harrell's C, Uno's C, AUC(t), integrated Brier.

Every metric of :func:`heldout_metrics` is computed by scikit-survival
(Pölsterl, JMLR 2020) on the held-out patients of one fold; the inverse-
probability-of-censoring weights of Uno's C and of the time-dependent AUC
come from the **training** patients' censoring distribution, as those
estimators require. The integrated Brier score needs survival curves: they
are the Breslow estimate fitted on the training patients' risk (the same risk
the model gives held-out patients), ``S(t | x) = S0(t) ** exp(risk)``.

A metric that a fold cannot support (a horizon beyond the follow-up of its
patients, no event before a horizon) is ``NaN``, never a guess.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.survival._km import survival_arrays
from omicsdl.survival._quiet import quiet_in_main_thread as _quiet

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

__all__ = ["DEFAULT_HORIZONS_DAYS", "UNO_TAU_DAYS", "heldout_metrics"]

logger = logging.getLogger(__name__)

#: horizons of the time-dependent AUC: 1, 3 and 5 years
DEFAULT_HORIZONS_DAYS: tuple[float, ...] = (365.25, 3 * 365.25, 5 * 365.25)
#: Uno's C is truncated at 5 years (beyond, few patients remain and the censoring weights explode)
UNO_TAU_DAYS = 5 * 365.25


def _surv(t: np.ndarray, e: np.ndarray):
    from sksurv.util import Surv

    return Surv.from_arrays(event=e, time=t)


def heldout_metrics(
    train_durations: ArrayLike,
    train_events: ArrayLike,
    train_risk: ArrayLike,
    test_durations: ArrayLike,
    test_events: ArrayLike,
    test_risk: ArrayLike,
    *,
    horizons: Sequence[float] = DEFAULT_HORIZONS_DAYS,
    tau: float = UNO_TAU_DAYS,
) -> dict[str, float]:
    """Harrell's C, Uno's C, AUC at each horizon and the integrated Brier score of one held-out fold.

    Parameters
    ----------
    train_durations, train_events
        Survival of the training patients (censoring weights, Breslow baseline).
    train_risk
        The model's risk of the training patients (for the Breslow baseline of the Brier score).
    test_durations, test_events
        Survival of the held-out patients.
    test_risk
        The model's risk of the held-out patients (higher = worse).
    horizons
        Times (days) of the time-dependent AUC (``auc_<years>y``).
    tau
        Truncation time of Uno's C.

    Returns
    -------
    ``harrell_c``, ``uno_c``, ``auc_1y``, ``auc_3y``, ``auc_5y`` (one per horizon) and
    ``ibs`` (over the 10th to 80th percentile of the held-out follow-up times);
    ``NaN`` where the fold cannot support a metric.

    Examples
    --------
    >>> import numpy as np
    >>> import omicsdl as od
    >>> rng = np.random.default_rng(0)
    >>> risk = rng.normal(size=400)  # SYNTHETIC: survival depends on the risk
    >>> t = rng.exponential(1000 * np.exp(-risk))
    >>> e = rng.random(400) < 0.7
    >>> m = od.survival.heldout_metrics(t[:200], e[:200], risk[:200], t[200:], e[200:], risk[200:])
    >>> bool(m["harrell_c"] > 0.65 and m["uno_c"] > 0.65 and m["ibs"] < 0.25)
    True
    """
    from sksurv.linear_model.coxph import BreslowEstimator
    from sksurv.metrics import (
        concordance_index_censored,
        concordance_index_ipcw,
        cumulative_dynamic_auc,
        integrated_brier_score,
    )

    t_tr, e_tr = survival_arrays(train_durations, train_events, source="training survival")
    t_te, e_te = survival_arrays(test_durations, test_events, source="held-out survival")
    r_tr = np.asarray(train_risk, dtype=float)
    r_te = np.asarray(test_risk, dtype=float)
    if r_tr.shape != t_tr.shape or r_te.shape != t_te.shape:
        msg = "one risk per patient is needed for the training and the held-out patients"
        raise InputError(msg)
    if not (np.isfinite(r_tr).all() and np.isfinite(r_te).all()):
        msg = "risk scores must be finite"
        raise InputError(msg)
    out: dict[str, float] = {}
    out["harrell_c"] = float(concordance_index_censored(e_te, t_te, r_te)[0]) if e_te.any() else float("nan")
    y_tr = _surv(t_tr, e_tr)
    # IPCW estimators need held-out times inside the training follow-up
    inside = t_te < t_tr.max()
    y_in = _surv(t_te[inside], e_te[inside])
    with _quiet():
        try:
            out["uno_c"] = float(
                concordance_index_ipcw(y_tr, y_in, r_te[inside], tau=min(tau, t_tr.max() - 1e-9))[0]
            )
        except ValueError:
            out["uno_c"] = float("nan")
        for h in horizons:
            key = f"auc_{h / 365.25:.0f}y"
            ok = e_te[inside].any() and t_te[inside].min() <= h < t_te[inside].max()
            ok = ok and bool(((t_te[inside] <= h) & e_te[inside]).any()) and bool((t_te[inside] > h).any())
            try:
                out[key] = (
                    float(cumulative_dynamic_auc(y_tr, y_in, r_te[inside], [h])[0][0]) if ok else np.nan
                )
            except ValueError:
                out[key] = float("nan")
        try:
            lo, hi = np.percentile(t_te[inside], [10, 80])
            hi = min(hi, t_tr[e_tr].max() if e_tr.any() else hi)
            grid = np.linspace(max(lo, 1.0), hi, 50)
            breslow = BreslowEstimator().fit(r_tr, e_tr, t_tr)
            curves = breslow.get_survival_function(r_te[inside])
            surv = np.vstack([fn(grid) for fn in curves])
            out["ibs"] = float(integrated_brier_score(y_tr, y_in, surv, grid))
        except ValueError:
            out["ibs"] = float("nan")
    return out

"""What every benchmarked survival model of this system shares: fit on a cohort, predict a risk.

A risk model is a :class:`~omicsdl._core._base.BaseEstimator` with
``fit(mdata)``, ``predict(mdata)`` (a table with ``risk``, higher = worse, and
``omics_used``), :meth:`_RiskModel.predict_risk` and
:meth:`_RiskModel.attributions` (which input features drive the risk, with
their direction). :attr:`_RiskModel.family` says whether a model is ``deep``,
``linear`` or ``clinical``.

Attributions are integrated gradients of the risk with respect to the
preprocessed (z-scored) input, from the training mean (0) to each patient
(Sundararajan et al., ICML 2017); for a linear risk they are exactly
coefficient × value. A feature's importance is its mean absolute attribution
over the patients; its direction is the sign of the covariance between its
value and its attribution (``+``: higher value, higher risk).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
import pandas as pd

from omicsdl._core._base import BaseEstimator

if TYPE_CHECKING:
    from collections.abc import Callable

    from mudata import MuData

__all__ = ["integrated_gradients", "summarise_attributions"]

Family = Literal["deep", "linear", "clinical"]


def integrated_gradients(
    Z: np.ndarray, gradient: Callable[[np.ndarray], np.ndarray], *, steps: int = 16
) -> np.ndarray:
    """Integrated gradients from the all-zero baseline (midpoint rule over ``steps``).

    Parameters
    ----------
    Z
        Patients × features (preprocessed input).
    gradient
        Gradient of the risk of each patient with respect to its input, same shape as its argument.
    steps
        Points on the path from 0 to ``Z``.
    """
    total = np.zeros_like(Z, dtype=float)
    for a in (np.arange(steps) + 0.5) / steps:
        total += gradient(a * Z)
    return Z * total / steps


def summarise_attributions(Z: np.ndarray, A: np.ndarray, features: pd.DataFrame) -> pd.DataFrame:
    """Per feature: ``importance`` (mean |attribution|), ``direction`` and ``rank`` within its omic.

    Parameters
    ----------
    Z
        The input the attributions are of (patients × features).
    A
        The attributions (same shape).
    features
        ``omic`` and ``feature`` of every column.
    """
    importance = np.abs(A).mean(axis=0)
    cov = ((Z - Z.mean(axis=0)) * (A - A.mean(axis=0))).mean(axis=0)
    out = features.reset_index(drop=True).copy()
    out["importance"] = importance
    out["direction"] = np.where(cov > 0, "higher value, higher risk", "higher value, lower risk")
    out.loc[importance == 0, "direction"] = "none"
    out = out.sort_values(["omic", "importance"], ascending=[True, False], kind="stable")
    out["rank"] = out.groupby("omic").cumcount() + 1
    return out.reset_index(drop=True)


class _RiskModel(BaseEstimator):
    """Base of the benchmarked survival models (see the module docstring)."""

    #: ``"deep"``, ``"linear"`` or ``"clinical"``
    family: ClassVar[Family] = "linear"

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Any:  # pragma: no cover - abstract
        """Fit on ``mdata`` (with ``os_days``, ``os_event``)."""
        raise NotImplementedError

    def predict(self, mdata: MuData) -> pd.DataFrame:  # pragma: no cover - abstract
        """Per patient: ``risk`` (higher = worse) and ``omics_used``."""
        raise NotImplementedError

    def predict_risk(self, mdata: MuData) -> np.ndarray:
        """The ``risk`` column of :meth:`predict`."""
        return self.predict(mdata)["risk"].to_numpy(dtype=float)

    def attributions(self, mdata: MuData) -> pd.DataFrame:
        """Which input features drive the risk of ``mdata``'s patients (see the module docstring).

        Returns
        -------
        ``omic``, ``feature``, ``importance``, ``direction``, ``rank`` (within the omic);
        empty for a model without omics input.
        """
        self.check_fitted()
        Z, features, gradient = self._attribution_inputs(mdata)
        if Z.shape[1] == 0:
            return pd.DataFrame(columns=["omic", "feature", "importance", "direction", "rank"])
        return summarise_attributions(Z, integrated_gradients(Z, gradient), features)

    def _attribution_inputs(
        self, mdata: MuData
    ) -> tuple[np.ndarray, pd.DataFrame, Callable[[np.ndarray], np.ndarray]]:
        """``(input matrix, its features, gradient of the risk)`` for :meth:`attributions`."""
        return np.zeros((mdata.n_obs, 0)), pd.DataFrame(columns=["omic", "feature"]), lambda z: z

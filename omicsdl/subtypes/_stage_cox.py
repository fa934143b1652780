"""Clinical stage alone: a Cox model on the ordinal AJCC stage (I–IV), the clinical baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl.subtypes._risk_model import _RiskModel

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mudata import MuData

    from omicsdl._core._random import RNGLike

__all__ = ["STAGE_ORDER", "StageCox", "stage_values"]

#: stage label -> ordinal value
STAGE_ORDER = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0}


def stage_values(obs: pd.DataFrame) -> np.ndarray:
    """Ordinal stage (1–4) per patient; NaN where unknown or absent."""
    if "stage" not in obs.columns:
        return np.full(len(obs), np.nan)
    return obs["stage"].astype(str).map(STAGE_ORDER).to_numpy(dtype=float)


class StageCox(_RiskModel):
    """Cox model of overall survival on the ordinal stage (unknown stage: the training median).

    Parameters
    ----------
    rng
        Not used (the fit is deterministic); accepted for the common contract.
    """

    family: ClassVar[str] = "clinical"
    _fitted_attr = "coef_"
    _display_name = "omicsdl stage-only Cox model"

    def __init__(self, *, rng: RNGLike = None) -> None:
        self.rng = rng

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Fit on the patients' ``obs["stage"]`` and overall survival.

        Raises
        ------
        InputError
            No patient has a known stage.
        """
        from omicsdl.subtypes._model import survival_of
        from omicsdl.survival import fit_ridge_cox

        t, e = survival_of(mdata, source=source)
        stage = stage_values(mdata.obs)
        if not np.isfinite(stage).any():
            msg = "no patient has a known stage (obs['stage'] in I, II, III, IV)"
            raise InputError(msg, source=source, fix="leave the stage model out, or add stages")
        self.fill_ = float(np.nanmedian(stage))
        fit = fit_ridge_cox(np.where(np.isnan(stage), self.fill_, stage)[:, None], t, e, alphas=(1e-3,))
        self.coef_ = np.array([fit.coef[0] / fit.scale[0]])
        self.n_known_ = int(np.isfinite(stage).sum())
        return self

    def predict(self, mdata: MuData) -> pd.DataFrame:
        """Per patient: ``risk`` (coefficient × ordinal stage) and ``omics_used`` (none)."""
        self.check_fitted()
        stage = stage_values(mdata.obs)
        risk = np.where(np.isnan(stage), self.fill_, stage) * self.coef_[0]
        return pd.DataFrame({"risk": risk, "omics_used": ""}, index=mdata.obs_names.copy())

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {"coef": self.coef_}, {"fill": self.fill_, "n_known": self.n_known_}

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        coef = arrays.get("coef")
        if coef is None or coef.shape != (1,) or not np.isfinite(coef).all():
            msg = "coef must be one finite number"
            raise ModelFormatError(msg, source=source)
        self.coef_ = np.asarray(coef, dtype=float)
        self.fill_ = float(state["fill"])
        self.n_known_ = int(state["n_known"])

"""Strong linear baselines: PCA + ridge Cox, early fusion (:class:`PCACox`) and per omic, fused late (:class:`LateFusionCox`).

Both fit on the training patients only: the per-omic preprocessing
(:class:`~omicsdl.subtypes._omics_input.OmicsInput`), the PCA, and a ridge Cox
model whose penalty is chosen by inner cross-validation of the training
patients (:func:`omicsdl.survival.fit_ridge_cox`).

* :class:`PCACox` concatenates the omics, keeps ``n_components`` principal
  components and fits one ridge Cox model on them;
* :class:`LateFusionCox` fits PCA + ridge Cox per omic and averages the
  per-omic risks, each standardised with its training mean and sd (equal
  weights; a patient lacking an omic is scored from the omics they have).

The risk is the linear predictor, so the attribution of a feature is its
coefficient mapped back through the PCA loadings, times its (z-scored) value.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import hyperparameters
from omicsdl._core._errors import ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.subtypes._risk_model import _RiskModel

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from mudata import MuData

__all__ = ["LateFusionCox", "PCACox"]

logger = logging.getLogger(__name__)


def _fit_pca_ridge(X: np.ndarray, t: np.ndarray, e: np.ndarray, n_components: int, alphas: Any, rng: int):
    """PCA (on these patients) then ridge Cox with an inner-CV penalty; arrays of both."""
    from omicsdl.pp import fit_pca
    from omicsdl.survival import fit_ridge_cox

    components, mean, _ = fit_pca(X, n_components)
    scores = (X - mean) @ components.T
    ridge = fit_ridge_cox(scores, t, e, alphas=tuple(alphas), rng=rng)
    return {
        "components": components,
        "pca_mean": mean,
        "coef": ridge.coef,
        "score_mean": ridge.mean,
        "score_scale": ridge.scale,
    }, ridge.alpha


def _linear_predictor(arrays: Mapping[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    scores = (X - arrays["pca_mean"]) @ arrays["components"].T
    return ((scores - arrays["score_mean"]) / arrays["score_scale"]) @ arrays["coef"]


def _feature_weights(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """D risk / d x: the Cox coefficients mapped back through the PCA loadings."""
    return arrays["components"].T @ (arrays["coef"] / arrays["score_scale"])


_PCA_KEYS = ("components", "pca_mean", "coef", "score_mean", "score_scale")


def _check_arrays(arrays: Mapping[str, np.ndarray], prefix: str, n_in: int, *, source: Path) -> None:
    comp = arrays.get(f"{prefix}components")
    if comp is None or comp.ndim != 2 or comp.shape[1] != n_in:
        msg = f"{prefix}components does not fit the {n_in} preprocessed features"
        raise ModelFormatError(msg, source=source)
    k = comp.shape[0]
    shapes = {"pca_mean": (n_in,), "coef": (k,), "score_mean": (k,), "score_scale": (k,)}
    for key, shape in shapes.items():
        arr = arrays.get(f"{prefix}{key}")
        if arr is None or arr.shape != shape or not np.isfinite(arr).all():
            msg = f"{prefix}{key} is missing, has the wrong shape or non-finite values"
            raise ModelFormatError(msg, source=source)


@hyperparameters
class _PCARiskBase(_RiskModel):
    family: ClassVar[str] = "linear"
    _fitted_attr = "input_"

    omics: Sequence[str] | None = None
    n_components: int = 60
    alphas: Sequence[float] | None = None
    preprocess: Mapping[str, Any] | None = None
    rng: RNGLike = None

    def _prepare(
        self, mdata: MuData, source: str
    ) -> tuple[MuData, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        from omicsdl.subtypes._model import survival_of
        from omicsdl.subtypes._omics_input import OmicsInput, complete_patients

        omics = list(self.omics) if self.omics is not None else list(mdata.mod)
        mdata, self.left_out_ = complete_patients(mdata, omics, source=source)
        t, e = survival_of(mdata, source=source)
        self.input_ = OmicsInput(omics, self.preprocess)
        blocks = self.input_.fit(mdata)
        self.n_patients_, self.n_events_ = len(t), int(e.sum())
        return mdata, t, e, blocks

    def _n_penalties(self) -> int:
        """How many ridge penalties the fitted model chose (one per omic; early fusion overrides)."""
        return len(self.input_.omics)

    def _state_json(self) -> dict[str, Any]:
        return {
            "input": self.input_.to_dict(),
            "alphas_chosen": list(self.alphas_chosen_),
            "n_patients": self.n_patients_,
            "n_events": self.n_events_,
        }

    def _restore_json(self, state: Mapping[str, Any], *, source: Path) -> None:
        from omicsdl.subtypes._omics_input import OmicsInput

        self.input_ = OmicsInput.from_dict(state["input"], self.preprocess)
        self.alphas_chosen_ = [float(a) for a in state["alphas_chosen"]]
        if len(self.alphas_chosen_) != self._n_penalties():
            msg = f"{len(self.alphas_chosen_)} chosen penalties saved; this model has {self._n_penalties()}"
            raise ModelFormatError(msg, source=source, fix="save the model again")
        self.n_patients_ = int(state["n_patients"])
        self.n_events_ = int(state["n_events"])
        self.left_out_ = []


class PCACox(_PCARiskBase):
    """PCA of the concatenated omics + ridge Cox (early fusion), penalty by inner CV.

    Parameters
    ----------
    omics
        Modalities (default: all of the cohort's).
    n_components
        Principal components kept (at most patients − 1).
    alphas
        Ridge penalties tried by the inner CV (:data:`omicsdl.survival.RIDGE_ALPHAS`).
    preprocess
        Extra :class:`~omicsdl.pp.Preprocessor` arguments for every omic.
    rng
        Seed of the inner split (``None``: ``settings.seed``).

    Examples
    --------
    >>> import omicsdl as od
    >>> model = od.subtypes.PCACox(n_components=10, rng=0).fit(od.datasets.tcga_lihc_demo())
    >>> model.predict(od.datasets.tcga_lihc_demo()).shape
    (360, 2)
    """

    _display_name = "omicsdl PCA + ridge Cox model"

    def _n_penalties(self) -> int:
        return 1

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Fit preprocessing, PCA and the ridge Cox model on ``mdata``'s patients with every omic."""
        from omicsdl.survival import RIDGE_ALPHAS

        mdata, t, e, blocks = self._prepare(mdata, source)
        X = np.concatenate([blocks[o] for o in self.input_.omics], axis=1).astype(np.float64)
        self.arrays_, alpha = _fit_pca_ridge(
            X, t, e, self.n_components, self.alphas or RIDGE_ALPHAS, derive_seed(self.rng)
        )
        self.alphas_chosen_ = [alpha]
        train_risk = _linear_predictor(self.arrays_, X)
        self.risk_mean_, self.risk_sd_ = float(train_risk.mean()), float(train_risk.std(ddof=1))
        logger.info("PCA + ridge Cox: %d components, alpha %g", self.arrays_["coef"].shape[0], alpha)
        return self

    def _matrix(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame]:
        blocks, has = self.input_.transform(mdata)
        return np.concatenate([blocks[o] for o in self.input_.omics], axis=1).astype(np.float64), has

    def predict(self, mdata: MuData) -> pd.DataFrame:
        """Per patient: ``risk`` (the ridge Cox linear predictor) and ``omics_used``."""
        from omicsdl.subtypes._omics_input import omics_used

        self.check_fitted()
        X, has = self._matrix(mdata)
        return pd.DataFrame(
            {"risk": _linear_predictor(self.arrays_, X), "omics_used": omics_used(has)}, index=has.index
        )

    def _attribution_inputs(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame, Callable]:
        X, _ = self._matrix(mdata)
        w = _feature_weights(self.arrays_)
        return X, self.input_.features(), lambda z: np.broadcast_to(w, z.shape)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        state = self._state_json() | {"risk_mean": self.risk_mean_, "risk_sd": self.risk_sd_}
        return dict(self.arrays_), state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        self._restore_json(state, source=source)
        _check_arrays(arrays, "", sum(self.input_.block_sizes), source=source)
        if set(arrays) != set(_PCA_KEYS):
            msg = f"unexpected arrays {sorted(arrays)}"
            raise ModelFormatError(msg, source=source)
        self.arrays_ = {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()}
        self.risk_mean_, self.risk_sd_ = float(state["risk_mean"]), float(state["risk_sd"])


@hyperparameters
class LateFusionCox(_PCARiskBase):
    """PCA + ridge Cox per omic, risks standardised and averaged (late fusion, equal weights).

    Parameters
    ----------
    omics
        Modalities (default: all of the cohort's).
    n_components
        Principal components kept per omic.
    alphas
        Ridge penalties tried by the inner CV of each omic's model.
    preprocess
        Extra :class:`~omicsdl.pp.Preprocessor` arguments for every omic.
    rng
        Seed of the inner splits (``None``: ``settings.seed``).
    """

    _display_name = "omicsdl late-fusion ridge Cox model"

    n_components: int = 20

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Fit preprocessing and one PCA + ridge Cox model per omic on ``mdata``'s complete patients."""
        from omicsdl.survival import RIDGE_ALPHAS

        mdata, t, e, blocks = self._prepare(mdata, source)
        gen = as_generator(self.rng)
        self.arrays_, self.alphas_chosen_ = {}, []
        for omic in self.input_.omics:
            X = blocks[omic].astype(np.float64)
            arrays, alpha = _fit_pca_ridge(
                X, t, e, self.n_components, self.alphas or RIDGE_ALPHAS, derive_seed(gen)
            )
            lp = _linear_predictor(arrays, X)
            sd = float(lp.std(ddof=1))
            arrays["risk_center"] = np.array([lp.mean()])
            arrays["risk_scale"] = np.array([sd if sd > 1e-12 else 1.0])
            self.arrays_ |= {f"{omic}.{k}": v for k, v in arrays.items()}
            self.alphas_chosen_.append(alpha)
            logger.info("late fusion: %s ridge Cox alpha %g", omic, alpha)
        return self

    def _omic_arrays(self, omic: str) -> dict[str, np.ndarray]:
        return {k.split(".", 1)[1]: v for k, v in self.arrays_.items() if k.split(".", 1)[0] == omic}

    def predict(self, mdata: MuData) -> pd.DataFrame:
        """Per patient: ``risk`` (mean of the standardised per-omic risks it has) and ``omics_used``."""
        from omicsdl.subtypes._omics_input import omics_used

        self.check_fitted()
        blocks, has = self.input_.transform(mdata)
        total = np.zeros(mdata.n_obs)
        for omic in self.input_.omics:
            a = self._omic_arrays(omic)
            z = (_linear_predictor(a, blocks[omic].astype(np.float64)) - a["risk_center"][0]) / a[
                "risk_scale"
            ][0]
            total += np.where(has[omic].to_numpy(), z, 0.0)
        risk = total / has.sum(axis=1).to_numpy()
        return pd.DataFrame({"risk": risk, "omics_used": omics_used(has)}, index=has.index)

    def _attribution_inputs(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame, Callable]:
        blocks, _ = self.input_.transform(mdata)
        X = np.concatenate([blocks[o] for o in self.input_.omics], axis=1).astype(np.float64)
        n = len(self.input_.omics)
        w = np.concatenate(
            [_feature_weights(a) / a["risk_scale"][0] / n for a in map(self._omic_arrays, self.input_.omics)]
        )
        return X, self.input_.features(), lambda z: np.broadcast_to(w, z.shape)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return dict(self.arrays_), self._state_json()

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        self._restore_json(state, source=source)
        expected = {f"{o}.{k}" for o in self.input_.omics for k in (*_PCA_KEYS, "risk_center", "risk_scale")}
        if set(arrays) != expected:
            bad = sorted(set(arrays) ^ expected)
            msg = f"the arrays do not match the omics (first mismatch: {bad[0]})"
            raise ModelFormatError(msg, source=source)
        for omic, size in zip(self.input_.omics, self.input_.block_sizes, strict=True):
            _check_arrays(arrays, f"{omic}.", size, source=source)
        self.arrays_ = {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()}

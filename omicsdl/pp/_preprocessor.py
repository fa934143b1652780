"""Per-omic preprocessing with fitted state (Chaudhary et al. 2018).

Steps, in order, each optional:

1. keep only features of the given ``gene_types`` (e.g. ``protein_coding``) when
   the omic records a gene type (``var["gene_type"]``, as GDC STAR files do);
2. drop features missing (NaN) or zero in more than ``max_feature_missing`` of patients;
3. drop patients missing more than ``max_patient_missing`` of the kept features;
4. ``log2(x + 1)`` for count-like omics (``log_transform``);
5. keep the ``max_features`` most variable features (variance after the log
   transform, over the training patients only);
6. impute the remaining gaps (per-feature ``median`` or ``knn``);
7. scale per feature (``zscore``, ``robust`` = median/IQR) or per patient
   (``unit`` = unit L2 norm), or not at all.

Everything learned on the training patients — kept features, medians,
centres and scales — is stored, so :meth:`Preprocessor.transform` treats new
patients identically. A fitted preprocessor is saved like every omicsdl
estimator (:meth:`~omicsdl._core._base.BaseEstimator.save` /
``Preprocessor.load``: a model folder, no pickle); :meth:`Preprocessor.to_dict` /
:meth:`Preprocessor.from_dict` give the JSON form that models embedding a
preprocessor write into their own ``model.json``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl.io._features import feature_symbols

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from anndata import AnnData

    from omicsdl._core._random import RNGLike

__all__ = ["PreprocessingReport", "Preprocessor"]

logger = logging.getLogger(__name__)

ImputeMethod = Literal["median", "knn"]
ScaleMethod = Literal["zscore", "robust", "unit", "none"]
#: the hyperparameters :meth:`Preprocessor.to_dict` writes, in this order (``rng`` is not one: no step is random)
_PARAMS = (
    "max_feature_missing",
    "max_patient_missing",
    "log_transform",
    "impute",
    "scale",
    "n_neighbors",
    "max_features",
    "gene_types",
)
#: defaults of the parameters a preprocessor written by an older omicsdl has not recorded
_PARAM_DEFAULTS: dict[str, Any] = {"max_features": None, "gene_types": None}


@dataclass
class PreprocessingReport:
    """What :meth:`Preprocessor.fit` dropped and why.

    Attributes
    ----------
    n_features_in, n_patients_in
        Features and patients given to :meth:`Preprocessor.fit`.
    dropped_features, dropped_patients
        Dropped feature / patient → the reason, in words. Features are named
        by their plain symbol (a cohort's ``var["symbol"]``: ``ACAT1`` for
        ``rna:ACAT1``) when the symbols are unique, else by ``var_names``.
    n_imputed_values
        Missing values filled among the kept features and patients.
    """

    n_features_in: int
    n_patients_in: int
    dropped_features: dict[str, str] = field(default_factory=dict)
    dropped_patients: dict[str, str] = field(default_factory=dict)
    n_imputed_values: int = 0

    def summary(self) -> str:
        """One plain-language sentence."""
        return (
            f"kept {self.n_features_in - len(self.dropped_features)} of {self.n_features_in} features and "
            f"{self.n_patients_in - len(self.dropped_patients)} of {self.n_patients_in} patients; "
            f"imputed {self.n_imputed_values} missing values"
        )


@hyperparameters
class Preprocessor(BaseEstimator):
    """Filter, log-transform, impute and scale one omic; re-apply to new patients.

    Parameters
    ----------
    max_feature_missing
        Drop a feature missing or zero in more than this fraction of patients.
    max_patient_missing
        Drop a patient missing more than this fraction of the kept features.
    log_transform
        Apply ``log2(x + 1)`` (for counts, RPM, RSEM, TPM, FPKM).
    impute
        ``"median"`` (per-feature training median) or ``"knn"`` (mean of the
        ``n_neighbors`` closest training patients on the observed features).
    scale
        ``"zscore"``, ``"robust"`` (median / inter-quartile range), ``"unit"``
        (each patient scaled to unit L2 norm) or ``"none"``.
    n_neighbors
        Neighbours for ``impute="knn"``.
    max_features
        Keep at most this many features: the most variable ones over the
        training patients (after the log transform); ``None`` keeps all.
    gene_types
        Keep only features whose ``var["gene_type"]`` is one of these (e.g.
        ``("protein_coding",)``); ignored, with a log line, when the omic has no
        ``gene_type`` column.
    rng
        Not used: every step is deterministic. Accepted so that every omicsdl
        estimator has the same constructor contract (``rng`` last).

    Attributes
    ----------
    features_
        The kept features, in output order.
    medians_, center_, scale_
        Per-feature training medians (imputation), centres and scales.
    reference_
        The training matrix after filtering and log transform (``impute="knn"`` only).
    report_
        What :meth:`fit` dropped and why (:class:`PreprocessingReport`).
    kept_patients_
        The training patients that passed the filters.

    Examples
    --------
    >>> import omicsdl as od
    >>> mdata = od.datasets.tcga_lihc_demo()
    >>> pp = od.pp.Preprocessor(log_transform=True).fit(mdata["mirna"])
    >>> pp.transform(mdata["mirna"]).shape[0]
    360
    >>> pp
    Preprocessor(log_transform=True)
    """

    _fitted_attr: ClassVar[str] = "features_"
    _display_name: ClassVar[str] = "omicsdl preprocessor"

    max_feature_missing: float = 0.2
    max_patient_missing: float = 0.2
    log_transform: bool = False
    impute: ImputeMethod = "median"
    scale: ScaleMethod = "zscore"
    n_neighbors: int = 5
    max_features: int | None = None
    gene_types: Sequence[str] | None = None
    rng: RNGLike = None

    # -- fitting ---------------------------------------------------------------
    def _validate_params(self) -> None:
        for name in ("max_feature_missing", "max_patient_missing"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                msg = f"{name} must lie in [0, 1], got {value}"
                raise ValueError(msg)
        if self.impute not in ("median", "knn"):
            msg = f"impute must be 'median' or 'knn', got {self.impute!r}"
            raise ValueError(msg)
        if self.scale not in ("zscore", "robust", "unit", "none"):
            msg = f"scale must be 'zscore', 'robust', 'unit' or 'none', got {self.scale!r}"
            raise ValueError(msg)
        if self.max_features is not None and int(self.max_features) < 1:
            msg = f"max_features must be positive or None, got {self.max_features}"
            raise ValueError(msg)
        if isinstance(self.gene_types, str):
            msg = f"gene_types must be a list of gene types, got the string {self.gene_types!r}"
            raise ValueError(msg)

    def fit(self, adata: AnnData, *, layer: str | None = None) -> Self:
        """Learn the kept features and the imputation and scaling parameters.

        Parameters
        ----------
        adata
            Training patients × features of one omic.
        layer
            Layer to read instead of ``adata.X``.

        Returns
        -------
        ``self``, fitted.

        Raises
        ------
        InputError
            If no feature or no patient survives the filters, or values are infinite.
        ValueError
            If a hyperparameter is out of range.
        """
        self._validate_params()
        X = _matrix(adata, layer)
        features = np.asarray(adata.var_names, dtype=object)
        symbols = feature_symbols(adata)
        shown = np.asarray(symbols if symbols.is_unique else features, dtype=object)  # names in the report
        patients = np.asarray(adata.obs_names, dtype=object)
        report = PreprocessingReport(n_features_in=X.shape[1], n_patients_in=X.shape[0])

        missing = np.isnan(X)
        zero = X == 0
        frac_missing = missing.mean(axis=0)
        frac_zero = zero.mean(axis=0)
        keep_f = (frac_missing <= self.max_feature_missing) & (frac_zero <= self.max_feature_missing)
        typed = self._gene_type_mask(adata)
        for j in np.flatnonzero(~keep_f | ~typed):
            if not typed[j]:
                report.dropped_features[str(shown[j])] = "gene type not among " + ", ".join(self.gene_types)
                continue
            why = "missing" if frac_missing[j] > self.max_feature_missing else "zero"
            frac = frac_missing[j] if why == "missing" else frac_zero[j]
            report.dropped_features[str(shown[j])] = f"{why} in {frac:.0%} of patients"
        keep_f &= typed
        if not keep_f.any():
            raise InputError(
                f"every feature is missing or zero in more than {self.max_feature_missing:.0%} of patients",
                item=str(adata.uns.get("omicsdl", {}).get("modality", "modality")),
                fix="raise max_feature_missing or check that the matrix is patients × features",
            )
        X = X[:, keep_f]
        frac_patient = np.isnan(X).mean(axis=1)
        keep_p = frac_patient <= self.max_patient_missing
        for i in np.flatnonzero(~keep_p):
            report.dropped_patients[str(patients[i])] = f"missing {frac_patient[i]:.0%} of features"
        if not keep_p.any():
            raise InputError(
                "every patient misses too many features", fix="raise max_patient_missing or check the input"
            )
        X = X[keep_p]
        if self.log_transform:
            X = _log2p1(X, adata)
        if self.max_features is not None and X.shape[1] > int(self.max_features):
            var = np.nan_to_num(np.nanvar(X, axis=0), nan=-1.0)
            top = np.sort(np.argsort(-var, kind="stable")[: int(self.max_features)])
            kept = np.flatnonzero(keep_f)
            for j in np.setdiff1d(np.arange(X.shape[1]), top):
                report.dropped_features[str(shown[kept[j]])] = (
                    f"not among the {int(self.max_features)} most variable"
                )
            keep_f = np.zeros_like(keep_f)
            keep_f[kept[top]] = True
            X = X[:, top]
        self.features_ = features[keep_f].astype(str)
        self.medians_ = np.nanmedian(X, axis=0)
        self.medians_ = np.where(np.isnan(self.medians_), 0.0, self.medians_)
        report.n_imputed_values = int(np.isnan(X).sum())
        if self.impute == "knn":
            self.reference_ = X.copy()
        X = self._impute(X)
        if self.scale == "zscore":
            self.center_ = X.mean(axis=0)
            sd = X.std(axis=0, ddof=1) if X.shape[0] > 1 else np.ones(X.shape[1])
            self.scale_ = np.where(sd > 1e-9 * np.maximum(1.0, np.abs(self.center_)), sd, 1.0)
        elif self.scale == "robust":
            self.center_ = np.median(X, axis=0)
            q75, q25 = np.percentile(X, [75, 25], axis=0)
            iqr = q75 - q25
            self.scale_ = np.where(iqr > 1e-9 * np.maximum(1.0, np.abs(self.center_)), iqr, 1.0)
        else:
            self.center_ = np.zeros(X.shape[1])
            self.scale_ = np.ones(X.shape[1])
        self.report_ = report
        self.kept_patients_ = patients[keep_p].astype(str)
        logger.info("preprocessing: %s", report.summary())
        return self

    def _gene_type_mask(self, adata: AnnData) -> np.ndarray:
        """Which features pass ``gene_types`` (all when it is unset or the omic records no gene type)."""
        if self.gene_types is None:
            return np.ones(adata.n_vars, dtype=bool)
        if "gene_type" not in adata.var.columns:
            logger.debug(
                "preprocessing: no var['gene_type'] in this omic; gene_types %s not applied", self.gene_types
            )
            return np.ones(adata.n_vars, dtype=bool)
        return adata.var["gene_type"].astype(str).isin([str(g) for g in self.gene_types]).to_numpy()

    # -- applying --------------------------------------------------------------
    def _impute(self, X: np.ndarray) -> np.ndarray:
        gaps = np.isnan(X)
        if not gaps.any():
            return X
        X = X.copy()
        if self.impute == "median":
            X[gaps] = np.take(self.medians_, np.nonzero(gaps)[1])
            return X
        ref = self.reference_
        ref_filled = np.where(np.isnan(ref), self.medians_, ref)
        for i in np.flatnonzero(gaps.any(axis=1)):
            seen = ~gaps[i]
            if not seen.any():
                X[i] = self.medians_
                continue
            dist = np.sqrt(np.nanmean((ref_filled[:, seen] - X[i, seen]) ** 2, axis=1))
            nearest = np.argsort(dist, kind="stable")[: self.n_neighbors]
            X[i, ~seen] = ref_filled[nearest][:, ~seen].mean(axis=0)
        return X

    def transform(self, adata: AnnData, *, layer: str | None = None) -> AnnData:
        """Apply the fitted steps to (new) patients; returns a new AnnData.

        Features unseen at fit time are ignored; fitted features absent from
        ``adata`` are imputed from the training medians (and counted in
        ``uns["omicsdl_pp"]["n_features_imputed"]``).

        Parameters
        ----------
        adata
            Patients × features of the same omic.
        layer
            Layer to read instead of ``adata.X``.

        Returns
        -------
        The preprocessed patients × kept features (``float32``), with ``adata.obs``.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.
        InputError
            If none of the fitted features is in ``adata``.
        """
        import anndata as ad

        self.check_fitted()
        from omicsdl.io._features import FEATURE_SEP, match_features

        present = pd.Index(adata.var_names)
        positions = match_features(self.features_, adata)  # by name, then by symbol (rna:ACAT1 ~ ACAT1)
        X_in = _matrix(adata, layer)
        X = np.full((adata.n_obs, len(self.features_)), np.nan)
        found = positions >= 0
        if not found.any():
            raise InputError(
                "none of the fitted features is present",
                item=f"expected e.g. {list(self.features_[:3])}, got e.g. {list(present[:3])}",
                fix="use data of the same omic with the same feature ids (gene symbols, miRNA names)",
            )
        X[:, found] = X_in[:, positions[found]]
        if self.log_transform:
            X = _log2p1(X, adata)
        X = self._impute(X)
        if self.scale == "unit":
            norms = np.linalg.norm(X, axis=1, keepdims=True)
            X = X / np.where(norms > 0, norms, 1.0)
        else:
            X = (X - self.center_) / self.scale_
        out = ad.AnnData(X.astype(np.float32))
        out.obs_names = adata.obs_names.copy()
        out.var_names = pd.Index(self.features_)
        if "symbol" in adata.var.columns:  # a cohort's plain symbols and omic (omicsdl.io._features)
            symbols = adata.var["symbol"].astype(str).to_numpy()[np.where(found, positions, 0)]
            plain = [str(f).split(FEATURE_SEP, 1)[-1] for f in self.features_]
            out.var["symbol"] = np.where(found, symbols, plain)
        if "modality" in adata.var.columns and adata.n_vars:
            out.var["modality"] = str(adata.var["modality"].iloc[0])
        out.obs = adata.obs.copy()
        out.uns["omicsdl_pp"] = {
            **self.to_dict(include_state=False),
            "n_features_imputed": int((~found).sum()),
        }
        return out

    def fit_transform(self, adata: AnnData, *, layer: str | None = None) -> AnnData:
        """Fit on ``adata``, then transform the patients that passed the filters.

        Parameters
        ----------
        adata, layer
            As for :meth:`fit`.
        """
        self.fit(adata, layer=layer)
        return self.transform(adata[self.kept_patients_], layer=layer)

    # -- persistence -----------------------------------------------------------
    def to_dict(self, *, include_state: bool = True) -> dict[str, Any]:
        """JSON-ready parameters (and, with ``include_state``, the fitted state).

        Parameters
        ----------
        include_state
            Add the fitted state (features, medians, centres, scales).

        Raises
        ------
        NotFittedError
            ``include_state`` before :meth:`fit`.
        ValueError
            ``include_state`` for ``impute="knn"`` (use :meth:`save`).
        """
        params = {k: getattr(self, k) for k in _PARAMS}
        if params["gene_types"] is not None:
            params["gene_types"] = [str(g) for g in params["gene_types"]]
        if not include_state:
            return params
        self.check_fitted()
        if self.impute == "knn":
            msg = (
                "a KNN-imputing Preprocessor keeps its training matrix; save it with Preprocessor.save "
                "(safetensors), not JSON"
            )
            raise ValueError(msg)
        return {
            **params,
            "features": self.features_.tolist(),
            "medians": self.medians_.tolist(),
            "center": self.center_.tolist(),
            "scale_values": self.scale_.tolist(),
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Preprocessor:
        """Rebuild a fitted Preprocessor from :meth:`to_dict` output.

        Parameters
        ----------
        state
            What :meth:`to_dict` returned (with the fitted state).
        """
        pp = cls(**{k: state[k] if k in state else _PARAM_DEFAULTS[k] for k in _PARAMS})
        pp.features_ = np.asarray(state["features"], dtype=object).astype(str)
        pp.medians_ = np.asarray(state["medians"], dtype=float)
        pp.center_ = np.asarray(state["center"], dtype=float)
        pp.scale_ = np.asarray(state["scale_values"], dtype=float)
        return pp

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {
            "medians": np.asarray(self.medians_, dtype=np.float64),
            "center": np.asarray(self.center_, dtype=np.float64),
            "scale": np.asarray(self.scale_, dtype=np.float64),
        }
        if self.impute == "knn":
            arrays["reference"] = np.asarray(self.reference_, dtype=np.float64)
        state: dict[str, Any] = {
            "features": [str(f) for f in self.features_],
            "kept_patients": [str(p) for p in getattr(self, "kept_patients_", [])],
        }
        report = getattr(self, "report_", None)
        if report is not None:
            state["report"] = {
                "n_features_in": report.n_features_in,
                "n_patients_in": report.n_patients_in,
                "dropped_features": dict(report.dropped_features),
                "dropped_patients": dict(report.dropped_patients),
                "n_imputed_values": report.n_imputed_values,
            }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        self._validate_params()
        features = state["features"]
        if not isinstance(features, list) or not features or not all(isinstance(f, str) for f in features):
            msg = "model.json 'features' must be a non-empty list of feature names"
            raise ModelFormatError(msg, source=source)
        n = len(features)
        expected = {"medians": (n,), "center": (n,), "scale": (n,)}
        if self.impute == "knn":
            ref = arrays.get("reference")
            expected["reference"] = (ref.shape[0] if ref is not None and ref.ndim == 2 else -1, n)
        found = {k: tuple(v.shape) for k, v in arrays.items()}
        if found != expected:
            bad = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
            msg = f"the arrays do not fit the {n} features in model.json (first mismatch: {bad[0]})"
            raise ModelFormatError(msg, source=source)
        for key in ("medians", "center", "scale"):
            if not np.isfinite(arrays[key]).all():
                msg = f"{key} has missing or infinite values"
                raise ModelFormatError(msg, source=source)
        if self.impute == "knn" and np.isinf(arrays["reference"]).any():
            msg = "reference has infinite values"
            raise ModelFormatError(msg, source=source)
        if self.impute == "knn" and self.n_neighbors > arrays["reference"].shape[0]:
            msg = f"n_neighbors={self.n_neighbors} exceeds the {arrays['reference'].shape[0]} saved training patients"
            raise ModelFormatError(msg, source=source, fix="save the model again")
        self.features_ = np.asarray(features, dtype=object).astype(str)
        self.medians_ = np.array(arrays["medians"], dtype=float)
        self.center_ = np.array(arrays["center"], dtype=float)
        self.scale_ = np.array(arrays["scale"], dtype=float)
        if self.impute == "knn":
            self.reference_ = np.array(arrays["reference"], dtype=float)
        self.kept_patients_ = np.asarray(state.get("kept_patients", []), dtype=object).astype(str)
        report = state.get("report")
        if report is not None:
            self.report_ = PreprocessingReport(
                n_features_in=int(report["n_features_in"]),
                n_patients_in=int(report["n_patients_in"]),
                dropped_features=dict(report["dropped_features"]),
                dropped_patients=dict(report["dropped_patients"]),
                n_imputed_values=int(report["n_imputed_values"]),
            )


def _matrix(adata: AnnData, layer: str | None) -> np.ndarray:
    X = adata.layers[layer] if layer is not None else adata.X
    if hasattr(X, "toarray"):
        X = X.toarray()
    X = np.asarray(X, dtype=float)
    if np.isinf(X).any():
        row, col = np.argwhere(np.isinf(X))[0]
        raise InputError(
            "infinite value",
            item=f"{adata.obs_names[row]} / {adata.var_names[col]}",
            fix="replace inf by NaN (treated as missing) before preprocessing",
        )
    return X


def _log2p1(X: np.ndarray, adata: AnnData) -> np.ndarray:
    negative = X < 0
    if negative.any():
        row, col = np.argwhere(negative)[0]
        raise InputError(
            f"log2(x + 1) needs non-negative values, found {X[row, col]:g}",
            item=f"{adata.obs_names[row]} / {adata.var_names[col]}",
            fix="set log_transform=False for data already on a log scale",
        )
    return np.log2(X + 1.0)

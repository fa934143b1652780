"""Assign new patients to survival subtypes from any subset of omics (Chaudhary et al. 2018).

As published, each omic gets its own classifier: the features are ranked by
ANOVA F between the subtypes and the top ones kept (about 100 mRNA, 50 miRNA,
50 methylation), then a linear support-vector machine is fitted on them. Here
each per-omic SVM's decision values are turned into probabilities by Platt
scaling (a logistic model fitted on *cross-validated* decision values, as
scikit-learn's ``SVC(probability=True)`` does), and a patient's subtype
probabilities are the average over the omics available for that patient's
cohort, weighted by how well each omic predicted the subtypes in that
cross-validation (``weight_omics=False``: plain average). So an mRNA-only
cohort — the common case — uses the mRNA SVM alone.

Every step's fitted state is plain arrays (the per-omic preprocessing, the
selected features, SVM ``coef_``/``intercept_``, Platt coefficients), so the
classifier saves to safetensors + JSON without pickle.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, derive_seed
from omicsdl.io._features import match_features, unprefixed
from omicsdl.subtypes._parallel import quiet

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from mudata import MuData

__all__ = ["DEFAULT_N_FEATURES", "SubtypeClassifier"]

logger = logging.getLogger(__name__)

#: features kept per omic after ANOVA ranking (Chaudhary et al. 2018)
DEFAULT_N_FEATURES = {"rna": 100, "mirna": 50, "methylation": 50}
Normalise = Literal["model", "cohort"]


@hyperparameters
class SubtypeClassifier(BaseEstimator):
    """Per-omic linear SVMs on ANOVA-ranked features, combined by averaged probabilities.

    Parameters
    ----------
    n_features
        Features kept per omic (default :data:`DEFAULT_N_FEATURES`; other omics 50).
    C
        SVM regularisation (smaller = stronger).
    omics
        Omics to use (default: every modality of the training cohort).
    candidate_features
        Optional restriction of the ranked features per omic, e.g. the genes a
        new cohort shares with the training cohort.
    preprocess
        Keyword arguments for every omic's :class:`omicsdl.pp.Preprocessor`
        (``log_transform`` defaults per omic as in :func:`omicsdl.pp.preprocess_cohort`).
    weight_omics
        Combine the omics' probabilities weighted by how well each predicts the
        subtypes in cross-validation (mean log-likelihood gain over the class
        prior); ``False``: plain average, as published.
    rng
        Seed or generator for the cross-validation folds of the Platt scaling
        (``None``: ``settings.seed``).

    Attributes
    ----------
    classes_
        The subtypes, sorted.
    omics_
        The omics with a fitted SVM.
    models_
        Per omic: the fitted preprocessing, the selected features and their
        ANOVA F, the SVM and Platt coefficients and the omic's weight.

    Examples
    --------
    >>> import omicsdl as od, numpy as np
    >>> mdata = od.datasets.tcga_lihc_demo()
    >>> labels = np.where(mdata["rna"][:, "rna:AFP"].X.ravel() > 50, "S2", "S1")  # illustration only
    >>> clf = od.subtypes.SubtypeClassifier(rng=0).fit(mdata, labels)
    >>> clf.predict(mdata).shape
    (360,)
    """

    _fitted_attr = "models_"
    _display_name = "omicsdl subtype classifier"

    n_features: Mapping[str, int] | None = None
    C: float = 0.1
    omics: Sequence[str] | None = None
    candidate_features: Mapping[str, Sequence[str]] | None = None
    preprocess: Mapping[str, Any] | None = None
    weight_omics: bool = True
    rng: RNGLike = None

    # -- fitting ---------------------------------------------------------------
    def fit(self, mdata: MuData, labels: Sequence[Any] | np.ndarray) -> Self:
        """Fit one SVM per omic on the patients of ``mdata`` with their subtype ``labels``.

        Raises
        ------
        InputError
            If labels do not match the patients, fewer than two subtypes are
            given, or an omic has no candidate feature.
        """
        from sklearn.feature_selection import f_classif
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.svm import LinearSVC

        from omicsdl.pp import DEFAULT_LOG_TRANSFORM, Preprocessor

        y = np.asarray(labels).astype(str)
        if y.shape[0] != mdata.n_obs:
            msg = f"{y.shape[0]} labels for {mdata.n_obs} patients"
            raise InputError(msg)
        classes = np.array(sorted(pd.unique(y)))
        if len(classes) < 2:
            msg = "a subtype classifier needs at least two subtypes"
            raise InputError(msg, item=f"labels: {list(classes)}")
        omics = list(self.omics) if self.omics is not None else list(mdata.mod)
        sizes = {**DEFAULT_N_FEATURES, **(self.n_features or {})}
        seed = derive_seed(self.rng)
        models: dict[str, dict[str, Any]] = {}
        for omic in omics:
            if omic not in mdata.mod:
                msg = f"the cohort has no {omic!r} modality"
                raise InputError(msg, item=omic, fix="choose omics it has")
            adata = mdata.mod[omic]
            patients = mdata.obs_names.intersection(adata.obs_names)
            y_o = pd.Series(y, index=mdata.obs_names).loc[patients].to_numpy()
            sub = adata[patients]
            if self.candidate_features is not None and omic in self.candidate_features:
                wanted = pd.Index([str(f) for f in self.candidate_features[omic]])
                found = match_features(wanted, sub)
                sub = sub[:, np.unique(found[found >= 0])]
                if sub.n_vars == 0:
                    msg = f"no candidate feature of {omic!r} is in the cohort"
                    raise InputError(msg, item=omic)
            kwargs = {"log_transform": DEFAULT_LOG_TRANSFORM.get(omic, False), **(self.preprocess or {})}
            pp = Preprocessor(**kwargs).fit(sub)
            Z = np.asarray(pp.transform(sub).X, dtype=float)
            with quiet():  # constant features give F = nan (a RuntimeWarning)
                F, _ = f_classif(Z, y_o)
            F = np.where(np.isfinite(F), F, -np.inf)
            n_keep = min(int(sizes.get(omic, 50)), int(np.isfinite(F).sum()))
            if n_keep < 1:
                msg = f"no informative feature in {omic!r}"
                raise InputError(msg, item=omic)
            top = np.argsort(-F, kind="stable")[:n_keep]
            Xs = Z[:, top]
            svm = LinearSVC(C=self.C, class_weight="balanced", max_iter=20000, random_state=seed)
            n_splits = int(min(5, np.bincount(pd.factorize(y_o, sort=True)[0]).min()))
            if n_splits >= 2:
                folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
                dec_cv = cross_val_predict(svm, Xs, y_o, cv=folds, method="decision_function")
            else:
                dec_cv = svm.fit(Xs, y_o).decision_function(Xs)
            svm.fit(Xs, y_o)
            dec_cv = dec_cv.reshape(len(y_o), -1)
            platt = LogisticRegression(C=1e4, max_iter=1000).fit(dec_cv, y_o)
            # cross-validated log-likelihood gain over the class prior: how well this omic
            # predicts the subtypes; used to weight the omics when probabilities are combined
            cv_proba = _proba_from_scores(dec_cv @ platt.coef_.T + platt.intercept_)
            codes = pd.Index(platt.classes_).get_indexer(y_o)
            prior = np.bincount(codes, minlength=len(platt.classes_)) / len(codes)
            gain = float(
                np.mean(np.log(np.clip(cv_proba[np.arange(len(codes)), codes], 1e-12, 1)))
                - np.mean(np.log(prior[codes]))
            )
            models[omic] = {
                "preprocessor": pp,
                "features": pp.features_[top].astype(str),
                "feature_index": top,
                "f_statistic": F[top],
                "coef": svm.coef_.astype(float),
                "intercept": np.atleast_1d(svm.intercept_).astype(float),
                "platt_coef": platt.coef_.astype(float),
                "platt_intercept": np.atleast_1d(platt.intercept_).astype(float),
                "svm_classes": svm.classes_.astype(str),
                "weight": np.array([max(gain, 1e-3)]),
            }
            logger.info("subtype classifier: %s on %d features", omic, n_keep)
        self.classes_ = classes
        self.models_ = models
        self.omics_ = omics
        return self

    # -- predicting ------------------------------------------------------------
    def _omic_values(
        self, omic: str, adata: Any, *, normalise: Normalise, log_transformed: bool
    ) -> tuple[np.ndarray, int]:
        m = self.models_[omic]
        pp = m["preprocessor"]
        features = pd.Index(m["features"])
        positions = match_features(features, adata)  # by name, then symbol (rna:ACAT1 ~ ACAT1)
        present = positions >= 0
        if not present.any():
            return np.empty((adata.n_obs, 0)), 0
        if normalise == "model":
            if log_transformed and pp.log_transform:
                msg = f"{omic}: normalise='model' needs values on the training scale (not log2)"
                raise InputError(
                    msg,
                    fix="use normalise='cohort' for already log-transformed data",
                )
            Z = np.asarray(pp.transform(adata).X, dtype=float)
            return Z[:, m["feature_index"]], int(present.sum())
        raw = np.full((adata.n_obs, len(features)), np.nan)
        cols = positions[present]
        X = adata.X.toarray() if hasattr(adata.X, "toarray") else np.asarray(adata.X)
        raw[:, present] = np.asarray(X, dtype=float)[:, cols]
        if pp.log_transform and not log_transformed:
            if np.nanmin(raw) < 0:
                msg = f"{omic}: negative values cannot be log2(x + 1)-transformed"
                raise InputError(
                    msg,
                    fix="pass log_transformed=True if the values are already on a log scale",
                )
            raw = np.log2(raw + 1.0)
        mu = np.nanmean(raw, axis=0)
        sd = np.nanstd(raw, axis=0, ddof=1)
        Z = (raw - mu) / np.where(sd > 0, sd, 1.0)
        return np.where(np.isfinite(Z), Z, 0.0), int(present.sum())

    def _omic_proba(self, omic: str, Z: np.ndarray) -> np.ndarray:
        m = self.models_[omic]
        dec = Z @ m["coef"].T + m["intercept"]
        proba = _proba_from_scores(dec @ m["platt_coef"].T + m["platt_intercept"])
        # columns follow the svm's classes; reorder to self.classes_
        order = pd.Index(m["svm_classes"]).get_indexer(self.classes_)
        return proba[:, order]

    def predict_proba(
        self,
        mdata: MuData,
        *,
        omics: Sequence[str] | None = None,
        normalise: Normalise = "model",
        log_transformed: bool = False,
    ) -> pd.DataFrame:
        """Subtype probabilities (patients × subtypes), averaged over the usable omics.

        Parameters
        ----------
        mdata
            New patients; any subset of the fitted omics, with any subset of features.
        omics
            Restrict to these omics (e.g. ``["rna"]``).
        normalise
            ``"model"``: scale with the training cohort's fitted preprocessing
            (same platform); ``"cohort"``: z-score the selected features within
            the new cohort (another platform or lab; needs a cohort, not one patient).
        log_transformed
            With ``normalise="cohort"``: the values are already log2 (skip the log step).

        Raises
        ------
        InputError
            If no fitted omic shares a feature with ``mdata``.
        """
        self.check_fitted()
        if normalise not in ("model", "cohort"):
            msg = f"normalise must be 'model' or 'cohort', got {normalise!r}"
            raise ValueError(msg)
        use = [o for o in (omics if omics is not None else self.omics_) if o in self.models_]
        total = np.zeros((mdata.n_obs, len(self.classes_)))
        count = np.zeros(mdata.n_obs)
        used = []
        per_patient: list[list[str]] = [[] for _ in range(mdata.n_obs)]
        for omic in use:
            if omic not in mdata.mod:
                continue
            adata = mdata.mod[omic]
            patients = mdata.obs_names.intersection(adata.obs_names, sort=False)
            Z, n_present = self._omic_values(
                omic, adata[patients], normalise=normalise, log_transformed=log_transformed
            )
            if n_present == 0:
                continue
            n_model = len(self.models_[omic]["features"])
            if n_present < n_model:
                logger.warning("%s: %d of the classifier's %d features are present", omic, n_present, n_model)
            rows = mdata.obs_names.get_indexer(patients)
            w = float(self.models_[omic]["weight"][0]) if self.weight_omics else 1.0
            total[rows] += w * self._omic_proba(omic, Z)
            count[rows] += w
            used.append(omic)
            for r in rows:
                per_patient[r].append(omic)
        if not used:
            wanted = {o: list(self.models_[o]["features"][:3]) for o in use}
            msg_0 = "the cohort shares no feature with the subtype classifier"
            raise InputError(
                msg_0,
                item=f"classifier omics/features e.g. {wanted}; cohort modalities {list(mdata.mod)}",
                fix="use the same feature ids (gene symbols, miRNA names) and modality names (rna, mirna)",
            )
        if (count == 0).any():
            missing = mdata.obs_names[count == 0][0]
            msg_0 = "a patient has none of the classifier's omics"
            raise InputError(msg_0, item=str(missing))
        proba = total / count[:, None]
        out = pd.DataFrame(proba, index=mdata.obs_names.copy(), columns=list(self.classes_))
        out.attrs["omics_used"] = used
        out.attrs["omics_per_patient"] = [",".join(p) for p in per_patient]
        return out

    def risk_gradient_inputs(
        self, mdata: MuData, log_hazard: Mapping[str, float]
    ) -> tuple[np.ndarray, pd.DataFrame, Any]:
        """Input and gradient of ``risk = Σ_k P(k) · log_hazard[k]`` for integrated gradients.

        Only for patients having every fitted omic (the combination weights are then fixed).

        Parameters
        ----------
        mdata
            Patients having every omic of the classifier.
        log_hazard
            Log hazard ratio per subtype.

        Returns
        -------
        The selected, preprocessed features of every omic side by side, their
        ``omic``/``feature`` names, and a function giving the gradient of each
        patient's risk at any such matrix.
        """
        self.check_fitted()
        parts, names, bounds, weights = [], [], [], []
        start = 0
        for omic in self.omics_:
            m = self.models_[omic]
            Z, _ = self._omic_values(
                omic, mdata.mod[omic][mdata.obs_names], normalise="model", log_transformed=False
            )
            parts.append(Z)
            names += [(omic, unprefixed(f, omic)) for f in m["features"]]
            bounds.append((start, start + Z.shape[1]))
            start += Z.shape[1]
            weights.append(float(m["weight"][0]) if self.weight_omics else 1.0)
        total_w = sum(weights)

        def gradient(X: np.ndarray) -> np.ndarray:
            G = np.zeros_like(X, dtype=float)
            for omic, (a, b), w in zip(self.omics_, bounds, weights, strict=True):
                m = self.models_[omic]
                L = np.array([log_hazard[str(c)] for c in m["svm_classes"]])
                A = m["platt_coef"] @ m["coef"]  # Platt score per unit of input
                s = (X[:, a:b] @ m["coef"].T + m["intercept"]) @ m["platt_coef"].T + m["platt_intercept"]
                p = _proba_from_scores(s)
                if A.shape[0] == 1:  # binary: p1 = sigmoid(s)
                    g = ((L[1] - L[0]) * p[:, 1] * p[:, 0])[:, None] * A[0]
                else:
                    g = (p * L) @ A - (p @ L)[:, None] * (p @ A)
                G[:, a:b] = w / total_w * g
            return G

        return np.concatenate(parts, axis=1), pd.DataFrame(names, columns=["omic", "feature"]), gradient

    def predict(self, mdata: MuData, **kwargs: Any) -> np.ndarray:
        """Most probable subtype per patient (see :meth:`predict_proba` for options)."""
        proba = self.predict_proba(mdata, **kwargs)
        return self.classes_[np.argmax(proba.to_numpy(), axis=1)]

    # -- persistence -----------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays: dict[str, np.ndarray] = {}
        per_omic: dict[str, dict[str, Any]] = {}
        for omic, m in self.models_.items():
            for key in _ARRAY_KEYS:
                arrays[f"{omic}.{key}"] = np.ascontiguousarray(m[key])
            per_omic[omic] = {
                "features": m["features"].tolist(),
                "svm_classes": m["svm_classes"].tolist(),
                "preprocessor": m["preprocessor"].to_dict(),
            }
        state = {"classes": self.classes_.tolist(), "omics": list(self.omics_), "models": per_omic}
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        from omicsdl.pp import Preprocessor

        classes = np.asarray(state["classes"], dtype=str)
        omics = [str(o) for o in state["omics"]]
        if len(classes) < 2 or len(set(classes)) != len(classes):
            msg = f"the classifier's subtypes {classes.tolist()} are not two or more distinct names"
            raise ModelFormatError(msg, source=source)
        per_omic = state["models"]
        if set(per_omic) != set(omics) or not omics:
            msg = f"the classifier lists omics {omics} but has models for {sorted(per_omic)}"
            raise ModelFormatError(msg, source=source)
        expected_keys = {f"{o}.{k}" for o in omics for k in _ARRAY_KEYS}
        if set(arrays) != expected_keys:
            bad = sorted(set(arrays) ^ expected_keys)
            msg = f"the classifier's arrays do not match its omics (first mismatch: {bad[0]})"
            raise ModelFormatError(msg, source=source)
        models: dict[str, dict[str, Any]] = {}
        for omic in omics:
            info = per_omic[omic]
            m: dict[str, Any] = {key: np.asarray(arrays[f"{omic}.{key}"]) for key in _ARRAY_KEYS}
            m["features"] = np.asarray(info["features"], dtype=str)
            m["svm_classes"] = np.asarray(info["svm_classes"], dtype=str)
            m["preprocessor"] = Preprocessor.from_dict(info["preprocessor"])
            _check_omic_model(omic, m, classes, source=source)
            models[omic] = m
        self.classes_ = classes
        self.omics_ = omics
        self.models_ = models


#: per-omic arrays of a fitted classifier (saved to safetensors as ``<omic>.<key>``)
_ARRAY_KEYS = ("feature_index", "f_statistic", "coef", "intercept", "platt_coef", "platt_intercept", "weight")


def _check_omic_model(omic: str, m: Mapping[str, Any], classes: np.ndarray, *, source: Path) -> None:
    """Raise :class:`ModelFormatError` unless one omic's saved SVM + Platt arrays fit together."""
    n = len(m["features"])
    n_pp = len(m["preprocessor"].features_)
    rows = 1 if len(m["svm_classes"]) == 2 else len(m["svm_classes"])
    expected = {
        "feature_index": (n,),
        "f_statistic": (n,),
        "coef": (rows, n),
        "intercept": (rows,),
        "platt_coef": (m["platt_coef"].shape[0], rows),
        "platt_intercept": (m["platt_coef"].shape[0],),
        "weight": (1,),
    }
    for key, shape in expected.items():
        if m[key].shape != shape:
            msg = f"{omic}.{key} has shape {m[key].shape}, expected {shape} for {n} features"
            raise ModelFormatError(msg, source=source)
        if key != "feature_index" and not np.isfinite(m[key]).all():
            msg = f"{omic}.{key} has missing or infinite values"
            raise ModelFormatError(msg, source=source)
    index = m["feature_index"]
    if n < 1 or not np.issubdtype(index.dtype, np.integer) or index.min() < 0 or index.max() >= n_pp:
        msg = f"{omic}.feature_index does not point into the omic's {n_pp} preprocessed features"
        raise ModelFormatError(msg, source=source)
    if sorted(m["svm_classes"]) != sorted(classes):
        msg = f"{omic}: the SVM's subtypes {m['svm_classes'].tolist()} differ from {classes.tolist()}"
        raise ModelFormatError(msg, source=source)


def _proba_from_scores(s: np.ndarray) -> np.ndarray:
    """Probabilities from Platt scores: logistic for one column (binary), softmax otherwise."""
    s = np.asarray(s, dtype=float)
    if s.ndim == 1 or s.shape[1] == 1:
        p1 = 1.0 / (1.0 + np.exp(-s.reshape(-1)))
        return np.column_stack([1 - p1, p1])
    s = s - s.max(axis=1, keepdims=True)
    proba = np.exp(s)
    return proba / proba.sum(axis=1, keepdims=True)

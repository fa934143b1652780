"""Survival subtypes from multi-omics (Chaudhary et al. 2018) as one fitted object.

``SurvivalSubtypes(...).fit(cohort)`` runs, on the training patients only:

1. per-omic preprocessing (:class:`omicsdl.pp.Preprocessor`: log2 for counts,
   median imputation, z-scores), omics concatenated;
2. an embedding: the stacked autoencoder (:class:`omicsdl.subtypes.Autoencoder`,
   500-100-500 by default) or, as a baseline, PCA with the same number of components;
3. a univariate Cox screen of every latent feature, keeping those with p < ``alpha``
   (optionally Benjamini-Hochberg adjusted) — none significant stops the fit;
4. K-means on the kept (standardised) features, k chosen by silhouette with
   Calinski-Harabasz also reported; subtypes are named ``S1`` … ``Sk`` from the
   lowest to the highest Cox hazard;
5. a :class:`omicsdl.subtypes.SubtypeClassifier` (per-omic SVMs on ANOVA-ranked
   features) that assigns new patients from any subset of omics.

A patient's **risk** is the expected log hazard ratio of the subtypes under the
classifier's probabilities: ``risk = Σ_k P(subtype k) · log HR_k`` (``log HR``
of each subtype against ``S1``, fitted on the training patients). With two
subtypes it orders patients like the probability of the poor-survival subtype.

References
----------
Chaudhary K, Poirion OB, Lu L, Garmire LX. Deep learning-based multi-omics
integration robustly predicts survival in liver cancer. Clin Cancer Res 2018;
24(6):1248-1259. doi:10.1158/1078-0432.CCR-17-0853
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import hyperparameters
from omicsdl._core._device import Device, resolve_device
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.subtypes._risk_model import _RiskModel

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from mudata import MuData

    from omicsdl._core._base import BaseEstimator
    from omicsdl.subtypes._autoencoder import Autoencoder
    from omicsdl.subtypes._classifier import SubtypeClassifier

__all__ = ["DEFAULT_AUTOENCODER", "SurvivalSubtypes", "survival_of"]

logger = logging.getLogger(__name__)

#: autoencoder settings of the pipeline: Chaudhary's published preset of :class:`omicsdl.subtypes.Autoencoder`
#: (500-100-500, 10 epochs). Earlier omicsdl versions used 30 epochs, a number chosen by looking at
#: held-out C on the demo's own folds; the published value is used instead (see the evaluation).
DEFAULT_AUTOENCODER: dict[str, Any] = {"max_epochs": 10}
Embedding = Literal["autoencoder", "autoencoder_per_omic", "pca"]
EMBEDDINGS: tuple[str, ...] = ("autoencoder", "autoencoder_per_omic", "pca")


def survival_of(mdata: MuData, *, source: str = "cohort") -> tuple[np.ndarray, np.ndarray]:
    """``(os_days, os_event)`` of every patient; a clear error when the cohort has none.

    Raises
    ------
    InputError
        ``mdata.obs`` lacks ``os_days``/``os_event``, or a patient lacks a value.
    """
    from omicsdl.survival import survival_arrays

    obs = mdata.obs
    missing = [c for c in ("os_days", "os_event") if c not in obs.columns]
    if missing:
        msg = f"the cohort has no overall survival ({', '.join(missing)} missing from .obs)"
        raise InputError(
            msg,
            source=source,
            fix="survival subtypes need os_days and os_event per patient; add them or use `subtypes predict`",
        )
    lacking = obs["os_days"].isna().to_numpy() | obs["os_event"].isna().to_numpy()
    if lacking.any():
        msg = f"{int(lacking.sum())} patient(s) lack overall survival"
        raise InputError(
            msg,
            source=source,
            item=str(obs.index[lacking][0]),
            fix="drop patients without survival before fitting",
        )
    return survival_arrays(obs["os_days"].to_numpy(dtype=float), obs["os_event"].to_numpy(), source=source)


@hyperparameters
class SurvivalSubtypes(_RiskModel):
    """Autoencoder → Cox screen → K-means → per-omic SVM classifier (Chaudhary et al. 2018).

    Parameters
    ----------
    omics
        Modalities to integrate (default: all of the cohort's).
    embedding
        ``"autoencoder"`` (published: one autoencoder on the concatenated omics),
        ``"autoencoder_per_omic"`` (DeepProg: one autoencoder per omic, their
        latent features side by side) or ``"pca"`` (ablation: ``latent_dim`` components).
    autoencoder
        Keyword arguments for :class:`omicsdl.subtypes.Autoencoder`, on top of
        :data:`DEFAULT_AUTOENCODER` (Chaudhary's 500-100-500 preset, 10 epochs).
        Its ``n_threads``, ``device`` and ``rng`` come from this model, not from here.
    alpha
        Keep latent features whose univariate Cox p-value is below this.
    adjust
        Benjamini-Hochberg-adjust the Cox p-values before thresholding (default:
        with ``p < alpha`` unadjusted, at least one of 100 latent features passes in
        every survival permutation, so the "no survival signal, no subtypes"
        safeguard would never fire).
    k
        Candidate numbers of subtypes (chosen by ``criterion``) or one fixed k.
    criterion
        ``"silhouette"`` or ``"calinski_harabasz"``; both are reported.
    min_cluster_size
        Smallest acceptable subtype.
    cluster_weighting
        ``"none"`` (published): K-means on z-scored selected features;
        ``"cox_z"``: each selected feature further scaled by its univariate Cox |z|.
    classifier
        Keyword arguments for :class:`omicsdl.subtypes.SubtypeClassifier`
        (its ``omics`` and ``rng`` come from this model).
    preprocess
        Extra keyword arguments for every omic's :class:`omicsdl.pp.Preprocessor`
        (defaults: log2 for counts, the 5,000 most variable features, protein-coding
        genes when the omic records gene types).
    n_threads
        Torch threads of the autoencoder (``None``: ``settings.n_threads``).
    device
        Where the autoencoder runs: ``"auto"`` (CUDA if available, else CPU),
        ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``); every stochastic step
        derives its seed from it.

    Attributes
    ----------
    labels_
        K-means subtype (``S1`` … ``Sk``, by increasing hazard) of each training patient.
    subtypes_
        The subtype names.
    k_
        The chosen number of subtypes; ``k_selection_`` has the scores of every candidate.
    hazard_ratios_
        Cox hazard ratio of each subtype against ``S1`` (training patients).
    selected_features_
        The survival-associated latent features kept by the Cox screen.
    autoencoder_
        The fitted :class:`~omicsdl.subtypes.Autoencoder` (``embedding="autoencoder"``).
    classifier_
        The fitted :class:`~omicsdl.subtypes.SubtypeClassifier` that assigns new patients.
    preprocessors_
        The fitted :class:`~omicsdl.pp.Preprocessor` of each omic.

    Examples
    --------
    >>> import omicsdl as od
    >>> mdata = od.datasets.tcga_lihc_demo()
    >>> model = od.subtypes.SurvivalSubtypes(rng=0).fit(mdata)  # doctest: +SKIP
    >>> model.predict(mdata)[["subtype", "risk"]].head()  # doctest: +SKIP
    """

    family: ClassVar[str] = "deep"
    _fitted_attr = "classifier_"
    _display_name = "omicsdl subtype model"

    omics: Sequence[str] | None = None
    embedding: Embedding = "autoencoder"
    autoencoder: Mapping[str, Any] | None = None
    alpha: float = 0.05
    adjust: bool = True
    k: Sequence[int] | int = (2, 3, 4, 5)
    criterion: str = "silhouette"
    min_cluster_size: int = 10
    cluster_weighting: Literal["none", "cox_z"] = "none"
    classifier: Mapping[str, Any] | None = None
    preprocess: Mapping[str, Any] | None = None
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def _validate(self) -> None:
        if self.embedding not in EMBEDDINGS:
            msg = f"embedding must be one of {list(EMBEDDINGS)}, got {self.embedding!r}"
            raise ValueError(msg)
        if self.cluster_weighting not in ("none", "cox_z"):
            msg = f"cluster_weighting must be 'none' or 'cox_z', got {self.cluster_weighting!r}"
            raise ValueError(msg)
        for name, given, own in (
            ("autoencoder", self.autoencoder, ("n_threads", "device", "rng")),
            ("classifier", self.classifier, ("omics", "rng")),
        ):
            clash = sorted(set(given or {}) & set(own))
            if clash:
                msg = f"{name}={{...}} sets {clash}: pass them to SurvivalSubtypes itself"
                raise ValueError(msg)

    # -- fitting ---------------------------------------------------------------
    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Discover subtypes on ``mdata`` (patients with every chosen omic and survival).

        Parameters
        ----------
        mdata
            The training cohort, with ``os_days`` and ``os_event`` in ``.obs``.
        source
            Name of the cohort in error messages (e.g. its file).

        Raises
        ------
        InputError
            No survival, too few events, no survival-associated latent feature
            ("no subtypes are formed"), a k the patients cannot support, or a
            ``device`` this machine does not have.
        """
        from omicsdl.subtypes._classifier import SubtypeClassifier
        from omicsdl.subtypes._kmeans import select_k
        from omicsdl.subtypes._omics_input import complete_patients
        from omicsdl.survival import cox_group_hazard_ratios, cox_univariate, select_cox_features

        self._validate()
        resolve_device(self.device)  # a missing accelerator is an error before any work
        gen = as_generator(self.rng)
        seeds = {step: derive_seed(gen) for step in ("embedding", "kmeans", "classifier")}
        omics = list(self.omics) if self.omics is not None else list(mdata.mod)
        mdata, self.left_out_ = complete_patients(mdata, omics, source=source)
        t, e = survival_of(mdata, source=source)

        key = _embedding_key(self, mdata, omics, seeds["embedding"])
        fitted = _EMBEDDING_CACHE.get(key) if key is not None else None
        if fitted is None:
            fitted = self._fit_embedding(mdata, omics, seeds["embedding"])
            if key is not None:
                _EMBEDDING_CACHE.put(key, fitted)
        for attr in ("autoencoder_", "autoencoders_", "pca_components_", "pca_mean_"):
            if attr in fitted:
                setattr(self, attr, fitted[attr])
        preprocessors, blocks, checksums = fitted["preprocessors"], fitted["blocks"], fitted["checksums"]
        Z, names = fitted["Z"], fitted["names"]
        cox = cox_univariate(Z, t, e, feature_names=names, on_constant="skip")
        selected = select_cox_features(cox, alpha=self.alpha, adjust=self.adjust)
        idx = [names.index(s) for s in selected]
        Zs = Z[:, idx]
        mu, sd = Zs.mean(axis=0), Zs.std(axis=0, ddof=1)
        sd = np.where(sd > 0, sd, 1.0)
        if self.cluster_weighting == "cox_z":
            # emphasise the latent features most associated with survival: multiply by |z|
            sd = sd / np.abs(cox.loc[selected, "z"].to_numpy())
        ksel = select_k(
            (Zs - mu) / sd,
            k_values=self.k,
            criterion=self.criterion,
            min_cluster_size=self.min_cluster_size,
            rng=seeds["kmeans"],
        )
        # name subtypes S1..Sk by increasing hazard (Cox on cluster indicators)
        raw = ksel.labels.astype(str)
        hr = cox_group_hazard_ratios(t, e, raw)
        order = hr["hazard_ratio"].sort_values(kind="stable").index.tolist()
        rename = {old: f"S{i + 1}" for i, old in enumerate(order)}
        labels = np.array([rename[c] for c in raw])
        hr_named = cox_group_hazard_ratios(t, e, labels, reference="S1")
        clf = SubtypeClassifier(**dict(self.classifier or {}), omics=omics, rng=seeds["classifier"])
        clf.fit(mdata, labels)

        self.omics_ = omics
        self.preprocessors_ = preprocessors
        self.block_sizes_ = [blocks[o].shape[1] for o in omics]
        self.latent_ = Z
        self.cox_table_ = cox
        self.selected_features_ = selected
        self.selected_index_ = np.asarray(idx, dtype=np.int64)
        self.selected_center_ = mu
        self.selected_scale_ = sd
        self.k_selection_ = ksel.table
        self.k_ = ksel.k
        centers_raw = ksel.centers[[int(old) for old in order]]
        self.cluster_centers_ = centers_raw
        self.subtypes_ = np.array([f"S{i + 1}" for i in range(ksel.k)])
        self.labels_ = pd.Series(labels, index=mdata.obs_names.copy(), name="subtype")
        self.hazard_ratios_ = hr_named
        self.log_hazard_ = np.log(hr_named.loc[self.subtypes_, "hazard_ratio"].to_numpy(dtype=float))
        self.classifier_ = clf
        self.input_checksums_ = checksums
        self.n_patients_ = int(mdata.n_obs)
        self.n_events_ = int(e.sum())
        logger.info(
            "subtypes: %d of %d latent features survival-associated; k = %d; sizes %s",
            len(selected),
            Z.shape[1],
            ksel.k,
            dict(self.labels_.value_counts().sort_index()),
        )
        return self

    def _fit_embedding(self, mdata: MuData, omics: list[str], seed: int) -> dict[str, Any]:
        """Preprocessing and the embedding (unsupervised: survival is not used)."""
        from omicsdl.pp import Preprocessor
        from omicsdl.subtypes._autoencoder import Autoencoder
        from omicsdl.subtypes._omics_input import preprocessor_params

        out: dict[str, Any] = {"preprocessors": {}, "blocks": {}, "checksums": {}}
        for omic in omics:
            adata = mdata.mod[omic][mdata.obs_names]
            pp = Preprocessor(**preprocessor_params(omic, self.preprocess)).fit(adata)
            out["preprocessors"][omic] = pp
            out["blocks"][omic] = np.asarray(pp.transform(adata).X, dtype=np.float32)
            out["checksums"][omic] = _checksum(adata)
        blocks = out["blocks"]
        ae_params = {**DEFAULT_AUTOENCODER, **(self.autoencoder or {})}
        if self.embedding == "autoencoder":
            ae = Autoencoder(**ae_params, n_threads=self.n_threads, device=self.device, rng=seed)
            out["Z"] = ae.fit_transform(blocks)
            out["autoencoder_"] = ae
            out["names"] = [f"latent_{j}" for j in range(out["Z"].shape[1])]
        elif self.embedding == "autoencoder_per_omic":
            gen_ae = as_generator(seed)
            aes = {
                omic: Autoencoder(
                    **ae_params, n_threads=self.n_threads, device=self.device, rng=derive_seed(gen_ae)
                )
                for omic in omics
            }
            out["Z"] = np.concatenate([aes[o].fit_transform(blocks[o]) for o in omics], axis=1)
            out["autoencoders_"] = aes
            out["names"] = [f"{o}_latent_{j}" for o in omics for j in range(aes[o].latent_dim)]
        else:
            from omicsdl.pp import fit_pca

            X = np.concatenate(list(blocks.values()), axis=1)
            comps, mean, _ = fit_pca(X, int(ae_params.get("latent_dim", 100)))
            out |= {"pca_components_": comps, "pca_mean_": mean, "Z": (X - mean) @ comps.T}
            out["names"] = [f"latent_{j}" for j in range(out["Z"].shape[1])]
        return out

    # -- applying --------------------------------------------------------------
    def embed(self, mdata: MuData) -> np.ndarray:
        """Latent features (autoencoder or PCA) of every patient of ``mdata``.

        A patient lacking an omic the embedding needs gets ``NaN`` there (the
        per-omic autoencoders still embed the omics the patient has).
        """
        self.check_fitted()
        blocks, has = {}, {}
        for omic in self.omics_:
            if omic not in mdata.mod:
                msg = f"the cohort has no {omic!r} modality; the embedding needs all of {self.omics_}"
                raise InputError(msg)
            pp = self.preprocessors_[omic]
            patients = mdata.obs_names.intersection(mdata.mod[omic].obs_names, sort=False)
            block = np.zeros((mdata.n_obs, len(pp.features_)), dtype=np.float32)
            rows = mdata.obs_names.get_indexer(patients)
            if len(patients):
                block[rows] = np.asarray(pp.transform(mdata.mod[omic][patients]).X, dtype=np.float32)
            blocks[omic] = block
            has[omic] = np.isin(np.arange(mdata.n_obs), rows)
        if self.embedding == "autoencoder_per_omic":
            parts = []
            for omic in self.omics_:
                z = self.autoencoders_[omic].transform(blocks[omic])
                z[~has[omic]] = np.nan
                parts.append(z)
            return np.concatenate(parts, axis=1)
        X = np.concatenate([blocks[o] for o in self.omics_], axis=1)
        Z = (
            self.autoencoder_.transform(X)
            if self.embedding == "autoencoder"
            else (X - self.pca_mean_) @ self.pca_components_.T
        )
        Z[~np.logical_and.reduce([has[o] for o in self.omics_])] = np.nan
        return Z

    def risk_from_proba(self, proba: pd.DataFrame) -> np.ndarray:
        """Return the expected log hazard ratio under subtype probabilities."""
        self.check_fitted()
        return proba[list(self.subtypes_)].to_numpy() @ self.log_hazard_

    def _prediction_table(self, proba: pd.DataFrame) -> pd.DataFrame:
        """``subtype`` (the most probable), ``risk`` and ``p_S1`` … ``p_Sk`` from subtype probabilities."""
        out = pd.DataFrame(index=proba.index)
        out["subtype"] = np.asarray(self.subtypes_)[np.argmax(proba[list(self.subtypes_)].to_numpy(), axis=1)]
        out["risk"] = self.risk_from_proba(proba)
        for s in self.subtypes_:
            out[f"p_{s}"] = proba[s].to_numpy()
        return out

    def predict(
        self,
        mdata: MuData,
        *,
        omics: Sequence[str] | None = None,
        normalise: Literal["model", "cohort"] = "model",
        log_transformed: bool = False,
    ) -> pd.DataFrame:
        """Subtype, probabilities and risk of (new) patients from any subset of the omics.

        Parameters
        ----------
        mdata
            The patients to assign (the classifier uses whichever fitted omics they have).
        omics, normalise, log_transformed
            Passed to :meth:`SubtypeClassifier.predict_proba <omicsdl.subtypes.SubtypeClassifier.predict_proba>`:
            which omics to use, whether to scale with the training preprocessing
            (``"model"``) or within the new cohort (``"cohort"``), and whether
            the values are already log2.

        Returns
        -------
        Table indexed by patient: ``subtype``, ``risk`` (expected log HR),
        ``p_S1`` … ``p_Sk``; ``attrs["omics_used"]`` lists the omics used.
        """
        self.check_fitted()
        proba = self.classifier_.predict_proba(
            mdata, omics=omics, normalise=normalise, log_transformed=log_transformed
        )
        out = self._prediction_table(proba)
        out.attrs["omics_used"] = proba.attrs.get("omics_used", [])
        out.attrs["omics_per_patient"] = proba.attrs.get("omics_per_patient", [])
        return out

    def annotate(self, mdata: MuData, *, key_added: str = "subtype") -> MuData:
        """Write ``obsm["X_autoencoder"]`` (or ``X_pca``), ``obs[key_added]``, ``obs[f"{key_added}_risk"]``.

        Every patient is assigned from the omics they have; ``obs[f"{key_added}_omics"]``
        lists them. ``obsm`` rows of patients lacking an omic the embedding needs are ``NaN``.
        Modifies ``mdata`` in place and returns it.
        """
        self.check_fitted()
        pred = self.predict(mdata)
        mdata.obs[key_added] = pd.Categorical(pred["subtype"].to_numpy(), categories=list(self.subtypes_))
        mdata.obs[f"{key_added}_risk"] = pred["risk"].to_numpy()
        mdata.obs[f"{key_added}_omics"] = pred.attrs.get(
            "omics_per_patient", pred.attrs.get("omics_used", [])
        )
        if all(o in mdata.mod for o in self.omics_):
            key = "X_autoencoder" if self.embedding.startswith("autoencoder") else f"X_{self.embedding}"
            mdata.obsm[key] = self.embed(mdata)
        return mdata

    def _attribution_inputs(self, mdata: MuData) -> tuple[np.ndarray, pd.DataFrame, Any]:
        from omicsdl.subtypes._omics_input import complete_patients

        mdata, _ = complete_patients(mdata, self.omics_, source="cohort")
        log_hazard = dict(zip(self.subtypes_, self.log_hazard_, strict=True))
        return self.classifier_.risk_gradient_inputs(mdata, log_hazard)

    # -- persistence -----------------------------------------------------------
    def _children(self) -> dict[str, BaseEstimator]:
        children: dict[str, BaseEstimator] = {}
        if self.embedding == "autoencoder":
            children["autoencoder"] = self.autoencoder_
        elif self.embedding == "autoencoder_per_omic":
            children |= {f"autoencoder_{o}": ae for o, ae in self.autoencoders_.items()}
        children["classifier"] = self.classifier_
        return children

    def _child_class(self, name: str, kind: str, *, source: Path) -> type[BaseEstimator]:
        from omicsdl.subtypes._autoencoder import Autoencoder
        from omicsdl.subtypes._classifier import SubtypeClassifier

        classes: dict[str, type[BaseEstimator]] = {
            "autoencoder": Autoencoder,
            "classifier": SubtypeClassifier,
        }
        child = classes.get("autoencoder" if name.startswith("autoencoder_") else name)
        if child is None or child.__name__ != kind:
            msg = (
                f"unexpected child model {name!r} ({kind}); a subtype model has autoencoder/ and classifier/"
            )
            raise ModelFormatError(msg, source=source)
        return child

    def _set_children(self, children: Mapping[str, BaseEstimator]) -> None:
        self._loaded_children = dict(children)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {
            "cluster_centers": self.cluster_centers_,
            "selected_index": self.selected_index_,
            "selected_center": self.selected_center_,
            "selected_scale": self.selected_scale_,
            "log_hazard": self.log_hazard_,
        }
        if self.embedding == "pca":
            arrays |= {"pca_components": self.pca_components_, "pca_mean": self.pca_mean_}
        state = {
            "omics": self.omics_,
            "block_sizes": self.block_sizes_,
            "preprocessors": {o: pp.to_dict() for o, pp in self.preprocessors_.items()},
            "subtypes": self.subtypes_.tolist(),
            "selected_features": self.selected_features_,
            "k": self.k_,
            "k_selection": self.k_selection_.reset_index().to_dict(orient="records"),
            "hazard_ratios": self.hazard_ratios_.reset_index().to_dict(orient="records"),
            "n_patients": self.n_patients_,
            "n_events": self.n_events_,
            "input_checksums": self.input_checksums_,
            "training_labels": self.labels_.to_dict(),
        }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        from omicsdl.pp import Preprocessor

        self._validate()
        children = self.__dict__.pop("_loaded_children", {})
        omics = [str(o) for o in state["omics"]]
        sizes = [int(s) for s in state["block_sizes"]]
        subtypes = np.asarray(state["subtypes"], dtype=str)
        selected = [str(f) for f in state["selected_features"]]
        k = int(state["k"])
        n_sel = len(selected)
        n_in = sum(sizes)
        if (
            len(omics) != len(sizes)
            or not omics
            or min(sizes) < 1
            or set(state["preprocessors"]) != set(omics)
        ):
            msg = f"omics {omics}, block_sizes {sizes} and the preprocessors do not describe one input"
            raise ModelFormatError(msg, source=source)
        if len(subtypes) != k or k < 2 or n_sel < 1:
            msg = f"{len(subtypes)} subtype names, k = {k} and {n_sel} selected features do not fit together"
            raise ModelFormatError(msg, source=source)
        wanted = {"cluster_centers", "selected_index", "selected_center", "selected_scale", "log_hazard"}
        if self.embedding == "pca":
            wanted |= {"pca_components", "pca_mean"}
        if set(arrays) != wanted:
            msg = f"the arrays {sorted(arrays)} are not those of a {self.embedding} subtype model {sorted(wanted)}"
            raise ModelFormatError(msg, source=source)
        shapes = {
            "cluster_centers": (k, n_sel),
            "selected_index": (n_sel,),
            "selected_center": (n_sel,),
            "selected_scale": (n_sel,),
            "log_hazard": (k,),
        }
        if self.embedding == "pca":
            n_comp = arrays["pca_components"].shape[0] if arrays["pca_components"].ndim == 2 else -1
            shapes |= {"pca_components": (n_comp, n_in), "pca_mean": (n_in,)}
        for key, shape in shapes.items():
            if arrays[key].shape != shape:
                msg = f"array {key} has shape {arrays[key].shape}, expected {shape}"
                raise ModelFormatError(msg, source=source)
            if not np.isfinite(arrays[key]).all():
                msg = f"array {key} has missing or infinite values"
                raise ModelFormatError(msg, source=source)
        expected_children = {"classifier"} | (
            {"autoencoder"}
            if self.embedding == "autoencoder"
            else {f"autoencoder_{o}" for o in omics}
            if self.embedding == "autoencoder_per_omic"
            else set()
        )
        if set(children) != expected_children:
            msg = f"sub-models {sorted(children)} found, expected {sorted(expected_children)}"
            raise ModelFormatError(msg, source=source)
        if self.embedding == "autoencoder":
            ae: Autoencoder = children["autoencoder"]  # type: ignore[assignment]
            n_latent = int(ae.latent_dim)
            if ae.n_features_in_ != n_in:
                msg = f"the autoencoder takes {ae.n_features_in_} features, the omics have {n_in}"
                raise ModelFormatError(msg, source=source)
        elif self.embedding == "autoencoder_per_omic":
            n_latent = 0
            for omic, size in zip(omics, sizes, strict=True):
                ae = children[f"autoencoder_{omic}"]  # type: ignore[assignment]
                if ae.n_features_in_ != size:
                    msg = f"the {omic} autoencoder takes {ae.n_features_in_} features, the omic has {size}"
                    raise ModelFormatError(msg, source=source)
                n_latent += int(ae.latent_dim)
        else:
            n_latent = int(shapes["pca_components"][0])
        index = arrays["selected_index"]
        if not np.issubdtype(index.dtype, np.integer) or index.min() < 0 or index.max() >= n_latent:
            msg = f"selected_index does not point into the {n_latent} latent features"
            raise ModelFormatError(msg, source=source)
        clf: SubtypeClassifier = children["classifier"]  # type: ignore[assignment]
        if sorted(clf.classes_) != sorted(subtypes):
            msg = f"the classifier's subtypes {clf.classes_.tolist()} differ from {subtypes.tolist()}"
            raise ModelFormatError(msg, source=source)
        labels = pd.Series(state["training_labels"], name="subtype")
        if not labels.isin(subtypes).all():
            msg = "a training patient's subtype is not one of the model's subtypes"
            raise ModelFormatError(msg, source=source)

        self.omics_ = omics
        self.block_sizes_ = sizes
        self.preprocessors_ = {o: Preprocessor.from_dict(state["preprocessors"][o]) for o in omics}
        self.subtypes_ = subtypes
        self.selected_features_ = selected
        self.selected_index_ = index
        self.selected_center_ = arrays["selected_center"]
        self.selected_scale_ = arrays["selected_scale"]
        self.cluster_centers_ = arrays["cluster_centers"]
        self.log_hazard_ = arrays["log_hazard"]
        self.k_ = k
        self.k_selection_ = pd.DataFrame(state["k_selection"]).set_index("k")
        self.hazard_ratios_ = pd.DataFrame(state["hazard_ratios"]).set_index("group")
        self.n_patients_ = int(state["n_patients"])
        self.n_events_ = int(state["n_events"])
        self.input_checksums_ = {str(o): str(c) for o, c in state["input_checksums"].items()}
        self.labels_ = labels
        self.left_out_ = []
        if self.embedding == "autoencoder":
            self.autoencoder_ = children["autoencoder"]
        elif self.embedding == "autoencoder_per_omic":
            self.autoencoders_ = {o: children[f"autoencoder_{o}"] for o in omics}
        else:
            self.pca_components_ = arrays["pca_components"]
            self.pca_mean_ = arrays["pca_mean"]
        self.classifier_ = clf


def _complete_patients(mdata: MuData, omics: Sequence[str], *, source: str) -> MuData:
    """``mdata`` restricted to patients with every omic (see :func:`~omicsdl.subtypes._omics_input.complete_patients`)."""
    from omicsdl.subtypes._omics_input import complete_patients

    return complete_patients(mdata, omics, source=source)[0]


def _checksum(adata: Any) -> str:
    X = adata.X.toarray() if hasattr(adata.X, "toarray") else np.asarray(adata.X)
    h = hashlib.sha256()
    h.update("\n".join(map(str, adata.obs_names)).encode())
    h.update("\n".join(map(str, adata.var_names)).encode())
    h.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    return h.hexdigest()


class _EmbeddingCache:
    """Fitted embeddings reused while :func:`reuse_embeddings` is active (thread-safe).

    Preprocessing and the embedding never see survival, so a survival
    permutation test may refit everything else on the same training patients
    with the same seed and reuse them: the result is identical to refitting them.
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._store: dict[tuple, dict[str, Any]] | None = None

    def get(self, key: tuple) -> dict[str, Any] | None:
        with self._lock:
            return None if self._store is None else self._store.get(key)

    def put(self, key: tuple, value: dict[str, Any]) -> None:
        with self._lock:
            if self._store is not None:
                self._store[key] = value

    @property
    def active(self) -> bool:
        return self._store is not None

    def activate(self, *, on: bool) -> None:
        with self._lock:
            self._store = {} if on else None


_EMBEDDING_CACHE = _EmbeddingCache()


@contextlib.contextmanager
def reuse_embeddings() -> Iterator[None]:
    """Inside the block, fits with the same patients, seed and settings reuse one fitted embedding."""
    _EMBEDDING_CACHE.activate(on=True)
    try:
        yield
    finally:
        _EMBEDDING_CACHE.activate(on=False)


def _embedding_key(model: SurvivalSubtypes, mdata: MuData, omics: list[str], seed: int) -> tuple | None:
    import json

    if not _EMBEDDING_CACHE.active:
        return None
    params = json.dumps(
        [model.embedding, model.autoencoder, model.preprocess, omics, str(model.device)],
        sort_keys=True,
        default=str,
    )
    return (hashlib.sha256("\n".join(map(str, mdata.obs_names)).encode()).hexdigest(), int(seed), params)

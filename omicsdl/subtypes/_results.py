"""Typed results of the survival-subtypes system, and the files they own.

The file names, the JSON keys and the format versions below are spelled here
and nowhere else: the CLI writes these objects, the report reads them back.

:class:`SubtypesEvaluation` (``omicsdl subtypes evaluate --out DIR``)::

    DIR/metrics.json                       the headline numbers (main file, written last)
    DIR/heldout_predictions.tsv            model, repeat, fold, patient, risk (higher = worse)
                                           [, subtype]: every held-out risk, to recompute any metric
    DIR/tables/models.tsv                  per model: every metric, time per fold, paired difference
    DIR/tables/fold_metrics.tsv            per model, repeat and fold: every metric
    DIR/tables/folds.tsv                   patient, repeat, fold (the splits every model used)
    DIR/tables/feature_stability.tsv       how often each feature is a top risk feature across fits
    DIR/tables/top_features.tsv            attributions of the recommended model fitted on all patients
    DIR/tables/permutation_null.tsv        the held-out separation statistic of every permutation
    DIR/tables/subtypes_in_sample.tsv      per patient: subtype, classifier subtype, risk, survival
    DIR/tables/per_repeat.tsv              per model and repeat: pooled held-out Harrell's C
    DIR/tables/k_selection.tsv             silhouette and Calinski-Harabasz per candidate k
    DIR/tables/hazard_ratios.tsv           Cox hazard ratio of each in-sample subtype vs S1
    DIR/tables/clinical_association.tsv    subtypes vs stage, grade, sex, age
    DIR/tables/differential_features.tsv   top differential features per omic
    DIR/tables/external_predictions.tsv    with an external cohort
    DIR/tables/km_in_sample.png, km_heldout.png, km_external.png

:class:`SubtypesFit` (``omicsdl subtypes fit --tables DIR``)::

    DIR/summary.json                       k, subtype sizes, patients, events (main file)
    DIR/subtypes.tsv                       per patient: subtype, subtype_risk, os_days, os_event
    DIR/clinical_association.tsv, differential_features.tsv, hazard_ratios.tsv, k_selection.tsv
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Self

import pandas as pd

from omicsdl._core._base import jsonable
from omicsdl._core._errors import InputError
from omicsdl._core._results import Results, results_header
from omicsdl.subtypes._characterise import SubtypeCharacterisation
from omicsdl.subtypes._compare_models import Recommendation
from omicsdl.subtypes._permutation_test import PermutationTest
from omicsdl.subtypes._transfer import TransferResult

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

    from omicsdl.subtypes._model import SurvivalSubtypes

__all__ = ["BaselineScore", "HeldoutScores", "InSampleScores", "SubtypesEvaluation", "SubtypesFit"]


def _opt(value: Any) -> float | None:
    """A finite float, or ``None``."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


TABLES = "tables"
METRICS_FILE = "metrics.json"
SUMMARY_FILE = "summary.json"
KM_IN_SAMPLE = "km_in_sample.png"
KM_HELDOUT = "km_heldout.png"
KM_EXTERNAL = "km_external.png"
HELDOUT_FILE = "heldout_predictions.tsv"
#: what ``risk`` means in every table (recorded in metrics.json)
RISK_SCORE = (
    "higher = worse: the log relative hazard of each model fitted on the training fold (subtype models: "
    "the expected log hazard ratio of the subtypes under the classifier's probabilities)"
)

#: attribute of SubtypesEvaluation -> (file in tables/, written with the row index)
_EVALUATION_TABLES: dict[str, tuple[str, bool]] = {
    "in_sample_subtypes": ("subtypes_in_sample.tsv", True),
    "models": ("models.tsv", False),
    "fold_metrics": ("fold_metrics.tsv", False),
    "folds": ("folds.tsv", False),
    "feature_stability": ("feature_stability.tsv", False),
    "top_features": ("top_features.tsv", False),
    "permutation_null": ("permutation_null.tsv", False),
    "baselines": ("baselines.tsv", False),
    "per_repeat": ("per_repeat.tsv", False),
    "k_selection": ("k_selection.tsv", True),
    "hazard_ratios": ("hazard_ratios.tsv", True),
    "characterisation.clinical": ("clinical_association.tsv", False),
    "characterisation.features": ("differential_features.tsv", False),
    "external.predictions": ("external_predictions.tsv", True),
}
#: attribute of SubtypesFit -> file (all written with their row index, as `subtypes fit` always did)
_FIT_TABLES: dict[str, str] = {
    "subtypes": "subtypes.tsv",
    "characterisation.clinical": "clinical_association.tsv",
    "characterisation.features": "differential_features.tsv",
    "hazard_ratios": "hazard_ratios.tsv",
    "k_selection": "k_selection.tsv",
    "top_features": "top_features.tsv",
}


@dataclass(frozen=True, slots=True)
class InSampleScores:
    """The in-sample replication: subtypes chosen and scored on the same patients (optimistic).

    Attributes
    ----------
    logrank_p
        Log-rank p of the K-means subtypes.
    cindex
        C-index of each patient's own subtype's log hazard ratio.
    classifier_cindex
        C-index of the classifier's risk on the same patients.
    """

    logrank_p: float | None
    cindex: float | None
    classifier_cindex: float | None = None


@dataclass(frozen=True, slots=True)
class HeldoutScores:
    """Held-out (cross-validated) scores of one model, pooled over the folds of each repeat.

    Attributes
    ----------
    cindex_mean
        Mean over repeats of the pooled held-out C-index.
    cindex_sd
        Its standard deviation over repeats (0 with one repeat).
    logrank_p
        The permutation p-value of the pooled held-out subtypes' separation
        (folders written before the model benchmark: the median over repeats of
        naive pooled log-rank p-values, which are not valid p-values).
    cindex_per_repeat, logrank_p_per_repeat
        The same per repeat (the published pipeline only; no per-repeat p since the benchmark).
    n_failed_folds
        Folds in which no subtypes were formed, summed over repeats (the autoencoder model only).
    """

    cindex_mean: float | None
    cindex_sd: float | None = None
    logrank_p: float | None = None
    cindex_per_repeat: tuple[float | None, ...] = ()
    logrank_p_per_repeat: tuple[float | None, ...] = ()
    n_failed_folds: int | None = None


@dataclass(frozen=True, slots=True)
class BaselineScore:
    """Held-out C-index of a baseline evaluated in the same folds.

    Attributes
    ----------
    name
        ``"pca"``, ``"stage"``, ``"autoencoder_plus_stage"`` or ``"<omic>_only"``.
    cindex_mean
        Mean over repeats of the pooled held-out C-index.
    cindex_sd
        Its standard deviation over repeats (recorded for PCA).
    """

    name: str
    cindex_mean: float | None
    cindex_sd: float | None = None


@dataclass(frozen=True, kw_only=True)
class SubtypesEvaluation(Results):
    """Result of :func:`~omicsdl.subtypes.evaluate_subtypes`; ``write(dir)`` / ``read(dir)``.

    Numbers a reader is after are typed attributes; the per-patient and
    per-model tables are DataFrames (``None`` when a folder read back lacks
    them). :meth:`to_dict` gives the ``metrics.json`` contract.

    Attributes
    ----------
    in_sample
        In-sample replication (as published): log-rank p and the C of the
        classifier's risk on the same patients (the kind of risk the held-out C uses).
    heldout
        Held-out scores of the published pipeline (``chaudhary``); its
        ``logrank_p`` is the permutation p-value of the held-out separation.
    recommendation
        The recommended model and the deep-vs-linear statement.
    permutation
        The permutation test of the held-out separation (p-value, count, null).
    baseline_scores
        Held-out C of every other model (as read from ``<model>_heldout_cindex_mean`` keys).
    latent_cox, latent_cox_stage, latent_cox_penalizers
        Read from folders written by omicsdl before the model benchmark (else ``None``).
    n_patients, n_events, n_left_out, k, subtype_sizes, n_selected_latent_features
        The cohort (patients lacking an omic are left out) and the in-sample model.
    omics, n_folds, n_repeats, seed, params, seconds
        How the evaluation was run (``params``: the in-sample model's hyperparameters).
    omicsdl_version
        The omicsdl that wrote a folder read back (``None`` for a fresh result).
    heldout_predictions
        ``model, repeat, fold, patient, risk`` (higher = worse) [, ``subtype``].
    models
        Per model: every metric, time per fold, the paired difference from the reference.
    fold_metrics, per_repeat, folds
        Per-fold metrics, per-repeat pooled C, and the folds every model used.
    feature_stability, top_features
        Top-feature frequency across CV fits; attributions of the recommended model on all patients.
    in_sample_subtypes, k_selection, hazard_ratios, characterisation, external
        The in-sample subtypes, their choice of k, hazard ratios, (descriptive)
        characterisation and the transfer to an external cohort.
    baselines
        A per-method table of a folder written before the model benchmark.
    model
        The in-sample model (only on a fresh result; never written).
    files
        The files a result read from disk came from (attribute → path).
    """

    _kind: ClassVar[str] = "omicsdl.SubtypesEvaluation"
    _format_version: ClassVar[int] = 2
    _main_file: ClassVar[str] = METRICS_FILE

    in_sample: InSampleScores
    heldout: HeldoutScores
    recommendation: Recommendation | None = None
    permutation: PermutationTest | None = None
    latent_cox: HeldoutScores | None = None
    latent_cox_stage: HeldoutScores | None = None
    latent_cox_penalizers: Mapping[str, tuple[float, ...]] | None = None
    baseline_scores: tuple[BaselineScore, ...] = ()
    n_patients: int | None = None
    n_events: int | None = None
    n_left_out: int | None = None
    k: int | None = None
    subtype_sizes: Mapping[str, int] = field(default_factory=dict)
    n_selected_latent_features: int | None = None
    omics: tuple[str, ...] = ()
    n_folds: int | None = None
    n_repeats: int | None = None
    seed: int | None = None
    params: Mapping[str, Any] | None = None
    seconds: float | None = None
    omicsdl_version: str | None = None
    in_sample_subtypes: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    heldout_predictions: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    models: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    fold_metrics: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    folds: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    feature_stability: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    top_features: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    baselines: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    per_repeat: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    k_selection: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    hazard_ratios: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    characterisation: SubtypeCharacterisation | None = field(default=None, repr=False, compare=False)
    external: TransferResult | None = field(default=None, repr=False, compare=False)
    model: SurvivalSubtypes | None = field(default=None, repr=False, compare=False)
    files: Mapping[str, Path] = field(default_factory=dict, repr=False, compare=False)

    @property
    def permutation_null(self) -> pd.DataFrame | None:
        """The statistic of every permutation (``permutation``, ``statistic``)."""
        if self.permutation is None or self.permutation.n_permutations == 0:
            return None
        return pd.DataFrame(
            {"permutation": range(1, len(self.permutation.null) + 1), "statistic": self.permutation.null}
        )

    def baseline(self, name: str) -> BaselineScore | None:
        """The held-out C of model ``name`` (``"pca_cox"``, ``"stage"``, …), or ``None``."""
        if self.models is not None and name in set(self.models["model"]):
            row = self.models.set_index("model").loc[name]
            return BaselineScore(name, _opt(row.get("harrell_c")), _opt(row.get("harrell_c_sd")))
        return next((b for b in self.baseline_scores if b.name == name), None)

    # -- metrics.json ------------------------------------------------------------
    def _model_summaries(self) -> dict[str, dict[str, Any]]:
        if self.models is None:
            return {}
        out = {}
        fm = self.fold_metrics
        for row in self.models.to_dict(orient="records"):
            name = str(row.pop("model"))
            if fm is not None and "harrell_c" in fm:
                row["harrell_c_per_fold"] = fm.loc[fm["model"] == name, "harrell_c"].tolist()
            out[name] = row
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``metrics.json`` contract: header, the keys `omicsdl subtypes evaluate` always wrote, then the benchmark."""
        out: dict[str, Any] = {
            **results_header(self._kind, self._format_version),
            "in_sample_logrank_p": self.in_sample.logrank_p,
            "in_sample_cindex": self.in_sample.cindex,
            "in_sample_classifier_cindex": self.in_sample.classifier_cindex,
            "heldout_cindex_mean": self.heldout.cindex_mean,
            "heldout_cindex_sd": self.heldout.cindex_sd,
            "heldout_logrank_p": self.heldout.logrank_p,
            "heldout_logrank_p_method": "permutation" if self.permutation is not None else None,
            "heldout_cindex_per_repeat": list(self.heldout.cindex_per_repeat),
            "heldout_failed_folds": self.heldout.n_failed_folds,
        }
        for key, score in (
            ("heldout_latent_cox", self.latent_cox),
            ("heldout_latent_cox_stage", self.latent_cox_stage),
        ):
            if score is not None:
                out[f"{key}_cindex_mean"] = score.cindex_mean
                out[f"{key}_cindex_sd"] = score.cindex_sd
        summaries = self._model_summaries()
        scores = (
            [
                BaselineScore(n, _opt(v.get("harrell_c")), _opt(v.get("harrell_c_sd")))
                for n, v in summaries.items()
            ]
            if summaries
            else list(self.baseline_scores)
        )
        for b in scores:
            if b.name == "chaudhary":
                continue
            out[f"{b.name}_heldout_cindex_mean"] = b.cindex_mean
            if b.cindex_sd is not None:
                out[f"{b.name}_heldout_cindex_sd"] = b.cindex_sd
        if summaries:
            out["models"] = summaries
        rec = self.recommendation
        if rec is not None:
            out |= {
                "recommended_model": rec.model,
                "recommended_model_cindex": rec.cindex,
                "recommended_model_uses_clinical": rec.uses_clinical,
                "reference_model": rec.reference,
                "recommended_compared_with": rec.compared_with,
                "recommended_difference": rec.difference,
                "recommended_difference_ci": [rec.ci_low, rec.ci_high],
                "best_deep_model": rec.best_deep,
                "best_linear_model": rec.best_linear,
                "deep_vs_linear_difference": rec.deep_vs_linear,
                "deep_vs_linear_ci": list(rec.deep_vs_linear_ci),
                "statement": rec.statement,
            }
        perm = self.permutation
        if perm is not None:
            out |= {
                "permutation_p": perm.p_value,
                "n_permutations": perm.n_permutations,
                "permutation_model": perm.model,
                "permutation_statistic": perm.statistic,
                "permutation_no_subtypes_fraction": perm.no_subtypes_fraction,
                "observed_no_subtypes_fraction": perm.observed_no_subtypes_fraction,
            }
        if self.external is not None:
            x = self.external
            sizes = x.predictions["subtype"].value_counts().sort_index()
            out |= {
                "external_n_patients": x.n_patients,
                "external_n_events": x.n_events,
                "external_n_shared_genes": x.n_shared_features,
                "external_n_training_genes": x.n_model_features,
                "external_logrank_p": x.logrank_p,
                "external_cindex": x.cindex,
                "external_subtype_sizes": {str(k): int(v) for k, v in sizes.items()},
            }
        out |= {
            "n_patients": self.n_patients,
            "n_events": self.n_events,
            "n_left_out": self.n_left_out,
            "k": self.k,
        }
        if self.k_selection is not None:
            out["k_selection"] = self.k_selection.reset_index().to_dict(orient="records")
        out |= {
            "n_selected_latent_features": self.n_selected_latent_features,
            "subtype_sizes": dict(self.subtype_sizes),
            "n_folds": self.n_folds,
            "n_repeats": self.n_repeats,
            "seed": self.seed,
            "omics": list(self.omics),
            "risk_score": RISK_SCORE,
            "params": self.params,
            "seconds": self.seconds,
        }
        return jsonable(out)

    # -- files ------------------------------------------------------------------
    def _write_files(self, directory: Path) -> None:
        from omicsdl.subtypes import _plot

        if self.heldout_predictions is not None:
            self.heldout_predictions.to_csv(directory / HELDOUT_FILE, sep="\t", index=False)
        tables = directory / TABLES
        tables.mkdir()
        for attr, (name, index) in _EVALUATION_TABLES.items():
            frame = _get(self, attr)
            if frame is not None:
                frame.to_csv(tables / name, sep="\t", index=index)
        figures = (
            (KM_IN_SAMPLE, _plot.in_sample_km, self.in_sample_subtypes),
            (KM_HELDOUT, lambda f: _plot.heldout_km(f, self.in_sample_subtypes), self.heldout_predictions),
            (KM_EXTERNAL, _plot.external_km, _get(self, "external.predictions")),
        )
        for name, draw, frame in figures:
            fig = None if frame is None else draw(frame)
            if fig is not None:
                _plot.save_and_close(fig, tables / name)
        _write_json(directory / METRICS_FILE, self.to_dict())

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> Self:
        """Read a folder written by :meth:`write` (or by ``omicsdl subtypes evaluate --out``).

        Keys absent from ``metrics.json`` read as ``None`` and absent tables as
        ``None``, so a partial folder (an older run) still reads.

        Raises
        ------
        InputError
            Not a folder, no ``metrics.json``, invalid JSON, another kind of
            result or a newer format, or a table that cannot be read.
        """
        folder, m = cls._read_main(directory)
        source = folder / METRICS_FILE
        files: dict[str, Path] = {"metrics": source}
        frames = {
            attr: _read_table(folder / TABLES / name, index=index, files=files, attr=attr)
            for attr, (name, index) in _EVALUATION_TABLES.items()
        }
        held = _read_table(folder / HELDOUT_FILE, index=False, files=files, attr="heldout_predictions")
        if held is None:  # written before the benchmark: inside tables/
            held = _read_table(
                folder / TABLES / HELDOUT_FILE, index=False, files=files, attr="heldout_predictions"
            )
        num = _Reader(m, source)
        k_selection = frames["k_selection"]
        if k_selection is None and isinstance(m.get("k_selection"), list) and m["k_selection"]:
            k_selection = pd.DataFrame(m["k_selection"]).set_index("k")
        external = None
        if "external_n_patients" in m:
            if frames["external.predictions"] is None:
                msg = "metrics.json describes an external cohort but its predictions table is missing"
                raise InputError(msg, source=folder / TABLES, fix="run the command again")
            external = TransferResult(
                predictions=frames["external.predictions"],
                n_shared_features=num.integer("external_n_shared_genes"),
                n_model_features=num.integer("external_n_training_genes"),
                logrank_p=num.number("external_logrank_p"),
                cindex=num.number("external_cindex"),
                n_patients=num.integer("external_n_patients"),
                n_events=num.integer("external_n_events"),
            )
        penalizers = m.get("latent_cox_penalizers_chosen")
        return cls(
            in_sample=InSampleScores(
                logrank_p=num.number("in_sample_logrank_p"),
                cindex=num.number("in_sample_cindex"),
                classifier_cindex=num.number("in_sample_classifier_cindex"),
            ),
            heldout=HeldoutScores(
                cindex_mean=num.number("heldout_cindex_mean"),
                cindex_sd=num.number("heldout_cindex_sd"),
                logrank_p=num.number("heldout_logrank_p"),
                cindex_per_repeat=num.numbers("heldout_cindex_per_repeat"),
                logrank_p_per_repeat=num.numbers("heldout_logrank_p_per_repeat"),
                n_failed_folds=num.integer("heldout_failed_folds"),
            ),
            recommendation=num.recommendation(),
            permutation=num.permutation(frames["permutation_null"]),
            latent_cox=num.heldout("heldout_latent_cox"),
            latent_cox_stage=num.heldout("heldout_latent_cox_stage"),
            latent_cox_penalizers=(
                None
                if not isinstance(penalizers, dict)
                else {
                    str(k): num.numbers_of(v, "latent_cox_penalizers_chosen") for k, v in penalizers.items()
                }
            ),
            baseline_scores=tuple(
                BaselineScore(
                    name=key.removesuffix("_heldout_cindex_mean"),
                    cindex_mean=num.number(key),
                    cindex_sd=num.number(key.replace("_heldout_cindex_mean", "_heldout_cindex_sd")),
                )
                for key in m
                if key.endswith("_heldout_cindex_mean") and not key.startswith("heldout_")
            )
            if frames["models"] is None
            else (),
            n_patients=num.integer("n_patients"),
            n_events=num.integer("n_events"),
            n_left_out=num.integer("n_left_out"),
            k=num.integer("k"),
            subtype_sizes=num.sizes("subtype_sizes"),
            n_selected_latent_features=num.integer("n_selected_latent_features"),
            omics=tuple(str(o) for o in (m.get("omics") or ())),
            n_folds=num.integer("n_folds"),
            n_repeats=num.integer("n_repeats"),
            seed=num.integer("seed"),
            params=m.get("params"),
            seconds=num.number("seconds"),
            omicsdl_version=m.get("omicsdl_version"),
            in_sample_subtypes=frames["in_sample_subtypes"],
            heldout_predictions=held,
            models=frames["models"],
            fold_metrics=frames["fold_metrics"],
            folds=frames["folds"],
            feature_stability=frames["feature_stability"],
            top_features=frames["top_features"],
            baselines=frames["baselines"],
            per_repeat=frames["per_repeat"],
            k_selection=k_selection,
            hazard_ratios=frames["hazard_ratios"],
            characterisation=_characterisation(frames),
            external=external,
            files=files,
        )


@dataclass(frozen=True, kw_only=True)
class SubtypesFit(Results):
    """Result of :func:`~omicsdl.subtypes.fit_subtypes`: the final model's tables.

    Attributes
    ----------
    k, n_patients, n_events, subtype_sizes
        The fitted model: number of subtypes, training patients and deaths,
        patients per (K-means) subtype.
    subtypes
        Per patient of the cohort: ``subtype`` and ``subtype_risk`` from the
        classifier, ``os_days``, ``os_event``.
    characterisation
        Clinical association and differential features of the subtypes.
    hazard_ratios, k_selection
        Of the fitted model.
    model
        The fitted :class:`~omicsdl.subtypes.SurvivalSubtypes` (only on a fresh
        result; it is saved with its own ``save``, not by :meth:`write`).
    files
        The files a result read from disk came from (attribute → path).
    """

    _kind: ClassVar[str] = "omicsdl.SubtypesFit"
    _format_version: ClassVar[int] = 1
    _main_file: ClassVar[str] = SUMMARY_FILE

    k: int | None
    n_patients: int | None = None
    n_events: int | None = None
    subtype_sizes: Mapping[str, int] = field(default_factory=dict)
    subtypes: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    characterisation: SubtypeCharacterisation | None = field(default=None, repr=False, compare=False)
    hazard_ratios: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    k_selection: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    top_features: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    model_type: str | None = None
    n_left_out: int | None = None
    left_out: tuple[str, ...] = ()
    model: Any = field(default=None, repr=False, compare=False)
    files: Mapping[str, Path] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``summary.json`` contents: header, ``model_type``, ``k``, patients, events, sizes, who was left out."""
        return jsonable(
            {
                **results_header(self._kind, self._format_version),
                "model_type": self.model_type,
                "k": self.k,
                "n_patients": self.n_patients,
                "n_events": self.n_events,
                "subtype_sizes": dict(self.subtype_sizes),
                "n_left_out": self.n_left_out,
                "left_out": list(self.left_out),
                "left_out_reason": "lacks one of the model's omics: not used for fitting, assigned from the omics it has",
            }
        )

    def _write_files(self, directory: Path) -> None:
        for attr, name in _FIT_TABLES.items():
            frame = _get(self, attr)
            if frame is not None:
                frame.to_csv(directory / name, sep="\t")
        _write_json(directory / SUMMARY_FILE, self.to_dict())

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> Self:
        """Read a folder written by :meth:`write` (``omicsdl subtypes fit --tables``).

        Raises
        ------
        InputError
            Not a complete folder of this kind, or a table that cannot be read.
        """
        folder, m = cls._read_main(directory)
        source = folder / SUMMARY_FILE
        files: dict[str, Path] = {"summary": source}
        frames = {
            attr: _read_table(folder / name, index=True, files=files, attr=attr)
            for attr, name in _FIT_TABLES.items()
        }
        num = _Reader(m, source)
        return cls(
            model_type=m.get("model_type"),
            n_left_out=num.integer("n_left_out"),
            left_out=tuple(str(p) for p in (m.get("left_out") or ())),
            top_features=frames["top_features"],
            k=num.integer("k"),
            n_patients=num.integer("n_patients"),
            n_events=num.integer("n_events"),
            subtype_sizes=num.sizes("subtype_sizes"),
            subtypes=frames["subtypes"],
            characterisation=_characterisation(frames),
            hazard_ratios=frames["hazard_ratios"],
            k_selection=frames["k_selection"],
            files=files,
        )


# -- helpers -------------------------------------------------------------------------
def _write_json(path: Path, doc: Mapping[str, Any]) -> None:
    import json

    path.write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def _characterisation(frames: Mapping[str, pd.DataFrame | None]) -> SubtypeCharacterisation | None:
    """The characterisation tables read back, when both are there."""
    clinical, features = frames["characterisation.clinical"], frames["characterisation.features"]
    if clinical is None or features is None:
        return None
    return SubtypeCharacterisation(clinical=clinical, features=features)


def _get(obj: Any, attr: str) -> Any:
    """``obj.a.b`` for ``"a.b"``; ``None`` as soon as a part is ``None``."""
    for part in attr.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _read_table(path: Path, *, index: bool, files: dict[str, Path], attr: str) -> pd.DataFrame | None:
    """A TSV written by a result (``None`` when absent), read back exactly as it was written.

    Empty cells are the only missing values (a gene called ``NA`` stays a gene), and
    floats are parsed round-trip exact (pandas' default parser may change the last digit).
    """
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(
            path,
            sep="\t",
            index_col=0 if index else None,
            keep_default_na=False,
            na_values=[""],
            float_precision="round_trip",
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        msg = f"cannot read the table ({err})"
        raise InputError(msg, source=path, fix="run the command that wrote it again") from err
    files[attr] = path
    return frame


class _Reader:
    """Typed values from a main JSON, with an InputError naming the key and the file."""

    def __init__(self, meta: Mapping[str, Any], source: Path) -> None:
        self.meta = meta
        self.source = source

    def _bad(self, key: str, kind: str) -> InputError:
        msg = f"{key} is not {kind} (found {self.meta.get(key)!r})"
        return InputError(msg, source=self.source, fix="run the command that wrote it again")

    def number(self, key: str) -> float | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "a number")
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._bad(key, "an integer")
        return value

    def numbers_of(self, value: Any, key: str) -> tuple[float | None, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or any(
            v is not None and (isinstance(v, bool) or not isinstance(v, int | float)) for v in value
        ):
            raise self._bad(key, "a list of numbers")
        return tuple(None if v is None else float(v) for v in value)

    def numbers(self, key: str) -> tuple[float | None, ...]:
        return self.numbers_of(self.meta.get(key), key)

    def sizes(self, key: str) -> dict[str, int]:
        value = self.meta.get(key) or {}
        if not isinstance(value, dict) or any(
            isinstance(v, bool) or not isinstance(v, int) for v in value.values()
        ):
            raise self._bad(key, "a mapping of subtype to patient count")
        return {str(k): v for k, v in value.items()}

    def recommendation(self) -> Recommendation | None:
        m = self.meta
        if not isinstance(m.get("recommended_model"), str):
            return None
        ci = self.numbers("recommended_difference_ci") or (None, None)
        dl = self.numbers("deep_vs_linear_ci") or (None, None)
        return Recommendation(
            model=m["recommended_model"],
            cindex=self.number("recommended_model_cindex"),
            uses_clinical=bool(m.get("recommended_model_uses_clinical")),
            reference=m.get("reference_model"),
            compared_with=m.get("recommended_compared_with"),
            difference=self.number("recommended_difference"),
            ci_low=ci[0],
            ci_high=ci[1],
            best_deep=m.get("best_deep_model"),
            best_linear=m.get("best_linear_model"),
            deep_vs_linear=self.number("deep_vs_linear_difference"),
            deep_vs_linear_ci=(dl[0], dl[1]),
            statement=str(m.get("statement") or ""),
        )

    def permutation(self, null: pd.DataFrame | None) -> PermutationTest | None:
        import numpy as np

        if "n_permutations" not in self.meta:
            return None
        return PermutationTest(
            model=str(self.meta.get("permutation_model")),
            statistic=self.number("permutation_statistic") or 0.0,
            p_value=self.number("permutation_p"),
            n_permutations=self.integer("n_permutations") or 0,
            null=np.asarray([] if null is None else null["statistic"].to_numpy(dtype=float)),
            no_subtypes_fraction=self.number("permutation_no_subtypes_fraction"),
            observed_no_subtypes_fraction=self.number("observed_no_subtypes_fraction"),
        )

    def heldout(self, prefix: str) -> HeldoutScores | None:
        if f"{prefix}_cindex_mean" not in self.meta:
            return None
        return HeldoutScores(
            cindex_mean=self.number(f"{prefix}_cindex_mean"),
            cindex_sd=self.number(f"{prefix}_cindex_sd"),
            logrank_p=self.number(f"{prefix}_logrank_p"),
        )

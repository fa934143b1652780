"""Typed results of the survival-subtypes system, and the files they own.

The file names, the JSON keys and the format versions below are spelled here
and nowhere else: the CLI writes these objects, the report reads them back.

:class:`SubtypesEvaluation` (``omicsdl subtypes evaluate --out DIR``)::

    DIR/metrics.json                       the headline numbers (main file, written last)
    DIR/tables/subtypes_in_sample.tsv      per patient: subtype, classifier subtype, risk, survival
    DIR/tables/heldout_predictions.tsv     per method, repeat, fold and held-out patient
    DIR/tables/baselines.tsv               per method: held-out C-index mean/sd, median log-rank p
    DIR/tables/per_repeat.tsv              per method and repeat
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
from omicsdl.subtypes._transfer import TransferResult

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

    from omicsdl.subtypes._model import SurvivalSubtypes

__all__ = ["BaselineScore", "HeldoutScores", "InSampleScores", "SubtypesEvaluation", "SubtypesFit"]

TABLES = "tables"
METRICS_FILE = "metrics.json"
SUMMARY_FILE = "summary.json"
KM_IN_SAMPLE = "km_in_sample.png"
KM_HELDOUT = "km_heldout.png"
KM_EXTERNAL = "km_external.png"
#: what ``risk`` means in every table (recorded in metrics.json)
RISK_SCORE = "expected training-fold log hazard ratio of the subtypes under the classifier's probabilities"

#: attribute of SubtypesEvaluation -> (file in tables/, written with the row index)
_EVALUATION_TABLES: dict[str, tuple[str, bool]] = {
    "in_sample_subtypes": ("subtypes_in_sample.tsv", True),
    "heldout_predictions": ("heldout_predictions.tsv", False),
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
        Median over repeats of the pooled held-out log-rank p.
    cindex_per_repeat, logrank_p_per_repeat
        The same per repeat (the autoencoder model only).
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
    per-method tables are DataFrames (``None`` when a folder read back lacks
    them). :meth:`to_dict` gives the ``metrics.json`` contract.

    Attributes
    ----------
    in_sample
        In-sample replication (as published): log-rank p and C-indices.
    heldout
        Held-out scores of the autoencoder model (nested cross-validation).
    latent_cox, latent_cox_stage
        Held-out scores of the ridge Cox model on the screened latent features
        (without / with clinical stage), when evaluated.
    latent_cox_penalizers
        The penalty chosen in each fold, per latent-Cox model.
    baseline_scores
        Held-out C-index of each baseline, in the order they were evaluated.
    n_patients, n_events, k, subtype_sizes, n_selected_latent_features
        The cohort and the in-sample model.
    omics, n_folds, n_repeats, seed, params, seconds
        How the evaluation was run (``params``: the in-sample model's hyperparameters).
    omicsdl_version
        The omicsdl that wrote a folder read back (``None`` for a fresh result).
    in_sample_subtypes
        Per patient: ``subtype`` (K-means), ``classifier_subtype``, ``risk``, ``os_days``, ``os_event``.
    heldout_predictions
        Per method, repeat, fold and held-out patient: ``subtype`` and ``risk`` (and survival).
    baselines
        Per method: ``cindex_mean``, ``cindex_sd``, ``logrank_p_median``, ``n_failed_folds``.
    per_repeat
        Per method and repeat: ``cindex``, ``logrank_p``, ``n_failed_folds``.
    k_selection, hazard_ratios
        Of the in-sample model.
    characterisation
        Clinical association and differential features of the in-sample subtypes.
    external
        Transfer to an external cohort, when one was given.
    model
        The in-sample model (only on a fresh result; never written).
    files
        The files a result read from disk came from (attribute → path).
    """

    _kind: ClassVar[str] = "omicsdl.SubtypesEvaluation"
    _format_version: ClassVar[int] = 1
    _main_file: ClassVar[str] = METRICS_FILE

    in_sample: InSampleScores
    heldout: HeldoutScores
    latent_cox: HeldoutScores | None = None
    latent_cox_stage: HeldoutScores | None = None
    latent_cox_penalizers: Mapping[str, tuple[float, ...]] | None = None
    baseline_scores: tuple[BaselineScore, ...] = ()
    n_patients: int | None = None
    n_events: int | None = None
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
    baselines: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    per_repeat: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    k_selection: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    hazard_ratios: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    characterisation: SubtypeCharacterisation | None = field(default=None, repr=False, compare=False)
    external: TransferResult | None = field(default=None, repr=False, compare=False)
    model: SurvivalSubtypes | None = field(default=None, repr=False, compare=False)
    files: Mapping[str, Path] = field(default_factory=dict, repr=False, compare=False)

    def baseline(self, name: str) -> BaselineScore | None:
        """The baseline called ``name`` (``"pca"``, ``"stage"``, …), or ``None``."""
        return next((b for b in self.baseline_scores if b.name == name), None)

    # -- metrics.json ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The ``metrics.json`` contract: header, then the keys `omicsdl subtypes evaluate` always wrote."""
        out: dict[str, Any] = {
            **results_header(self._kind, self._format_version),
            "in_sample_logrank_p": self.in_sample.logrank_p,
            "in_sample_cindex": self.in_sample.cindex,
            "in_sample_classifier_cindex": self.in_sample.classifier_cindex,
            "heldout_cindex_mean": self.heldout.cindex_mean,
            "heldout_cindex_sd": self.heldout.cindex_sd,
            "heldout_logrank_p": self.heldout.logrank_p,
            "heldout_cindex_per_repeat": list(self.heldout.cindex_per_repeat),
            "heldout_logrank_p_per_repeat": list(self.heldout.logrank_p_per_repeat),
            "heldout_failed_folds": self.heldout.n_failed_folds,
        }
        for key, score in (
            ("heldout_latent_cox", self.latent_cox),
            ("heldout_latent_cox_stage", self.latent_cox_stage),
        ):
            if score is not None:
                out[f"{key}_cindex_mean"] = score.cindex_mean
                out[f"{key}_cindex_sd"] = score.cindex_sd
                out[f"{key}_logrank_p"] = score.logrank_p
        if self.latent_cox_penalizers is not None:
            out["latent_cox_penalizers_chosen"] = {m: list(v) for m, v in self.latent_cox_penalizers.items()}
        for b in self.baseline_scores:
            out[f"{b.name}_heldout_cindex_mean"] = b.cindex_mean
            if b.cindex_sd is not None:
                out[f"{b.name}_heldout_cindex_sd"] = b.cindex_sd
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
        out |= {"n_patients": self.n_patients, "n_events": self.n_events, "k": self.k}
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

        tables = directory / TABLES
        tables.mkdir()
        for attr, (name, index) in _EVALUATION_TABLES.items():
            frame = _get(self, attr)
            if frame is not None:
                frame.to_csv(tables / name, sep="\t", index=index)
        figures = (
            (KM_IN_SAMPLE, _plot.in_sample_km, self.in_sample_subtypes),
            (KM_HELDOUT, _plot.heldout_km, self.heldout_predictions),
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
                if key.endswith("_heldout_cindex_mean")
            ),
            n_patients=num.integer("n_patients"),
            n_events=num.integer("n_events"),
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
            heldout_predictions=frames["heldout_predictions"],
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
    model: SurvivalSubtypes | None = field(default=None, repr=False, compare=False)
    files: Mapping[str, Path] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``summary.json`` contents: header, ``k``, ``n_patients``, ``n_events``, ``subtype_sizes``."""
        return jsonable(
            {
                **results_header(self._kind, self._format_version),
                "k": self.k,
                "n_patients": self.n_patients,
                "n_events": self.n_events,
                "subtype_sizes": dict(self.subtype_sizes),
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

    def heldout(self, prefix: str) -> HeldoutScores | None:
        if f"{prefix}_cindex_mean" not in self.meta:
            return None
        return HeldoutScores(
            cindex_mean=self.number(f"{prefix}_cindex_mean"),
            cindex_sd=self.number(f"{prefix}_cindex_sd"),
            logrank_p=self.number(f"{prefix}_logrank_p"),
        )

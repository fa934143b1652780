"""The result of :func:`~omicsdl.mrs.evaluate_mrs` and the files it owns.

:class:`MRSEvaluation` is the only place that knows the files of an ``omicsdl mrs
evaluate`` folder, the keys of its ``metrics.json`` and their format version:

* ``metrics.json``: everything below as JSON, under a ``format`` / ``format_version`` /
  ``omicsdl_version`` header; written last, so its presence means the folder is complete;
* ``classification_scores.tsv``: per held-out simulated patient the true class, P(HCC)
  and the predicted class;
* ``roc.png``: the cCNN's ROC curve and the scores per true class;
* ``fit_example.png``: the linear-combination fit of the first test spectrum (when the
  evaluation holds it, i.e. fresh from :func:`~omicsdl.mrs.evaluate_mrs`);
* ``models/qcnn`` and ``models/ccnn``: the fitted networks (``write(..., save_models=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from omicsdl._core._errors import InputError
from omicsdl._core._results import Results, results_header

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

    import pandas as pd

    from omicsdl.mrs._fit import FitResult
    from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN

__all__ = [
    "FIT_FIGURE_FILE",
    "METRICS_FILE",
    "MODELS_FOLDER",
    "ROC_FIGURE_FILE",
    "SCORES_FILE",
    "MRSClassification",
    "MRSEvaluation",
]

METRICS_FILE = "metrics.json"
SCORES_FILE = "classification_scores.tsv"
ROC_FIGURE_FILE = "roc.png"
FIT_FIGURE_FILE = "fit_example.png"
MODELS_FOLDER = "models"
FORMAT_VERSION = 1

_NOTE = "All spectra, patients and class differences are SIMULATED (see assumptions); not clinical results."
# the scalar metrics of the classification, in the order metrics.json lists them
_SCALARS = (
    "sensitivity",
    "specificity",
    "accuracy",
    "n_hcc",
    "n_non_hcc",
    "true_positive",
    "true_negative",
    "auc",
)
_SCORE_COLUMNS = ["patient", "true_class", "probability", "predicted"]


@dataclass(frozen=True)
class MRSClassification:
    """The cCNN on held-out simulated patients (HCC = positive; predicted = most probable class).

    A ``metrics.json`` written by an older omicsdl may lack some values; they read as
    ``None`` (scalars) or empty lists.

    Parameters
    ----------
    sensitivity, specificity, accuracy
        Of the predicted classes.
    n_hcc, n_non_hcc
        Held-out patients per true class.
    true_positive, true_negative
        Correctly classified HCC and non-HCC patients.
    auc
        ROC AUC of ``p_hcc`` (scikit-learn).
    p_hcc
        Per patient: predicted probability of HCC (rounded to 6 decimals, as written).
    patients, true_class, predicted
        Per patient: id, true and predicted class.
    fpr, tpr
        The ROC curve.
    """

    sensitivity: float | None = None
    specificity: float | None = None
    accuracy: float | None = None
    n_hcc: int | None = None
    n_non_hcc: int | None = None
    true_positive: int | None = None
    true_negative: int | None = None
    auc: float | None = None
    p_hcc: list[float] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)
    true_class: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    fpr: list[float] = field(default_factory=list)
    tpr: list[float] = field(default_factory=list)

    def scalars(self) -> dict[str, float | int]:
        """The scalar metrics that are known (sensitivity … auc), in their usual order."""
        return {k: getattr(self, k) for k in _SCALARS if getattr(self, k) is not None}

    def scores_by_class(self) -> dict[str, list[float]]:
        """True class → predicted HCC probabilities (HCC first, then non-HCC)."""
        return {
            c: [p for p, t in zip(self.p_hcc, self.true_class, strict=True) if t == c]
            for c in ("HCC", "non-HCC")
        }

    def to_frame(self) -> pd.DataFrame:
        """Per patient: ``patient``, ``true_class``, ``probability`` (of HCC), ``predicted``."""
        import pandas as pd

        return pd.DataFrame(
            dict(
                zip(_SCORE_COLUMNS, (self.patients, self.true_class, self.p_hcc, self.predicted), strict=True)
            )
        )

    def _to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {k: getattr(self, k) for k in _SCALARS}
        doc |= {
            "p_hcc": list(self.p_hcc),
            "patients": list(self.patients),
            "true_class": list(self.true_class),
            "predicted": list(self.predicted),
            "roc": {"fpr": list(self.fpr), "tpr": list(self.tpr)},
        }
        return doc

    @classmethod
    def _from_json(cls, doc: Mapping[str, Any], *, source: Path) -> MRSClassification:
        if not isinstance(doc, dict):
            msg = "'classification' is not a JSON object"
            raise InputError(msg, source=source, fix="run `omicsdl mrs evaluate` again")
        roc = doc.get("roc") if isinstance(doc.get("roc"), dict) else {}
        values = {k: doc.get(k) for k in _SCALARS}
        lists = {k: list(doc.get(k) or []) for k in ("p_hcc", "patients", "true_class", "predicted")}
        lengths = {len(v) for k, v in lists.items() if v}
        if len(lengths) > 1:
            msg = "'classification' lists patients, classes and probabilities of different lengths"
            raise InputError(msg, source=source, fix="run `omicsdl mrs evaluate` again")
        return cls(**values, **lists, fpr=list(roc.get("fpr") or []), tpr=list(roc.get("tpr") or []))


@dataclass(frozen=True)
class MRSEvaluation(Results):
    """What :func:`~omicsdl.mrs.evaluate_mrs` measured on SIMULATED liver spectra.

    ``evaluation.write(folder)`` writes the files listed in :mod:`omicsdl.mrs._results`;
    ``MRSEvaluation.read(folder)`` reads them back (without ``example`` and the models,
    which ``metrics.json`` does not hold).

    Parameters
    ----------
    metabolites
        Components of the basis, in order.
    qcnn_mape, fit_mape
        Metabolite → mean absolute percentage error of the qCNN and of the
        linear-combination fit on the held-out spectra.
    paired_p
        Metabolite → p-value of the paired test (``paired_test``) of their errors.
    paired_test
        The test behind ``paired_p``, in words.
    qcnn_better
        Metabolites whose qCNN error is lower than the fit's (``None`` if unknown).
    qcnn_mc_dropout_sd_median, fit_crlb_percent_median
        Metabolite → median MC-dropout sd of the qCNN and median CRLB of the fit (% of the amplitude).
    n_test_spectra
        Held-out spectra of the error table.
    classification
        The cCNN on held-out simulated patients (``None`` if not recorded).
    seconds
        Timings of the steps.
    assumptions
        The SIMULATION assumptions (class differences, patient spread, prior).
    synthetic
        Whether the data were simulated (always, for :func:`~omicsdl.mrs.evaluate_mrs`).
    note
        The plain-words caveat written with the metrics.
    example
        The fit of the first test spectrum (for ``fit_example.png``; not read back).
    qcnn, ccnn
        The fitted networks (written with ``save_models=True``; not read back).
    source
        The folder the evaluation was read from (``None`` when computed).
    """

    _kind: ClassVar[str] = "omicsdl.MRSEvaluation"
    _format_version: ClassVar[int] = FORMAT_VERSION
    _main_file: ClassVar[str] = METRICS_FILE

    metabolites: list[str] = field(default_factory=list)
    qcnn_mape: dict[str, float] = field(default_factory=dict)
    fit_mape: dict[str, float] = field(default_factory=dict)
    paired_p: dict[str, float] = field(default_factory=dict)
    paired_test: str | None = None
    qcnn_better: list[str] | None = None
    qcnn_mc_dropout_sd_median: dict[str, float] = field(default_factory=dict)
    fit_crlb_percent_median: dict[str, float] = field(default_factory=dict)
    n_test_spectra: int | None = None
    classification: MRSClassification | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    assumptions: dict[str, Any] = field(default_factory=dict)
    synthetic: bool = True
    note: str = _NOTE
    example: FitResult | None = field(default=None, compare=False, repr=False)
    qcnn: SpectrumQuantifierCNN | None = field(default=None, compare=False, repr=False)
    ccnn: SpectrumClassifierCNN | None = field(default=None, compare=False, repr=False)
    source: Path | None = field(default=None, compare=False)

    # -- the per-metabolite table ----------------------------------------------
    def per_metabolite(self) -> pd.DataFrame:
        """One row per metabolite: the per-metabolite metrics that are known, as columns."""
        import pandas as pd

        cols = {
            k: v
            for k, v in (
                ("qcnn_mape", self.qcnn_mape),
                ("fit_mape", self.fit_mape),
                ("paired_p", self.paired_p),
                ("qcnn_mc_dropout_sd_median", self.qcnn_mc_dropout_sd_median),
                ("fit_crlb_percent_median", self.fit_crlb_percent_median),
            )
            if v
        }
        if not cols:
            return pd.DataFrame()
        frame = pd.DataFrame(cols)
        frame.index.name = "metabolite"
        return frame.reset_index()

    @property
    def fit_figure(self) -> Path | None:
        """``fit_example.png`` of the folder this evaluation was read from, if it is there."""
        path = None if self.source is None else self.source / FIT_FIGURE_FILE
        return path if path is not None and path.is_file() else None

    @property
    def metrics_path(self) -> Path | None:
        """``metrics.json`` of the folder this evaluation was read from."""
        return None if self.source is None else self.source / METRICS_FILE

    # -- files -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The content of ``metrics.json`` (header first)."""
        doc = results_header(self._kind, self._format_version)
        doc |= {
            "synthetic": self.synthetic,
            "note": self.note,
            "metabolites": list(self.metabolites),
            "qcnn_mape": dict(self.qcnn_mape),
            "fit_mape": dict(self.fit_mape),
            "paired_p": dict(self.paired_p),
            "paired_test": self.paired_test,
            "qcnn_better": None if self.qcnn_better is None else list(self.qcnn_better),
            "qcnn_mc_dropout_sd_median": dict(self.qcnn_mc_dropout_sd_median),
            "fit_crlb_percent_median": dict(self.fit_crlb_percent_median),
            "n_test_spectra": self.n_test_spectra,
        }
        if self.classification is not None:
            doc["classification"] = self.classification._to_json()
        doc |= {"seconds": dict(self.seconds), "assumptions": dict(self.assumptions)}
        return doc

    def write(self, directory: str | os.PathLike[str], *, save_models: bool = False) -> dict[str, Path]:
        """Write the evaluation into ``directory``; ``metrics.json`` last.

        Parameters
        ----------
        directory
            The results folder (created if needed; files this evaluation does not write are left alone).
        save_models
            Also save the fitted qCNN and cCNN under ``models/qcnn`` and ``models/ccnn``.

        Returns
        -------
        File name (relative to ``directory``) → path written.

        Raises
        ------
        InputError
            ``save_models`` without fitted models (an evaluation read back from a folder has none).
        """
        if save_models and (self.qcnn is None or self.ccnn is None):
            msg = "this evaluation holds no fitted models to save (it was read from a folder)"
            raise InputError(msg, item="save_models", fix="save the models of a fresh evaluate_mrs() run")
        target = self if save_models else replace(self, qcnn=None, ccnn=None)
        return Results.write(target, directory)

    def _write_files(self, directory: Path) -> None:
        from omicsdl._core._atomic import write_json
        from omicsdl.mrs._files import write_tsv
        from omicsdl.mrs._plot import plot_classification_roc, plot_fit
        from omicsdl.pl import save_figure

        if self.example is not None:
            fig = plot_fit(self.example, title="SIMULATED liver spectrum: linear-combination fit")
            save_figure(fig, directory / FIT_FIGURE_FILE, dpi=110)
        cls = self.classification
        if cls is not None:
            rows = zip(cls.patients, cls.true_class, cls.p_hcc, cls.predicted, strict=True)
            write_tsv(directory / SCORES_FILE, _SCORE_COLUMNS, rows)
            if cls.fpr and cls.auc is not None:
                fig = plot_classification_roc(
                    cls.fpr, cls.tpr, auc=cls.auc, scores=cls.scores_by_class(), synthetic=self.synthetic
                )
                save_figure(fig, directory / ROC_FIGURE_FILE, dpi=110)
        for name, model in (("qcnn", self.qcnn), ("ccnn", self.ccnn)):
            if model is not None:
                model.save(directory / MODELS_FOLDER / name)
        write_json(directory / METRICS_FILE, self.to_json())

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> MRSEvaluation:
        """Read an evaluation folder written by :meth:`write` (or by ``omicsdl mrs evaluate``).

        Raises
        ------
        InputError
            No folder, no or unreadable ``metrics.json``, another kind of result or a newer
            format, or values of the wrong type.
        """
        folder, meta = cls._read_main(directory)
        source = folder / METRICS_FILE

        def mapping(key: str) -> dict[str, Any]:
            value = meta.get(key)
            if value is None:
                return {}
            if not isinstance(value, dict):
                msg = f"{key!r} is not a JSON object (one value per metabolite)"
                raise InputError(msg, source=source, fix="run `omicsdl mrs evaluate` again")
            return dict(value)

        def names(key: str) -> list[str] | None:
            value = meta.get(key)
            if value is None:
                return None
            if not isinstance(value, list):
                msg = f"{key!r} is not a JSON list"
                raise InputError(msg, source=source, fix="run `omicsdl mrs evaluate` again")
            return [str(v) for v in value]

        cls_doc = meta.get("classification")
        return cls(
            metabolites=names("metabolites") or [],
            qcnn_mape=mapping("qcnn_mape"),
            fit_mape=mapping("fit_mape"),
            paired_p=mapping("paired_p"),
            paired_test=meta.get("paired_test"),
            qcnn_better=names("qcnn_better"),
            qcnn_mc_dropout_sd_median=mapping("qcnn_mc_dropout_sd_median"),
            fit_crlb_percent_median=mapping("fit_crlb_percent_median"),
            n_test_spectra=meta.get("n_test_spectra"),
            classification=None if cls_doc is None else MRSClassification._from_json(cls_doc, source=source),
            seconds=mapping("seconds"),
            assumptions=mapping("assumptions"),
            synthetic=bool(meta.get("synthetic", True)),
            note=str(meta.get("note", _NOTE)),
            source=folder,
        )

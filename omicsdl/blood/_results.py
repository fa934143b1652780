"""The typed result of the blood-panel comparison and the files it owns.

:class:`BloodComparison` is what :func:`omicsdl.blood.compare_blood_classifiers`
returns. ``result.write(folder)`` writes, and :meth:`BloodComparison.read`
reads back:

``metrics.json``     the main file: format header, ``synthetic``, ``bayes_auc``,
                     ``methods``; per method the repeated-CV headline numbers
                     (``auc``, ``auc_ci_low``, ``auc_ci_high``, ``sensitivity``,
                     ``specificity``, ``threshold``) and the full ``cv`` and
                     ``validation`` blocks; ``settings``
``metrics.tsv``      one row per method and evaluation (:meth:`BloodComparison.to_frame`)
``roc.json``         method → evaluation → ``{"fpr": [...], "tpr": [...]}``
``roc.png``          :func:`omicsdl.blood.plot_blood_roc` (unless ``plot=False``)
``calibration.png``  :func:`omicsdl.blood.plot_blood_calibration` (unless ``plot=False``)

The JSON keys, the file names and the format version live here and nowhere
else; report sections and the CLI use the attributes.
"""

from __future__ import annotations

import contextvars
import json
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._results import Results, results_header

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

__all__ = [
    "BLOOD_METHODS",
    "BloodComparison",
    "BloodMethodResult",
    "BloodScores",
    "BloodSettings",
    "Confusion",
    "RocCurve",
]

#: The methods of the comparison, in the order they are run and reported.
BLOOD_METHODS: tuple[str, ...] = ("mlp", "logistic", "lda", "tree")

Evaluation = Literal["cv", "validation"]

METRICS_JSON = "metrics.json"
METRICS_TSV = "metrics.tsv"
ROC_JSON = "roc.json"
ROC_PNG = "roc.png"
CALIBRATION_PNG = "calibration.png"
_FIGURES = {"roc": ROC_PNG, "calibration": CALIBRATION_PNG}

SYNTHETIC_NOTE = "SYNTHETIC data (omicsdl.blood.simulate_blood_cohort): not patient data"
_CV_CONFUSION_NOTE = "mean counts per repeat over out-of-fold predictions"
#: repeated-CV numbers repeated at the top level of each method in metrics.json
_HEADLINE = ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity", "threshold")
#: the order of a block's keys in metrics.json (keys whose value is absent are left out)
_BLOCK_KEYS = (
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "auc_sd_over_repeats",
    "sensitivity",
    "specificity",
    "threshold",
    "threshold_sd",
    "confusion",
    "confusion_note",
    "calibration",
    "n",
    "n_positive",
)

_WITH_FIGURES: contextvars.ContextVar[bool] = contextvars.ContextVar("blood_with_figures", default=True)


@dataclass(frozen=True, slots=True)
class Confusion:
    """Confusion-matrix counts (means per repeat for cross-validation, so not always whole numbers).

    Parameters
    ----------
    tp, fn, tn, fp
        True positives (HCC called HCC), false negatives, true negatives, false positives.
    """

    tp: float
    fn: float
    tn: float
    fp: float


@dataclass(frozen=True, slots=True)
class RocCurve:
    """One ROC curve: false-positive rate against true-positive rate."""

    fpr: tuple[float, ...]
    tpr: tuple[float, ...]


@dataclass(frozen=True)
class BloodScores:
    """One method on one evaluation (repeated CV or the external validation cohort).

    Every field may be ``None`` when a results folder written elsewhere lacks it.

    Parameters
    ----------
    auc, auc_ci_low, auc_ci_high
        ROC AUC and its DeLong 95 % interval (CV: mean AUC over repeats,
        repeat-averaged DeLong variance).
    sensitivity, specificity
        At the threshold chosen on training samples (CV: mean over repeats).
    threshold
        Decision threshold on the HCC probability (CV: mean over folds).
    confusion
        Confusion counts (CV: mean counts per repeat).
    calibration
        :func:`omicsdl.metrics.calibration_summary` of the probabilities.
    n, n_positive
        Samples evaluated and how many of them are HCC.
    auc_sd_over_repeats, threshold_sd
        Spread of the AUC over repeats and of the threshold over folds (CV only).
    roc
        The ROC curve (CV: vertical average over repeats on a 101-point grid).
    """

    auc: float | None = None
    auc_ci_low: float | None = None
    auc_ci_high: float | None = None
    sensitivity: float | None = None
    specificity: float | None = None
    threshold: float | None = None
    confusion: Confusion | None = None
    calibration: dict[str, Any] | None = None
    n: int | None = None
    n_positive: int | None = None
    auc_sd_over_repeats: float | None = None
    threshold_sd: float | None = None
    roc: RocCurve | None = None

    @property
    def brier(self) -> float | None:
        """Brier score of the probabilities, if calibration was recorded."""
        return None if self.calibration is None else self.calibration.get("brier")

    def _to_json(self, *, cv: bool) -> dict[str, Any]:
        values: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "roc"}
        if self.confusion is not None:
            values["confusion"] = asdict(self.confusion)
            if cv:
                values["confusion_note"] = _CV_CONFUSION_NOTE
        return {k: values[k] for k in _BLOCK_KEYS if values.get(k) is not None}

    @classmethod
    def _from_json(cls, block: Mapping[str, Any], roc: RocCurve | None, *, source: Path) -> BloodScores:
        conf = block.get("confusion")
        if conf is not None and not isinstance(conf, dict):
            msg = "a 'confusion' entry is not an object"
            raise InputError(msg, source=source, fix="re-run `omicsdl blood evaluate`")
        calibration = block.get("calibration")
        try:
            return cls(
                **{k: _number(block.get(k)) for k in (*_HEADLINE, "auc_sd_over_repeats", "threshold_sd")},
                confusion=None
                if conf is None
                else Confusion(*(_count(conf.get(k, 0)) for k in ("tp", "fn", "tn", "fp"))),
                calibration=dict(calibration) if isinstance(calibration, dict) else None,
                n=None if block.get("n") is None else int(block["n"]),
                n_positive=None if block.get("n_positive") is None else int(block["n_positive"]),
                roc=roc,
            )
        except (TypeError, ValueError) as err:
            msg = f"a metrics block has a value of the wrong type ({err})"
            raise InputError(msg, source=source, fix="re-run `omicsdl blood evaluate`") from err


@dataclass(frozen=True)
class BloodMethodResult:
    """One method of the comparison: repeated CV and, when a validation cohort was given, validation.

    Parameters
    ----------
    cv
        Repeated stratified K-fold cross-validation on the training cohort.
    validation
        Models fitted on the whole training cohort, scored on the validation cohort.
    """

    cv: BloodScores
    validation: BloodScores | None = None

    def get(self, evaluation: Evaluation) -> BloodScores | None:
        """The scores of ``evaluation`` (``"cv"`` or ``"validation"``)."""
        if evaluation not in ("cv", "validation"):
            msg = f"evaluation must be 'cv' or 'validation', got {evaluation!r}"
            raise ValueError(msg)
        return self.cv if evaluation == "cv" else self.validation


@dataclass(frozen=True)
class BloodSettings:
    """How a comparison was run (recorded as ``settings`` in ``metrics.json``).

    Parameters
    ----------
    genes
        The gene panel.
    columns_used
        Panel gene → column of the training data (differs for aliases).
    label_key, positive, negative
        Label column and the HCC / control values.
    n_splits, n_repeats
        Repeated stratified K-fold scheme.
    threshold_rule
        ``"youden"`` or a target sensitivity.
    threshold_chosen_on
        Which training-sample probabilities the thresholds were chosen on.
    auc_ci
        How the AUC intervals were computed.
    n_train, n_train_positive, n_validation, n_validation_positive
        Cohort sizes and HCC counts.
    mlp_params
        Extra hyperparameters of the MLP.
    seed
        The seed of the run (``None`` when a generator was passed).
    """

    genes: list[str] | None = None
    columns_used: dict[str, str] | None = None
    label_key: str | None = None
    positive: str | list[str] | None = None
    negative: str | list[str] | None = None
    n_splits: int | None = None
    n_repeats: int | None = None
    threshold_rule: str | float | None = None
    threshold_chosen_on: str | None = None
    auc_ci: str | None = None
    n_train: int | None = None
    n_train_positive: int | None = None
    n_validation: int | None = None
    n_validation_positive: int | None = None
    mlp_params: dict[str, Any] | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``settings`` object of ``metrics.json``."""
        return asdict(self)


@dataclass(frozen=True)
class BloodComparison(Results):
    """Result of :func:`omicsdl.blood.compare_blood_classifiers`; owns its results folder.

    Parameters
    ----------
    metrics
        Method → its :class:`BloodMethodResult`, in the order the methods were run.
    synthetic
        Whether the input data are labelled synthetic.
    bayes_auc
        The simulator's Bayes-optimal AUC (synthetic data only), else ``None``.
    settings
        How the comparison was run (``None`` when a results folder does not say).
    source
        The folder :meth:`read` read it from (``None`` for a fresh result; not
        compared by ``==``).
    """

    metrics: dict[str, BloodMethodResult]
    synthetic: bool
    bayes_auc: float | None = None
    settings: BloodSettings | None = None
    source: Path | None = field(default=None, compare=False, repr=False)

    _kind = "omicsdl.BloodComparison"
    _format_version = 1
    _main_file = METRICS_JSON
    #: the main file of a results folder (present only when the folder is complete)
    main_file: ClassVar[str] = METRICS_JSON

    # -- views -------------------------------------------------------------------
    @property
    def methods(self) -> list[str]:
        """Methods in the order they were run."""
        return list(self.metrics)

    def scores(self, method: str, evaluation: Evaluation = "cv") -> BloodScores | None:
        """The scores of ``method`` on ``evaluation``; ``None`` when that evaluation was not run."""
        return self.metrics[method].get(evaluation)

    @property
    def has_validation(self) -> bool:
        """Whether any method was scored on a validation cohort."""
        return any(m.validation is not None for m in self.metrics.values())

    def figure_file(self, figure: Literal["roc", "calibration"]) -> Path | None:
        """The PNG of ``figure`` in the folder this result was read from, if it is there."""
        if self.source is None:
            return None
        path = self.source / _FIGURES[figure]
        return path if path.is_file() else None

    @property
    def metrics_file(self) -> Path | None:
        """The main file of the folder this result was read from."""
        return None if self.source is None else self.source / METRICS_JSON

    def to_dict(self) -> dict[str, Any]:
        """Return the ``metrics.json`` document.

        Per method at the top level: ``auc``, ``auc_ci_low``, ``auc_ci_high``,
        ``sensitivity``, ``specificity``, ``threshold`` from the repeated CV
        (``evaluation: "repeated_cv"``), plus the full ``cv`` and ``validation``
        blocks. Also the format header, ``synthetic``, ``bayes_auc``,
        ``methods``, ``settings``.
        """
        doc: dict[str, Any] = {
            **results_header(self._kind, self._format_version),
            "synthetic": bool(self.synthetic),
        }
        if self.synthetic:
            doc["note"] = SYNTHETIC_NOTE
        doc["bayes_auc"] = self.bayes_auc
        doc["methods"] = self.methods
        for method, result in self.metrics.items():
            cv = result.cv._to_json(cv=True)
            doc[method] = {
                "evaluation": "repeated_cv",
                **{k: cv[k] for k in _HEADLINE if k in cv},
                "cv": cv,
                "validation": None if result.validation is None else result.validation._to_json(cv=False),
            }
        doc["settings"] = None if self.settings is None else self.settings.to_dict()
        return doc

    def to_frame(self) -> pd.DataFrame:
        """One row per method and evaluation (``cv``, ``validation``), the headline numbers.

        Columns: ``method``, ``evaluation``, ``auc``, ``auc_ci_low``,
        ``auc_ci_high``, ``sensitivity``, ``specificity``, ``threshold``,
        ``brier``, ``tp``, ``fn``, ``tn``, ``fp``, ``bayes_auc``, ``synthetic``.
        """
        rows = []
        for method, result in self.metrics.items():
            for evaluation in ("cv", "validation"):
                s = result.get(evaluation)
                if s is None:
                    continue
                conf = s.confusion
                rows.append(
                    {
                        "method": method,
                        "evaluation": evaluation,
                        "auc": s.auc,
                        "auc_ci_low": s.auc_ci_low,
                        "auc_ci_high": s.auc_ci_high,
                        "sensitivity": s.sensitivity,
                        "specificity": s.specificity,
                        "threshold": s.threshold,
                        "brier": s.brier,
                        "tp": None if conf is None else conf.tp,
                        "fn": None if conf is None else conf.fn,
                        "tn": None if conf is None else conf.tn,
                        "fp": None if conf is None else conf.fp,
                        "bayes_auc": self.bayes_auc,
                        "synthetic": self.synthetic,
                    }
                )
        return pd.DataFrame(rows)

    def _roc_json(self) -> dict[str, dict[str, dict[str, list[float]]]]:
        curves: dict[str, dict[str, dict[str, list[float]]]] = {}
        for method, result in self.metrics.items():
            for evaluation in ("cv", "validation"):
                s = result.get(evaluation)
                if s is not None and s.roc is not None:
                    curves.setdefault(method, {})[evaluation] = {
                        "fpr": list(s.roc.fpr),
                        "tpr": list(s.roc.tpr),
                    }
        return curves

    # -- files -------------------------------------------------------------------
    def write(self, directory: str | os.PathLike[str], *, plot: bool = True) -> dict[str, Path]:
        """Write ``metrics.json``, ``metrics.tsv``, ``roc.json`` and the figures into ``directory``.

        Everything is staged and moved in with ``metrics.json`` last, so a folder
        with a ``metrics.json`` is always complete.

        Parameters
        ----------
        directory
            The results folder (created if needed; other files in it are left alone).
        plot
            Also draw ``roc.png`` and ``calibration.png``.

        Returns
        -------
        File name → path of every file written.
        """
        token = _WITH_FIGURES.set(plot)
        try:
            return super().write(directory)
        finally:
            _WITH_FIGURES.reset(token)

    def _write_files(self, directory: Path) -> None:
        from omicsdl._core._atomic import atomic_write, write_json

        write_json(directory / METRICS_JSON, self.to_dict())
        with atomic_write(directory / METRICS_TSV) as handle:
            self.to_frame().to_csv(handle, sep="\t", index=False, float_format="%.4f")
        write_json(directory / ROC_JSON, self._roc_json())
        if _WITH_FIGURES.get():
            from omicsdl.blood._plot import plot_blood_calibration, plot_blood_roc
            from omicsdl.pl import save_figure

            save_figure(plot_blood_roc(self), directory / ROC_PNG)
            save_figure(plot_blood_calibration(self), directory / CALIBRATION_PNG)

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> BloodComparison:
        """Read a folder written by :meth:`write` (or by ``omicsdl blood evaluate``).

        Older or hand-made folders are accepted as far as they go: the
        repeated-CV numbers may sit only at the top level of each method, ROC
        curves may be missing, and a folder that does not say ``synthetic`` is
        taken as synthetic (the cautious reading).

        Parameters
        ----------
        directory
            The results folder.

        Raises
        ------
        InputError
            No ``metrics.json``, invalid JSON, another kind of results, a newer
            format, or values of the wrong type.
        """
        folder, doc = cls._read_main(directory)
        main = folder / METRICS_JSON
        listed = doc.get("methods") or list(BLOOD_METHODS)
        if not isinstance(listed, list) or not all(isinstance(m, str) for m in listed):
            msg = "'methods' is not a list of method names"
            raise InputError(msg, source=main, fix="re-run `omicsdl blood evaluate`")
        curves = _read_curves(folder, doc)
        metrics: dict[str, BloodMethodResult] = {}
        for method in listed:
            block = doc.get(method)
            if not isinstance(block, dict):
                continue
            cv = dict(block.get("cv") or {})
            for key in (*_HEADLINE, "confusion"):
                if key in block:
                    cv.setdefault(key, block[key])
            validation = block.get("validation")
            method_curves = curves.get(method, {})
            metrics[method] = BloodMethodResult(
                cv=BloodScores._from_json(cv, method_curves.get("cv"), source=main),
                validation=None
                if not isinstance(validation, dict) or not validation
                else BloodScores._from_json(validation, method_curves.get("validation"), source=main),
            )
        settings = doc.get("settings")
        known = {f.name for f in fields(BloodSettings)}
        return cls(
            metrics=metrics,
            synthetic=bool(doc.get("synthetic", True)),
            bayes_auc=_number(doc.get("bayes_auc")),
            settings=BloodSettings(**{k: v for k, v in settings.items() if k in known})
            if isinstance(settings, dict)
            else None,
            source=folder,
        )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _count(value: Any) -> float:
    """A confusion count as written (int for validation, mean float for CV); refuses anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    return value


def _read_curves(folder: Path, doc: Mapping[str, Any]) -> dict[str, dict[str, RocCurve]]:
    """ROC curves from ``roc.json`` (or a ``roc`` object in metrics.json); method → evaluation → curve."""
    raw = doc.get("roc")
    path = folder / ROC_JSON
    if not isinstance(raw, dict):
        if not path.is_file():
            return {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            msg = f"{ROC_JSON} is not valid JSON ({err})"
            raise InputError(msg, source=path, fix="re-run `omicsdl blood evaluate`") from err
    if not isinstance(raw, dict):
        msg = f"{ROC_JSON} is not a JSON object"
        raise InputError(msg, source=path, fix="re-run `omicsdl blood evaluate`")
    curves: dict[str, dict[str, RocCurve]] = {}
    for method, entry in raw.items():
        if not isinstance(entry, dict):
            continue
        by_evaluation = {"cv": entry} if "fpr" in entry else entry  # a bare curve is the CV curve
        for evaluation, curve in by_evaluation.items():
            if isinstance(curve, dict) and "fpr" in curve and "tpr" in curve:
                try:
                    fpr = tuple(float(v) for v in curve["fpr"])
                    tpr = tuple(float(v) for v in curve["tpr"])
                except (TypeError, ValueError) as err:
                    msg = f"the ROC curve of {method} ({evaluation}) is not a list of numbers"
                    raise InputError(msg, source=path, fix="re-run `omicsdl blood evaluate`") from err
                curves.setdefault(str(method), {})[str(evaluation)] = RocCurve(fpr, tpr)
    return curves

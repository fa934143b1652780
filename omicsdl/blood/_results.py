"""The typed results of the blood-panel comparison and of the scenario table, and the files they own.

:class:`BloodComparison` is what :func:`omicsdl.blood.compare_blood_classifiers`
returns; :class:`BloodScenarioTable` what :func:`omicsdl.blood.compare_blood_scenarios`
returns (its files are listed in its docstring). For a comparison,
``result.write(folder)`` writes, and :meth:`BloodComparison.read` reads back:

``metrics.json``     the main file: format header, ``synthetic``, ``scenario``,
                     ``bayes_auc``, ``bayes_auc_validation``, ``methods``; per
                     method the repeated-CV headline numbers (``auc``,
                     ``auc_ci_low``, ``auc_ci_high``, ``sensitivity``,
                     ``specificity``, ``threshold``) and the full ``cv`` and
                     ``validation`` blocks; ``paired_tests`` (DeLong, Holm);
                     ``settings``
``metrics.tsv``      one row per method and evaluation (:meth:`BloodComparison.to_frame`)
``paired_tests.tsv`` one row per pair of methods and evaluation (:meth:`BloodComparison.paired_frame`)
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
    from collections.abc import Callable, Mapping
    from pathlib import Path

__all__ = [
    "BLOOD_METHODS",
    "BloodComparison",
    "BloodMethodResult",
    "BloodScenarioTable",
    "BloodScores",
    "BloodSettings",
    "Confusion",
    "PairedComparison",
    "PairedTest",
    "RocCurve",
    "ScenarioTableSettings",
    "ScenarioVerdict",
]

#: The methods of the comparison, in the order they are run and reported.
BLOOD_METHODS: tuple[str, ...] = ("mlp", "logistic", "lda", "tree")

Evaluation = Literal["cv", "validation"]

METRICS_JSON = "metrics.json"
METRICS_TSV = "metrics.tsv"
PAIRED_TSV = "paired_tests.tsv"
ROC_JSON = "roc.json"
ROC_PNG = "roc.png"
CALIBRATION_PNG = "calibration.png"
_FIGURES = {"roc": ROC_PNG, "calibration": CALIBRATION_PNG}
SCENARIOS_JSON = "scenarios.json"
#: where a comparison folder may hold a scenario table (``omicsdl blood scenario-table --out DIR/scenarios``)
SCENARIO_SUBFOLDER = "scenarios"
SCENARIOS_TSV = "scenarios.tsv"
SCENARIO_METHODS_TSV = "scenario_methods.tsv"
SCENARIO_PAIRS_TSV = "scenario_pairs.tsv"
LEARNING_TSV = "learning_curves.tsv"
LEARNING_PNG = "learning_curves.png"
SCENARIO_AUC_PNG = "scenario_auc.png"
_TABLE_FIGURES = {"learning_curves": LEARNING_PNG, "scenario_auc": SCENARIO_AUC_PNG}
#: adjusted p below which the table calls a difference significant
ALPHA = 0.05

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


@dataclass(frozen=True, slots=True)
class PairedTest:
    """DeLong's paired test of two methods' AUCs on one evaluation, Holm-adjusted over all pairs.

    Parameters
    ----------
    auc_difference
        AUC of method ``a`` minus AUC of method ``b`` (CV: means over repeats).
    ci_low, ci_high
        95 % interval of the difference (CV: from the repeat-averaged DeLong variance).
    p
        Two-sided p-value of "no difference".
    p_holm
        ``p`` adjusted by Holm's step-down method over every pair of the same evaluation.
    """

    auc_difference: float
    ci_low: float
    ci_high: float
    p: float
    p_holm: float

    def to_dict(self) -> dict[str, float]:
        """The JSON object (``auc_difference``, ``ci_low``, ``ci_high``, ``p``, ``p_holm``)."""
        return asdict(self)

    @classmethod
    def _from_json(cls, block: Mapping[str, Any], *, source: Path) -> PairedTest:
        try:
            return cls(**{f.name: float(block[f.name]) for f in fields(cls)})
        except (KeyError, TypeError, ValueError) as err:
            msg = f"a paired test lacks a number ({err})"
            raise InputError(msg, source=source, fix="re-run `omicsdl blood evaluate`") from err


@dataclass(frozen=True, slots=True)
class PairedComparison:
    """Method ``a`` against method ``b``: the paired test on the repeated CV and, if run, on validation.

    Parameters
    ----------
    a, b
        The two methods (``a`` listed first in the run).
    cv
        Out-of-fold probabilities of the repeated CV (the same samples for both methods).
    validation
        Models fitted on the whole training cohort, scored on the validation cohort.
    """

    a: str
    b: str
    cv: PairedTest
    validation: PairedTest | None = None

    def get(self, evaluation: Evaluation) -> PairedTest | None:
        """The test on ``evaluation`` (``"cv"`` or ``"validation"``)."""
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
    paired_test
        How methods were compared (``paired_tests`` in ``metrics.json``).
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
    paired_test: str | None = None
    n_train: int | None = None
    n_train_positive: int | None = None
    n_validation: int | None = None
    n_validation_positive: int | None = None
    mlp_params: dict[str, Any] | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``settings`` object of ``metrics.json``."""
        return asdict(self)


class _ResultsWithFigures(Results):
    """A result whose folder also holds figures, which ``write(..., plot=False)`` leaves out."""

    def write(
        self, directory: str | os.PathLike[str], *, plot: bool = True, force: bool | None = None
    ) -> dict[str, Path]:
        """Write every file of the result into ``directory``, the main file last.

        Parameters
        ----------
        directory
            The results folder (created if needed; other files in it are left alone).
        plot
            Also draw the figures (for a scenario table, also in each scenario's folder).
        force
            Replace entries omicsdl did not write (see :meth:`omicsdl._core._results.Results.write`;
            ``None``: the CLI's ``--force``).

        Returns
        -------
        File name → path of every file written.
        """
        token = _WITH_FIGURES.set(plot)
        try:
            return super().write(directory, force=force)
        finally:
            _WITH_FIGURES.reset(token)


@dataclass(frozen=True)
class BloodComparison(_ResultsWithFigures):
    """Result of :func:`omicsdl.blood.compare_blood_classifiers`; owns its results folder.

    Parameters
    ----------
    metrics
        Method → its :class:`BloodMethodResult`, in the order the methods were run.
    synthetic
        Whether the input data are labelled synthetic.
    bayes_auc
        The simulator's Bayes-optimal AUC of the training population (synthetic
        data only), else ``None``.
    scenario
        The simulation scenario (:data:`omicsdl.blood.BLOOD_SCENARIOS`), or ``None``.
    bayes_auc_validation
        The Bayes-optimal AUC of the validation population (differs from
        ``bayes_auc`` when the scenario changes the validation series).
    paired_tests
        DeLong's paired test for every pair of methods, Holm-adjusted.
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
    scenario: str | None = None
    bayes_auc_validation: float | None = None
    paired_tests: tuple[PairedComparison, ...] = ()
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

    def bayes_auc_of(self, evaluation: Evaluation) -> float | None:
        """The Bayes-optimal AUC of the population ``evaluation`` was scored on (synthetic data only)."""
        if evaluation == "validation" and self.bayes_auc_validation is not None:
            return self.bayes_auc_validation
        return self.bayes_auc

    def paired(self, a: str, b: str) -> PairedComparison | None:
        """The paired comparison of ``a`` and ``b`` (either order; the difference is ``a - b`` as stored)."""
        for test in self.paired_tests:
            if {test.a, test.b} == {a, b}:
                return test
        return None

    def paired_test(self, a: str, b: str, evaluation: Evaluation = "cv") -> PairedTest | None:
        """The paired test of ``auc_a - auc_b`` on ``evaluation`` (sign-flipped if it was stored as ``b - a``)."""
        pair = self.paired(a, b)
        test = None if pair is None else pair.get(evaluation)
        if test is None or pair is None or pair.a == a:
            return test
        return PairedTest(
            auc_difference=-test.auc_difference,
            ci_low=-test.ci_high,
            ci_high=-test.ci_low,
            p=test.p,
            p_holm=test.p_holm,
        )

    def figure_file(self, figure: Literal["roc", "calibration"]) -> Path | None:
        """The PNG of ``figure`` in the folder this result was read from, if it is there."""
        return _existing(self.source, _FIGURES[figure])

    @property
    def metrics_file(self) -> Path | None:
        """The main file of the folder this result was read from."""
        return _existing(self.source, METRICS_JSON)

    def nested_scenario_table(self) -> BloodScenarioTable | None:
        """The scenario table in this folder's ``scenarios/`` sub-folder (the blood_classifier workflow puts it there).

        ``None`` for a fresh result or a folder without one.
        """
        if _existing(self.source, f"{SCENARIO_SUBFOLDER}/{SCENARIOS_JSON}") is None:
            return None
        return BloodScenarioTable.read(self.source / SCENARIO_SUBFOLDER)  # type: ignore[operator]

    def to_dict(self) -> dict[str, Any]:
        """Return the ``metrics.json`` document.

        Per method at the top level: ``auc``, ``auc_ci_low``, ``auc_ci_high``,
        ``sensitivity``, ``specificity``, ``threshold`` from the repeated CV
        (``evaluation: "repeated_cv"``), plus the full ``cv`` and ``validation``
        blocks. Also the format header, ``synthetic``, ``scenario``,
        ``bayes_auc``, ``bayes_auc_validation``, ``methods``, ``paired_tests``
        (one entry per pair of methods: ``a``, ``b``, ``evaluation``
        (``"repeated_cv"``), ``auc_difference`` (``a - b``), ``ci_low``,
        ``ci_high``, ``p``, ``p_holm``, and the same numbers for the validation
        cohort under ``validation``) and ``settings``.
        """
        doc: dict[str, Any] = {
            **results_header(self._kind, self._format_version),
            "synthetic": bool(self.synthetic),
        }
        if self.synthetic:
            doc["note"] = SYNTHETIC_NOTE
        doc["scenario"] = self.scenario
        doc["bayes_auc"] = self.bayes_auc
        doc["bayes_auc_validation"] = self.bayes_auc_validation
        doc["methods"] = self.methods
        for method, result in self.metrics.items():
            cv = result.cv._to_json(cv=True)
            doc[method] = {
                "evaluation": "repeated_cv",
                **{k: cv[k] for k in _HEADLINE if k in cv},
                "cv": cv,
                "validation": None if result.validation is None else result.validation._to_json(cv=False),
            }
        doc["paired_tests"] = [
            {
                "a": t.a,
                "b": t.b,
                "evaluation": "repeated_cv",
                **t.cv.to_dict(),
                "validation": None if t.validation is None else t.validation.to_dict(),
            }
            for t in self.paired_tests
        ]
        doc["settings"] = None if self.settings is None else self.settings.to_dict()
        return doc

    def to_frame(self) -> pd.DataFrame:
        """One row per method and evaluation (``cv``, ``validation``), the headline numbers.

        Columns: ``method``, ``evaluation``, ``auc``, ``auc_ci_low``,
        ``auc_ci_high``, ``sensitivity``, ``specificity``, ``threshold``,
        ``brier``, ``tp``, ``fn``, ``tn``, ``fp``, ``bayes_auc`` (of the
        population evaluated), ``synthetic``, ``scenario``.
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
                        "bayes_auc": self.bayes_auc_of(evaluation),
                        "synthetic": self.synthetic,
                        "scenario": self.scenario,
                    }
                )
        return pd.DataFrame(rows)

    def paired_frame(self) -> pd.DataFrame:
        """One row per pair of methods and evaluation: the paired DeLong tests.

        Columns: ``a``, ``b``, ``evaluation`` (``cv``, ``validation``),
        ``auc_a``, ``auc_b``, ``auc_difference`` (``a - b``), ``ci_low``,
        ``ci_high``, ``p``, ``p_holm``, ``synthetic``.
        """
        rows = []
        for test in self.paired_tests:
            for evaluation in ("cv", "validation"):
                t = test.get(evaluation)
                if t is None:
                    continue
                sa, sb = self.scores(test.a, evaluation), self.scores(test.b, evaluation)
                rows.append(
                    {
                        "a": test.a,
                        "b": test.b,
                        "evaluation": evaluation,
                        "auc_a": None if sa is None else sa.auc,
                        "auc_b": None if sb is None else sb.auc,
                        **t.to_dict(),
                        "synthetic": self.synthetic,
                    }
                )
        columns = ["a", "b", "evaluation", "auc_a", "auc_b", "auc_difference", "ci_low", "ci_high", "p"]
        return pd.DataFrame(rows, columns=[*columns, "p_holm", "synthetic"])

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
    def _write_files(self, directory: Path) -> None:
        from omicsdl._core._atomic import atomic_write, write_json

        write_json(directory / METRICS_JSON, self.to_dict())
        with atomic_write(directory / METRICS_TSV) as handle:
            self.to_frame().to_csv(handle, sep="\t", index=False, float_format="%.4f")
        with atomic_write(directory / PAIRED_TSV) as handle:
            self.paired_frame().to_csv(handle, sep="\t", index=False, float_format="%.6g")
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
            scenario=None if doc.get("scenario") is None else str(doc["scenario"]),
            bayes_auc_validation=_number(doc.get("bayes_auc_validation")),
            paired_tests=_read_paired(doc.get("paired_tests"), source=main),
            settings=BloodSettings(**{k: v for k, v in settings.items() if k in known})
            if isinstance(settings, dict)
            else None,
            source=folder,
        )


def _existing(folder: Path | None, name: str) -> Path | None:
    """``folder / name`` when the result was read from a folder and the file is there."""
    if folder is None:
        return None
    path = folder / name
    return path if path.is_file() else None


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _count(value: Any) -> float:
    """A confusion count as written (int for validation, mean float for CV); refuses anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    return value


def _read_paired(raw: Any, *, source: Path) -> tuple[PairedComparison, ...]:
    """The ``paired_tests`` list of metrics.json (absent in folders written before it existed)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        msg = "'paired_tests' is not a list of objects"
        raise InputError(msg, source=source, fix="re-run `omicsdl blood evaluate`")
    out = []
    for entry in raw:
        validation = entry.get("validation")
        out.append(
            PairedComparison(
                a=str(entry.get("a")),
                b=str(entry.get("b")),
                cv=PairedTest._from_json(entry, source=source),
                validation=None
                if not isinstance(validation, dict)
                else PairedTest._from_json(validation, source=source),
            )
        )
    return tuple(out)


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


# == the scenario table ===========================================================================


@dataclass(frozen=True)
class ScenarioTableSettings:
    """How a scenario table was run (``settings`` in ``scenarios.json``).

    Parameters
    ----------
    scenarios, methods
        What was compared, in order.
    n_splits, n_repeats
        Repeated stratified K-fold scheme of each comparison.
    threshold_rule
        ``"youden"`` or a target sensitivity (inner-CV thresholds).
    learning_sizes, n_draws, n_test
        Learning curves: training sizes, draws per size, test samples per class.
    mlp_params
        Extra hyperparameters of the MLP.
    seed
        The seed of the run (``None`` when a generator was passed).
    """

    scenarios: list[str]
    methods: list[str]
    n_splits: int | None = None
    n_repeats: int | None = None
    threshold_rule: str | float | None = None
    learning_sizes: list[int] = field(default_factory=list)
    n_draws: int | None = None
    n_test: int | None = None
    mlp_params: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class ScenarioVerdict:
    """Who wins one scenario on one evaluation, with the paired evidence.

    Parameters
    ----------
    scenario, evaluation
        The scenario and ``"cv"`` or ``"validation"``.
    best
        The method with the highest AUC.
    beats
        Methods whose AUC is lower with a Holm-adjusted paired p below :data:`ALPHA`.
    ties
        Methods the paired tests cannot tell from ``best``.
    runner_up
        The method with the second-highest AUC, and the test of ``best`` against it.
    """

    scenario: str
    evaluation: str
    best: str
    beats: tuple[str, ...]
    ties: tuple[str, ...]
    runner_up: str | None
    runner_up_test: PairedTest | None


@dataclass(frozen=True)
class BloodScenarioTable(_ResultsWithFigures):
    """Result of :func:`omicsdl.blood.compare_blood_scenarios`; owns its results folder.

    ``write(folder)`` writes ``scenarios.json`` (the main file, last),
    ``scenarios.tsv`` (:meth:`to_frame`), ``scenario_methods.tsv``
    (:meth:`methods_frame`), ``scenario_pairs.tsv`` (:meth:`pairs_frame`),
    ``learning_curves.tsv``, the figures ``scenario_auc.png`` and
    ``learning_curves.png``, and one :class:`BloodComparison` folder per
    scenario (``<scenario>/metrics.json`` …).

    Parameters
    ----------
    comparisons
        Scenario → its comparison.
    scenarios
        Scenario → :meth:`~omicsdl.blood.BloodScenario.describe` (model,
        parameters, sources, Bayes AUCs).
    learning_curves
        :func:`~omicsdl.blood.blood_learning_curve` rows of every scenario, or ``None``.
    settings
        How the table was run.
    source
        The folder :meth:`read` read it from (not compared by ``==``).
    """

    comparisons: dict[str, BloodComparison]
    scenarios: dict[str, dict[str, Any]]
    learning_curves: pd.DataFrame | None = field(default=None, compare=False)
    settings: ScenarioTableSettings | None = None
    source: Path | None = field(default=None, compare=False, repr=False)

    _kind = "omicsdl.BloodScenarioTable"
    _format_version = 1
    _main_file = SCENARIOS_JSON
    #: the main file of a results folder (present only when the folder is complete)
    main_file: ClassVar[str] = SCENARIOS_JSON
    synthetic: ClassVar[bool] = True

    @property
    def names(self) -> list[str]:
        """Scenarios in the order they were run."""
        return list(self.comparisons)

    def best_linear_auc(self, scenario: str, evaluation: Evaluation = "cv") -> float | None:
        """AUC of the best linear score on the population of ``evaluation``."""
        key = "bayes_auc_validation" if evaluation == "validation" else "bayes_auc"
        return (self.scenarios.get(scenario, {}).get(key) or {}).get("best_linear")

    def verdict(self, scenario: str, evaluation: Evaluation = "cv") -> ScenarioVerdict | None:
        """Who wins ``scenario`` on ``evaluation`` (``None`` if it was not evaluated)."""
        comparison = self.comparisons[scenario]
        aucs = {
            m: s.auc
            for m in comparison.methods
            if (s := comparison.scores(m, evaluation)) and s.auc is not None
        }
        if not aucs:
            return None
        ranked = sorted(aucs, key=lambda m: -aucs[m])
        best = ranked[0]
        beats, ties = [], []
        for other in ranked[1:]:
            pair = comparison.paired(best, other)
            test = None if pair is None else pair.get(evaluation)
            (beats if test is not None and test.p_holm < ALPHA else ties).append(other)
        runner_up = ranked[1] if len(ranked) > 1 else None
        return ScenarioVerdict(
            scenario=scenario,
            evaluation=evaluation,
            best=best,
            beats=tuple(beats),
            ties=tuple(ties),
            runner_up=runner_up,
            runner_up_test=None if runner_up is None else comparison.paired_test(best, runner_up, evaluation),
        )

    def to_frame(self) -> pd.DataFrame:
        """The table "which method wins in which scenario": one row per scenario and evaluation.

        Columns: ``scenario``, ``evaluation``, ``bayes_auc``, ``best_linear_auc``,
        ``auc_<method>`` per method, ``best``, ``beats``, ``ties`` (``;``-joined),
        ``runner_up``, ``difference_to_runner_up``, ``ci_low``, ``ci_high``,
        ``p_holm`` (best vs runner-up), ``synthetic``.
        """
        rows = []
        for name, comparison in self.comparisons.items():
            for evaluation in ("cv", "validation"):
                verdict = self.verdict(name, evaluation)
                if verdict is None:
                    continue
                t = verdict.runner_up_test
                row: dict[str, Any] = {
                    "scenario": name,
                    "evaluation": evaluation,
                    "bayes_auc": comparison.bayes_auc_of(evaluation),
                    "best_linear_auc": self.best_linear_auc(name, evaluation),
                }
                for method in comparison.methods:
                    s = comparison.scores(method, evaluation)
                    row[f"auc_{method}"] = None if s is None else s.auc
                row |= {
                    "best": verdict.best,
                    "beats": ";".join(verdict.beats),
                    "ties": ";".join(verdict.ties),
                    "runner_up": verdict.runner_up,
                    "difference_to_runner_up": None if t is None else t.auc_difference,
                    "ci_low": None if t is None else t.ci_low,
                    "ci_high": None if t is None else t.ci_high,
                    "p_holm": None if t is None else t.p_holm,
                    "synthetic": True,
                }
                rows.append(row)
        return pd.DataFrame(rows)

    def methods_frame(self) -> pd.DataFrame:
        """Every comparison's :meth:`BloodComparison.to_frame`, stacked (first column ``scenario``)."""
        return self._stacked(lambda c: c.to_frame())

    def pairs_frame(self) -> pd.DataFrame:
        """Every comparison's :meth:`BloodComparison.paired_frame`, stacked (first column ``scenario``)."""
        return self._stacked(lambda c: c.paired_frame())

    def _stacked(self, frame_of: Callable[[BloodComparison], pd.DataFrame]) -> pd.DataFrame:
        frame = pd.concat(
            [frame_of(c).assign(scenario=name) for name, c in self.comparisons.items()], ignore_index=True
        )
        return frame[["scenario", *(c for c in frame.columns if c != "scenario")]]

    def figure_file(self, figure: Literal["learning_curves", "scenario_auc"]) -> Path | None:
        """The PNG of ``figure`` in the folder this result was read from, if it is there."""
        return _existing(self.source, _TABLE_FIGURES[figure])

    @property
    def main_path(self) -> Path | None:
        """``scenarios.json`` of the folder this result was read from."""
        return _existing(self.source, SCENARIOS_JSON)

    def to_dict(self) -> dict[str, Any]:
        """The ``scenarios.json`` document: header, ``synthetic``, ``note``, ``scenarios``, ``verdicts``, ``settings``.

        ``scenarios`` holds each scenario's description (model, parameters,
        sources, Bayes AUCs); ``verdicts`` one entry per scenario and
        evaluation (``best``, ``beats``, ``ties``, ``runner_up`` and the paired
        test against it). The numbers of every method sit in the scenario's
        own folder (``<scenario>/metrics.json``).
        """
        verdicts = []
        for name in self.comparisons:
            for evaluation in ("cv", "validation"):
                v = self.verdict(name, evaluation)
                if v is not None:
                    verdicts.append(
                        {
                            "scenario": name,
                            "evaluation": evaluation,
                            "best": v.best,
                            "beats": list(v.beats),
                            "ties": list(v.ties),
                            "runner_up": v.runner_up,
                            "runner_up_test": None
                            if v.runner_up_test is None
                            else v.runner_up_test.to_dict(),
                        }
                    )
        return {
            **results_header(self._kind, self._format_version),
            "synthetic": True,
            "note": SYNTHETIC_NOTE,
            "alpha": ALPHA,
            "scenarios": {name: self.scenarios.get(name, {}) for name in self.comparisons},
            "verdicts": verdicts,
            "settings": None if self.settings is None else asdict(self.settings),
        }

    def _write_files(self, directory: Path) -> None:
        from omicsdl._core._atomic import atomic_write, write_json

        for name, comparison in self.comparisons.items():
            comparison.write(directory / name, plot=_WITH_FIGURES.get())
        for file_name, frame, fmt in (
            (SCENARIOS_TSV, self.to_frame(), "%.4f"),
            (SCENARIO_METHODS_TSV, self.methods_frame(), "%.4f"),
            (SCENARIO_PAIRS_TSV, self.pairs_frame(), "%.6g"),
            (LEARNING_TSV, self.learning_curves, "%.4f"),
        ):
            if frame is not None:
                with atomic_write(directory / file_name) as handle:
                    frame.to_csv(handle, sep="\t", index=False, float_format=fmt)
        if _WITH_FIGURES.get():
            from omicsdl.blood._plot import plot_blood_learning_curves, plot_blood_scenario_auc
            from omicsdl.pl import save_figure

            save_figure(plot_blood_scenario_auc(self), directory / SCENARIO_AUC_PNG)
            if self.learning_curves is not None and len(self.learning_curves):
                save_figure(plot_blood_learning_curves(self), directory / LEARNING_PNG)
        write_json(directory / SCENARIOS_JSON, self.to_dict())

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> BloodScenarioTable:
        """Read a folder written by :meth:`write` (or by ``omicsdl blood scenario-table``).

        Raises
        ------
        InputError
            No ``scenarios.json``, invalid JSON, another kind of results, a newer
            format, a missing or unreadable scenario folder.
        """
        folder, doc = cls._read_main(directory)
        main = folder / SCENARIOS_JSON
        described = doc.get("scenarios")
        if not isinstance(described, dict) or not described:
            msg = "'scenarios' is missing or empty"
            raise InputError(msg, source=main, fix="re-run `omicsdl blood scenario-table`")
        comparisons = {name: BloodComparison.read(folder / name) for name in described}
        curves = None
        if (folder / LEARNING_TSV).is_file():
            curves = pd.read_csv(folder / LEARNING_TSV, sep="\t")
        raw = doc.get("settings")
        known = {f.name for f in fields(ScenarioTableSettings)}
        settings = (
            ScenarioTableSettings(**{k: v for k, v in raw.items() if k in known})
            if isinstance(raw, dict) and "scenarios" in raw and "methods" in raw
            else None
        )
        return cls(
            comparisons=comparisons,
            scenarios={str(k): dict(v) if isinstance(v, dict) else {} for k, v in described.items()},
            learning_curves=curves,
            settings=settings,
            source=folder,
        )

"""The published comparison of Xie et al. (2018) in one run: MLP vs LR, LDA and a tree.

Four methods on the same panel matrix:

``mlp``       :class:`omicsdl.blood.BloodPanelClassifier` (torch, class-weighted)
``logistic``  standardise + ``LogisticRegression(class_weight="balanced")`` (L2, C = 1; Newton solver)
``lda``       ``LinearDiscriminantAnalysis()`` (SVD solver, class priors from the data)
``tree``      ``DecisionTreeClassifier(max_depth=4, min_samples_leaf=5, class_weight="balanced")``

Evaluation
----------
Repeated stratified K-fold cross-validation on the training cohort (10 × 5 by
default) and, when given, an external validation cohort scored by models fitted
on the whole training cohort.

* **AUC** — per repeat, the ROC AUC of the pooled out-of-fold probabilities;
  reported: the mean over repeats. **95 % CI**: DeLong; per repeat the DeLong
  variance, averaged over repeats (repeats re-use the same samples, so the
  variance is *not* divided by the number of repeats), ``AUC ± 1.96 sqrt(var)``.
  On the validation cohort: AUC and DeLong CI directly.
* **Threshold** — chosen on each fold's *training* samples only, by Youden's J
  or a target sensitivity, on out-of-fold probabilities of an inner stratified
  CV within the training fold (default, ``threshold_source="inner-cv"``) or on
  the fold model's own training probabilities (``"in-sample"``: faster, but
  optimistic, worst for the tree); then applied unchanged to the held-out
  samples. Sensitivity, specificity and the confusion matrix are per repeat and
  averaged (the confusion matrix is mean counts per repeat).
* **Calibration** — Brier score and a 5-bin quantile reliability table of the
  out-of-fold (or validation) probabilities. Class weighting shifts the
  probabilities of ``mlp``, ``logistic`` and ``tree`` towards balanced classes, so
  they are not calibrated to the cohort's prevalence; AUC is unaffected.
* **ROC curve** — vertical average over repeats on a 101-point FPR grid.
* **Paired tests** — DeLong's test of the AUC difference for every pair of
  methods (the same samples score both), on the CV out-of-fold probabilities
  (AUCs and DeLong covariances averaged over repeats) and on the validation
  cohort; p-values Holm-adjusted over the pairs of each evaluation
  (:func:`omicsdl.blood._paired.paired_delong_tests`). The validation test is
  DeLong's exactly; the CV test ignores the variation due to the training set.

When the training data are SYNTHETIC (:func:`omicsdl.blood.simulate_blood_cohort`,
:func:`omicsdl.blood.simulate_blood_scenario`), the result says so
(``synthetic``) and carries the scenario and the Bayes-optimal AUC of the
training and of the validation population.

Compute only: the result is a :class:`~omicsdl.blood.BloodComparison`, which
writes its own files and figures (``result.write(folder)``).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.blood._paired import paired_delong_tests
from omicsdl.blood._panel import NINE_GENE_PANEL, PanelData, extract_panel
from omicsdl.blood._results import (
    BLOOD_METHODS,
    BloodComparison,
    BloodMethodResult,
    BloodScores,
    BloodSettings,
    Confusion,
    PairedComparison,
    RocCurve,
)
from omicsdl.blood._threshold import ThresholdRule, choose_threshold
from omicsdl.metrics import auc_delong, calibration_summary, threshold_metrics
from omicsdl.metrics._delong import _auc_interval

if TYPE_CHECKING:
    from anndata import AnnData

__all__ = ["compare_blood_classifiers"]

logger = logging.getLogger(__name__)

_FPR_GRID = np.linspace(0.0, 1.0, 101)
#: fewest samples of each class an outer training fold needs for inner-CV thresholds
_MIN_PER_CLASS_INNER_CV = 3


def _sklearn_model(method: str, seed: int) -> Any:
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    if method == "logistic":
        return make_pipeline(
            StandardScaler(),
            LogisticRegression(class_weight="balanced", solver="newton-cholesky", max_iter=1000),
        )
    if method == "lda":
        return LinearDiscriminantAnalysis()
    if method == "tree":
        return DecisionTreeClassifier(
            max_depth=4, min_samples_leaf=5, class_weight="balanced", random_state=seed
        )
    msg = f"unknown method {method!r}; choose from {', '.join(BLOOD_METHODS)}"
    raise InputError(msg, item=method)


def _fit_score(
    method: str,
    X: np.ndarray,
    y: np.ndarray,
    masks: np.ndarray,
    seed: int,
    mlp_params: Mapping[str, Any],
    genes: Sequence[str],
) -> tuple[list[np.ndarray], list[Any]]:
    """Fit one model per training mask; return (full-matrix probabilities per fold, models)."""
    if method == "mlp":
        from omicsdl.blood._model import BloodPanelClassifier

        template = BloodPanelClassifier(genes=tuple(genes), rng=seed, **mlp_params)
        models = template.fit_many(X, y, masks)
        return [m.predict_proba(X) for m in models], models
    probs, models = [], []
    for mask in masks:
        model = _sklearn_model(method, seed).fit(X[mask], y[mask])
        probs.append(model.predict_proba(X)[:, 1])
        models.append(model)
    return probs, models


def _inner_masks(y: np.ndarray, outer: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Inner stratified K-fold training masks within each outer training mask (K <= 5)."""
    from sklearn.model_selection import StratifiedKFold

    masks, owner = [], []
    for f, mask in enumerate(outer):
        idx = np.flatnonzero(mask)
        n_pos = int(y[idx].sum())
        k = min(5, n_pos, idx.size - n_pos)
        if k < 2:
            msg = "too few training samples per class for inner-CV thresholds"
            raise InputError(msg, fix="use threshold_source='in-sample' (CLI: --threshold-source in-sample)")
        for train_idx, _ in StratifiedKFold(n_splits=k, shuffle=True, random_state=seed + f).split(
            idx, y[idx]
        ):
            inner = np.zeros(y.size, dtype=bool)
            inner[idx[train_idx]] = True
            masks.append(inner)
            owner.append(f)
    return np.array(masks), np.array(owner)


def _thresholds(
    method: str,
    X: np.ndarray,
    y: np.ndarray,
    masks: np.ndarray,
    probs: list[np.ndarray],
    *,
    rule: ThresholdRule,
    source: str,
    seed: int,
    mlp_params: Mapping[str, Any],
    genes: Sequence[str],
) -> np.ndarray:
    """One threshold per training mask, from training samples only."""
    if source == "in-sample":
        scores = list(probs)
    else:
        inner, owner = _inner_masks(y, masks, seed)
        inner_probs, _ = _fit_score(method, X, y, inner, seed, mlp_params, genes)
        oof = np.full((len(masks), y.size), np.nan)
        for k, mask in enumerate(inner):
            held = masks[owner[k]] & ~mask
            oof[owner[k], held] = inner_probs[k][held]
        scores = list(oof)
    return np.array([choose_threshold(y[m], scores[f][m], rule=rule) for f, m in enumerate(masks)])


def _roc_on_grid(y: np.ndarray, score: np.ndarray) -> np.ndarray:
    from sklearn.metrics import roc_curve

    fpr, tpr, _ = roc_curve(y, score)
    return np.interp(_FPR_GRID, fpr, tpr)


def _check_duplicate_profiles(panel: PanelData, source: str) -> None:
    dup = panel.X.duplicated(keep=False)
    if dup.any():
        ids = list(panel.X.index[dup][:4])
        warnings.warn(
            f"{source}: {int(dup.sum())} samples have identical panel values ({', '.join(ids)} …); "
            "a sample may have been entered twice under different ids",
            UserWarning,
            stacklevel=3,
        )


def _cv_scores(
    y: np.ndarray, oof: np.ndarray, thresholds: np.ndarray, pred: np.ndarray, n_repeats: int
) -> BloodScores:
    aucs, variances, sens, spec, counts, curves = [], [], [], [], [], []
    for r in range(n_repeats):
        auc, var, _, _ = auc_delong(y, oof[r])
        aucs.append(auc)
        variances.append(var)
        tm = threshold_metrics(y, pred[r].astype(float), 0.5)
        sens.append(tm.sensitivity)
        spec.append(tm.specificity)
        counts.append([tm.tp, tm.fn, tm.tn, tm.fp])
        curves.append(_roc_on_grid(y, oof[r]))
    auc = float(np.mean(aucs))
    ci_low, ci_high = _auc_interval(auc, float(np.mean(variances)))
    mean_counts = np.mean(counts, axis=0)
    tpr = np.mean(curves, axis=0)
    tpr[0] = 0.0
    return BloodScores(
        auc=auc,
        auc_ci_low=ci_low,
        auc_ci_high=ci_high,
        auc_sd_over_repeats=float(np.std(aucs, ddof=1)) if n_repeats > 1 else 0.0,
        sensitivity=float(np.mean(sens)),
        specificity=float(np.mean(spec)),
        threshold=float(np.mean(thresholds)),
        threshold_sd=float(np.std(thresholds)),
        confusion=Confusion(*map(float, mean_counts)),
        calibration=calibration_summary(np.tile(y, n_repeats), oof.ravel()),
        n=int(y.size),
        n_positive=int(y.sum()),
        roc=RocCurve(tuple(_FPR_GRID.tolist()), tuple(tpr.tolist())),
    )


def _validation_scores(y: np.ndarray, prob: np.ndarray, threshold: float) -> BloodScores:
    from sklearn.metrics import roc_curve

    auc, _, lo, hi = auc_delong(y, prob)
    tm = threshold_metrics(y, prob, threshold)
    fpr, tpr, _ = roc_curve(y, prob)
    return BloodScores(
        auc=auc,
        auc_ci_low=lo,
        auc_ci_high=hi,
        sensitivity=tm.sensitivity,
        specificity=tm.specificity,
        threshold=threshold,
        confusion=Confusion(tm.tp, tm.fn, tm.tn, tm.fp),
        calibration=calibration_summary(y, prob),
        n=int(y.size),
        n_positive=int(y.sum()),
        roc=RocCurve(tuple(fpr.tolist()), tuple(tpr.tolist())),
    )


def compare_blood_classifiers(
    train: AnnData,
    *,
    label_key: str = "condition",
    positive: str | Sequence[str] = "HCC",
    negative: str | Sequence[str] | None = None,
    validation: AnnData | None = None,
    genes: Sequence[str] = NINE_GENE_PANEL,
    methods: Sequence[str] = BLOOD_METHODS,
    n_splits: int = 5,
    n_repeats: int = 10,
    threshold: ThresholdRule = "youden",
    threshold_source: Literal["in-sample", "inner-cv"] = "inner-cv",
    mlp_params: Mapping[str, Any] | None = None,
    allow_ct_like: bool = False,
    rng: RNGLike = None,
) -> BloodComparison:
    """Compare the MLP with logistic regression, LDA and a classification tree.

    Parameters
    ----------
    train
        Training cohort, samples × genes (log-scale relative expression).
    label_key
        Column of ``.obs`` with the class (e.g. ``"condition"`` or a GEO characteristic).
    positive, negative
        Label value(s) of HCC and, optionally, of the controls (others are dropped).
    validation
        Optional external validation cohort (same genes and label column).
    genes
        Gene panel; aliases are mapped (:data:`omicsdl.blood.PANEL_ALIASES`).
    methods
        Subset of ``("mlp", "logistic", "lda", "tree")``.
    n_splits, n_repeats
        Repeated stratified K-fold scheme on the training cohort.
    threshold
        ``"youden"`` or a target sensitivity; chosen on training samples only.
    threshold_source
        Which training-sample probabilities the threshold is chosen on:
        ``"inner-cv"`` (default: out-of-fold probabilities from an inner
        stratified K-fold, K ≤ 5, within each training fold; about K + 1 times
        the fitting cost) or ``"in-sample"`` (the fold model's own training
        probabilities; fast, but optimistic for flexible models such as the tree).
    mlp_params
        Extra keyword arguments of :class:`~omicsdl.blood.BloodPanelClassifier`.
    allow_ct_like
        Accept values that look like raw Ct (see :func:`omicsdl.io.check_not_ct`).
    rng
        Seed or generator for fold assignment and model initialisation
        (``None``: ``settings.seed``).

    Returns
    -------
    The comparison; write its files with ``result.write(folder)``
    (:meth:`~omicsdl.blood.BloodComparison.write`).

    Raises
    ------
    InputError
        Unknown methods or options, too few samples per class for the folds,
        samples shared by the training and validation data, or any problem of
        :func:`~omicsdl.blood.extract_panel` with either cohort.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata = od.blood.simulate_blood_cohort(rng=0)  # SYNTHETIC
    >>> res = od.blood.compare_blood_classifiers(
    ...     adata[adata.obs["cohort"] == "training"], n_repeats=2, methods=["logistic", "lda"]
    ... )
    >>> res.synthetic, sorted(res.metrics)
    (True, ['lda', 'logistic'])
    """
    from sklearn.model_selection import RepeatedStratifiedKFold

    methods = list(dict.fromkeys(methods))
    for m in methods:
        if m not in BLOOD_METHODS:
            msg = f"unknown method {m!r}"
            raise InputError(msg, item=m, fix=f"choose from {', '.join(BLOOD_METHODS)}")
    if n_splits < 2 or n_repeats < 1:
        msg = f"need n_splits >= 2 and n_repeats >= 1, got {n_splits} × {n_repeats}"
        raise InputError(msg)
    if threshold_source not in ("in-sample", "inner-cv"):
        msg = f"threshold_source must be 'in-sample' or 'inner-cv', got {threshold_source!r}"
        raise InputError(msg)
    mlp_params = dict(mlp_params or {})
    if "threshold" in mlp_params:
        msg = "pass the threshold rule as compare_blood_classifiers(threshold=...)"
        raise InputError(msg)
    label_args = {"label_key": label_key, "positive": positive, "negative": negative}
    panel = extract_panel(
        train, genes=genes, allow_ct_like=allow_ct_like, source="training data", **label_args
    )
    _check_duplicate_profiles(panel, "training data")
    X, y = panel.X.to_numpy(), np.asarray(panel.y)
    min_class = int(min(y.sum(), y.size - y.sum()))
    if min_class < n_splits:
        msg = f"the smaller class has {min_class} samples, fewer than the {n_splits} CV folds"
        raise InputError(
            msg,
            fix="use fewer folds (--folds) or more samples",
        )
    vpanel = None
    if validation is not None:
        vpanel = extract_panel(
            validation, genes=genes, allow_ct_like=allow_ct_like, source="validation data", **label_args
        )
        overlap = panel.X.index.intersection(vpanel.X.index)
        if len(overlap):
            msg = (
                f"{len(overlap)} sample id(s) are in both the training and the validation data "
                f"(first: {overlap[0]})"
            )
            raise InputError(
                msg,
                item=str(overlap[0]),
                fix="an external validation set must not share samples with the training set",
            )

    gen = as_generator(rng)
    cv_seed, model_seed = derive_seed(gen), derive_seed(gen)
    splits = list(
        RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=cv_seed).split(X, y)
    )
    masks = np.zeros((len(splits), y.size), dtype=bool)
    for f, (train_idx, _) in enumerate(splits):
        masks[f, train_idx] = True
    thr_args = {"rule": threshold, "seed": model_seed, "mlp_params": mlp_params, "genes": genes}
    smallest = int(min(min((y[m] == 1).sum(), (y[m] == 0).sum()) for m in masks))
    inner_cv_note = ""
    if threshold_source == "inner-cv" and smallest < _MIN_PER_CLASS_INNER_CV:
        inner_cv_note = (
            f" (inner CV impossible: a training fold has only {smallest} sample(s) of one class, "
            f"fewer than {_MIN_PER_CLASS_INNER_CV})"
        )
        logger.warning("blood comparison: thresholds on in-sample probabilities%s", inner_cv_note)
        threshold_source = "in-sample"

    metrics: dict[str, BloodMethodResult] = {}
    oof_by_method: dict[str, np.ndarray] = {}
    validation_by_method: dict[str, np.ndarray] = {}
    for method in progress(methods, desc="blood methods"):
        logger.info("blood comparison: %s, %d × %d-fold CV", method, n_repeats, n_splits)
        probs, _ = _fit_score(method, X, y, masks, model_seed, mlp_params, genes)
        oof = np.full((n_repeats, y.size), np.nan)
        pred = np.zeros((n_repeats, y.size), dtype=bool)
        thresholds = _thresholds(method, X, y, masks, probs, source=threshold_source, **thr_args)
        for f, mask in enumerate(masks):
            r = f // n_splits
            oof[r, ~mask] = probs[f][~mask]
            pred[r, ~mask] = probs[f][~mask] >= thresholds[f]
        cv = _cv_scores(y, oof, thresholds, pred, n_repeats)
        oof_by_method[method] = oof
        validation_scores = None
        if vpanel is not None:
            all_mask = np.ones((1, y.size), dtype=bool)
            (full_prob,), (model,) = _fit_score(method, X, y, all_mask, model_seed, mlp_params, genes)
            thr = float(
                _thresholds(method, X, y, all_mask, [full_prob], source=threshold_source, **thr_args)[0]
            )
            vx, vy = vpanel.X.to_numpy(), vpanel.y
            vprob = model.predict_proba(vx) if method == "mlp" else model.predict_proba(vx)[:, 1]
            validation_scores = _validation_scores(vy, vprob, thr)
            validation_by_method[method] = vprob
        metrics[method] = BloodMethodResult(cv=cv, validation=validation_scores)

    cv_tests = paired_delong_tests(y, oof_by_method)
    valid_tests = paired_delong_tests(vpanel.y, validation_by_method) if vpanel is not None else {}
    paired = tuple(
        PairedComparison(a, b, cv=t, validation=valid_tests.get((a, b))) for (a, b), t in cv_tests.items()
    )

    synthetic = panel.synthetic or (vpanel is not None and vpanel.synthetic)
    sim = train.uns.get("blood_sim") if synthetic else None
    sim = sim if isinstance(sim, Mapping) else {}
    bayes = _number_or_none(sim.get("bayes_auc"))
    vsim = validation.uns.get("blood_sim") if validation is not None and synthetic else None
    vsim = vsim if isinstance(vsim, Mapping) else sim
    bayes_validation = _number_or_none(vsim.get("bayes_auc_validation", vsim.get("bayes_auc")))
    run = BloodSettings(
        genes=list(genes),
        columns_used=panel.columns,
        label_key=label_key,
        positive=positive if isinstance(positive, str) else list(positive),
        negative=negative if negative is None or isinstance(negative, str) else list(negative),
        n_splits=n_splits,
        n_repeats=n_repeats,
        threshold_rule=threshold,
        threshold_chosen_on=(
            "training samples of each fold: "
            + ("in-sample probabilities" if threshold_source == "in-sample" else "inner-CV probabilities")
            + inner_cv_note
        ),
        auc_ci="DeLong 95% (repeat-averaged DeLong variance for CV)",
        paired_test="DeLong paired test of every pair of methods (CV: AUCs and covariances averaged over "
        "repeats; validation: directly), Holm-adjusted over the pairs of each evaluation",
        n_train=int(y.size),
        n_train_positive=int(y.sum()),
        n_validation=None if vpanel is None else int(vpanel.y.size),
        n_validation_positive=None if vpanel is None else int(vpanel.y.sum()),
        mlp_params={k: (list(v) if isinstance(v, tuple) else v) for k, v in mlp_params.items()},
        seed=_seed_of(rng),
    )
    return BloodComparison(
        metrics=metrics,
        synthetic=bool(synthetic),
        bayes_auc=bayes,
        settings=run,
        scenario=None if sim.get("scenario") is None else str(sim["scenario"]),
        bayes_auc_validation=bayes_validation if vpanel is not None else None,
        paired_tests=paired,
    )


def _number_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _seed_of(rng: RNGLike) -> int | None:
    """The integer seed a run used (``None`` for a generator, which has no faithful record)."""
    if rng is None:
        from omicsdl._core._settings import settings

        return int(settings.seed)
    return int(rng) if isinstance(rng, int | np.integer) else None

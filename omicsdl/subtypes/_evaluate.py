"""The honest evaluation: every survival model on identical cross-validation folds, valid inference.

:func:`evaluate_subtypes` runs, on the same folds (repeated stratified K-fold,
default 5 × 5, or the user's folds table):

1. every model of :data:`~omicsdl.subtypes._model_types.MODEL_TYPES` (the
   published Chaudhary pipeline, DeepProg per-omic autoencoders and their
   bagged ensemble, a Cox-supervised autoencoder, the PCA ablation, PCA + ridge
   Cox, late-fused per-omic ridge Cox, stage alone) and every omics model +
   stage, each refitted inside every training fold
   (:func:`~omicsdl.subtypes._benchmark.run_benchmark`);
2. per model: held-out Harrell's C (pooled per repeat, mean ± sd over repeats,
   and per fold), Uno's C, AUC at 1/3/5 years, the integrated Brier score
   (scikit-survival), time per fold, and the paired difference from the best
   baseline with a corrected interval; the recommended model
   (:func:`~omicsdl.subtypes._compare_models.compare_models`);
3. a permutation p-value for the held-out separation of the published
   pipeline's subtypes (:func:`~omicsdl.subtypes._permutation_test.permutation_test`);
4. how often each feature is among a model's top risk features across the CV
   fits, and the top features of the recommended model fitted on every patient;
5. the in-sample replication as published (fit and score on the same
   patients, labelled in-sample; its C uses the classifier's risk, the same
   kind of risk as the held-out C), the characterisation of the in-sample
   subtypes (descriptive: the features built the clusters), and optionally the
   transfer to an external mRNA cohort.

Patients lacking one of the omics are left out of the evaluation (counted in
``n_left_out``); everything else uses only training patients inside each fold.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.subtypes._results import HeldoutScores, InSampleScores, SubtypesEvaluation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mudata import MuData

    from omicsdl._core._device import Device

__all__ = ["DEFAULT_PERMUTATIONS", "evaluate_subtypes"]

logger = logging.getLogger(__name__)

#: permutations of the held-out separation test by default (each re-runs the whole CV of one repeat)
DEFAULT_PERMUTATIONS = 20


def evaluate_subtypes(
    mdata: MuData,
    *,
    n_folds: int = 5,
    n_repeats: int = 5,
    folds: pd.DataFrame | None = None,
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    baselines: bool = True,
    n_permutations: int = DEFAULT_PERMUTATIONS,
    external: MuData | None = None,
    external_log_transformed: bool = True,
    n_threads: int | None = None,
    device: Device = "auto",
    rng: RNGLike = None,
    source: str = "cohort",
) -> SubtypesEvaluation:
    """Every model on the same folds, with valid inference and a recommended model.

    Parameters
    ----------
    mdata
        Cohort with overall survival (``os_days``, ``os_event``).
    n_folds, n_repeats
        Repeated stratified K-fold (ignored when ``folds`` is given).
    folds
        The user's folds: ``patient``, ``fold`` and optionally ``repeat``
        (:func:`~omicsdl.subtypes._folds.read_folds` reads a file).
    models
        Model names (default: all of :data:`~omicsdl.subtypes._model_types.MODEL_TYPES`).
    params
        Options of the subtype pipeline (:class:`~omicsdl.subtypes.SurvivalSubtypes`
        keyword arguments such as ``autoencoder``, ``k``, ``alpha``, ``omics``).
    model_params
        Per model name: further keyword arguments of its class, e.g.
        ``{"deepprog_ensemble": {"n_models": 3}, "pca_cox": {"n_components": 30}}``.
    baselines
        ``False``: the published pipeline alone (``models`` defaults to ``["chaudhary"]``).
    n_permutations
        Permutations of the held-out separation test (0: none).
    external
        An external mRNA cohort to transfer the in-sample subtypes to.
    external_log_transformed
        The external values are already log2.
    n_threads
        Models fitted side by side (``None``: ``settings.n_threads`` or 1). Every
        fit is single-threaded, so the numbers do not depend on this.
    device
        Where the torch models run.
    rng
        Seed (``None``: ``settings.seed``): same seed, identical results.
    source
        Name used in error messages.

    Returns
    -------
    Scores, tables and the in-sample model; ``.write(dir)`` writes
    ``metrics.json``, ``heldout_predictions.tsv`` and ``tables/``.

    Raises
    ------
    InputError
        No survival, too few events for the folds, an unknown model, a folds
        table that does not fit the cohort.
    """
    from omicsdl._core._settings import settings
    from omicsdl.subtypes._benchmark import run_benchmark
    from omicsdl.subtypes._characterise import characterise_subtypes
    from omicsdl.subtypes._compare_models import compare_models, feature_stability
    from omicsdl.subtypes._folds import make_folds
    from omicsdl.subtypes._model import SurvivalSubtypes, survival_of
    from omicsdl.subtypes._model_types import MODEL_TYPES, make_model
    from omicsdl.subtypes._omics_input import complete_patients
    from omicsdl.subtypes._parallel import single_threaded_numerics
    from omicsdl.subtypes._permutation_test import permutation_test
    from omicsdl.subtypes._transfer import transfer_subtypes
    from omicsdl.survival import MIN_EVENTS, concordance_index, logrank

    started = time.perf_counter()
    params = dict(params or {})
    clash = sorted(set(params) & {"n_threads", "device", "rng"})
    if clash:
        msg = f"params sets {clash}: pass them to evaluate_subtypes itself"
        raise ValueError(msg)
    models = list(models) if models is not None else (list(MODEL_TYPES) if baselines else ["chaudhary"])
    unknown = [m for m in models if m not in MODEL_TYPES]
    if unknown:
        msg = f"unknown model(s) {unknown}"
        raise InputError(msg, fix=f"choose from {', '.join(MODEL_TYPES)}")
    seed = settings.seed if rng is None else (int(rng) if isinstance(rng, int | np.integer) else None)
    gen = as_generator(rng)
    base_seed = derive_seed(gen)
    workers = int(n_threads if n_threads is not None else (settings.n_threads or 1))
    omics = list(params.get("omics") or mdata.mod)
    mdata, left_out = complete_patients(mdata, omics, source=source)
    if left_out and mdata.is_view:
        mdata = mdata.copy()
    t, e = survival_of(mdata, source=source)
    n_events = int(e.sum())
    if n_events < MIN_EVENTS * 2:
        msg = f"only {n_events} events: cross-validated Cox screens need at least {2 * MIN_EVENTS}"
        raise InputError(msg, source=source, fix="use a larger cohort")
    if folds is None:
        folds = make_folds(mdata.obs_names, e, n_folds=n_folds, n_repeats=n_repeats, rng=derive_seed(gen))
    else:
        folds = folds[folds["patient"].isin(set(mdata.obs_names))].reset_index(drop=True)
    n_folds_used = int(folds.groupby("repeat")["fold"].nunique().max())
    n_repeats_used = int(folds["repeat"].nunique())
    pipeline = {k: v for k, v in params.items() if k != "omics"}
    run = run_benchmark(
        mdata,
        folds,
        models=models,
        seed=base_seed,
        pipeline=pipeline,
        omics=omics,
        model_params=model_params,
        n_workers=workers,
        device=device,
    )
    durations = pd.Series(t, index=mdata.obs_names)
    events = pd.Series(e, index=mdata.obs_names)
    families = {m: MODEL_TYPES[m].family for m in MODEL_TYPES}
    labels = {m: MODEL_TYPES[m].label for m in MODEL_TYPES}
    table, per_repeat, rec = compare_models(run, durations, events, families=families, labels=labels)
    n_fits = run.fold_metrics.assign(ok=~run.fold_metrics["failed"]).groupby("model")["ok"].sum()
    stability = feature_stability(run.top_features, n_fits)
    logger.info("benchmark done (%.0f s): %s", time.perf_counter() - started, rec.statement)

    # -- permutation test of the held-out separation of the published pipeline's subtypes
    perm = None
    test_model = next((m for m in ("chaudhary", *models) if m in models and MODEL_TYPES[m].subtypes), None)
    if test_model is not None:
        first = folds[folds["repeat"] == folds["repeat"].min()]
        obs_pred = run.predictions[
            (run.predictions["model"] == test_model) & (run.predictions["repeat"] == first["repeat"].iloc[0])
        ]
        fm = run.fold_metrics
        obs_failed = float(
            fm[(fm["model"] == test_model) & (fm["repeat"] == first["repeat"].iloc[0])]["failed"].mean()
        )
        perm = permutation_test(
            mdata,
            first,
            obs_pred,
            obs_failed,
            model=test_model,
            n_permutations=n_permutations,
            seed=base_seed,
            run_seed=base_seed,
            model_index=models.index(test_model),
            pipeline=pipeline,
            omics=omics,
            model_params=model_params,
            n_workers=workers,
            device=device,
        )

    # -- in-sample replication (as published: fit and score on the same patients); when the Cox
    # screen finds no survival-associated feature on all patients, no subtypes are formed and
    # the benchmark above stands on its own
    model: SurvivalSubtypes | None = SurvivalSubtypes(
        **params, n_threads=1, device=device, rng=derive_seed(gen)
    )
    in_sample = InSampleScores(logrank_p=None, cindex=None, classifier_cindex=None)
    in_sample_table = characterisation = transfer = None
    try:
        with single_threaded_numerics():
            model.fit(mdata, source=source)
            in_pred = model.predict(mdata)
    except InputError as err:
        logger.warning("in-sample subtypes on all patients: %s", err.problem)
        params_json = model._params_for_json()
        model = None
    else:
        params_json = model._params_for_json()
        labels_in = model.labels_.to_numpy()
        in_sample = InSampleScores(
            logrank_p=_finite(logrank(t, e, labels_in).p_value),
            cindex=_finite(concordance_index(t, e, in_pred["risk"].to_numpy())),
            classifier_cindex=_finite(concordance_index(t, e, in_pred["risk"].to_numpy())),
        )
        in_sample_table = pd.DataFrame(
            {
                "subtype": labels_in,
                "classifier_subtype": in_pred["subtype"].to_numpy(),
                "risk": in_pred["risk"].to_numpy(),
                "os_days": t,
                "os_event": e,
            },
            index=mdata.obs_names.copy(),
        )
        characterisation = characterise_subtypes(mdata, labels_in, rng=derive_seed(gen))
        if external is not None:
            transfer = transfer_subtypes(
                model, mdata, external, log_transformed=external_log_transformed, rng=derive_seed(gen)
            )

    # -- the recommended model fitted on every patient: which features drive its risk
    top_features = None
    final_name = rec.model.split("+")[0]
    if MODEL_TYPES[final_name].family != "clinical":
        with single_threaded_numerics():
            final = make_model(
                final_name,
                pipeline=pipeline,
                omics=omics,
                extra=(model_params or {}).get(final_name),
                n_threads=1,
                device=device,
                rng=derive_seed(gen),
            )
            try:
                final.fit(mdata, source=source)
                top_features = final.attributions(mdata).assign(model=final_name)
            except InputError as err:
                logger.warning("recommended model %s on all patients: %s", final_name, err.problem)

    own = (
        per_repeat[per_repeat["model"] == "chaudhary"]["harrell_c"]
        if "chaudhary" in models
        else pd.Series([], dtype=float)
    )
    chaudhary = table.set_index("model").loc["chaudhary"] if "chaudhary" in models else None
    heldout = HeldoutScores(
        cindex_mean=_finite(chaudhary["harrell_c"]) if chaudhary is not None else None,
        cindex_sd=_finite(chaudhary["harrell_c_sd"]) if chaudhary is not None else None,
        logrank_p=None if perm is None else perm.p_value,
        cindex_per_repeat=tuple(_finite(v) for v in own),
        n_failed_folds=int(chaudhary["n_failed_folds"]) if chaudhary is not None else None,
    )
    predictions = run.predictions.copy()
    return SubtypesEvaluation(
        in_sample=in_sample,
        heldout=heldout,
        n_patients=len(t),
        n_events=n_events,
        n_left_out=len(left_out),
        k=None if model is None else int(model.k_),
        subtype_sizes={}
        if model is None
        else {str(k): int(v) for k, v in model.labels_.value_counts().sort_index().items()},
        n_selected_latent_features=0 if model is None else len(model.selected_features_),
        omics=tuple(omics),
        n_folds=n_folds_used,
        n_repeats=n_repeats_used,
        seed=seed,
        params=params_json,
        seconds=round(time.perf_counter() - started, 1),
        recommendation=rec,
        permutation=perm,
        in_sample_subtypes=in_sample_table,
        heldout_predictions=predictions,
        models=table,
        fold_metrics=run.fold_metrics,
        per_repeat=per_repeat,
        folds=folds,
        feature_stability=stability,
        top_features=top_features,
        k_selection=None if model is None else model.k_selection_,
        hazard_ratios=None if model is None else model.hazard_ratios_,
        characterisation=characterisation,
        external=transfer,
        model=model,
    )


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None

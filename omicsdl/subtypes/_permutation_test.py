"""A valid p-value for held-out subtype separation: permute survival, re-run the whole cross-validation.

Held-out patients of different folds are assigned by different models, so a
log-rank p of the pooled cross-validated groups is not a valid p-value (Simon
et al., J Natl Cancer Inst 2011). Here the statistic is the log-rank χ² of the
pooled held-out subtypes of one repeat; the survival pairs (time, event) are
permuted across patients ``n_permutations`` times and the cross-validated
pipeline is re-run on each permuted cohort with the same folds and the same
fit seeds. Everything that sees survival — Cox screen, K-means, hazard
ordering, classifier — is refitted; preprocessing and the autoencoder never see
survival, so with the same seeds they are identical in every permutation and
are computed once (:func:`~omicsdl.subtypes._model.reuse_embeddings`). The
p-value is ``(1 + #{null ≥ observed}) / (1 + n_permutations)``.

Folds in which no latent feature passes the (BH-adjusted) Cox screen form no
subtypes; under permuted survival this is the expected answer, and the
fraction of such folds is reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mudata import MuData

__all__ = ["PermutationTest", "heldout_separation", "permutation_test"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PermutationTest:
    """Result of :func:`permutation_test`.

    Attributes
    ----------
    model
        The model whose held-out subtypes were tested.
    statistic
        Log-rank χ² of the pooled held-out subtypes on the real survival.
    p_value
        The permutation p-value.
    n_permutations
        Permuted cohorts the cross-validation was re-run on.
    null
        The statistic on each permuted cohort.
    no_subtypes_fraction
        Fraction of the permuted folds in which no survival-associated feature was found.
    observed_no_subtypes_fraction
        The same fraction on the real survival.
    """

    model: str
    statistic: float
    p_value: float | None
    n_permutations: int
    null: np.ndarray = field(compare=False)
    no_subtypes_fraction: float | None = None
    observed_no_subtypes_fraction: float | None = None


def heldout_separation(predictions: pd.DataFrame, durations: pd.Series, events: pd.Series) -> float:
    """Log-rank χ² of the pooled held-out subtypes (folds that formed none are left out; 0 if < 2 groups)."""
    from omicsdl.survival import logrank

    g = predictions[predictions["subtype"].astype(str) != "none"]
    if g.empty or g["subtype"].nunique() < 2 or not events.loc[g["patient"]].astype(bool).any():
        return 0.0
    return float(
        logrank(durations.loc[g["patient"]], events.loc[g["patient"]], g["subtype"].astype(str)).statistic
    )


def permutation_test(
    mdata: MuData,
    folds: pd.DataFrame,
    observed: pd.DataFrame,
    observed_failed: float,
    *,
    model: str,
    n_permutations: int,
    seed: int,
    run_seed: int,
    model_index: int,
    pipeline: Mapping[str, Any] | None = None,
    omics: list[str] | None = None,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    n_workers: int = 1,
    device: str = "auto",
) -> PermutationTest:
    """Permutation p-value of the held-out separation of ``model``'s subtypes (one repeat's folds).

    Parameters
    ----------
    mdata
        The cohort the benchmark ran on.
    folds
        The folds of one repeat (``patient, repeat, fold``).
    observed
        The model's held-out predictions on those folds (with ``subtype``).
    observed_failed
        Fraction of those folds that formed no subtypes.
    model
        A model that forms subtypes (e.g. ``"chaudhary"``).
    n_permutations
        Permuted cohorts (0: no test).
    seed
        Seed of the permutations.
    run_seed, model_index
        The observed benchmark's seed and the model's position in its model list: the
        re-run fits get the observed fits' seeds (see the module docstring).
    pipeline, omics, model_params, n_workers, device
        As for :func:`~omicsdl.subtypes._benchmark.run_benchmark`.
    """
    from omicsdl.subtypes._benchmark import run_benchmark
    from omicsdl.subtypes._model import survival_of
    from omicsdl.survival import permutation_p_value

    t, e = survival_of(mdata)
    durations = pd.Series(t, index=mdata.obs_names)
    events = pd.Series(e, index=mdata.obs_names)
    stat = heldout_separation(observed, durations, events)
    if n_permutations <= 0:
        return PermutationTest(model, stat, None, 0, np.array([]), None, observed_failed)
    from omicsdl.subtypes._model import reuse_embeddings

    gen = np.random.default_rng([seed, 7919])
    null, failed = [], []
    original = mdata.obs[["os_days", "os_event"]].copy()
    # the fits use the observed run's seeds: preprocessing and embeddings, which never see survival, are
    # then identical in every permutation and computed once; everything survival touches is refitted
    with reuse_embeddings():
        try:  # the survival columns are permuted in place and restored, so no copy of the omics is made
            for i in range(int(n_permutations)):
                perm = gen.permutation(mdata.n_obs)
                mdata.obs["os_days"] = t[perm]
                mdata.obs["os_event"] = e[perm]
                run = run_benchmark(
                    mdata,
                    folds,
                    models=[model],
                    seed=run_seed,
                    pipeline=pipeline,
                    omics=omics,
                    model_params=model_params,
                    n_workers=n_workers,
                    device=device,
                    attributions=False,
                    with_stage=False,
                    model_index=model_index,
                )
                perm_t = pd.Series(t[perm], index=mdata.obs_names)
                perm_e = pd.Series(e[perm], index=mdata.obs_names)
                null.append(heldout_separation(run.predictions, perm_t, perm_e))
                failed.append(float(run.fold_metrics["failed"].mean()))
                logger.info(
                    "permutation %d/%d: statistic %.2f (observed %.2f)", i + 1, n_permutations, null[-1], stat
                )
        finally:
            mdata.obs["os_days"] = original["os_days"].to_numpy()
            mdata.obs["os_event"] = original["os_event"].to_numpy()
    null_arr = np.asarray(null)
    return PermutationTest(
        model=model,
        statistic=stat,
        p_value=permutation_p_value(stat, null_arr),
        n_permutations=int(n_permutations),
        null=null_arr,
        no_subtypes_fraction=float(np.mean(failed)),
        observed_no_subtypes_fraction=observed_failed,
    )

"""Which method wins in which SYNTHETIC scenario: the comparison and learning curves per scenario (compute only).

For every scenario of :data:`omicsdl.blood.BLOOD_SCENARIOS`, one cohort with
the published sizes is simulated and the full comparison of
:func:`omicsdl.blood.compare_blood_classifiers` is run on it (repeated CV with
inner-CV thresholds on the training series, models fitted on all of it scored
on the validation series, DeLong's paired tests Holm-adjusted over the six
pairs of methods of each evaluation), then the learning curve of
:func:`omicsdl.blood.blood_learning_curve`. Seeds for each scenario are drawn
in order from ``rng``, so the same seed gives the same table.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.blood._evaluate import _seed_of, compare_blood_classifiers
from omicsdl.blood._learning_curve import LEARNING_SIZES, blood_learning_curve, check_learning_options
from omicsdl.blood._results import BLOOD_METHODS, BloodScenarioTable, ScenarioTableSettings
from omicsdl.blood._scenarios import BLOOD_SCENARIOS, get_blood_scenario
from omicsdl.blood._simulate import simulate_blood_scenario, split_blood_cohort

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from omicsdl.blood._threshold import ThresholdRule

__all__ = ["compare_blood_scenarios"]

logger = logging.getLogger(__name__)


def compare_blood_scenarios(
    scenarios: Sequence[str] | None = None,
    *,
    methods: Sequence[str] = BLOOD_METHODS,
    n_splits: int = 5,
    n_repeats: int = 10,
    threshold: ThresholdRule = "youden",
    learning_sizes: Sequence[int] = LEARNING_SIZES,
    n_draws: int = 5,
    n_test: int = 1000,
    mlp_params: Mapping[str, Any] | None = None,
    rng: RNGLike = None,
) -> BloodScenarioTable:
    """Run the blood comparison and its learning curve on every named SYNTHETIC scenario.

    Parameters
    ----------
    scenarios
        Scenario names (default: all of :data:`omicsdl.blood.BLOOD_SCENARIOS`, in order).
    methods
        Subset of ``("mlp", "logistic", "lda", "tree")``.
    n_splits, n_repeats
        Repeated stratified K-fold scheme on each training series.
    threshold
        ``"youden"`` or a target sensitivity (chosen on inner-CV probabilities
        of the training folds).
    learning_sizes, n_draws, n_test
        Learning curves: training sizes, draws per size, test samples per class
        (``learning_sizes=()`` skips them).
    mlp_params
        Extra keyword arguments of :class:`~omicsdl.blood.BloodPanelClassifier`.
    rng
        Seed or generator (``None``: ``settings.seed``).

    Returns
    -------
    The table; write its folder with ``result.write(folder)``
    (:meth:`~omicsdl.blood.BloodScenarioTable.write`).

    Raises
    ------
    InputError
        An unknown or repeated scenario, or any option
        :func:`~omicsdl.blood.compare_blood_classifiers` refuses.
    """
    names = list(BLOOD_SCENARIOS) if scenarios is None else list(scenarios)
    if not names or len(set(names)) != len(names):
        msg = f"give each scenario once, got {names}"
        raise InputError(msg, fix=f"choose from {', '.join(BLOOD_SCENARIOS)}")
    for name in names:
        get_blood_scenario(name)
    if learning_sizes:  # refuse bad curve options before minutes of comparisons
        check_learning_options(learning_sizes, n_draws, n_test)
    gen = as_generator(rng)
    seeds = {name: (derive_seed(gen), derive_seed(gen), derive_seed(gen)) for name in names}
    comparisons, curves = {}, []
    for name in progress(names, desc="blood scenarios"):
        data_seed, run_seed, curve_seed = seeds[name]
        start = time.perf_counter()
        train, validation = split_blood_cohort(simulate_blood_scenario(name, rng=data_seed))
        comparisons[name] = compare_blood_classifiers(
            train,
            validation=validation,
            methods=methods,
            n_splits=n_splits,
            n_repeats=n_repeats,
            threshold=threshold,
            mlp_params=mlp_params,
            rng=run_seed,
        )
        if learning_sizes:
            curves.append(
                blood_learning_curve(
                    name,
                    sizes=learning_sizes,
                    n_draws=n_draws,
                    n_test=n_test,
                    methods=methods,
                    mlp_params=mlp_params,
                    rng=curve_seed,
                )
            )
        logger.info("blood scenario %s: done in %.1f s", name, time.perf_counter() - start)
    settings = ScenarioTableSettings(
        scenarios=names,
        methods=list(dict.fromkeys(methods)),
        n_splits=n_splits,
        n_repeats=n_repeats,
        threshold_rule=threshold,
        learning_sizes=[int(n) for n in learning_sizes],
        n_draws=n_draws,
        n_test=n_test,
        mlp_params=dict(mlp_params or {}),
        seed=_seed_of(rng),
    )
    return BloodScenarioTable(
        comparisons=comparisons,
        scenarios={name: get_blood_scenario(name).describe() for name in names},
        learning_curves=pd.concat(curves, ignore_index=True) if curves else None,
        settings=settings,
    )

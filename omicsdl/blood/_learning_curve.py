"""Learning curves of the blood-panel methods over training size, on a SYNTHETIC scenario (compute only).

For each training size ``n`` (HCC : control kept at the published 103 : 54)
and each of ``n_draws`` independent draws, a training set is simulated from the
scenario's training population, every method is fitted on all of it, and its
ROC AUC is measured on one large independent test set from the scenario's
validation population (the population the test is meant for; the same as the
training population unless the scenario changes it). The mean and SD over
draws are reported beside the Bayes-optimal AUC of the test population: the
curves show how much of the gap to the best possible AUC each method closes as
data grow, which a single cross-validation at the published 157 samples cannot.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.blood._panel import NINE_GENE_PANEL
from omicsdl.blood._results import BLOOD_METHODS
from omicsdl.blood._scenarios import get_blood_scenario

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["LEARNING_SIZES", "blood_learning_curve"]

logger = logging.getLogger(__name__)

#: default training sizes; 157 is the published training cohort (Xie et al. 2018)
LEARNING_SIZES: tuple[int, ...] = (40, 80, 157, 320, 640)
_HCC_SHARE = 103 / 157


def _class_sizes(n: int) -> tuple[int, int]:
    n_hcc = round(n * _HCC_SHARE)
    return n_hcc, n - n_hcc


def check_learning_options(sizes: Sequence[int], n_draws: int, n_test: int) -> list[int]:
    """The sorted distinct training sizes, or an InputError naming the option out of range."""
    sizes = sorted({int(n) for n in sizes})
    if not sizes or sizes[0] < 10 or n_draws < 1 or n_test < 50:
        msg = f"need sizes >= 10, n_draws >= 1 and n_test >= 50, got {sizes}, {n_draws}, {n_test}"
        raise InputError(msg, fix="raise --learning-sizes, --draws or --test-size")
    return sizes


def blood_learning_curve(
    scenario: str,
    *,
    sizes: Sequence[int] = LEARNING_SIZES,
    n_draws: int = 5,
    n_test: int = 1000,
    methods: Sequence[str] = BLOOD_METHODS,
    mlp_params: Mapping[str, Any] | None = None,
    rng: RNGLike = None,
) -> pd.DataFrame:
    """AUC on a large test set of every method fitted on ``n`` samples, for each ``n`` in ``sizes``.

    Parameters
    ----------
    scenario
        A name of :data:`omicsdl.blood.BLOOD_SCENARIOS`.
    sizes
        Training sizes (each >= 10; HCC : control as in the published cohort).
    n_draws
        Independent training sets per size.
    n_test
        Test samples per class (one test set shared by all sizes and draws).
    methods
        Subset of ``("mlp", "logistic", "lda", "tree")``.
    mlp_params
        Extra keyword arguments of :class:`~omicsdl.blood.BloodPanelClassifier`.
    rng
        Seed or generator (``None``: ``settings.seed``).

    Returns
    -------
    One row per scenario, method and size: ``scenario``, ``method``,
    ``n_train``, ``auc_mean``, ``auc_sd`` (over draws), ``auc_min``,
    ``auc_max``, ``n_draws``, ``n_test`` (per class), ``bayes_auc`` (of the test
    population), ``synthetic`` (always ``True``); rows ``method == "bayes"`` give
    the AUC of the Bayes score on the same test set.

    Raises
    ------
    InputError
        Unknown scenario or method, a size below 10, ``n_draws < 1`` or ``n_test < 50``.

    Examples
    --------
    >>> import omicsdl as od
    >>> curve = od.blood.blood_learning_curve("linear", sizes=[40, 157], n_draws=2, methods=["lda"], rng=0)
    >>> curve[["method", "n_train"]].values.tolist()
    [['lda', 40], ['lda', 157], ['bayes', 40], ['bayes', 157]]
    """
    from omicsdl.blood._evaluate import _fit_score, _sklearn_model

    spec = get_blood_scenario(scenario)
    methods = list(dict.fromkeys(methods))
    for m in methods:
        if m not in BLOOD_METHODS:
            msg = f"unknown method {m!r}"
            raise InputError(msg, item=m, fix=f"choose from {', '.join(BLOOD_METHODS)}")
    sizes = check_learning_options(sizes, n_draws, n_test)
    gen = as_generator(rng)
    seed = derive_seed(gen)
    z_test = spec.population("validation").sample(gen, n_test, n_test)
    y_test = np.r_[np.ones(n_test), np.zeros(n_test)].astype(int)

    blocks, labels, keys = [], [], []
    for draw in range(n_draws):
        for n in sizes:
            n_hcc, n_ctrl = _class_sizes(n)
            blocks.append(spec.population("training").sample(gen, n_hcc, n_ctrl))
            labels.append(np.r_[np.ones(n_hcc), np.zeros(n_ctrl)].astype(int))
            keys.append((draw, n))
    X, y = np.vstack(blocks), np.concatenate(labels)
    masks = np.zeros((len(blocks), y.size), dtype=bool)
    start = 0
    for k, block in enumerate(blocks):
        masks[k, start : start + block.shape[0]] = True
        start += block.shape[0]

    from sklearn.metrics import roc_auc_score

    aucs: dict[str, np.ndarray] = {}
    for method in methods:
        logger.info("learning curve %s: %s, %d training sets", scenario, method, len(blocks))
        if method == "mlp":
            _, models = _fit_score("mlp", X, y, masks, seed, dict(mlp_params or {}), NINE_GENE_PANEL)
            scores = [m.predict_proba(z_test) for m in models]
        else:
            scores = [
                _sklearn_model(method, seed).fit(X[mask], y[mask]).predict_proba(z_test)[:, 1]
                for mask in masks
            ]
        aucs[method] = np.array([roc_auc_score(y_test, s) for s in scores])
    bayes_on_test = float(roc_auc_score(y_test, spec.population("validation").bayes_score(z_test)))
    aucs["bayes"] = np.full(len(blocks), bayes_on_test)
    bayes = spec.bayes_auc("validation").value

    rows = []
    size_of = np.array([n for _, n in keys])
    for method, values in aucs.items():
        for n in sizes:
            v = values[size_of == n]
            rows.append(
                {
                    "scenario": scenario,
                    "method": method,
                    "n_train": n,
                    "auc_mean": float(v.mean()),
                    "auc_sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
                    "auc_min": float(v.min()),
                    "auc_max": float(v.max()),
                    "n_draws": int(v.size),
                    "n_test": int(n_test),
                    "bayes_auc": bayes,
                    "synthetic": True,
                }
            )
    return pd.DataFrame(rows)

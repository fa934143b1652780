"""A SYNTHETIC blood cohort for the nine-gene HCC classifier, with a known Bayes-optimal AUC.

Xie et al. (2018) did not publish their GeXP data, so tests and the demo use this
simulator. Every output it touches says so: ``obs["synthetic"]``,
``uns["synthetic"]``, sample ids starting ``SYN-``, and downstream the metrics
JSON field ``synthetic`` and the plot titles.

Model
-----
On the standardised scale the two classes are multivariate normal with a shared
covariance ``R`` (a correlation matrix: compound symmetry with ``correlation``)::

    z | control ~ N(0, R)        z | HCC ~ N(delta, R)

where ``delta`` holds the per-gene effect sizes (HCC minus control, in units of
the within-class standard deviation). Reported values are
``x = baseline + sd * z`` (log2 relative expression). With a shared covariance
the Bayes-optimal score is linear (``delta' R^-1 z``) and its ROC AUC is::

    bayes_auc = Phi(Delta / sqrt(2)),   Delta^2 = delta' R^-1 delta

(``Delta`` the Mahalanobis distance between the class means; the AUC does not
depend on the class proportions). No classifier can beat ``bayes_auc`` in
expectation, so it is the yardstick for the MLP.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import norm

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator
from omicsdl.blood._panel import NINE_GENE_PANEL

if TYPE_CHECKING:
    from anndata import AnnData

__all__ = [
    "BLOOD_COHORT_SIZES",
    "bayes_auc",
    "simulate_blood_cohort",
    "simulate_blood_scenario",
    "split_blood_cohort",
]

#: Published group sizes (Xie et al. 2018): (HCC, healthy) for training and validation.
BLOOD_COHORT_SIZES: dict[str, tuple[int, int]] = {"training": (103, 54), "validation": (52, 34)}

# Direction and relative size of the default effects (SYNTHETIC; not taken from the paper,
# which reports no per-gene effect sizes). Rescaled to reach `target_bayes_auc`.
_DEFAULT_EFFECTS = {
    "GPC3": 1.0,
    "HGF": 0.7,
    "ANXA1": 0.6,
    "FOS": -0.6,
    "SPAG9": 0.5,
    "HSPA1B": 0.5,
    "CXCR4": 0.5,
    "PFN1": -0.4,
    "CALR": 0.4,
}
_SYNTHETIC_NOTE = "SYNTHETIC data from omicsdl.blood.simulate_blood_cohort; not patient data"


def _correlation_matrix(n: int, correlation: float) -> np.ndarray:
    if not -1.0 / max(n - 1, 1) < correlation < 1.0:
        msg = f"correlation must lie in (-1/(n_genes-1), 1) for a valid covariance, got {correlation}"
        raise InputError(
            msg,
            item="correlation",
        )
    corr = np.full((n, n), float(correlation))
    np.fill_diagonal(corr, 1.0)
    return corr


def bayes_auc(effect_sizes: Sequence[float], correlation: float | np.ndarray = 0.0) -> float:
    """Bayes-optimal ROC AUC of two normal classes with shared covariance.

    Parameters
    ----------
    effect_sizes
        Mean difference per gene in within-class SD units.
    correlation
        Common within-class correlation (compound symmetry), or a full correlation matrix.

    Returns
    -------
    ``Phi(Delta / sqrt(2))`` with ``Delta`` the Mahalanobis distance between the class means.
    """
    delta = np.asarray(effect_sizes, dtype=float)
    corr = (
        np.asarray(correlation, dtype=float)
        if np.ndim(correlation) == 2
        else _correlation_matrix(delta.size, float(correlation))
    )
    maha2 = float(delta @ np.linalg.solve(corr, delta))
    return float(norm.cdf(np.sqrt(maha2) / np.sqrt(2.0)))


def simulate_blood_cohort(
    *,
    sizes: Mapping[str, tuple[int, int]] | None = None,
    genes: Sequence[str] = NINE_GENE_PANEL,
    effect_sizes: Mapping[str, float] | Sequence[float] | None = None,
    target_bayes_auc: float | None = 0.94,
    correlation: float = 0.3,
    baseline: float | Sequence[float] = 8.0,
    sd: float | Sequence[float] = 1.0,
    rng: RNGLike = None,
) -> AnnData:
    """Simulate a SYNTHETIC HCC-vs-healthy blood cohort with a known Bayes-optimal AUC.

    Parameters
    ----------
    sizes
        Cohort name → (n HCC, n control). Default: the published sizes,
        training 103 vs 54 and validation 52 vs 34 (:data:`BLOOD_COHORT_SIZES`).
    genes
        Gene panel (the nine genes by default).
    effect_sizes
        HCC-minus-control mean difference per gene in within-class SD units (mapping
        gene → effect or a sequence in panel order). Default: a fixed synthetic
        pattern (GPC3 strongest; FOS and PFN1 lower in HCC).
    target_bayes_auc
        If given, the effect vector is rescaled (direction kept) so that the
        Bayes-optimal AUC equals this value; ``None`` keeps ``effect_sizes`` as is.
        The default 0.94 is close to the published training AUC (0.943).
    correlation
        Within-class correlation between every pair of genes.
    baseline, sd
        Control-class mean and within-class SD of the log2 expression, per gene or shared.
    rng
        Seed or generator.

    Returns
    -------
    AnnData samples × genes (log2 relative expression) with ``obs`` columns
    ``condition`` (``"HCC"``/``"control"``), ``cohort`` (e.g. ``"training"``) and
    ``synthetic`` (all ``True``); ``var["effect_size"]``; ``uns["synthetic"] = True``
    and ``uns["blood_sim"]`` with ``bayes_auc``, ``mahalanobis``, the effect sizes
    and the other parameters.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata = od.blood.simulate_blood_cohort(rng=0)
    >>> sizes = adata.obs.groupby(["cohort", "condition"], observed=True).size()
    >>> sizes["training"].to_dict(), sizes["validation"].to_dict()
    ({'control': 54, 'HCC': 103}, {'control': 34, 'HCC': 52})
    >>> round(adata.uns["blood_sim"]["bayes_auc"], 3)
    0.94
    """
    genes = list(genes)
    n_genes = len(genes)
    sizes = dict(BLOOD_COHORT_SIZES if sizes is None else sizes)
    if effect_sizes is None:
        delta = np.array([_DEFAULT_EFFECTS.get(g, 0.5) for g in genes], dtype=float)
    elif isinstance(effect_sizes, Mapping):
        delta = np.array([float(effect_sizes.get(g, 0.0)) for g in genes])
    else:
        delta = np.asarray(effect_sizes, dtype=float)
    if delta.shape != (n_genes,):
        msg = f"effect_sizes needs one value per gene ({n_genes}), got {delta.shape}"
        raise InputError(msg)
    corr = _correlation_matrix(n_genes, correlation)
    if target_bayes_auc is not None:
        if not 0.5 < target_bayes_auc < 1.0:
            msg = f"target_bayes_auc must lie in (0.5, 1), got {target_bayes_auc}"
            raise InputError(msg)
        maha_now = np.sqrt(float(delta @ np.linalg.solve(corr, delta)))
        if maha_now == 0:
            msg = "effect_sizes are all zero: no direction to rescale"
            raise InputError(msg)
        delta = delta * (np.sqrt(2.0) * norm.ppf(target_bayes_auc) / maha_now)
    maha = float(np.sqrt(delta @ np.linalg.solve(corr, delta)))
    auc = float(norm.cdf(maha / np.sqrt(2.0)))
    base = np.broadcast_to(np.asarray(baseline, dtype=float), (n_genes,))
    scale = np.broadcast_to(np.asarray(sd, dtype=float), (n_genes,))
    if np.any(scale <= 0):
        msg = "sd must be positive"
        raise InputError(msg)

    gen = as_generator(rng)
    chol = np.linalg.cholesky(corr)

    def sample(cohort: str, n_hcc: int, n_ctrl: int) -> np.ndarray:
        return np.vstack(
            [
                gen.standard_normal((n, n_genes)) @ chol.T + mean
                for n, mean in ((n_hcc, delta), (n_ctrl, 0 * delta))
            ]
        )

    adata = _cohort_anndata(sizes, genes, sample, baseline=base, sd=scale)
    adata.var["effect_size"] = delta
    adata.uns["synthetic"] = True
    adata.uns["blood_sim"] = {
        "note": _SYNTHETIC_NOTE,
        "bayes_auc": auc,
        "mahalanobis": maha,
        "effect_sizes": dict(zip(genes, map(float, delta), strict=True)),
        "correlation": float(correlation),
        "baseline": [float(b) for b in base],
        "sd": [float(s) for s in scale],
        "sizes": {k: [int(v[0]), int(v[1])] for k, v in sizes.items()},
        "units": "log2 relative expression (SYNTHETIC)",
    }
    return adata


def simulate_blood_scenario(
    name: str = "linear",
    *,
    sizes: Mapping[str, tuple[int, int]] | None = None,
    baseline: float = 8.0,
    sd: float = 1.0,
    rng: RNGLike = None,
) -> AnnData:
    """Simulate a SYNTHETIC blood cohort from a named scenario (:data:`omicsdl.blood.BLOOD_SCENARIOS`).

    The scenarios and their generative models are documented in
    :mod:`omicsdl.blood._scenarios` (``omicsdl blood scenarios`` lists them). A
    cohort named ``"validation"`` is drawn from the scenario's validation
    population (another batch, or cirrhosis controls, where the scenario says
    so); every other cohort from its training population. ``"linear"`` gives
    exactly the data of :func:`simulate_blood_cohort` with its defaults.

    Parameters
    ----------
    name
        The scenario.
    sizes
        Cohort name → (n HCC, n control); default the published sizes
        (:data:`BLOOD_COHORT_SIZES`).
    baseline, sd
        Values are ``baseline + sd * z`` (log2 relative expression).
    rng
        Seed or generator (``None``: ``settings.seed``).

    Returns
    -------
    AnnData samples × the nine genes, with ``obs`` columns ``condition``,
    ``cohort`` and ``synthetic``; ``uns["synthetic"] = True`` and
    ``uns["blood_sim"]`` with ``scenario``, ``bayes_auc`` (training population),
    ``bayes_auc_validation``, how they were computed, and the scenario's
    parameters.

    Raises
    ------
    InputError
        Unknown scenario, negative group sizes or ``sd <= 0``.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata = od.blood.simulate_blood_scenario("cirrhosis_controls", rng=0)  # SYNTHETIC
    >>> adata.uns["blood_sim"]["scenario"], round(adata.uns["blood_sim"]["bayes_auc"], 3)
    ('cirrhosis_controls', 0.834)
    """
    from omicsdl.blood._scenarios import get_blood_scenario

    scenario = get_blood_scenario(name)
    if sd <= 0:
        msg = "sd must be positive"
        raise InputError(msg)
    sizes = dict(BLOOD_COHORT_SIZES if sizes is None else sizes)
    gen = as_generator(rng)

    def sample(cohort: str, n_hcc: int, n_ctrl: int) -> np.ndarray:
        return scenario.population(cohort).sample(gen, n_hcc, n_ctrl)

    genes = list(NINE_GENE_PANEL)
    adata = _cohort_anndata(
        sizes, genes, sample, baseline=np.full(len(genes), baseline), sd=np.full(len(genes), sd)
    )
    train_auc, valid_auc = scenario.bayes_auc("training"), scenario.bayes_auc("validation")
    adata.uns["blood_sim"] = {
        "note": _SYNTHETIC_NOTE,
        "scenario": scenario.name,
        "scenario_title": scenario.title,
        "bayes_auc": train_auc.value,
        "bayes_auc_method": train_auc.method,
        "bayes_auc_validation": valid_auc.value,
        "bayes_auc_validation_method": valid_auc.method,
        "parameters": scenario.parameters,
        "baseline": float(baseline),
        "sd": float(sd),
        "sizes": {k: [int(v[0]), int(v[1])] for k, v in sizes.items()},
        "units": "log2 relative expression (SYNTHETIC)",
    }
    return adata


def _cohort_anndata(
    sizes: Mapping[str, tuple[int, int]],
    genes: Sequence[str],
    sample: Callable[[str, int, int], np.ndarray],
    *,
    baseline: np.ndarray,
    sd: np.ndarray,
) -> AnnData:
    """Samples × genes AnnData of SYNTHETIC cohorts: ``sample(cohort, n_hcc, n_control)`` gives z, HCC rows first.

    Values are ``baseline + sd * z``; ``obs`` has ``cohort``, ``condition`` and
    ``synthetic``; ids are ``SYN-<cohort prefix>-<number>``; ``uns["synthetic"]`` is set.
    """
    import anndata as ad

    blocks, obs_rows = [], []
    for cohort, (n_hcc, n_ctrl) in sizes.items():
        if n_hcc < 0 or n_ctrl < 0:
            msg = f"group sizes must be non-negative, got {cohort}: {(n_hcc, n_ctrl)}"
            raise InputError(msg)
        blocks.append(baseline + sd * sample(cohort, int(n_hcc), int(n_ctrl)))
        obs_rows += [(cohort, "HCC")] * int(n_hcc) + [(cohort, "control")] * int(n_ctrl)
    X = np.vstack(blocks) if blocks else np.empty((0, len(genes)))
    obs = pd.DataFrame(obs_rows, columns=["cohort", "condition"])
    obs.index = [f"SYN-{c[:2].upper()}-{i:05d}" for i, c in enumerate(obs["cohort"])]
    obs["condition"] = pd.Categorical(obs["condition"], categories=["control", "HCC"])
    obs["cohort"] = pd.Categorical(obs["cohort"], categories=list(sizes))
    obs["synthetic"] = True
    adata = ad.AnnData(X=X.astype(np.float64), obs=obs, var=pd.DataFrame(index=list(genes)))
    adata.uns["synthetic"] = True
    return adata


def split_blood_cohort(
    adata: AnnData, *, key: str = "cohort", training: str = "training"
) -> tuple[AnnData, AnnData | None]:
    """Split a cohort into its training part and the rest (the validation cohort).

    Parameters
    ----------
    adata
        Samples with a cohort column, e.g. from :func:`simulate_blood_cohort`.
    key
        Column of ``adata.obs`` naming each sample's cohort.
    training
        Value of ``key`` that marks the training samples.

    Returns
    -------
    ``(train, validation)`` as copies; ``validation`` holds every other sample,
    or is ``None`` when there is none.

    Raises
    ------
    InputError
        No ``key`` column, or no training sample.

    Examples
    --------
    >>> import omicsdl as od
    >>> train, valid = od.blood.split_blood_cohort(od.blood.simulate_blood_cohort(rng=0))
    >>> train.n_obs, valid.n_obs
    (157, 86)
    """
    if key not in adata.obs.columns:
        msg = f"no cohort column {key!r} in obs"
        raise InputError(msg, item=key, fix="simulate the cohort with od.blood.simulate_blood_cohort")
    is_train = (adata.obs[key] == training).to_numpy()
    if not is_train.any():
        msg = f"no sample has {key} == {training!r}"
        raise InputError(msg, item=key)
    return adata[is_train].copy(), (adata[~is_train].copy() if (~is_train).any() else None)

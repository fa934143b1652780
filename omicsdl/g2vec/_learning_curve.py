"""The experiment G2Vec's claim implies: a learning curve against baselines, stability and a survival check.

Choi et al. (2018) claim G2Vec biomarkers predict prognosis better than other
gene selections, "especially for small number of samples". Protocol:

* ``n_repeats`` times, the labelled patients are split, stratified, into a
  held-out test set (``test_fraction`` of each group) and a training pool; the
  unlabelled patients with survival (censored before the horizon) are split in
  the same proportion and join the test set for the survival check only;
* for every training size (patients per group; ``None`` = the whole pool) the
  first patients of a shuffled pool are taken, so smaller training sets are
  nested in larger ones and **every method of a repeat is scored on the same
  held-out patients**;
* on each training set, both G2Vec variants choose their biomarkers; the
  baselines (:mod:`~omicsdl.g2vec._selectors`) choose as many genes as the
  reference G2Vec did; all feed one classifier
  (:func:`~omicsdl.g2vec._evaluate.score_gene_set`): held-out accuracy, AUC,
  and the C-index of its score as a risk score on the held-out patients with
  survival (labelled and unlabelled);
* means and paired differences (reference G2Vec minus each method) come with
  95 % intervals corrected for the overlap of repeated training sets
  (:func:`omicsdl.metrics.paired_difference`), and the share of repeats in which
  G2Vec scored higher (descriptive: repeats are not independent);
* stability: how often each gene is chosen across repeats at each size, the
  mean pairwise Jaccard index of the chosen sets, and the same across
  ``n_seeds`` seeds on the whole labelled cohort (algorithmic randomness only);
* survival: at the full training size of the first repeat, a log-rank test of
  high against low risk on the held-out patients (split at the median training
  risk) — one split, so its p-value is valid.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._evaluate import (
    CLASSIFIER,
    choose_gene_sets,
    matrix_of,
    score_gene_set,
    undirected_network_columns,
)
from omicsdl.g2vec._paths import GROUPS
from omicsdl.io._features import feature_symbols

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx
    from anndata import AnnData

    from omicsdl.g2vec._results import G2VecLearningCurve

__all__ = ["DEFAULT_SIZES", "REFERENCE_METHOD", "learning_curve"]

logger = logging.getLogger(__name__)

#: training patients per group (``None``: the whole training pool)
DEFAULT_SIZES: tuple[int | None, ...] = (20, 30, 45, None)
#: the method every other is compared with
REFERENCE_METHOD = "g2vec_reference"


def _jaccard(sets: Sequence[frozenset[str]]) -> float:
    pairs = [len(a & b) / len(a | b) for a, b in itertools.combinations(sets, 2) if a | b]
    return float(np.mean(pairs)) if pairs else float("nan")


def _summaries(
    folds: pd.DataFrame, selections: pd.DataFrame, methods: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from omicsdl.metrics import paired_difference, score_interval

    rows, stability = [], []
    for size, part in folds.groupby("size", sort=False):
        n_train = float(part["n_train"].mean())
        n_test = float(part["n_test"].mean())
        wide = {m: part[part["method"] == m].set_index("repeat").sort_index() for m in methods}
        ref = wide.get(REFERENCE_METHOD)
        for method in methods:
            table = wide[method]
            if table.empty:
                continue
            row: dict[str, Any] = {
                "size": size,
                "n_train": n_train,
                "n_test": n_test,
                "method": method,
                "n_genes": float(table["n_genes"].mean()),
                "n_repeats": len(table),
            }
            for metric in ("accuracy", "auc", "c_index"):
                s = score_interval(table[metric], n_train=n_train, n_test=n_test)
                row |= {metric: s.mean, f"{metric}_ci_low": s.ci_low, f"{metric}_ci_high": s.ci_high}
                if ref is not None and method != REFERENCE_METHOD:
                    joined = ref[[metric]].join(table[[metric]], rsuffix="_other", how="inner")
                    d = paired_difference(
                        joined[metric], joined[f"{metric}_other"], n_train=n_train, n_test=n_test
                    )
                    diff = joined[metric] - joined[f"{metric}_other"]
                    row |= {
                        f"g2vec_minus_{metric}": d.mean,
                        f"g2vec_minus_{metric}_ci_low": d.ci_low,
                        f"g2vec_minus_{metric}_ci_high": d.ci_high,
                        f"g2vec_wins_{metric}": float((diff > 0).mean()) if len(diff) else float("nan"),
                    }
            rows.append(row)
            chosen = selections[(selections["size"] == size) & (selections["method"] == method)]
            sets = [frozenset(g["gene"]) for _, g in chosen.groupby("repeat")]
            if sets:
                stability.append(
                    {
                        "size": size,
                        "method": method,
                        "mean_pairwise_jaccard": _jaccard(sets),
                        "n_distinct_genes": int(chosen["gene"].nunique()),
                        "n_repeats": len(sets),
                    }
                )
    return pd.DataFrame(rows), pd.DataFrame(stability)


def learning_curve(
    adata: AnnData,
    network: nx.Graph,
    *,
    groupby: str = "prognosis",
    layer: str | None = None,
    duration_key: str | None = "os_days",
    event_key: str | None = "os_event",
    sizes: Sequence[int | None] = DEFAULT_SIZES,
    n_repeats: int = 20,
    test_fraction: float = 0.3,
    variants: Sequence[str] = ("reference", "omicsdl"),
    n_seeds: int = 5,
    cohort: str = "",
    rng: RNGLike = None,
    **g2vec_kwargs: Any,
) -> G2VecLearningCurve:
    """Run the learning-curve experiment of the module docstring.

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`~omicsdl.g2vec.G2Vec.fit`. A directed network is walked as
        listed by the reference variant and both ways by the ``omicsdl`` one.
    duration_key, event_key
        Survival columns (days, 0/1) for the Cox baseline and the survival
        check; ``None`` or absent columns skip both.
    sizes
        Training patients per group; ``None`` = the whole training pool. Sizes
        beyond the pool are capped at it.
    n_repeats
        Random splits.
    test_fraction
        Share of each group held out.
    variants
        G2Vec variants compared (``"reference"`` must be among them).
    n_seeds
        Seeds for the stability of G2Vec on the whole labelled cohort (0 skips it).
    cohort
        A name for the cohort, recorded in the protocol.
    rng
        Seed or generator.
    **g2vec_kwargs
        Hyperparameters of :class:`~omicsdl.g2vec.G2Vec` (not ``variant``, not ``rng``).

    Returns
    -------
    :class:`~omicsdl.g2vec.G2VecLearningCurve` (write it with ``.write(folder)``).

    Raises
    ------
    InputError
        Too few labelled patients for the split, or ``"reference"`` not among the variants.
    """
    from omicsdl.g2vec._model import G2Vec
    from omicsdl.g2vec._results import G2VecLearningCurve

    if "reference" not in variants:
        msg = "the learning curve compares every method with the reference G2Vec: include it"
        raise InputError(msg, fix="variants=('reference', 'omicsdl')")
    gen = as_generator(rng)
    labels = adata.obs[groupby].astype(object)
    labelled = labels.isin(GROUPS).to_numpy()
    y_all = np.where(labels == "poor", 1, 0)
    x = matrix_of(adata, layer)
    genes = list(feature_symbols(adata))  # gene symbols (a cohort's rna:ACAT1 is ACAT1)
    col = {g: i for i, g in enumerate(genes)}
    net_cols, net_src, net_dst = undirected_network_columns(genes, network)
    has_survival = bool(duration_key and event_key and {duration_key, event_key} <= set(adata.obs.columns))
    if has_survival:
        durations = adata.obs[duration_key].to_numpy(dtype=float)
        events = adata.obs[event_key].to_numpy(dtype=float)
        with_survival = np.isfinite(durations) & np.isfinite(events)
    else:
        durations = events = None
        with_survival = np.zeros(adata.n_obs, dtype=bool)
    groups = [np.flatnonzero(labelled & (y_all == g)) for g in (0, 1)]
    unlabelled = np.flatnonzero(~labelled & with_survival)
    n_test = [max(2, round(test_fraction * len(g))) for g in groups]
    pool_sizes = [len(g) - t for g, t in zip(groups, n_test, strict=True)]
    if min(pool_sizes) < 10:
        msg = f"too few labelled patients: the training pools hold {pool_sizes} good/poor patients"
        raise InputError(msg, fix="use a cohort with more labelled patients or a smaller --test-fraction")
    per_group = sorted(
        {min(s, min(pool_sizes)) if s is not None else None for s in sizes}, key=lambda s: s or 1e9
    )
    fold_rows, selection_rows, survival_test = [], [], None
    steps = list(itertools.product(range(n_repeats), per_group))
    methods: list[str] = [f"g2vec_{v}" for v in variants]
    for repeat, size in progress(steps, desc="g2vec learning curve", total=len(steps)):
        if size == per_group[0]:  # a new repeat: a new split, the same for every size
            split_gen = np.random.default_rng(int(gen.integers(0, 2**31 - 1)))
            shuffled = [split_gen.permutation(g) for g in groups]
            test_idx = np.sort(np.concatenate([s[:t] for s, t in zip(shuffled, n_test, strict=True)]))
            pools = [s[t:] for s, t in zip(shuffled, n_test, strict=True)]
            extra = split_gen.permutation(unlabelled)[: round(test_fraction * len(unlabelled))]
            survival_rows = np.sort(np.concatenate([test_idx, extra])) if has_survival else None
            fit_seed = int(gen.integers(0, 2**31 - 1))
        fit_idx = np.sort(np.concatenate([p[: size or len(p)] for p in pools]))
        sub = adata[fit_idx]
        k_gen = np.random.default_rng([fit_seed, size or 0])
        chosen: dict[str, np.ndarray] = {}
        for variant in variants:
            model = G2Vec(**g2vec_kwargs, variant=variant, rng=derive_seed(k_gen)).fit(
                sub, network, groupby=groupby, layer=layer
            )
            chosen[f"g2vec_{variant}"] = np.array([col[g] for g in model.biomarkers_["gene"]])
        k = len(chosen[REFERENCE_METHOD])
        survival_fit = (durations[fit_idx], events[fit_idx]) if has_survival else None
        sets = chosen | choose_gene_sets(
            x[fit_idx],
            y_all[fit_idx],
            k,
            network_columns=net_cols,
            network_src=net_src,
            network_dst=net_dst,
            survival_fit=survival_fit,
            rng=k_gen,
        )
        survival = None
        if has_survival:
            survival = (survival_rows, durations[survival_rows], events[survival_rows].astype(bool))
        for method, cols in sets.items():
            if method not in methods:
                methods.append(method)
            score = score_gene_set(x, y_all, fit_idx, test_idx, cols, survival=survival)
            fold_rows.append(
                {
                    "repeat": repeat,
                    "size": "all" if size is None else int(size),
                    "n_train_good": int(np.isin(fit_idx, groups[0]).sum()),
                    "n_train_poor": int(np.isin(fit_idx, groups[1]).sum()),
                    "n_train": len(fit_idx),
                    "n_test": len(test_idx),
                    "method": method,
                    "n_genes": len(cols),
                    "accuracy": score.accuracy,
                    "auc": score.auc,
                    "c_index": score.c_index,
                }
            )
            if method != "all_genes":
                selection_rows.extend(
                    {
                        "repeat": repeat,
                        "size": "all" if size is None else int(size),
                        "method": method,
                        "gene": genes[c],
                    }
                    for c in cols
                )
        if repeat == 0 and size is None and has_survival:
            survival_test = _survival_split(
                x, y_all, fit_idx, test_idx, sets, survival_rows, durations, events
            )
    folds = pd.DataFrame(fold_rows)
    selections = pd.DataFrame(selection_rows, columns=["repeat", "size", "method", "gene"])
    curve, stability = _summaries(folds, selections, methods)
    seed_rows = _seed_stability(adata, network, groupby, layer, variants, n_seeds, gen, g2vec_kwargs)
    protocol = {
        "cohort": cohort,
        "n_patients": int(adata.n_obs),
        "n_good": len(groups[0]),
        "n_poor": len(groups[1]),
        "n_unlabelled_with_survival": len(unlabelled),
        "n_test_good": n_test[0],
        "n_test_poor": n_test[1],
        "test_fraction": test_fraction,
        "sizes_per_group": ["all" if s is None else int(s) for s in per_group],
        "n_repeats": n_repeats,
        "variants": list(variants),
        "methods": methods,
        "reference_method": REFERENCE_METHOD,
        "classifier": CLASSIFIER,
        "interval": "95 % Student t over repeats, variance corrected for overlapping training sets "
        "(Nadeau & Bengio 2003)",
        "survival": has_survival,
        "n_seeds": n_seeds,
        "g2vec": {k: v for k, v in g2vec_kwargs.items() if isinstance(v, int | float | str)},
    }
    return G2VecLearningCurve(
        curve=curve,
        folds=folds,
        selections=selections,
        stability=stability,
        seed_stability=pd.DataFrame(seed_rows),
        survival_test=survival_test,
        protocol=protocol,
    )


def _survival_split(
    x: np.ndarray,
    y: np.ndarray,
    fit_idx: np.ndarray,
    test_idx: np.ndarray,
    sets: dict[str, np.ndarray],
    rows: np.ndarray,
    durations: np.ndarray,
    events: np.ndarray,
) -> list[dict[str, Any]]:
    """Log-rank of high vs low classifier risk (split at the training median) on held-out patients."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from omicsdl.survival import logrank

    out = []
    for method, cols in sets.items():
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        clf.fit(x[np.ix_(fit_idx, cols)], y[fit_idx])
        cut = float(np.median(clf.decision_function(x[np.ix_(fit_idx, cols)])))
        high = clf.decision_function(x[np.ix_(rows, cols)]) > cut
        entry: dict[str, Any] = {"method": method, "n_test": len(rows), "n_high": int(high.sum())}
        if 0 < high.sum() < len(rows):
            res = logrank(durations[rows], events[rows], np.where(high, "high", "low"))
            entry |= {"logrank_statistic": res.statistic, "logrank_p": res.p_value}
        out.append(entry)
    return out


def _seed_stability(
    adata: AnnData,
    network: nx.Graph,
    groupby: str,
    layer: str | None,
    variants: Sequence[str],
    n_seeds: int,
    gen: np.random.Generator,
    g2vec_kwargs: dict[str, Any],
) -> list[dict[str, Any]]:
    from omicsdl.g2vec._model import G2Vec

    rows = []
    seeds = [int(s) for s in gen.integers(0, 2**31 - 1, size=n_seeds)]
    for variant in variants:
        sets = []
        for seed in seeds:
            model = G2Vec(**g2vec_kwargs, variant=variant, rng=seed).fit(
                adata, network, groupby=groupby, layer=layer
            )
            sets.append(frozenset(model.biomarkers_["gene"]))
        if sets:
            counts = pd.Series([g for s in sets for g in s]).value_counts()
            rows.append(
                {
                    "method": f"g2vec_{variant}",
                    "n_seeds": len(sets),
                    "mean_pairwise_jaccard": _jaccard(sets),
                    "n_distinct_genes": int(counts.shape[0]),
                    "n_always_chosen": int((counts == len(sets)).sum()),
                    "mean_set_size": float(np.mean([len(s) for s in sets])),
                }
            )
    return rows

"""Held-out prognosis classification with G2Vec biomarkers against baselines.

Every fold re-runs the whole G2Vec selection on its training patients only
(correlations, walks, embedding, |t|), so the test patients never influence
which genes are chosen. The baselines (:mod:`~omicsdl.g2vec._selectors`) are
chosen inside the fold too, with as many genes as G2Vec chose. Each gene set
feeds the same classifier (standardisation + L2 logistic regression, C = 1),
fitted on the training patients; held-out patients give the accuracy (at p =
0.5), the ROC AUC and, when survival is known, the C-index of the classifier's
score as a risk score (on every held-out patient with survival, labelled or not).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._paths import GROUPS
from omicsdl.g2vec._results import evaluation_document, fold_record
from omicsdl.io._features import feature_symbols

if TYPE_CHECKING:
    import networkx as nx
    from anndata import AnnData

__all__ = ["CLASSIFIER", "FoldScore", "choose_gene_sets", "evaluate_g2vec", "score_gene_set"]

logger = logging.getLogger(__name__)

#: the classifier every gene set feeds, in words
CLASSIFIER = "StandardScaler + LogisticRegression(C=1, L2)"


@dataclass(frozen=True, slots=True)
class FoldScore:
    """Held-out scores of one gene set in one split (``c_index`` NaN without survival)."""

    accuracy: float
    auc: float
    c_index: float


def matrix_of(adata: AnnData, layer: str | None) -> np.ndarray:
    """The expression of ``adata`` (or one of its layers) as a dense float64 array."""
    m = adata.X if layer is None else adata.layers[layer]
    return np.asarray(m.toarray() if hasattr(m, "toarray") else m, dtype=np.float64)


def score_gene_set(
    x: np.ndarray,
    y: np.ndarray,
    fit_idx: np.ndarray,
    test_idx: np.ndarray,
    cols: np.ndarray,
    *,
    survival: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> FoldScore:
    """Fit the classifier on ``fit_idx`` with genes ``cols``; score it on ``test_idx`` (module docstring).

    Parameters
    ----------
    x
        Patients × genes (all patients of the cohort).
    y
        0/1 labels (only ``fit_idx`` and ``test_idx`` are read).
    fit_idx, test_idx
        Training and held-out labelled patients (rows of ``x``).
    cols
        The gene set (columns of ``x``).
    survival
        ``(rows, durations, events)`` of the held-out patients with survival,
        for the C-index; ``None`` skips it.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from omicsdl.survival import concordance_index

    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    clf.fit(x[np.ix_(fit_idx, cols)], y[fit_idx])
    prob = clf.predict_proba(x[np.ix_(test_idx, cols)])[:, 1]
    c_index = float("nan")
    if survival is not None and survival[2].any():
        rows, durations, events = survival
        c_index = concordance_index(durations, events, clf.decision_function(x[np.ix_(rows, cols)]))
    return FoldScore(
        accuracy=float(accuracy_score(y[test_idx], prob >= 0.5)),
        auc=float(roc_auc_score(y[test_idx], prob)),
        c_index=c_index,
    )


def choose_gene_sets(
    x_fit: np.ndarray,
    y_fit: np.ndarray,
    k: int,
    *,
    network_columns: np.ndarray,
    network_src: np.ndarray,
    network_dst: np.ndarray,
    survival_fit: tuple[np.ndarray, np.ndarray] | None,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """The baseline gene sets of one split, each of ``k`` genes chosen on the training patients.

    Returns
    -------
    ``{"top_t", "cox" (when ``survival_fit`` is given), "network", "random",
    "all_genes"}`` → column indices.
    """
    from omicsdl.g2vec._selectors import cox_genes, network_pagerank_genes, random_genes, top_t_genes

    sets = {"top_t": top_t_genes(x_fit, y_fit, k)}
    if survival_fit is not None:
        sets["cox"] = cox_genes(x_fit, survival_fit[0], survival_fit[1], k)
    sets["network"] = network_pagerank_genes(x_fit, y_fit, network_columns, network_src, network_dst, k)
    sets["random"] = random_genes(x_fit.shape[1], k, rng)
    sets["all_genes"] = np.arange(x_fit.shape[1])
    return sets


def undirected_network_columns(
    genes: list[str], network: nx.Graph
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(columns, src, dst)``: the expressed genes linked in ``network`` (undirected) and its edges."""
    from omicsdl.g2vec._model import match_network

    graph = network.to_undirected(as_view=True) if network.is_directed() else network
    linked, src, dst, _ = match_network(genes, graph)
    index = {g: i for i, g in enumerate(genes)}
    return np.array([index[g] for g in linked]), src, dst


def evaluate_g2vec(
    adata: AnnData,
    network: nx.Graph,
    *,
    groupby: str = "prognosis",
    layer: str | None = None,
    duration_key: str | None = "os_days",
    event_key: str | None = "os_event",
    n_splits: int = 5,
    n_repeats: int = 3,
    rng: RNGLike = None,
    **g2vec_kwargs: Any,
) -> dict[str, Any]:
    """Repeated stratified cross-validation of prognosis classification (module docstring).

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`G2Vec.fit`; only ``good``/``poor`` patients are used.
    duration_key, event_key
        Survival columns for the Cox baseline and the C-index; ``None`` (or
        absent columns) skips both.
    n_splits, n_repeats
        Folds and repetitions of :class:`sklearn.model_selection.RepeatedStratifiedKFold`.
    rng
        Seed or generator (folds, random genes, and the ``rng`` of every fold's G2Vec).
    **g2vec_kwargs
        Hyperparameters of :class:`G2Vec` (not ``rng``).

    Returns
    -------
    JSON-ready dict: ``protocol``, ``summary`` (per gene set: mean and
    standard deviation of accuracy, AUC and C-index, mean number of genes) and ``folds``.
    """
    from sklearn.model_selection import RepeatedStratifiedKFold

    from omicsdl.g2vec._model import G2Vec

    gen = as_generator(rng)
    labels = adata.obs[groupby].astype(object)
    keep = labels.isin(GROUPS).to_numpy()
    sub = adata[keep].copy()
    y = (labels[keep] == "poor").to_numpy().astype(int)
    if min(np.bincount(y, minlength=2)) < n_splits:
        msg = f"each group needs at least n_splits={n_splits} patients for cross-validation"
        raise InputError(msg, fix="lower --n-splits")
    x = matrix_of(sub, layer)
    genes = list(feature_symbols(sub))  # gene symbols (a cohort's rna:ACAT1 is ACAT1)
    col = {g: i for i, g in enumerate(genes)}
    net_cols, net_src, net_dst = undirected_network_columns(genes, network)
    durations = events = None
    if duration_key and event_key and {duration_key, event_key} <= set(sub.obs.columns):
        durations = sub.obs[duration_key].to_numpy(dtype=float)
        events = sub.obs[event_key].to_numpy(dtype=float).astype(bool)
        if not np.isfinite(durations).all():
            durations = events = None
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=derive_seed(gen))
    folds = []
    splits = list(cv.split(x, y))
    for k, (fit_idx, test_idx) in enumerate(progress(splits, desc="g2vec evaluation", total=len(splits))):
        model = G2Vec(**g2vec_kwargs, rng=gen).fit(sub[fit_idx], network, groupby=groupby, layer=layer)
        chosen = np.array([col[g] for g in model.biomarkers_["gene"]])
        survival_fit = None if durations is None else (durations[fit_idx], events[fit_idx])
        survival_test = None if durations is None else (test_idx, durations[test_idx], events[test_idx])
        sets = {"g2vec": chosen} | choose_gene_sets(
            x[fit_idx],
            y[fit_idx],
            len(chosen),
            network_columns=net_cols,
            network_src=net_src,
            network_dst=net_dst,
            survival_fit=survival_fit,
            rng=gen,
        )
        scores = {
            name: score_gene_set(x, y, fit_idx, test_idx, cols, survival=survival_test)
            for name, cols in sets.items()
        }
        folds.append(
            fold_record(
                repeat=k // n_splits,
                fold=k % n_splits,
                n_genes=len(chosen),
                scores={n: (s.accuracy, s.auc, s.c_index) for n, s in scores.items()},
            )
        )
        logger.info("fold %d: %s", k, {n: round(s.auc, 3) for n, s in scores.items()})
    protocol = {
        "cv": "RepeatedStratifiedKFold",
        "n_splits": n_splits,
        "n_repeats": n_repeats,
        "n_patients": len(y),
        "n_poor": int(y.sum()),
        "n_good": int(len(y) - y.sum()),
        "classifier": CLASSIFIER,
        "selection": "every gene set chosen on the training patients of each fold, "
        "as many genes as G2Vec chose",
        "g2vec": {k: v for k, v in g2vec_kwargs.items() if isinstance(v, int | float | str)},
    }
    return evaluation_document(folds, protocol=protocol, n_all_genes=len(genes))

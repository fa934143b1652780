"""Held-out prognosis classification with G2Vec biomarkers against baselines.

Every fold re-runs the whole G2Vec selection on its training patients only
(correlations, walks, embedding, |t|), so the test patients never influence
which genes are chosen. The baselines are chosen inside the fold too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._results import FEATURE_SETS, evaluation_document, fold_record
from omicsdl.g2vec._walks import GROUPS

if TYPE_CHECKING:
    import networkx as nx
    from anndata import AnnData

__all__ = ["evaluate_g2vec"]

logger = logging.getLogger(__name__)


def _matrix(adata: AnnData, layer: str | None) -> np.ndarray:
    m = adata.X if layer is None else adata.layers[layer]
    return np.asarray(m.toarray() if hasattr(m, "toarray") else m, dtype=np.float64)


def _classify(
    x_fit: np.ndarray, y_fit: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    clf.fit(x_fit, y_fit)
    prob = clf.predict_proba(x_test)[:, 1]
    return float(accuracy_score(y_test, prob >= 0.5)), float(roc_auc_score(y_test, prob))


def evaluate_g2vec(
    adata: AnnData,
    network: nx.Graph,
    *,
    groupby: str = "prognosis",
    layer: str | None = None,
    n_splits: int = 5,
    n_repeats: int = 3,
    rng: RNGLike = None,
    **g2vec_kwargs: Any,
) -> dict[str, Any]:
    """Repeated stratified cross-validation of prognosis classification.

    In each fold, :class:`~omicsdl.g2vec.G2Vec` is fitted on the training
    patients; its biomarkers (``k`` genes) are compared with the ``k`` genes of
    largest |t| (Welch, training patients), ``k`` random genes and all genes.
    Each set feeds the same classifier (standardisation + L2 logistic
    regression, C = 1) fitted on the training patients and scored on the
    held-out ones (accuracy at p = 0.5, ROC AUC).

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`G2Vec.fit`; only ``good``/``poor`` patients are used.
    n_splits, n_repeats
        Folds and repetitions of :class:`sklearn.model_selection.RepeatedStratifiedKFold`.
    rng
        Seed or generator (folds, random genes, and the ``rng`` of every fold's G2Vec).
    **g2vec_kwargs
        Hyperparameters of :class:`G2Vec` (not ``rng``).

    Returns
    -------
    JSON-ready dict: ``protocol``, ``summary`` (per feature set: mean and
    standard deviation of accuracy and AUC, mean number of genes) and ``folds``.
    """
    from sklearn.model_selection import RepeatedStratifiedKFold

    from omicsdl.g2vec._model import G2Vec, _abs_welch_t

    gen = as_generator(rng)
    labels = adata.obs[groupby].astype(object)
    keep = labels.isin(GROUPS).to_numpy()
    sub = adata[keep].copy()
    y = (labels[keep] == "poor").to_numpy().astype(int)
    if min(np.bincount(y, minlength=2)) < n_splits:
        msg = f"each group needs at least n_splits={n_splits} patients for cross-validation"
        raise InputError(
            msg,
            fix="lower --n-splits",
        )
    x = _matrix(sub, layer)
    genes = np.asarray(sub.var_names.astype(str))
    col = {g: i for i, g in enumerate(genes)}
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=derive_seed(gen))
    folds = []
    splits = list(cv.split(x, y))
    for k, (fit_idx, test_idx) in enumerate(progress(splits, desc="g2vec evaluation", total=len(splits))):
        model = G2Vec(**g2vec_kwargs, rng=gen).fit(sub[fit_idx], network, groupby=groupby, layer=layer)
        chosen = model.biomarkers_["gene"].tolist()
        n_sel = len(chosen)
        abs_t = _abs_welch_t(x[fit_idx], y[fit_idx])
        sets = {
            "g2vec": np.array([col[g] for g in chosen]),
            "top_t": np.argsort(-abs_t, kind="stable")[:n_sel],
            "random": np.sort(gen.choice(len(genes), size=n_sel, replace=False)),
            "all_genes": np.arange(len(genes)),
        }
        scores = {
            name: _classify(x[np.ix_(fit_idx, cols)], y[fit_idx], x[np.ix_(test_idx, cols)], y[test_idx])
            for name, cols in sets.items()
        }
        folds.append(fold_record(repeat=k // n_splits, fold=k % n_splits, n_genes=n_sel, scores=scores))
        logger.info("fold %d: %s", k, {n: round(scores[n][1], 3) for n in FEATURE_SETS})
    protocol = {
        "cv": "RepeatedStratifiedKFold",
        "n_splits": n_splits,
        "n_repeats": n_repeats,
        "n_patients": len(y),
        "n_poor": int(y.sum()),
        "n_good": int(len(y) - y.sum()),
        "classifier": "StandardScaler + LogisticRegression(C=1, L2)",
        "selection": "G2Vec, top-|t| and random genes chosen on the training patients of each fold",
        "g2vec": {k: v for k, v in g2vec_kwargs.items() if isinstance(v, int | float | str)},
    }
    return evaluation_document(folds, protocol=protocol, n_all_genes=len(genes))

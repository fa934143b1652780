"""One G2Vec run: fit, modules, module enrichment and evaluation (compute only; no files)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._random import RNGLike, as_generator, derive_seed

if TYPE_CHECKING:
    from collections.abc import Mapping

    import networkx as nx
    from anndata import AnnData

    from omicsdl.g2vec._results import G2VecRun

__all__ = ["run_g2vec"]

logger = logging.getLogger(__name__)


def run_g2vec(
    adata: AnnData,
    network: nx.Graph,
    *,
    groupby: str = "prognosis",
    layer: str | None = None,
    gene_sets: Mapping[str, Mapping[str, list[str]]] | None = None,
    evaluate: bool = True,
    n_splits: int = 5,
    n_repeats: int = 3,
    min_module_size: int = 3,
    min_set_size: int = 3,
    rng: RNGLike = None,
    **g2vec_kwargs: Any,
) -> G2VecRun:
    """Fit G2Vec, find modules, test their enrichment and evaluate the biomarkers.

    Three independent seeds are drawn from ``rng``: one for the
    :class:`~omicsdl.g2vec.G2Vec` fit, one for the Louvain modules, one for the
    evaluation. Nothing is written: call :meth:`G2VecRun.write` for the folder.

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`~omicsdl.g2vec.G2Vec.fit`.
    gene_sets
        ``{collection: {set: genes}}``; ``None`` uses the shipped GO Biological
        Process 2023 (:func:`omicsdl.enrich.default_gene_sets`).
    evaluate
        Run :func:`evaluate_g2vec` (repeated cross-validation; the costly part).
    n_splits, n_repeats
        Cross-validation folds and repeats.
    min_module_size
        Smallest module kept.
    min_set_size
        Smallest gene set (within the background) tested.
    rng
        Seed or generator.
    **g2vec_kwargs
        Hyperparameters of :class:`~omicsdl.g2vec.G2Vec` (not ``rng``).

    Returns
    -------
    :class:`~omicsdl.g2vec.G2VecRun`: the fitted model, modules, enrichment
    (background = the genes G2Vec tested: expressed and linked in the network),
    evaluation and summary.
    """
    from omicsdl.enrich import default_gene_sets, run_ora
    from omicsdl.g2vec._evaluate import evaluate_g2vec
    from omicsdl.g2vec._model import G2Vec
    from omicsdl.g2vec._results import ENRICHMENT_COLUMNS, G2VecRun

    gen = as_generator(rng)
    fit_seed, module_seed, eval_seed = (int(s) for s in gen.integers(0, 2**31 - 1, size=3))
    model = G2Vec(**g2vec_kwargs, rng=fit_seed).fit(adata, network, groupby=groupby, layer=layer)
    modules = model._modules(min_size=min_module_size, seed=derive_seed(module_seed))
    collections = {"GO_Biological_Process_2023": default_gene_sets()} if gene_sets is None else gene_sets
    parts = []
    for module, members in modules.groupby("module", sort=False)["gene"]:
        for collection, sets in collections.items():
            res = run_ora(members.tolist(), sets, background=model.genes_, min_size=min_set_size)
            if len(res):
                res.insert(0, "collection", collection)
                res.insert(0, "module", module)
                parts.append(res)
    enrichment = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ENRICHMENT_COLUMNS)
    enrichment = enrichment[ENRICHMENT_COLUMNS]
    evaluation = None
    if evaluate:
        evaluation = evaluate_g2vec(
            adata,
            network,
            groupby=groupby,
            layer=layer,
            n_splits=n_splits,
            n_repeats=n_repeats,
            rng=eval_seed,
            **g2vec_kwargs,
        )
    return G2VecRun.from_fit(
        model,
        modules=modules,
        enrichment=enrichment,
        evaluation=evaluation,
        network=network,
        labels=adata.obs[groupby],
    )

"""One G2Vec run: fit, modules, module enrichment with its null, and evaluation (compute only; no files)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.io._features import feature_symbols

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
    duration_key: str | None = "os_days",
    event_key: str | None = "os_event",
    gene_sets: Mapping[str, Mapping[str, list[str]]] | None = None,
    evaluate: bool = True,
    n_splits: int = 5,
    n_repeats: int = 3,
    min_module_size: int = 3,
    min_set_size: int = 3,
    n_null_draws: int = 200,
    rng: RNGLike = None,
    **g2vec_kwargs: Any,
) -> G2VecRun:
    """Fit G2Vec, find modules, test their enrichment against a null and evaluate the biomarkers.

    Four independent seeds are drawn from ``rng``: the
    :class:`~omicsdl.g2vec.G2Vec` fit, the Louvain modules, the evaluation and
    the module null. Nothing is written: call :meth:`G2VecRun.write` for the folder.

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`~omicsdl.g2vec.G2Vec.fit`.
    duration_key, event_key
        Survival columns for the evaluation's Cox baseline and C-index (``None``: skip them).
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
    n_null_draws
        Random modules per real module in each enrichment null (0 skips the nulls).
    rng
        Seed or generator.
    **g2vec_kwargs
        Hyperparameters of :class:`~omicsdl.g2vec.G2Vec` (not ``rng``).

    Returns
    -------
    :class:`~omicsdl.g2vec.G2VecRun`: the fitted model, modules, enrichment
    (background = the genes G2Vec tested; Benjamini–Hochberg over all modules
    × sets together), the module nulls (random connected modules of the same
    sizes on the network, and random gene sets), evaluation and summary with
    the input's limits and gene-family modules.
    """
    from omicsdl.enrich import default_gene_sets, module_enrichment_null, run_module_enrichment
    from omicsdl.g2vec._diagnostics import gene_family_modules, input_limits
    from omicsdl.g2vec._evaluate import evaluate_g2vec
    from omicsdl.g2vec._model import G2Vec
    from omicsdl.g2vec._results import G2VecRun

    gen = as_generator(rng)
    fit_seed, module_seed, eval_seed, null_seed = (int(s) for s in gen.integers(0, 2**31 - 1, size=4))
    model = G2Vec(**g2vec_kwargs, rng=fit_seed).fit(adata, network, groupby=groupby, layer=layer)
    for warning in model.diagnostics_.warnings:
        logger.warning("G2Vec: %s", warning)
    modules = model._modules(min_size=min_module_size, seed=derive_seed(module_seed))
    collections = {"GO_Biological_Process_2023": default_gene_sets()} if gene_sets is None else gene_sets
    members = {str(m): g.tolist() for m, g in modules.groupby("module", sort=False)["gene"]}
    enrichment = run_module_enrichment(members, collections, background=model.genes_, min_size=min_set_size)
    nulls = []
    if n_null_draws > 0 and members:
        nulls = [
            module_enrichment_null(
                members,
                collections,
                background=model.genes_,
                network=network,
                kind=kind,
                n_draws=n_null_draws,
                min_size=min_set_size,
                rng=np.random.default_rng([null_seed, i]),
            )
            for i, kind in enumerate(("connected", "permutation"))
        ]
    evaluation = None
    if evaluate:
        evaluation = evaluate_g2vec(
            adata,
            network,
            groupby=groupby,
            layer=layer,
            duration_key=duration_key,
            event_key=event_key,
            n_splits=n_splits,
            n_repeats=n_repeats,
            rng=eval_seed,
            **g2vec_kwargs,
        )
    return G2VecRun.from_fit(
        model,
        modules=modules,
        enrichment=enrichment,
        nulls=nulls,
        evaluation=evaluation,
        network=network,
        labels=adata.obs[groupby],
        input_limits=input_limits(list(feature_symbols(adata)), adata.uns),
        gene_families=gene_family_modules(modules),
    )

"""One G2Vec run: fit, modules, module enrichment, evaluation; and its output folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._atomic import write_json, write_text
from omicsdl._core._random import RNGLike, as_generator

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    import networkx as nx
    from anndata import AnnData

    from omicsdl.g2vec._model import G2Vec

__all__ = ["G2VecRun", "run_g2vec", "write_g2vec_run"]

logger = logging.getLogger(__name__)

ENRICHMENT_COLUMNS = [
    "module",
    "collection",
    "term",
    "overlap",
    "set_size",
    "n_query",
    "n_background",
    "p",
    "fdr",
    "genes",
]


@dataclass
class G2VecRun:
    """Everything one G2Vec run produced (see :func:`run_g2vec`)."""

    model: G2Vec
    modules: pd.DataFrame
    enrichment: pd.DataFrame
    evaluation: dict[str, Any] | None
    summary: dict[str, Any] = field(default_factory=dict)


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
        Hyperparameters of :class:`~omicsdl.g2vec.G2Vec`.

    Returns
    -------
    The fitted model, modules, enrichment (background = the genes G2Vec
    tested: expressed and linked in the network) and evaluation.
    """
    from omicsdl.enrich import default_gene_sets, run_ora
    from omicsdl.g2vec._evaluate import evaluate_g2vec
    from omicsdl.g2vec._model import G2Vec

    gen = as_generator(rng)
    fit_seed, module_seed, eval_seed = (int(s) for s in gen.integers(0, 2**31 - 1, size=3))
    model = G2Vec(**g2vec_kwargs).fit(adata, network, groupby=groupby, layer=layer, rng=fit_seed)
    modules = model.modules(min_size=min_module_size, rng=module_seed)
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
    summary = {
        "match": model.match_.to_dict(),
        "edges_above_threshold": model.paths_.n_edges,
        "n_paths": model.paths_.n_per_group(),
        "n_paths_dropped_common": model.paths_.n_dropped_common,
        "n_genes_in_paths": int((model.paths_.counts().sum(axis=1) > 0).sum()),
        "l_groups": model.scores_["l_group"].value_counts().sort_index().to_dict(),
        "n_biomarkers": len(model.biomarkers_),
        "n_modules": int(modules["module"].nunique()) if len(modules) else 0,
        "n_enriched_fdr_0.05": int((enrichment["fdr"] < 0.05).sum()) if len(enrichment) else 0,
    }
    history = getattr(model.embedder_, "history_", None)
    if history:
        summary["embedder"] = {
            "epochs": len(history),
            "best_epoch": model.embedder_.best_epoch_,
            "last": history[-1],
        }
    return G2VecRun(model, modules, enrichment, evaluation, summary)


def write_g2vec_run(run: G2VecRun, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write a run's output folder.

    Files: ``vectors.kv`` (+ ``vectors.txt``, ``vectors.json``), ``biomarkers.tsv``,
    ``modules.tsv``, ``enrichment.tsv``, ``evaluation.json`` and ``summary.json``.

    Every file is written atomically. ``evaluation.json`` holds
    ``{"skipped": true}`` when the run was not evaluated.
    """
    from omicsdl.g2vec._vectors import save_gene_vectors

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = save_gene_vectors(run.model.vectors_, out)
    written["biomarkers"] = write_text(
        out / "biomarkers.tsv", run.model.biomarkers_.to_csv(sep="\t", index=False)
    )
    written["modules"] = write_text(out / "modules.tsv", run.modules.to_csv(sep="\t", index=False))
    written["enrichment"] = write_text(
        out / "enrichment.tsv", run.enrichment.to_csv(sep="\t", index=False, float_format="%.6g")
    )
    written["evaluation"] = write_json(out / "evaluation.json", run.evaluation or {"skipped": True})
    written["summary"] = write_json(out / "summary.json", run.summary)
    return written

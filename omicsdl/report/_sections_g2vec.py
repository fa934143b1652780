"""Report section for G2Vec gene modules (``omicsdl g2vec run`` results)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl.report._sections_common import find_file, fmt_num, fmt_p, read_json, read_tsv, require_dir

if TYPE_CHECKING:
    import os
    from pathlib import Path

    import networkx as nx
    from matplotlib.figure import Figure

    from omicsdl.report._builder import Report

__all__ = ["g2vec_section"]

logger = logging.getLogger(__name__)

_MAX_MODULE_FIGURES = 4


def _module_graph(
    genes: list[str], network: nx.Graph | None, vectors: Any, edges: pd.DataFrame | None
) -> tuple[nx.Graph, str]:
    """The module's graph and how its edges were obtained."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(genes)
    if edges is not None:
        a, b = edges.columns[:2]
        keep = edges[edges[a].isin(genes) & edges[b].isin(genes)]
        graph.add_edges_from(zip(keep[a], keep[b], strict=True))
        return graph, "interaction-network edges between the module's genes"
    if network is not None:
        graph.add_edges_from(network.subgraph(genes).edges())
        return graph, "interaction-network edges between the module's genes"
    if vectors is not None:
        present = [g for g in genes if g in vectors.key_to_index]
        for g in present:
            sims = sorted(((float(vectors.similarity(g, h)), h) for h in present if h != g), reverse=True)[:2]
            graph.add_edges_from((g, h) for s, h in sims if s > 0)
        return graph, "each gene linked to its two most similar genes in the module (cosine of G2Vec vectors)"
    return graph, "no edges available"


def _module_figure(module: str, members: pd.DataFrame, graph: nx.Graph, how: str) -> Figure:
    import networkx as nx
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.2, 4.2), layout="constrained")
    ax = fig.subplots()
    pos = nx.spring_layout(graph, seed=0)
    info = members.set_index("gene")
    poor = info["l_group"].astype(str).str.lower().str.startswith("poor") if "l_group" in info else None
    colours = ["#b54708" if poor is not None and bool(poor.get(g, False)) else "#2e6da4" for g in graph.nodes]
    score = (
        info["score"].reindex(list(graph.nodes)).fillna(0).to_numpy(dtype=float) if "score" in info else None
    )
    sizes = 200 + 600 * (score - score.min()) / (np.ptp(score) or 1) if score is not None else 300
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.5, edge_color="#8a94a6")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=sizes, alpha=0.9)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7)
    ax.set_title(
        f"module {module}: {graph.number_of_nodes()} genes, {graph.number_of_edges()} edges", fontsize=10
    )
    ax.set_axis_off()
    ax.text(
        0.0,
        -0.04,
        f"edges: {how}; orange = poor-prognosis L-group, blue = good; size = score",
        transform=ax.transAxes,
        fontsize=6.5,
        color="#4a5568",
    )
    return fig


def _load_vectors(folder: Path) -> Any:
    path = folder / "vectors.kv"
    if not path.is_file():
        return None
    try:
        from gensim.models import KeyedVectors

        return KeyedVectors.load(str(path))
    except (OSError, ValueError, ImportError) as err:  # an unreadable file only loses the fallback edges
        logger.warning("could not read %s: %s", path, err)
        return None


def g2vec_section(report: Report, results: str | os.PathLike[str], *, network: nx.Graph | None = None) -> str:
    """Add the G2Vec section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        Folder written by ``omicsdl g2vec run``: ``biomarkers.tsv``,
        ``modules.tsv``, ``enrichment.tsv``, ``evaluation.json`` (and
        ``vectors.kv``, ``summary.json``, ``module_edges.tsv`` when present).
    network
        The interaction network the run used, to draw the modules' real edges;
        without it (and without ``module_edges.tsv``) genes are linked by the
        similarity of their G2Vec vectors, and the caption says so.
    """
    folder = require_dir(results, "G2Vec", "biomarkers.tsv")
    sec = report.section("g2vec", "G2Vec prognostic genes and modules")
    sec.add_text(
        "G2Vec (Choi et al., Sci Rep 2018) walks a gene-interaction network, weighting each link by how "
        "strongly the two genes' activity is correlated in good- and in poor-prognosis patients, and learns "
        "a vector per gene that predicts which group a walk came from. Genes with long vectors that also "
        "differ between the groups are the biomarkers; the biomarkers' neighbourhoods on the network are "
        "the modules, tested for enrichment in known gene sets."
    )
    summary = read_json(folder / "summary.json", report) if (folder / "summary.json").is_file() else {}
    biomarkers = read_tsv(folder / "biomarkers.tsv", report, "g2vec")
    figures = {"biomarkers": str(len(biomarkers))}
    if "l_group" in biomarkers:
        figures |= {
            f"{k} L-group": str(v) for k, v in biomarkers["l_group"].value_counts().sort_index().items()
        }
    sentence = [f"G2Vec: {len(biomarkers)} prognostic biomarker genes"]

    evaluation: dict[str, Any] = {}
    if (folder / "evaluation.json").is_file():
        evaluation = read_json(folder / "evaluation.json", report)
    rows = [
        {
            "gene set": name,
            "n_genes": v.get("n_genes_mean"),
            "accuracy": v.get("accuracy_mean"),
            "accuracy_sd": v.get("accuracy_sd"),
            "auc": v.get("auc_mean"),
            "auc_sd": v.get("auc_sd"),
        }
        for name, v in evaluation.get("summary", {}).items()
        if isinstance(v, dict)
    ]
    if rows:
        table = pd.DataFrame(rows)
        g2 = table.set_index("gene set")["auc"]
        figures["held-out AUC (G2Vec genes)"] = fmt_num(g2.get("g2vec"))
        sec.add_key_figures(figures)
        proto = evaluation.get("protocol", {})
        sec.add_table(
            table,
            name="g2vec_evaluation",
            caption=f"Held-out prognosis classification ({proto.get('n_splits', '?')}-fold CV × "
            f"{proto.get('n_repeats', '?')} repeats, {proto.get('classifier', 'logistic regression')}): "
            "G2Vec biomarkers against the same number of top-|t| genes, random genes and all genes.",
        )
        sentence.append(
            f"predict good vs poor prognosis on held-out patients with AUC {fmt_num(g2.get('g2vec'))} "
            f"(top-|t| genes {fmt_num(g2.get('top_t'))}, random genes {fmt_num(g2.get('random'))})"
        )
    else:
        sec.add_key_figures(figures)
        sec.add_callout(
            "No cross-validated evaluation in the results (evaluation.json absent or skipped).",
            kind="warning",
        )
    sec.add_table(
        biomarkers, name="g2vec_biomarkers", caption="Biomarker genes with their L-group and score."
    )

    if (path := find_file(folder, "modules.tsv")) is not None:
        modules = read_tsv(path, report, "g2vec")
        if len(modules):
            lists = (
                modules.groupby("module", sort=False)["gene"]
                .agg(lambda g: ", ".join(map(str, g)))
                .reset_index(name="genes")
            )
            lists.insert(1, "n_genes", modules.groupby("module", sort=False).size().to_numpy())
            sec.add_table(lists, name="g2vec_modules", caption="Modules and their genes.")
            edges_path = find_file(folder, "module_edges.tsv")
            edges = pd.read_csv(edges_path, sep="\t") if edges_path is not None else None
            vectors = None if (edges is not None or network is not None) else _load_vectors(folder)
            for module in lists["module"].head(_MAX_MODULE_FIGURES):
                members = modules[modules["module"] == module]
                graph, how = _module_graph(members["gene"].astype(str).tolist(), network, vectors, edges)
                sec.add_figure(
                    _module_figure(str(module), members, graph, how),
                    caption=f"Module {module}: its genes and {how}.",
                )
            sentence.append(f"{lists['module'].nunique()} network modules")
        else:
            sec.add_callout(
                "The biomarkers formed no module of the minimum size on the network.", kind="note"
            )
    else:
        sec.add_callout(
            "No modules.tsv in the results: module lists and figures are skipped.", kind="warning"
        )

    if (path := find_file(folder, "enrichment.tsv")) is not None:
        enr = read_tsv(path, report, "g2vec")
        cols = [
            c
            for c in ("module", "collection", "term", "overlap", "set_size", "p", "fdr", "genes")
            if c in enr
        ]
        enr = enr[cols].sort_values([c for c in ("fdr", "p") if c in enr]) if len(enr) else enr[cols]
        n_sig = int((enr["fdr"] < 0.05).sum()) if "fdr" in enr and len(enr) else 0
        sec.add_table(
            enr,
            name="g2vec_enrichment",
            caption=f"Gene-set enrichment of the modules (hypergeometric test, Benjamini–Hochberg FDR; "
            f"{n_sig} terms at FDR < 0.05).",
        )
        if n_sig:
            top = enr.iloc[0]
            sentence.append(f"the top enriched term is {top['term']} (FDR {fmt_p(top['fdr'])})")
        else:
            sentence.append("no gene set is enriched at FDR < 0.05")
    else:
        sec.add_callout("No enrichment.tsv in the results: enrichment is skipped.", kind="warning")
    match = summary.get("match")
    if isinstance(match, dict):
        counts = {k.replace("_", " "): v for k, v in match.items() if isinstance(v, int | float)}
        if counts:
            sec.add_text(
                "Genes and edges matched between expression and network: "
                + "; ".join(f"{k} {v}" for k, v in counts.items())
                + "."
            )
    report.add_methods(g2vec_protocol=evaluation.get("protocol", "not recorded"))
    return "; ".join(sentence) + "."

"""Figures of G2Vec: one network figure per module, and the learning curve (called by the results)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["METHOD_STYLE", "module_graph", "plot_learning_curve", "plot_module"]

EDGES_FROM_NETWORK = "interaction-network edges between the module's genes"
EDGES_FROM_VECTORS = "each gene linked to its two most similar genes in the module (cosine of G2Vec vectors)"
NO_EDGES = "no edges available"


def module_graph(
    genes: list[str],
    *,
    network: nx.Graph | None = None,
    vectors: pd.DataFrame | None = None,
    edges: pd.DataFrame | None = None,
) -> tuple[nx.Graph, str]:
    """The module's graph and how its edges were obtained.

    Parameters
    ----------
    genes
        The module's genes (the nodes).
    network
        The interaction network; its edges among ``genes`` are used when
        ``edges`` is not given.
    vectors
        ``genes × dim`` gene vectors; without ``edges`` and ``network``, each gene
        is linked to its two most similar module genes (positive cosine).
    edges
        A two-column edge table (e.g. ``module_edges.tsv``); used first.

    Returns
    -------
    ``(graph, how)``: the graph and a caption fragment saying where its edges came from.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(genes)
    if edges is not None:
        a, b = edges.columns[:2]
        keep = edges[edges[a].isin(genes) & edges[b].isin(genes)]
        graph.add_edges_from(zip(keep[a], keep[b], strict=True))
        return graph, EDGES_FROM_NETWORK
    if network is not None:
        graph.add_edges_from(network.subgraph(genes).edges())
        return graph, EDGES_FROM_NETWORK
    if vectors is not None:
        present = [g for g in genes if g in vectors.index]
        values = vectors.loc[present].to_numpy(dtype=np.float64)
        norms = np.linalg.norm(values, axis=1, keepdims=True)
        unit = values / np.where(norms > 0, norms, 1.0)
        cosine = unit @ unit.T
        for i, g in enumerate(present):
            sims = sorted(((float(cosine[i, j]), h) for j, h in enumerate(present) if h != g), reverse=True)[
                :2
            ]
            graph.add_edges_from((g, h) for s, h in sims if s > 0)
        return graph, EDGES_FROM_VECTORS
    return graph, NO_EDGES


def plot_module(module: str, members: pd.DataFrame, graph: nx.Graph, how: str) -> Figure:
    """Draw one module: genes coloured by L-group (orange poor, blue good), sized by score.

    Parameters
    ----------
    module
        Module name (``M1``, …).
    members
        The module's rows of ``modules.tsv`` (``gene``, ``l_group``, ``score``).
    graph
        The module's graph (:func:`module_graph`).
    how
        Where the edges came from, printed under the figure.

    Returns
    -------
    A :class:`matplotlib.figure.Figure` (no pyplot state is touched).
    """
    import networkx as nx
    from matplotlib.figure import Figure

    small = graph.number_of_nodes() <= 8  # a few genes need no full-width drawing
    fig = Figure(figsize=(4.2, 3.2) if small else (5.2, 4.2), layout="constrained")
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
    import textwrap

    note = f"edges: {how}; orange = poor-prognosis L-group, blue = good; size = score"
    ax.text(
        0.0,
        -0.04,
        textwrap.fill(note, width=70 if small else 95),
        transform=ax.transAxes,
        fontsize=6.5,
        color="#4a5568",
        va="top",
    )
    return fig


#: how each method of the learning curve is named and drawn
METHOD_STYLE = {
    "g2vec_reference": ("G2Vec (authors' algorithm)", "#b54708", "-"),
    "g2vec_omicsdl": ("G2Vec (omicsdl variant)", "#e8a33d", "--"),
    "top_t": ("top-|t| genes", "#2e6da4", "-"),
    "cox": ("univariate Cox genes", "#5b8c3a", "-"),
    "network": ("network PageRank (CPR-like)", "#7a4fa3", "-"),
    "random": ("random genes", "#8a94a6", ":"),
    "all_genes": ("all genes", "#1f2933", "-."),
}


def plot_learning_curve(curve: pd.DataFrame, *, cohort: str = "") -> Figure:
    """Held-out AUC, accuracy and C-index against training patients, and G2Vec's paired AUC differences.

    Parameters
    ----------
    curve
        The ``learning_curve.tsv`` table (:class:`~omicsdl.g2vec.G2VecLearningCurve`).
    cohort
        Named in the title.

    Returns
    -------
    A :class:`matplotlib.figure.Figure` (no pyplot state is touched): one panel
    per metric (mean over repeats, the reference G2Vec's 95 % interval shaded),
    and a last panel with the reference G2Vec's AUC minus each method's, with
    95 % intervals (above 0: G2Vec better).
    """
    from matplotlib.figure import Figure

    metrics = [("auc", "held-out AUC"), ("accuracy", "held-out accuracy")]
    if "c_index" in curve and curve["c_index"].notna().any():
        metrics.append(("c_index", "held-out C-index (survival)"))
    fig = Figure(figsize=(3.6 * (len(metrics) + 1), 3.9), layout="constrained")
    axes = fig.subplots(1, len(metrics) + 1, squeeze=False)[0]
    methods = list(dict.fromkeys(curve["method"]))
    for ax, (metric, label) in zip(axes, metrics, strict=False):
        for method in methods:
            name, colour, style = METHOD_STYLE.get(method, (method, "#4a5568", "-"))
            part = curve[curve["method"] == method].sort_values("n_train")
            x = part["n_train"].to_numpy(dtype=float)
            ax.plot(x, part[metric], style, color=colour, marker="o", ms=3, lw=1.4, label=name)
            if method == "g2vec_reference":
                low = part[f"{metric}_ci_low"].clip(0, 1)
                high = part[f"{metric}_ci_high"].clip(0, 1)
                ax.fill_between(x, low, high, color=colour, alpha=0.15, lw=0)
        ax.axhline(0.5, color="#cbd2d9", lw=0.8, zorder=0)
        ax.set_xlabel("training patients (both groups)", fontsize=8)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=7)
    diff = axes[-1]
    others = [m for m in methods if "g2vec_minus_auc" in curve and m != "g2vec_reference"]
    for i, method in enumerate(others):
        name, colour, _ = METHOD_STYLE.get(method, (method, "#4a5568", "-"))
        part = curve[curve["method"] == method].sort_values("n_train")
        x = part["n_train"].to_numpy(dtype=float) * (1 + 0.012 * (i - len(others) / 2))
        mean = part["g2vec_minus_auc"].to_numpy(dtype=float)
        err = np.vstack(
            [
                mean - part["g2vec_minus_auc_ci_low"].to_numpy(float),
                part["g2vec_minus_auc_ci_high"].to_numpy(float) - mean,
            ]
        )
        diff.errorbar(
            x, mean, yerr=np.nan_to_num(err), fmt="o-", ms=3, lw=1, capsize=2, color=colour, label=name
        )
    diff.axhline(0.0, color="#1f2933", lw=0.8)
    diff.set_xlabel("training patients (both groups)", fontsize=8)
    diff.set_ylabel("G2Vec (authors') AUC minus method's", fontsize=8)
    diff.tick_params(labelsize=7)
    axes[0].legend(fontsize=6.5, frameon=False, loc="lower right")
    fig.suptitle(
        f"Learning curve{f' — {cohort}' if cohort else ''}: mean over repeats; 95 % intervals "
        "corrected for overlapping training sets",
        fontsize=9,
    )
    return fig

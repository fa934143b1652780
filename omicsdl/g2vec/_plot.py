"""Figures of G2Vec: one network figure per module (called by :meth:`G2VecRun.module_figures`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["module_graph", "plot_module"]

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

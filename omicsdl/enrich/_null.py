"""A null for module enrichment: random modules of the same sizes, connected on the network or not.

Are the modules more enriched than random modules of the same size? The
hypergeometric p-value of :func:`~omicsdl.enrich.run_module_enrichment` treats a
module as a random draw of genes. Modules are network communities, and pathway
databases feed interaction networks, so any connected set of genes tends to be
enriched. Two nulls draw, for every module, random gene sets of
the same size from the background, ``n_draws`` times:

``"connected"``
    a connected set on the same network, grown from a random gene by adding a
    random neighbour of the set until it has the module's size (keeps gene
    identity and the network, as real modules do);
``"permutation"``
    any genes (gene-label permutation: what the hypergeometric test assumes).

For each module, the empirical p-value of its best term is
``(1 + #draws whose best p is at most the module's) / (1 + n_draws)``; for the
whole run, the number of (module, term) pairs at FDR < ``alpha`` (all modules ×
terms adjusted together) is compared with the same count in each draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._random import RNGLike, as_generator
from omicsdl.enrich._ora import Membership

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import networkx as nx

__all__ = ["ModuleNull", "NullKind", "module_enrichment_null"]

NullKind = Literal["connected", "permutation"]
_MAX_RESTARTS = 50


@dataclass(frozen=True)
class ModuleNull:
    """The enrichment of the real modules against random modules (module docstring).

    Parameters
    ----------
    kind
        ``"connected"`` or ``"permutation"``.
    n_draws
        Random draws of every module.
    per_module
        ``module, n_genes, best_term, best_p, null_median_best_p, empirical_p``.
    n_significant
        (module, term) pairs at FDR < ``alpha`` for the real modules.
    null_n_significant
        The same count in every draw.
    alpha
        The FDR level counted.
    """

    kind: str
    n_draws: int
    per_module: pd.DataFrame
    n_significant: int
    null_n_significant: np.ndarray
    alpha: float

    @property
    def empirical_p(self) -> float:
        """Share of draws (plus one) with at least as many significant pairs as the real modules."""
        hits = int((self.null_n_significant >= self.n_significant).sum())
        return (1 + hits) / (1 + self.n_draws)


def _connected_set(
    adjacency: dict[str, list[str]], starts: list[str], size: int, rng: np.random.Generator
) -> list[str] | None:
    """A connected gene set of ``size`` grown from a random start by random frontier genes (or None)."""
    for _ in range(_MAX_RESTARTS):
        seed = starts[int(rng.integers(len(starts)))]
        chosen, members = [seed], {seed}
        frontier = list(adjacency[seed])
        queued = set(frontier)
        while len(chosen) < size and frontier:
            k = int(rng.integers(len(frontier)))
            frontier[k], frontier[-1] = frontier[-1], frontier[k]
            pick = frontier.pop()
            chosen.append(pick)
            members.add(pick)
            for g in adjacency[pick]:
                if g not in members and g not in queued:
                    queued.add(g)
                    frontier.append(g)
        if len(chosen) == size:
            return chosen
    return None


def module_enrichment_null(
    modules: Mapping[str, Iterable[str]],
    collections: Mapping[str, Mapping[str, Iterable[str]]],
    *,
    background: Iterable[str],
    network: nx.Graph | None = None,
    kind: NullKind = "connected",
    n_draws: int = 200,
    min_size: int = 3,
    max_size: int = 500,
    alpha: float = 0.05,
    rng: RNGLike = None,
) -> ModuleNull:
    """Compare the modules' enrichment with random modules of the same sizes (module docstring).

    Parameters
    ----------
    modules
        ``{module: genes}``.
    collections
        ``{collection: {set: genes}}``.
    background
        The genes a module could hold.
    network
        The interaction network (needed for ``kind="connected"``; restricted to the background).
    kind
        ``"connected"`` or ``"permutation"``.
    n_draws
        Random draws of every module.
    min_size, max_size
        Sets tested, as in :func:`~omicsdl.enrich.run_module_enrichment`.
    alpha
        FDR level of the significant-pair count.
    rng
        Seed or generator.

    Returns
    -------
    :class:`ModuleNull`.

    Raises
    ------
    ValueError
        ``kind="connected"`` without a network, or an unknown ``kind``.
    """
    from statsmodels.stats.multitest import multipletests

    if kind not in ("connected", "permutation"):
        msg = f"kind must be 'connected' or 'permutation', got {kind!r}"
        raise ValueError(msg)
    if kind == "connected" and network is None:
        msg = "the connected null needs the network"
        raise ValueError(msg)
    gen = as_generator(rng)
    universe = sorted(set(background))
    member = Membership.build(collections, background=universe, min_size=min_size, max_size=max_size)
    names = list(modules)
    lists = [sorted(set(modules[m]) & set(universe)) for m in names]
    empty = pd.DataFrame(
        columns=["module", "n_genes", "best_term", "best_p", "null_median_best_p", "empirical_p"]
    )
    if not names or not member.terms:
        return ModuleNull(kind, n_draws, empty, 0, np.zeros(n_draws, dtype=int), alpha)
    if kind == "connected":
        graph = network.to_undirected(as_view=True) if network.is_directed() else network
        inside = set(universe)
        adjacency = {g: sorted(n for n in graph[g] if n in inside) for g in universe if g in graph}
        starts = sorted(g for g, nbrs in adjacency.items() if nbrs)
    draws: list[list[list[str]]] = []
    for _ in range(n_draws):
        draw = []
        for genes in lists:
            size = len(genes)
            if kind == "permutation":
                picked = list(gen.choice(universe, size=size, replace=False))
            else:
                picked = _connected_set(adjacency, starts, size, gen) or list(
                    gen.choice(universe, size=size, replace=False)
                )
            draw.append(picked)
        draws.append(draw)

    def best_and_count(groups: list[list[str]]) -> tuple[np.ndarray, np.ndarray, int]:
        _, p = member.p_values(member.indicator(groups))
        fdr = multipletests(p.ravel(), method="fdr_bh")[1]
        return p.min(axis=1), p.argmin(axis=1), int((fdr < alpha).sum())

    best, where, n_sig = best_and_count(lists)
    null_best = np.empty((n_draws, len(names)))
    null_sig = np.empty(n_draws, dtype=int)
    for d, draw in enumerate(draws):
        null_best[d], _, null_sig[d] = best_and_count(draw)
    per_module = pd.DataFrame(
        {
            "module": names,
            "n_genes": [len(g) for g in lists],
            "best_term": [member.terms[j][1] for j in where],
            "best_p": best,
            "null_median_best_p": np.median(null_best, axis=0),
            "empirical_p": (1 + (null_best <= best[None, :]).sum(axis=0)) / (1 + n_draws),
        }
    )
    return ModuleNull(kind, n_draws, per_module, n_sig, null_sig, alpha)

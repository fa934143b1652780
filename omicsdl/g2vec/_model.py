"""G2Vec: distributed gene representations for prognostic genes (Choi et al. 2018).

Pipeline: match network and expression → per-group correlation-weighted gene-paths
(sets of genes, :mod:`~omicsdl.g2vec._paths`) → gene vectors (supervised CBOW or
Word2Vec) → L-groups (K-means, k = 3, :mod:`~omicsdl.g2vec._lgroups`) → biomarker
scores (half vector length, half |t|) → top genes per L-group → modules
(communities of the biomarkers on the network). Each step follows the authors'
code (``variant="reference"``) or omicsdl's choices (``"omicsdl"``; the
differences: :data:`~omicsdl.g2vec._variants.DIFFERENCES`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._diagnostics import G2VecDiagnostics
from omicsdl.g2vec._lgroups import L_GROUPS, abs_t, assign_l_groups, gene_scores
from omicsdl.g2vec._paths import GROUPS, generate_gene_paths
from omicsdl.g2vec._variants import Variant, differences_markdown, variant_settings
from omicsdl.io._features import feature_symbols

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    import networkx as nx
    from anndata import AnnData
    from gensim.models import KeyedVectors

    from omicsdl._core._device import Device
    from omicsdl.g2vec._embed import Embedder

__all__ = ["G2Vec", "NetworkMatch", "g2vec", "match_network"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NetworkMatch:
    """Genes and edges left after matching a network with expression.

    Parameters
    ----------
    n_expression_genes
        Distinct genes in the expression data.
    n_network_genes, n_network_edges
        Nodes and edges of the network as given.
    n_genes, n_edges
        Genes kept (expressed and linked to another expressed gene) and the edges among them.
    n_expression_genes_lost
        Expressed genes not kept (not in the network, or isolated there).
    n_network_genes_lost
        Network nodes not kept.
    expression_genes_lost
        The expressed genes not kept, in expression order.
    """

    n_expression_genes: int
    n_network_genes: int
    n_network_edges: int
    n_genes: int
    n_edges: int
    n_expression_genes_lost: int
    n_network_genes_lost: int
    expression_genes_lost: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (lost genes listed up to 50)."""
        out = asdict(self)
        out["expression_genes_lost"] = list(self.expression_genes_lost[:50])
        return out


def match_network(
    genes: list[str], network: nx.Graph, *, keep_isolated: bool = False, sort_genes: bool = False
) -> tuple[list[str], np.ndarray, np.ndarray, NetworkMatch]:
    """Restrict ``network`` to expressed genes with at least one edge among them.

    Parameters
    ----------
    genes
        The expressed genes.
    network
        The network; for a :class:`networkx.DiGraph` the edges keep their direction.
    keep_isolated
        Also keep genes of both network and expression that have no edge among
        the shared genes (the authors' code does).
    sort_genes
        Order the matched genes A→Z (the authors' order) instead of expression order.

    Returns
    -------
    ``(matched_genes, src, dst, report)``: matched genes, edge endpoints as
    indices into them (each directed pair once), and what was lost.

    Raises
    ------
    InputError
        When network and expression share no gene, or the shared genes have no edge.
    """
    expr = list(dict.fromkeys(str(g) for g in genes))
    nodes = {str(n) for n in network.nodes}
    common = [g for g in expr if g in nodes]
    if not common:
        msg = (
            "the network and the expression data have no gene in common "
            f"(expression e.g. {expr[:3]}, network e.g. {sorted(nodes)[:3]})"
        )
        raise InputError(
            msg,
            fix="use the same gene identifiers on both sides (symbols), or map Entrez ids with --id-map",
        )
    if sort_genes:
        common = sorted(common)
    common_index = {g: i for i, g in enumerate(common)}
    pairs = np.array(
        [
            (common_index[a], common_index[b])
            for a, b in ((str(u), str(v)) for u, v in network.edges())
            if a != b and a in common_index and b in common_index
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    if pairs.shape[0] == 0:
        msg = f"the {len(common)} genes shared by network and expression have no edge among them"
        raise InputError(msg, fix="use a denser network or expression covering more genes")
    pairs = np.unique(pairs, axis=0) if network.is_directed() else pairs
    degree = np.bincount(pairs.ravel(), minlength=len(common))
    keep = np.ones(len(common), dtype=bool) if keep_isolated else degree > 0
    linked = [g for g, k in zip(common, keep, strict=True) if k]
    remap = np.cumsum(keep) - 1  # old index -> index among kept genes
    edges = remap[pairs]
    index = dict.fromkeys(linked)
    lost = tuple(g for g in expr if g not in index)
    report = NetworkMatch(
        n_expression_genes=len(expr),
        n_network_genes=network.number_of_nodes(),
        n_network_edges=network.number_of_edges(),
        n_genes=len(linked),
        n_edges=int(edges.shape[0]),
        n_expression_genes_lost=len(lost),
        n_network_genes_lost=network.number_of_nodes() - len(linked),
        expression_genes_lost=lost,
    )
    logger.info(
        "network match: %d genes, %d edges kept; %d expression genes lost (not in network%s)",
        report.n_genes,
        report.n_edges,
        report.n_expression_genes_lost,
        "" if keep_isolated else " or isolated",
    )
    return linked, edges[:, 0], edges[:, 1], report


@hyperparameters
class G2Vec(BaseEstimator):
    """G2Vec gene embeddings and prognostic biomarkers (Choi et al., Sci Rep 2018).

    ``variant="reference"`` (default) follows the authors' code (github
    mathcom/G2Vec, ``G2Vec.py``) step by step; ``variant="omicsdl"`` keeps the
    choices omicsdl made before (symmetric network, CBOW mean input with a bias,
    mini-batches with loss-based early stopping, L-groups by per-group path
    shares, Welch t). Where they differ:

    {differences}

    Parameters
    ----------
    variant
        ``"reference"`` (the authors' algorithm) or ``"omicsdl"`` (table above).
    embedder
        ``"cbow"`` (the published supervised CBOW, default), ``"skipgram"`` or
        ``"word2vec-cbow"`` (gensim Word2Vec over the path gene sets, window =
        ``max_length``), or an unfitted embedder estimator
        (:class:`~omicsdl.g2vec.SupervisedCBOW`,
        :class:`~omicsdl.g2vec.Word2VecEmbedder`): a copy of it is fitted, with
        ``rng`` set from this model's ``rng``.
    min_abs_corr
        Edge kept in a group when |Pearson r| over its patients exceeds this (0.5).
    n_walks
        Walks started from each gene (10).
    max_length
        Most genes in one walk (80).
    n_biomarkers
        Genes selected per L-group (50).
    dim
        Vector size (128).
    min_group_size
        Fewest patients per group for correlations to be meaningful (10).
    max_epochs
        Epoch limit of the built-in embedder; ``None`` keeps the variant's (500
        for ``reference``, 30 for ``omicsdl``; 5 passes for Word2Vec).
    embedder_kwargs
        Extra arguments for the built-in embedder (``batch_size``, ``window``, …);
        they take precedence over the arguments G2Vec passes on.
    n_threads
        Threads of the embedder: torch threads for ``"cbow"``; gensim workers
        for Word2Vec (``None`` keeps one worker, the reproducible choice).
    device
        Where the supervised CBOW runs: ``"auto"`` (CUDA if available, else
        CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``). One generator drives the
        walks, the embedder (which receives it as its ``rng``) and the L-group
        K-means, in that order; :meth:`modules` seeds Louvain from it too. Same
        seed, same paths, vectors, biomarkers and modules.

    Attributes
    ----------
    genes_
        Genes used (``reference``: all genes of both network and expression;
        ``omicsdl``: those linked in the network).
    match_
        :class:`NetworkMatch`: genes and edges kept and lost.
    paths_
        The labelled :class:`~omicsdl.g2vec.GenePaths` (``None`` on a loaded
        model: the gene-paths are training data and are not saved).
    embedder_
        The fitted embedder.
    vectors_
        ``genes × dim`` DataFrame of gene vectors.
    scores_
        Per gene: ``l_group`` (good/poor/rest), ``vector_norm``, ``abs_t``,
        ``poor_path_share``, ``score``.
    biomarkers_
        ``gene, l_group, score`` of the selected genes.
    diagnostics_
        :class:`~omicsdl.g2vec.G2VecDiagnostics`: paths, epochs, L-groups, vector checks.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata, network = od.datasets.g2vec_demo()
    >>> model = od.g2vec.G2Vec(max_epochs=20, rng=0).fit(adata, network, groupby="prognosis")
    >>> model.diagnostics_.variant
    'reference'
    """

    _fitted_attr = "biomarkers_"
    _display_name = "omicsdl G2Vec model"

    variant: Variant = "reference"
    embedder: Literal["cbow", "skipgram", "word2vec-cbow"] | Embedder = "cbow"
    min_abs_corr: float = 0.5
    n_walks: int = 10
    max_length: int = 80
    n_biomarkers: int = 50
    dim: int = 128
    min_group_size: int = 10
    max_epochs: int | None = None
    embedder_kwargs: dict[str, Any] | None = None
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def _make_embedder(self, gen: np.random.Generator) -> Embedder:
        """The unfitted embedder, drawing its randomness from ``gen`` (this model's generator)."""
        from omicsdl.g2vec._embed import SupervisedCBOW, Word2VecEmbedder

        if isinstance(self.embedder, str):
            given: dict[str, Any] = {"dim": self.dim, "rng": gen}
            if self.max_epochs is not None:
                given["max_epochs"] = self.max_epochs
            if self.embedder == "cbow":
                params = variant_settings(self.variant).cbow | given
                params |= {"n_threads": self.n_threads, "device": self.device}
                return SupervisedCBOW(**(params | dict(self.embedder_kwargs or {})))
            if self.embedder in ("skipgram", "word2vec-cbow"):
                params = given | {
                    "architecture": "skipgram" if self.embedder == "skipgram" else "cbow",
                    "window": int(self.max_length),  # a path is a set: its whole set is the context
                }
                if self.n_threads is not None:
                    params["n_threads"] = self.n_threads
                return Word2VecEmbedder(**(params | dict(self.embedder_kwargs or {})))
            msg = f"embedder must be 'cbow', 'skipgram' or 'word2vec-cbow', got {self.embedder!r}"
            raise ValueError(msg)
        if not hasattr(self.embedder, "get_params"):
            msg = "embedder must be a name or an omicsdl embedder estimator (with get_params and fit)"
            raise TypeError(msg)
        embedder = type(self.embedder)(
            **self.embedder.get_params()
        )  # a fresh copy: the argument stays unfitted
        if "rng" in embedder.get_params():
            embedder.set_params(rng=gen)
        return embedder

    def _check_labels(self, adata: AnnData, groupby: str) -> pd.Series:
        if groupby not in adata.obs.columns:
            msg = f"no column {groupby!r} in adata.obs"
            raise InputError(
                msg,
                item=groupby,
                fix="add good/poor labels, e.g. with od.survival.prognosis_labels",
            )
        labels = adata.obs[groupby].astype(object)
        for name in GROUPS:
            n = int((labels == name).sum())
            if n < max(3, self.min_group_size):
                msg = (
                    f"the {name!r} group has {n} patients; correlations need at least "
                    f"{max(3, self.min_group_size)}"
                )
                raise InputError(
                    msg,
                    item=name,
                    fix="use more patients, change the survival horizon, or lower min_group_size",
                )
        return labels

    def fit(
        self, adata: AnnData, network: nx.Graph, *, groupby: str = "prognosis", layer: str | None = None
    ) -> Self:
        """Generate gene-paths, learn gene vectors and select biomarkers.

        Parameters
        ----------
        adata
            Patients × genes, log-scale expression; gene symbols as ``var_names``.
        network
            Gene interaction network (e.g. from :func:`omicsdl.io.read_network`;
            ``directed=True`` keeps the rows' direction, which the reference
            variant walks as listed; an undirected graph is walked both ways).
        groupby
            Column of ``adata.obs`` with ``good``/``poor`` (others ignored),
            e.g. from :func:`omicsdl.survival.prognosis_labels`.
        layer
            Expression layer; ``None`` uses ``.X``.

        Returns
        -------
        ``self``, fitted.

        Raises
        ------
        InputError
            No gene in common, a group with fewer than ``min_group_size``
            patients, no edge above ``min_abs_corr`` in a group, or a ``device``
            this machine does not have.
        """
        from omicsdl.g2vec._embed import SupervisedCBOW

        settings = variant_settings(self.variant)
        gen = as_generator(self.rng)
        embedder = self._make_embedder(gen)
        if isinstance(embedder, SupervisedCBOW):
            from omicsdl._core._device import resolve_device

            resolve_device(embedder.device)  # fail before the walks, not after them
        labels = self._check_labels(adata, groupby)
        keep = labels.isin(GROUPS).to_numpy()
        y = (labels[keep] == "poor").to_numpy().astype(np.int8)
        genes, src, dst, match = match_network(
            list(feature_symbols(adata)),  # gene symbols: a cohort's rna:ACAT1 is ACAT1
            network,
            keep_isolated=settings.keep_isolated,
            sort_genes=settings.sort_genes,
        )
        directed = settings.directed and network.is_directed()
        if settings.directed and not network.is_directed():
            logger.info("the network is undirected: its edges are walked both ways")
        col = feature_symbols(adata).get_indexer(genes)
        matrix = adata.X if layer is None else adata.layers[layer]
        rows = matrix[np.flatnonzero(keep)][:, col]
        x = np.asarray(rows.toarray() if hasattr(rows, "toarray") else rows, dtype=np.float64)
        if not np.isfinite(x).all():
            msg = "expression has NaN or infinite values"
            raise InputError(msg, fix="impute or drop those genes first")
        self.match_ = match
        self.genes_ = genes
        self.paths_ = generate_gene_paths(
            x,
            y,
            genes,
            src,
            dst,
            min_abs_corr=self.min_abs_corr,
            n_walks=self.n_walks,
            max_length=self.max_length,
            directed=directed,
            rng=gen,
        )
        self.embedder_ = embedder.fit(self.paths_)
        vectors = np.asarray(self.embedder_.vectors_, dtype=np.float32)
        self.vectors_ = pd.DataFrame(vectors, index=pd.Index(genes, name="gene"))
        seed = derive_seed(gen)
        self.scores_ = self._score(vectors, x, y, seed=seed)
        self.biomarkers_ = self._select(self.scores_)
        graph = network.to_undirected(as_view=True) if network.is_directed() else network
        self._module_graph = graph.subgraph(self.biomarkers_["gene"].tolist())
        l_group = self.scores_["l_group"].astype(str).to_numpy()
        self.diagnostics_ = G2VecDiagnostics.from_fit(
            variant=self.variant,
            network_directed=directed,
            paths=self.paths_,
            vectors=vectors,
            l_group=l_group,
            n_selected=self.biomarkers_["l_group"].value_counts().to_dict(),
            history=getattr(self.embedder_, "history_", None),
            best_epoch=getattr(self.embedder_, "best_epoch_", None),
            stop_reason=getattr(self.embedder_, "stop_reason_", None),
            seed=seed,
        )
        for warning in self.diagnostics_.warnings:
            logger.debug("G2Vec: %s", warning)
        return self

    def _score(self, vectors: np.ndarray, x: np.ndarray, y: np.ndarray, *, seed: int) -> pd.DataFrame:
        settings = variant_settings(self.variant)
        paths = self.paths_
        counts = paths.counts().astype(np.float64)
        norm = np.linalg.norm(vectors, axis=1)
        t = abs_t(x, y, pooled=settings.pooled_t)
        l_group = assign_l_groups(vectors, counts, rule=settings.l_group_rule, seed=seed)
        per_group = counts / np.maximum(counts.sum(axis=0, keepdims=True), 1.0)
        with np.errstate(invalid="ignore"):
            poor_share = per_group[:, 1] / (per_group[:, 0] + per_group[:, 1])
        return pd.DataFrame(
            {
                "l_group": pd.Categorical(l_group, categories=L_GROUPS),
                "vector_norm": norm,
                "abs_t": t,
                "poor_path_share": poor_share,
                "score": gene_scores(l_group, norm, t),
            },
            index=pd.Index(paths.genes, name="gene"),
        )

    def _select(self, scores: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for name in GROUPS:
            part = scores[scores["l_group"] == name].sort_values("score", ascending=False, kind="mergesort")
            parts.append(part.head(self.n_biomarkers))
        table = pd.concat(parts).reset_index()[["gene", "l_group", "score"]]
        table["l_group"] = table["l_group"].astype(str)
        return table

    def modules(self, *, min_size: int = 3) -> pd.DataFrame:
        """Modules: Louvain communities of the biomarkers' subnetwork.

        The biomarkers' induced subgraph on the interaction network is split
        into communities (:func:`networkx.community.louvain_communities`, seeded
        from ``rng``: the same for every call when ``rng`` is an int or None);
        communities with fewer than ``min_size`` genes are dropped.

        Parameters
        ----------
        min_size
            Smallest module kept.

        Returns
        -------
        ``module, gene, l_group, score, degree`` (degree within the module),
        modules numbered ``M1``, ``M2``, … by decreasing size.
        """
        self.check_fitted()
        return self._modules(min_size=min_size, seed=derive_seed(self.rng))

    def _modules(self, *, min_size: int, seed: int) -> pd.DataFrame:
        import networkx as nx

        self.check_fitted()
        sub = self._module_graph
        comms = nx.community.louvain_communities(sub, seed=seed) if sub.number_of_edges() else []
        comms = [sorted(c) for c in comms if len(c) >= min_size]
        comms.sort(key=lambda c: (-len(c), c[0]))
        info = self.biomarkers_.set_index("gene")
        rows = []
        for k, members in enumerate(comms, start=1):
            inner = sub.subgraph(members)
            rows.extend(
                (f"M{k}", g, info.at[g, "l_group"], float(info.at[g, "score"]), int(inner.degree(g)))
                for g in members
            )
        return pd.DataFrame(rows, columns=["module", "gene", "l_group", "score", "degree"])

    def to_keyed_vectors(self) -> KeyedVectors:
        """Return the gene vectors as gensim :class:`~gensim.models.KeyedVectors`.

        Genes that occurred in no gene-path (zero vectors) are left out.
        """
        from omicsdl.g2vec._results import keyed_vectors

        self.check_fitted()
        return keyed_vectors(self.vectors_)

    # -- persistence -----------------------------------------------------------
    def _params_for_json(self) -> dict[str, Any]:
        params = super()._params_for_json()
        if not isinstance(self.embedder, str):
            embedder: Any = self.embedder
            params["embedder"] = {"class": type(embedder).__name__, "params": embedder._params_for_json()}
        return params

    def _children(self) -> dict[str, BaseEstimator]:
        return {"embedder": self.embedder_}

    def _child_class(self, name: str, kind: str, *, source: Path) -> type[BaseEstimator]:
        from omicsdl.g2vec._embed import SupervisedCBOW, Word2VecEmbedder

        classes: dict[str, type[BaseEstimator]] = {
            "SupervisedCBOW": SupervisedCBOW,
            "Word2VecEmbedder": Word2VecEmbedder,
        }
        if name != "embedder" or kind not in classes:
            msg = f"unexpected child model {name!r} ({kind}); G2Vec saves one 'embedder' of {sorted(classes)}"
            raise ModelFormatError(msg, source=source)
        return classes[kind]

    def _set_children(self, children: Mapping[str, BaseEstimator]) -> None:
        if set(children) != {"embedder"}:
            msg = f"a saved G2Vec model has one child model 'embedder', found {sorted(children)}"
            raise ValueError(msg)
        self.embedder_ = children["embedder"]

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        scores = self.scores_
        arrays = {
            "vectors": self.vectors_.to_numpy(dtype=np.float32),
            "l_group": scores["l_group"].cat.codes.to_numpy().astype(np.int8),
            **{c: scores[c].to_numpy() for c in _SCORE_COLUMNS},
        }
        state = {
            "genes": list(self.genes_),
            "match": asdict(self.match_),
            "module_graph": _graph_to_json(self._module_graph),
            "diagnostics": self.diagnostics_.to_dict(),
        }
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        genes = state["genes"]
        if not isinstance(genes, list) or not genes or not all(isinstance(g, str) for g in genes):
            msg = "model.json has no list of gene names"
            raise ModelFormatError(msg, source=source)
        n = len(genes)
        expected = {"vectors", "l_group", *_SCORE_COLUMNS}
        if set(arrays) != expected:
            msg = f"expected arrays {sorted(expected)}, found {sorted(arrays)}"
            raise ModelFormatError(msg, source=source)
        vectors = arrays["vectors"]
        if vectors.ndim != 2 or vectors.shape[0] != n or not np.isfinite(vectors).all():
            msg = f"vectors have shape {vectors.shape} (or non-finite values); expected {n} finite rows"
            raise ModelFormatError(msg, source=source)
        if isinstance(self.embedder, str) and isinstance(self.dim, int) and vectors.shape[1] != self.dim:
            msg = f"vectors have {vectors.shape[1]} dimensions, model.json says dim={self.dim}"
            raise ModelFormatError(msg, source=source)
        child = np.asarray(self.embedder_.vectors_)
        if child.shape != vectors.shape:
            msg = f"the embedder's vectors ({child.shape}) do not match the model's ({vectors.shape})"
            raise ModelFormatError(msg, source=source)
        codes = arrays["l_group"]
        if codes.shape != (n,) or not np.isin(codes, np.arange(len(L_GROUPS))).all():
            msg = f"l_group must hold {n} codes in 0..{len(L_GROUPS) - 1}"
            raise ModelFormatError(msg, source=source)
        for c in _SCORE_COLUMNS:
            values = arrays[c]
            finite = np.isfinite(values) | (np.isnan(values) if c == "poor_path_share" else False)
            if values.shape != (n,) or values.dtype.kind != "f" or not finite.all():
                msg = f"{c} must hold {n} finite floating-point values"
                raise ModelFormatError(msg, source=source)
        match = dict(state["match"])
        match["expression_genes_lost"] = tuple(match["expression_genes_lost"])
        if isinstance(self.embedder, dict):  # an embedder object saved as {"class", "params"}
            cls = self._child_class("embedder", str(self.embedder.get("class")), source=source)
            self.embedder = cls(**self.embedder.get("params", {}))
        index = pd.Index(genes, name="gene")
        self.match_ = NetworkMatch(**match)
        self.genes_ = genes
        self.paths_ = None
        self.vectors_ = pd.DataFrame(np.array(vectors, dtype=np.float32), index=index)
        self.scores_ = pd.DataFrame(
            {
                "l_group": pd.Categorical.from_codes(codes.astype(np.int64), categories=L_GROUPS),
                **{c: np.array(arrays[c]) for c in _SCORE_COLUMNS},
            },
            index=index,
        )
        self.biomarkers_ = self._select(self.scores_)
        self._module_graph = _graph_from_json(state["module_graph"], genes=set(genes), source=source)
        diagnostics = state.get("diagnostics")
        if not isinstance(diagnostics, dict):
            msg = "model.json has no G2Vec diagnostics (saved by an older omicsdl)"
            raise ModelFormatError(msg, source=source, fix="fit and save the model again")
        try:
            self.diagnostics_ = G2VecDiagnostics.from_dict(diagnostics)
        except TypeError as err:
            msg = f"model.json has unreadable G2Vec diagnostics ({err})"
            raise ModelFormatError(msg, source=source) from err


_SCORE_COLUMNS = ("vector_norm", "abs_t", "poor_path_share", "score")

G2Vec.__doc__ = (G2Vec.__doc__ or "").replace("{differences}", differences_markdown().replace("\n", "\n    "))


def _graph_to_json(graph: nx.Graph) -> dict[str, Any]:
    """Nodes and weighted edges of ``graph`` in an order that rebuilds it exactly.

    Louvain visits nodes and neighbours in the graph's iteration order, so a
    faithful copy needs the same node order and, for every node, the same
    neighbour order. Edges are listed so that adding them one by one gives
    every node its neighbours in the original order: an edge is taken when it
    is next in line at both of its ends (always possible: insertion order is one
    such sequence).
    """
    adjacency = {u: list(graph[u]) for u in graph}
    position = dict.fromkeys(adjacency, 0)
    edges: list[list[Any]] = []
    moved = True
    while moved:
        moved = False
        for u, nbrs in adjacency.items():
            while position[u] < len(nbrs):
                v = nbrs[position[u]]
                if v != u and (position[v] >= len(adjacency[v]) or adjacency[v][position[v]] != u):
                    break
                weight = graph.edges[u, v].get("weight")
                edges.append([u, v, None if weight is None else float(weight)])
                position[u] += 1
                if v != u:
                    position[v] += 1
                moved = True
    if any(position[u] < len(nbrs) for u, nbrs in adjacency.items()):  # pragma: no cover - see docstring
        edges = [[u, v, d.get("weight")] for u, v, d in graph.edges(data=True)]
    return {"nodes": list(graph.nodes), "edges": edges}


def _graph_from_json(doc: Any, *, genes: set[str], source: Path) -> nx.Graph:
    import networkx as nx

    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("nodes"), list)
        or not isinstance(doc.get("edges"), list)
    ):
        msg = "model.json has no module_graph with nodes and edges"
        raise ModelFormatError(msg, source=source)
    nodes = doc["nodes"]
    if not set(nodes) <= genes:
        msg = "module_graph names genes the model does not have"
        raise ModelFormatError(msg, source=source)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for u, v, weight in doc["edges"]:
        if u not in graph or v not in graph:
            msg = f"module_graph edge {u}–{v} joins genes that are not its nodes"
            raise ModelFormatError(msg, source=source)
        if weight is None:
            graph.add_edge(u, v)
        else:
            graph.add_edge(u, v, weight=float(weight))
    return graph


def g2vec(
    adata: AnnData,
    network: nx.Graph,
    *,
    groupby: str = "prognosis",
    layer: str | None = None,
    key_added: str = "g2vec",
    rng: RNGLike = None,
    **kwargs: Any,
) -> G2Vec:
    """Fit :class:`G2Vec` and write its results into ``adata``.

    Writes ``adata.varm[f"X_{key_added}"]`` (gene vectors; zeros for genes not
    in the network), ``adata.var[f"{key_added}_l_group"]``,
    ``adata.var[f"{key_added}_score"]``, ``adata.var[f"{key_added}_biomarker"]``
    and ``adata.uns[key_added]`` (parameters and network match).

    Parameters
    ----------
    adata, network, groupby, layer
        As in :meth:`G2Vec.fit`.
    rng
        Seed or generator of the model (see :class:`G2Vec`).
    key_added
        Prefix of the slots written.
    **kwargs
        Hyperparameters of :class:`G2Vec`.

    Returns
    -------
    The fitted model.
    """
    model = G2Vec(**kwargs, rng=rng).fit(adata, network, groupby=groupby, layer=layer)
    names = feature_symbols(adata)
    vec = np.zeros((adata.n_vars, model.vectors_.shape[1]), dtype=np.float32)
    idx = names.get_indexer(model.vectors_.index)
    vec[idx] = model.vectors_.to_numpy()
    adata.varm[f"X_{key_added}"] = vec
    l_group = pd.Series("absent", index=names, dtype=object)
    l_group.iloc[idx] = model.scores_["l_group"].astype(str).to_numpy()
    adata.var[f"{key_added}_l_group"] = pd.Categorical(l_group.to_numpy())
    score = np.full(adata.n_vars, np.nan)
    score[idx] = model.scores_["score"].to_numpy()
    adata.var[f"{key_added}_score"] = score
    adata.var[f"{key_added}_biomarker"] = names.isin(model.biomarkers_["gene"])
    adata.uns[key_added] = {
        "params": {k: v for k, v in model.get_params().items() if isinstance(v, int | float | str)},
        "match": model.match_.to_dict(),
        "n_paths": model.paths_.n_per_group(),
        "variant": model.variant,
    }
    return model

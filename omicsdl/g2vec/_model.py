"""G2Vec: distributed gene representations for prognostic genes (Choi et al. 2018).

Pipeline: match network and expression → per-group correlation-weighted gene-paths
→ gene vectors (supervised CBOW or Word2Vec) → L-groups (K-means, k = 3) →
biomarker scores (half vector length, half |t|) → top genes per L-group →
modules (communities of the biomarkers on the network).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._walks import GROUPS, GenePaths, generate_gene_paths

if TYPE_CHECKING:
    import networkx as nx
    from anndata import AnnData
    from gensim.models import KeyedVectors

    from omicsdl.g2vec._embed import Embedder

__all__ = ["G2Vec", "NetworkMatch", "g2vec", "match_network"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NetworkMatch:
    """Genes and edges left after matching a network with expression."""

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
    genes: list[str], network: nx.Graph
) -> tuple[list[str], np.ndarray, np.ndarray, NetworkMatch]:
    """Restrict ``network`` to expressed genes with at least one edge among them.

    Returns
    -------
    ``(matched_genes, src, dst, report)``: matched genes (expression order), edge
    endpoints as indices into them, and what was lost.

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
    degree = np.bincount(pairs.ravel(), minlength=len(common))
    linked = [g for g, d in zip(common, degree, strict=True) if d > 0]
    remap = np.cumsum(degree > 0) - 1  # old index -> index among linked genes
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
        "network match: %d genes, %d edges kept; %d expression genes lost (not in network or isolated)",
        report.n_genes,
        report.n_edges,
        report.n_expression_genes_lost,
    )
    return linked, edges[:, 0], edges[:, 1], report


def _abs_welch_t(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """|Welch t| of each column of ``x``, poor (``y == 1``) against good patients; 0 where undefined."""
    from scipy.stats import ttest_ind

    with np.errstate(invalid="ignore", divide="ignore"):
        t = ttest_ind(x[y == 1], x[y == 0], equal_var=False).statistic
    return np.nan_to_num(np.abs(np.asarray(t, dtype=np.float64)))


def _minmax(v: np.ndarray) -> np.ndarray:
    span = float(v.max() - v.min()) if v.size else 0.0
    return (v - v.min()) / span if span > 0 else np.zeros_like(v)


class G2Vec:
    """G2Vec gene embeddings and prognostic biomarkers (Choi et al., Sci Rep 2018).

    Parameters
    ----------
    embedder
        ``"cbow"`` (the published supervised CBOW, default), ``"skipgram"`` or
        ``"word2vec-cbow"`` (gensim Word2Vec), or an embedder object with
        ``fit(paths, rng=...)`` and ``vectors_``.
    min_abs_corr
        Edge kept in a group when |Pearson r| over its patients exceeds this (0.5).
    n_walks, max_length
        Walks per gene (10) and maximum genes per walk (80).
    n_biomarkers
        Genes selected per L-group (50).
    dim
        Vector size (128).
    min_group_size
        Fewest patients per group for correlations to be meaningful (10).
    embedder_kwargs
        Extra arguments for the built-in embedder (``max_epochs``, ``epochs``, …).

    Attributes
    ----------
    genes_
        Genes used (expressed and linked in the network).
    match_
        :class:`NetworkMatch`: genes and edges kept and lost.
    paths_
        The labelled :class:`~omicsdl.g2vec.GenePaths`.
    embedder_
        The fitted embedder.
    vectors_
        ``genes × dim`` DataFrame of gene vectors (zero for genes in no gene-path).
    scores_
        Per gene: ``l_group`` (good/poor/rest), ``vector_norm``, ``abs_t``, ``score``.
    biomarkers_
        ``gene, l_group, score`` of the selected genes.

    Examples
    --------
    >>> import omicsdl as od
    >>> adata, network = od.datasets.g2vec_demo()
    >>> model = od.g2vec.G2Vec(embedder_kwargs={"max_epochs": 2}).fit(adata, network, groupby="prognosis", rng=0)
    >>> sorted(model.biomarkers_["l_group"].unique())
    ['good', 'poor']
    """

    def __init__(
        self,
        *,
        embedder: Literal["cbow", "skipgram", "word2vec-cbow"] | Embedder = "cbow",
        min_abs_corr: float = 0.5,
        n_walks: int = 10,
        max_length: int = 80,
        n_biomarkers: int = 50,
        dim: int = 128,
        min_group_size: int = 10,
        embedder_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.embedder = embedder
        self.min_abs_corr = min_abs_corr
        self.n_walks = n_walks
        self.max_length = max_length
        self.n_biomarkers = n_biomarkers
        self.dim = dim
        self.min_group_size = min_group_size
        self.embedder_kwargs = embedder_kwargs

    def _make_embedder(self) -> Embedder:
        from omicsdl.g2vec._embed import SupervisedCBOW, Word2VecEmbedder

        kwargs = dict(self.embedder_kwargs or {})
        if self.embedder == "cbow":
            return SupervisedCBOW(dim=self.dim, **kwargs)
        if self.embedder == "skipgram":
            return Word2VecEmbedder(dim=self.dim, architecture="skipgram", **kwargs)
        if self.embedder == "word2vec-cbow":
            return Word2VecEmbedder(dim=self.dim, architecture="cbow", **kwargs)
        if isinstance(self.embedder, str):
            msg = f"embedder must be 'cbow', 'skipgram' or 'word2vec-cbow', got {self.embedder!r}"
            raise ValueError(msg)
        return self.embedder

    def fit(
        self,
        adata: AnnData,
        network: nx.Graph,
        *,
        groupby: str = "prognosis",
        layer: str | None = None,
        rng: RNGLike = None,
    ) -> Self:
        """Generate gene-paths, learn gene vectors and select biomarkers.

        Parameters
        ----------
        adata
            Patients × genes, log-scale expression; gene symbols as ``var_names``.
        network
            Gene interaction network (e.g. from :func:`omicsdl.io.read_network`).
        groupby
            Column of ``adata.obs`` with ``good``/``poor`` (others ignored),
            e.g. from :func:`omicsdl.survival.prognosis_labels`.
        layer
            Expression layer; ``None`` uses ``.X``.
        rng
            Seed or generator: same seed, same paths, vectors and biomarkers.

        Returns
        -------
        ``self``, fitted.

        Raises
        ------
        InputError
            No gene in common, a group with fewer than ``min_group_size``
            patients, no edge above ``min_abs_corr`` in a group.
        """
        gen = as_generator(rng)
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
        keep = labels.isin(GROUPS).to_numpy()
        y = (labels[keep] == "poor").to_numpy().astype(np.int8)
        genes, src, dst, match = match_network(list(map(str, adata.var_names)), network)
        col = pd.Index(adata.var_names.astype(str)).get_indexer(genes)
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
            rng=gen,
        )
        self.embedder_ = self._make_embedder().fit(self.paths_, rng=gen)
        vectors = np.asarray(self.embedder_.vectors_, dtype=np.float32)
        self.vectors_ = pd.DataFrame(vectors, index=pd.Index(genes, name="gene"))
        self.scores_ = self._score(vectors, x, y, self.paths_, gen)
        self.biomarkers_ = self._select(self.scores_)
        self._network = network
        return self

    def _score(
        self, vectors: np.ndarray, x: np.ndarray, y: np.ndarray, paths: GenePaths, gen: np.random.Generator
    ) -> pd.DataFrame:
        from sklearn.cluster import KMeans

        genes = paths.genes
        norm = np.linalg.norm(vectors, axis=1)
        abs_t = _abs_welch_t(x, y)
        counts = paths.counts().astype(np.float64)
        per_group = counts / np.maximum(counts.sum(axis=0, keepdims=True), 1.0)
        with np.errstate(invalid="ignore"):
            poor_share = per_group[:, 1] / (per_group[:, 0] + per_group[:, 1])
        seen = counts.sum(axis=1) > 0
        l_group = np.full(len(genes), "rest", dtype=object)
        if seen.sum() >= 3:
            km = KMeans(n_clusters=3, n_init=10, random_state=derive_seed(gen))
            cluster = km.fit_predict(vectors[seen])
            mean_norm = np.array([norm[seen][cluster == c].mean() for c in range(3)])
            mean_poor = np.array([np.nanmean(poor_share[seen][cluster == c]) for c in range(3)])
            rest = int(np.argmin(mean_norm))
            others = [c for c in range(3) if c != rest]
            poor_c = max(others, key=lambda c: mean_poor[c])
            good_c = min(others, key=lambda c: mean_poor[c])
            if poor_c == good_c:
                good_c = next(c for c in others if c != poor_c)
            names = {rest: "rest", poor_c: "poor", good_c: "good"}
            l_group[seen] = [names[c] for c in cluster]
        score = np.zeros(len(genes))
        for name in GROUPS:
            m = l_group == name
            if m.any():
                score[m] = 0.5 * _minmax(norm[m]) + 0.5 * _minmax(abs_t[m])
        return pd.DataFrame(
            {
                "l_group": pd.Categorical(l_group, categories=["good", "poor", "rest"]),
                "vector_norm": norm,
                "abs_t": abs_t,
                "poor_path_share": poor_share,
                "score": score,
            },
            index=pd.Index(genes, name="gene"),
        )

    def _select(self, scores: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for name in GROUPS:
            part = scores[scores["l_group"] == name].sort_values("score", ascending=False, kind="mergesort")
            parts.append(part.head(self.n_biomarkers))
        table = pd.concat(parts).reset_index()[["gene", "l_group", "score"]]
        table["l_group"] = table["l_group"].astype(str)
        return table

    def _check_fitted(self) -> None:
        if not hasattr(self, "biomarkers_"):
            msg = "this G2Vec is not fitted yet; call fit() first"
            raise RuntimeError(msg)

    def modules(self, *, min_size: int = 3, rng: RNGLike = None) -> pd.DataFrame:
        """Modules: Louvain communities of the biomarkers' subnetwork.

        The biomarkers' induced subgraph on the interaction network is split
        into communities (:func:`networkx.community.louvain_communities`,
        seeded); communities with fewer than ``min_size`` genes are dropped.

        Returns
        -------
        ``module, gene, l_group, score, degree`` (degree within the module),
        modules numbered ``M1``, ``M2``, … by decreasing size.
        """
        import networkx as nx

        self._check_fitted()
        genes = self.biomarkers_["gene"].tolist()
        sub = self._network.subgraph(genes)
        seed = derive_seed(rng)
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
        from gensim.models import KeyedVectors

        self._check_fitted()
        vec = self.vectors_[(self.vectors_.to_numpy() != 0).any(axis=1)]
        kv = KeyedVectors(vector_size=vec.shape[1])
        kv.add_vectors(vec.index.tolist(), vec.to_numpy(dtype=np.float32))
        return kv


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
    adata, network, groupby, layer, rng
        As in :meth:`G2Vec.fit`.
    key_added
        Prefix of the slots written.
    **kwargs
        Hyperparameters of :class:`G2Vec`.

    Returns
    -------
    The fitted model.
    """
    model = G2Vec(**kwargs).fit(adata, network, groupby=groupby, layer=layer, rng=rng)
    names = pd.Index(adata.var_names.astype(str))
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
        "params": {
            k: v
            for k, v in vars(model).items()
            if not k.endswith("_") and not k.startswith("_") and isinstance(v, int | float | str)
        },
        "match": model.match_.to_dict(),
        "n_paths": model.paths_.n_per_group(),
    }
    return model

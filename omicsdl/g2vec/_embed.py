"""Gene embedders over gene-paths: the published supervised CBOW (torch) and gensim Word2Vec.

Both follow one interface: ``Embedder(..., rng=...).fit(paths)`` returns ``self``
with ``vectors_`` (``n_genes × dim`` float32, rows in ``paths.genes`` order; genes
that occur in no path keep a zero vector) and ``genes_``; both save and load as
an omicsdl model folder (no pickle).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self

import numpy as np

from omicsdl._core._base import BaseEstimator
from omicsdl._core._errors import ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    import pandas as pd
    from scipy.sparse import csr_matrix

    from omicsdl._core._device import Device
    from omicsdl.g2vec._walks import GenePaths

__all__ = ["Embedder", "SupervisedCBOW", "Word2VecEmbedder"]

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """What :class:`~omicsdl.g2vec.G2Vec` needs from an embedder (a :class:`BaseEstimator`)."""

    vectors_: np.ndarray

    def fit(self, paths: GenePaths) -> Self:
        """Learn one vector per gene of ``paths.genes``."""
        ...

    def get_params(self) -> dict[str, Any]:
        """Hyperparameters, ``rng`` included."""
        ...

    def set_params(self, **params: Any) -> Self:
        """Set hyperparameters by name."""
        ...


class _GeneVectors(BaseEstimator):
    """What both embedders share: ``genes_``, ``vectors_`` and :meth:`to_frame`."""

    _fitted_attr = "vectors_"
    genes_: list[str]
    vectors_: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """The gene vectors as a ``genes × dim`` DataFrame (zero rows for genes in no path)."""
        import pandas as pd

        self.check_fitted()
        return pd.DataFrame(self.vectors_, index=pd.Index(self.genes_, name="gene"))

    @staticmethod
    def _genes_from_state(state: Mapping[str, Any], *, source: Path) -> list[str]:
        genes = state.get("genes")
        if not isinstance(genes, list) or not genes or not all(isinstance(g, str) for g in genes):
            msg = "model.json has no list of gene names"
            raise ModelFormatError(msg, source=source)
        return genes


class SupervisedCBOW(_GeneVectors):
    """The modified CBOW of G2Vec (Choi et al. 2018): a path's genes predict its group.

    Input: the path as a multi-hot vector over genes, divided by the path
    length (CBOW averages its context). Hidden: a linear layer of ``dim``
    units without bias or activation (so the model is computed as
    ``A (W u) + b``, exactly equal to ``(A W) u + b`` and much cheaper). Output: one sigmoid unit, the
    probability that the path comes from the poor-prognosis group
    (:class:`~omicsdl.g2vec.SupervisedCBOWModule`). Fitted with Adam and binary
    cross-entropy; ``holdout`` of the paths (drawn with ``rng``) is held out and
    fitting stops when its loss has not improved for ``patience`` epochs,
    keeping the best weights. The gene vectors are the rows of the
    input→hidden weights.

    Parameters
    ----------
    dim
        Hidden units (vector size); 128 as published.
    learning_rate
        Adam learning rate; 0.005 as published.
    max_epochs
        Epoch limit (early stopping usually ends sooner).
    patience
        Epochs without hold-out improvement before stopping.
    batch_size
        Paths per mini-batch.
    holdout
        Fraction of paths held out for early stopping, in (0, 1).
    n_threads
        Torch threads while fitting (``None``: ``settings.n_threads``, else torch's default).
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.
    rng
        Seed or generator (``None``: ``settings.seed``): hold-out split, batch
        order and initial weights.

    Attributes
    ----------
    genes_
        Gene names (rows of ``vectors_``).
    vectors_
        ``n_genes × dim`` gene vectors (zero for genes that occur in no path).
    module_
        The fitted :class:`~omicsdl.g2vec.SupervisedCBOWModule` with the kept weights.
    history_
        Per epoch: training and hold-out loss, hold-out accuracy.
    best_epoch_
        Epoch (1-based) whose weights were kept.
    """

    _display_name = "omicsdl supervised CBOW"

    def __init__(
        self,
        *,
        dim: int = 128,
        learning_rate: float = 0.005,
        max_epochs: int = 30,
        patience: int = 3,
        batch_size: int = 512,
        holdout: float = 0.2,
        n_threads: int | None = None,
        device: Device = "auto",
        rng: RNGLike = None,
    ) -> None:
        self.dim = dim
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.holdout = holdout
        self.n_threads = n_threads
        self.device = device
        self.rng = rng

    def fit(self, paths: GenePaths) -> Self:
        """Fit on labelled gene-paths; see the class docstring.

        Parameters
        ----------
        paths
            Labelled gene-paths (:func:`~omicsdl.g2vec.generate_gene_paths`).

        Returns
        -------
        ``self``, fitted.
        """
        import torch

        from omicsdl._core._device import resolve_device, torch_threads
        from omicsdl._core._random import torch_generator
        from omicsdl.g2vec._module import SupervisedCBOWModule, sparse_batch

        if not 0.0 < self.holdout < 1.0:
            msg = f"holdout must be in (0, 1), got {self.holdout}"
            raise ValueError(msg)
        device = resolve_device(self.device)
        gen = as_generator(self.rng)
        tgen = torch_generator(derive_seed(gen))
        n_genes = len(paths.genes)
        n = len(paths)
        order = gen.permutation(n)
        n_hold = max(1, round(self.holdout * n))
        hold, fit_idx = order[:n_hold], order[n_hold:]
        multi_hot = _multi_hot(paths)
        multi_hot.sort_indices()
        with torch_threads(self.n_threads):
            # all initial weights come from the local generator (no global torch state)
            module = SupervisedCBOWModule(n_genes, int(self.dim), generator=tgen).to(device)
            opt = torch.optim.Adam(module.parameters(), lr=self.learning_rate, fused=True)
            y_all = torch.from_numpy(paths.labels.astype(np.float32)).to(device)
            hold_x = sparse_batch(multi_hot[hold], device=device)
            hold_y = y_all[torch.from_numpy(hold).to(device)]
            best_loss = float("inf")
            best_state = _clone_state(module)
            history: list[dict[str, float]] = []
            best_epoch = 0
            stale = 0
            for epoch in range(1, self.max_epochs + 1):
                perm = fit_idx[gen.permutation(fit_idx.shape[0])]
                shuffled = multi_hot[perm]
                total = 0.0
                for lo in range(0, perm.shape[0], self.batch_size):
                    hi = lo + self.batch_size
                    x = sparse_batch(shuffled[lo:hi], device=device)
                    y = y_all[torch.from_numpy(perm[lo:hi]).to(device)]
                    opt.zero_grad()
                    loss = module.loss(module(x), y)
                    loss.backward()
                    opt.step()
                    total += float(loss.detach()) * y.shape[0]
                with torch.no_grad():
                    z = module(hold_x)
                    hold_loss = float(module.loss(z, hold_y))
                    hold_acc = float(((z > 0).float() == hold_y).float().mean())
                history.append(
                    {
                        "epoch": epoch,
                        "loss": total / max(1, fit_idx.shape[0]),
                        "holdout_loss": hold_loss,
                        "holdout_accuracy": hold_acc,
                    }
                )
                if hold_loss < best_loss - 1e-6:
                    best_loss, stale, best_epoch = hold_loss, 0, epoch
                    best_state = _clone_state(module)
                else:
                    stale += 1
                    if stale >= self.patience:
                        break
            module.load_state_dict(best_state)
        module.eval()
        logger.info(
            "supervised CBOW: %d epochs, best %d (hold-out loss %.4f)", len(history), best_epoch, best_loss
        )
        seen = np.bincount(paths.paths[paths.paths >= 0], minlength=n_genes) > 0
        self.genes_ = list(paths.genes)
        self.module_ = module
        self.history_ = history
        self.best_epoch_ = best_epoch
        self.gene_seen_ = seen
        self.vectors_ = _vectors(module, seen)
        return self

    # -- persistence -----------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {f"module.{k}": v.detach().cpu().numpy() for k, v in self.module_.state_dict().items()}
        arrays["gene_seen"] = self.gene_seen_.astype(np.uint8)
        state = {"genes": list(self.genes_), "history": self.history_, "best_epoch": int(self.best_epoch_)}
        return arrays, state

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        import torch

        from omicsdl._core._device import resolve_device
        from omicsdl._core._state import check_state_arrays, meta_shapes
        from omicsdl.g2vec._module import SupervisedCBOWModule

        genes = self._genes_from_state(state, source=source)
        if int(self.dim) < 1:
            msg = f"dim must be positive, got {self.dim}"
            raise ModelFormatError(msg, source=source)
        expected = meta_shapes(lambda: SupervisedCBOWModule(len(genes), int(self.dim)), prefix="module.")
        expected["gene_seen"] = (len(genes),)
        check_state_arrays(arrays, expected, source=source, what=f"{len(genes)} genes × dim {self.dim}")
        module = SupervisedCBOWModule(len(genes), int(self.dim))
        module.load_state_dict(
            {
                k.removeprefix("module."): torch.from_numpy(np.array(v))
                for k, v in arrays.items()
                if k != "gene_seen"
            }
        )
        module.to(resolve_device(self.device)).eval()
        seen = np.asarray(arrays["gene_seen"]).astype(bool)
        self.genes_ = genes
        self.module_ = module
        self.history_ = list(state.get("history", []))
        self.best_epoch_ = int(state.get("best_epoch", 0))
        self.gene_seen_ = seen
        self.vectors_ = _vectors(module, seen)


def _clone_state(module: Any) -> dict[str, Any]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _vectors(module: Any, seen: np.ndarray) -> np.ndarray:
    """The gene vectors: the module's input weights, zero for genes that occurred in no path."""
    vectors = module.weight.detach().cpu().numpy().astype(np.float32)
    vectors[~seen] = 0.0
    return vectors


def _multi_hot(paths: GenePaths) -> csr_matrix:
    """Paths × genes CSR matrix with 1 / path length for each gene of a path."""
    from scipy.sparse import csr_matrix

    lengths = paths.lengths.astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    cols = paths.paths[paths.paths >= 0].astype(np.int64)
    vals = np.repeat(1.0 / lengths, lengths).astype(np.float32)
    return csr_matrix((vals, cols, indptr), shape=(len(paths), len(paths.genes)))


class Word2VecEmbedder(_GeneVectors):
    """Unsupervised gensim Word2Vec over the gene-paths (group labels unused).

    Parameters
    ----------
    dim
        Vector size.
    architecture
        ``"skipgram"`` or ``"cbow"``.
    window
        Context window in genes.
    max_epochs
        Passes over the paths (gensim's ``epochs``).
    negative
        Negative samples per positive pair.
    n_threads
        gensim worker threads. 1 (default) is reproducible; more run faster but
        give different vectors from run to run (gensim issue #641).
    rng
        Seed or generator (``None``: ``settings.seed``).

    Notes
    -----
    With one worker, a seed and a fixed ``PYTHONHASHSEED`` the vectors are identical.

    Attributes
    ----------
    genes_
        Gene names (rows of ``vectors_``).
    vectors_
        ``n_genes × dim`` gene vectors (zero for genes that occur in no path).
    """

    _display_name = "omicsdl Word2Vec embedder"

    def __init__(
        self,
        *,
        dim: int = 128,
        architecture: Literal["skipgram", "cbow"] = "skipgram",
        window: int = 5,
        max_epochs: int = 5,
        negative: int = 5,
        n_threads: int = 1,
        rng: RNGLike = None,
    ) -> None:
        self.dim = dim
        self.architecture = architecture
        self.window = window
        self.max_epochs = max_epochs
        self.negative = negative
        self.n_threads = n_threads
        self.rng = rng

    def fit(self, paths: GenePaths) -> Self:
        """Fit Word2Vec on the gene-paths (as sentences).

        Parameters
        ----------
        paths
            Gene-paths (:func:`~omicsdl.g2vec.generate_gene_paths`); labels are unused.

        Returns
        -------
        ``self``, fitted.
        """
        from gensim.models import Word2Vec

        if self.architecture not in ("skipgram", "cbow"):
            msg = f"architecture must be 'skipgram' or 'cbow', got {self.architecture!r}"
            raise ValueError(msg)
        seed = derive_seed(self.rng)
        model = Word2Vec(
            sentences=paths.as_lists(),
            vector_size=self.dim,
            window=self.window,
            min_count=1,
            sg=1 if self.architecture == "skipgram" else 0,
            negative=self.negative,
            epochs=self.max_epochs,
            workers=int(self.n_threads),
            seed=seed,
        )
        vectors = np.zeros((len(paths.genes), self.dim), dtype=np.float32)
        for i, gene in enumerate(paths.genes):
            if gene in model.wv.key_to_index:
                vectors[i] = model.wv[gene]
        self.genes_ = list(paths.genes)
        self.vectors_ = vectors
        return self

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {"vectors": self.vectors_}, {"genes": list(self.genes_)}

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        genes = self._genes_from_state(state, source=source)
        vectors = arrays.get("vectors")
        if vectors is None or set(arrays) != {"vectors"}:
            msg = f"expected one array 'vectors', found {sorted(arrays)}"
            raise ModelFormatError(msg, source=source)
        if vectors.shape != (len(genes), int(self.dim)) or vectors.dtype != np.float32:
            msg = f"vectors have shape {vectors.shape} ({vectors.dtype}); expected {len(genes)} genes × dim {self.dim} float32"
            raise ModelFormatError(msg, source=source)
        if not np.isfinite(vectors).all():
            msg = "vectors have missing or infinite values"
            raise ModelFormatError(msg, source=source)
        self.genes_ = genes
        self.vectors_ = np.array(vectors)

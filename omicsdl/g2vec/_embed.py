"""Gene embedders over gene-paths: the published supervised CBOW (torch) and gensim Word2Vec.

Both follow one interface: ``Embedder(..., rng=...).fit(paths)`` returns ``self``
with ``vectors_`` (``n_genes × dim`` float32, rows in ``paths.genes`` order) and
``genes_``; both save and load as an omicsdl model folder (no pickle). Genes
that occur in no path keep a zero vector (Word2Vec; the CBOW with
``zero_unseen``) or their untrained initial weights (the authors' CBOW).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self

import numpy as np

from omicsdl._core._base import BaseEstimator, hyperparameters
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.g2vec._stopping import StoppingRule, stopping_rule

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    import pandas as pd
    from scipy.sparse import csr_matrix

    from omicsdl._core._device import Device
    from omicsdl.g2vec._paths import GenePaths

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


@hyperparameters
class SupervisedCBOW(_GeneVectors):
    """The modified CBOW of G2Vec (Choi et al. 2018): a path's genes predict its group.

    Input: the path as a multi-hot vector over genes (``input_scaling="binary"``,
    the authors' choice) or divided by the path length (``"mean"``, a CBOW
    average). Hidden: a linear layer of ``dim`` units without bias or
    activation. Output: one sigmoid unit, the probability that the path comes
    from the poor-prognosis group, with or without a learnt ``bias``
    (:class:`~omicsdl.g2vec.SupervisedCBOWModule`). Fitted with Adam and binary
    cross-entropy on ``1 - holdout`` of the paths (split with ``rng``), over all
    of them at once (``batch_size=None``, the authors' full batch) or in
    mini-batches. After every epoch the hold-out paths decide
    (:mod:`~omicsdl.g2vec._stopping`): ``"accuracy_drop"`` stops at the first
    drop of hold-out accuracy and keeps the epoch before it (the authors'
    rule); ``"loss_patience"`` keeps the epoch of lowest hold-out loss and stops
    after ``patience`` epochs without improvement. The gene vectors are the rows
    of the input→hidden weights.

    The defaults are the authors' (``G2Vec.py``): binary input, no output bias,
    truncated-normal initial weights, full batch, at most 500 epochs, accuracy
    drop. :class:`~omicsdl.g2vec.G2Vec` sets every one of them from its ``variant``.

    Parameters
    ----------
    dim
        Hidden units (vector size); 128 as published.
    learning_rate
        Adam learning rate; 0.005 as published.
    max_epochs
        Epoch limit (500 as published; early stopping usually ends sooner).
    patience
        Epochs without hold-out loss improvement before stopping (``"loss_patience"`` only).
    batch_size
        Paths per mini-batch; ``None`` fits on all training paths at once.
    holdout
        Fraction of paths held out for early stopping, in (0, 1).
    input_scaling
        ``"binary"`` (1 per gene of a path) or ``"mean"`` (``1 / path length``).
    bias
        Learn an output bias.
    init
        Initial weights: ``"truncated_normal"`` (authors) or ``"uniform"`` (word2vec style).
    early_stopping
        ``"accuracy_drop"`` (authors) or ``"loss_patience"``.
    zero_unseen
        Give genes that occur in no path a zero vector; ``False`` keeps their
        (untrained) initial weights, as the authors' code does.
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
        ``n_genes × dim`` gene vectors.
    module_
        The fitted :class:`~omicsdl.g2vec.SupervisedCBOWModule` with the kept weights.
    history_
        Per epoch: training loss and accuracy, hold-out loss and accuracy.
    best_epoch_
        Epoch (1-based) whose weights were kept (0: the initial weights).
    stop_reason_
        Why training ended.
    holdout_
        Indices of the paths held out for early stopping (not kept by a saved model).
    """

    _display_name = "omicsdl supervised CBOW"

    dim: int = 128
    learning_rate: float = 0.005
    max_epochs: int = 500
    patience: int = 3
    batch_size: int | None = None
    holdout: float = 0.2
    input_scaling: Literal["binary", "mean"] = "binary"
    bias: bool = False
    init: Literal["truncated_normal", "uniform"] = "truncated_normal"
    early_stopping: StoppingRule = "accuracy_drop"
    zero_unseen: bool = False
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def _check_params(self, n_paths: int) -> None:
        if not 0.0 < self.holdout < 1.0:
            msg = f"holdout must be in (0, 1), got {self.holdout}"
            raise ValueError(msg)
        if self.input_scaling not in ("binary", "mean"):
            msg = f"input_scaling must be 'binary' or 'mean', got {self.input_scaling!r}"
            raise ValueError(msg)
        if self.batch_size is not None and int(self.batch_size) < 1:
            msg = f"batch_size must be positive or None, got {self.batch_size}"
            raise ValueError(msg)
        if n_paths < 2:
            msg = f"the supervised CBOW needs at least 2 gene-paths (training and hold-out), got {n_paths}"
            raise InputError(msg, fix="use more patients, a denser network or a lower --min-corr")

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

        n = len(paths)
        self._check_params(n)
        rule = stopping_rule(self.early_stopping, patience=int(self.patience))
        device = resolve_device(self.device)
        gen = as_generator(self.rng)
        tgen = torch_generator(derive_seed(gen))
        n_genes = len(paths.genes)
        order = gen.permutation(n)
        n_fit = min(n - 1, max(1, int((1.0 - self.holdout) * n)))
        fit_idx, hold = order[:n_fit], order[n_fit:]
        multi_hot = _multi_hot(paths, mean=self.input_scaling == "mean")
        multi_hot.sort_indices()
        batch = n_fit if self.batch_size is None else int(self.batch_size)
        with torch_threads(self.n_threads):
            # all initial weights come from the local generator (no global torch state)
            module = SupervisedCBOWModule(
                n_genes, int(self.dim), bias=bool(self.bias), init=self.init, generator=tgen
            ).to(device)
            opt = torch.optim.Adam(module.parameters(), lr=self.learning_rate, fused=True)
            y_all = torch.from_numpy(paths.labels.astype(np.float32)).to(device)
            fit_x = sparse_batch(multi_hot[fit_idx], device=device)
            fit_y = y_all[torch.from_numpy(fit_idx).to(device)]
            hold_x = sparse_batch(multi_hot[hold], device=device)
            hold_y = y_all[torch.from_numpy(hold).to(device)]
            best_state = _clone_state(module)
            history: list[dict[str, float]] = []
            best_epoch, reason = 0, f"max_epochs ({self.max_epochs}) reached"
            for epoch in range(1, int(self.max_epochs) + 1):
                if batch >= n_fit:
                    opt.zero_grad()
                    module.loss(module(fit_x), fit_y).backward()
                    opt.step()
                else:
                    perm = fit_idx[gen.permutation(n_fit)]
                    shuffled = multi_hot[perm]
                    for lo in range(0, n_fit, batch):
                        x = sparse_batch(shuffled[lo : lo + batch], device=device)
                        y = y_all[torch.from_numpy(perm[lo : lo + batch]).to(device)]
                        opt.zero_grad()
                        module.loss(module(x), y).backward()
                        opt.step()
                with torch.no_grad():
                    z_fit, z_hold = module(fit_x), module(hold_x)
                    row = {
                        "epoch": epoch,
                        "loss": float(module.loss(z_fit, fit_y)),
                        "accuracy": float(((z_fit > 0).float() == fit_y).float().mean()),
                        "holdout_loss": float(module.loss(z_hold, hold_y)),
                        "holdout_accuracy": float(((z_hold > 0).float() == hold_y).float().mean()),
                    }
                history.append(row)
                decision = rule.update(accuracy=row["holdout_accuracy"], loss=row["holdout_loss"])
                if decision.keep:
                    best_state, best_epoch = _clone_state(module), epoch
                if decision.stop:
                    reason = f"{decision.reason} at epoch {epoch}"
                    break
            module.load_state_dict(best_state)
        module.eval()
        logger.info("supervised CBOW: %d epochs, kept epoch %d (%s)", len(history), best_epoch, reason)
        seen = np.bincount(paths.paths[paths.paths >= 0], minlength=n_genes) > 0
        self.genes_ = list(paths.genes)
        self.module_ = module
        self.history_ = history
        self.best_epoch_ = best_epoch
        self.stop_reason_ = reason
        self.holdout_ = np.sort(hold)
        self.gene_seen_ = seen
        self.vectors_ = _vectors(module, seen, zero_unseen=bool(self.zero_unseen))
        return self

    # -- persistence -----------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {f"module.{k}": v.detach().cpu().numpy() for k, v in self.module_.state_dict().items()}
        arrays["gene_seen"] = self.gene_seen_.astype(np.uint8)
        state = {
            "genes": list(self.genes_),
            "history": self.history_,
            "best_epoch": int(self.best_epoch_),
            "stop_reason": self.stop_reason_,
        }
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
        expected = meta_shapes(
            lambda: SupervisedCBOWModule(len(genes), int(self.dim), bias=bool(self.bias)), prefix="module."
        )
        expected["gene_seen"] = (len(genes),)
        check_state_arrays(arrays, expected, source=source, what=f"{len(genes)} genes × dim {self.dim}")
        module = SupervisedCBOWModule(len(genes), int(self.dim), bias=bool(self.bias))
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
        self.stop_reason_ = str(state.get("stop_reason", ""))
        self.holdout_ = np.zeros(0, dtype=np.int64)
        self.gene_seen_ = seen
        self.vectors_ = _vectors(module, seen, zero_unseen=bool(self.zero_unseen))


def _clone_state(module: Any) -> dict[str, Any]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _vectors(module: Any, seen: np.ndarray, *, zero_unseen: bool) -> np.ndarray:
    """The gene vectors: the module's input weights (zero for genes in no path when ``zero_unseen``)."""
    vectors = module.weight.detach().cpu().numpy().astype(np.float32)
    if zero_unseen:
        vectors[~seen] = 0.0
    return vectors


def _multi_hot(paths: GenePaths, *, mean: bool) -> csr_matrix:
    """Paths × genes CSR matrix: 1 (or ``1 / path length`` when ``mean``) for each gene of a path."""
    from scipy.sparse import csr_matrix

    lengths = paths.lengths.astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    cols = paths.paths[paths.paths >= 0].astype(np.int64)
    scale = 1.0 / lengths if mean else np.ones(lengths.shape[0])
    vals = np.repeat(scale, lengths).astype(np.float32)
    return csr_matrix((vals, cols, indptr), shape=(len(paths), len(paths.genes)))


@hyperparameters
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

    dim: int = 128
    architecture: Literal["skipgram", "cbow"] = "skipgram"
    window: int = 5
    max_epochs: int = 5
    negative: int = 5
    n_threads: int = 1
    rng: RNGLike = None

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

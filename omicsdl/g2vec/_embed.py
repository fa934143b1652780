"""Gene embedders over gene-paths: the published supervised CBOW (torch) and gensim Word2Vec.

Both follow one interface: ``Embedder(...).fit(paths, rng=...)`` returns
``self`` with ``vectors_`` (``n_genes × dim`` float32, rows in ``paths.genes``
order; genes that occur in no path keep a zero vector).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self

import numpy as np

from omicsdl._core._random import RNGLike, as_generator, derive_seed

if TYPE_CHECKING:
    from omicsdl.g2vec._walks import GenePaths

__all__ = ["Embedder", "SupervisedCBOW", "Word2VecEmbedder"]

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """What :class:`~omicsdl.g2vec.G2Vec` needs from an embedder."""

    vectors_: np.ndarray

    def fit(self, paths: GenePaths, *, rng: RNGLike = None) -> Self:
        """Learn one vector per gene of ``paths.genes``."""
        ...


class SupervisedCBOW:
    """The modified CBOW of G2Vec (Choi et al. 2018): a path's genes predict its group.

    Input: the path as a multi-hot vector over genes, divided by the path
    length (CBOW averages its context). Hidden: a linear layer of ``dim``
    units without bias or activation (so the model is computed as
    ``A (W u) + b``, exactly equal to ``(A W) u + b`` and much cheaper). Output: one sigmoid unit, the
    probability that the path comes from the poor-prognosis group. Trained
    with Adam and binary cross-entropy; ``holdout`` of the paths (drawn with
    ``rng``) is held out and training stops when its loss has not improved
    for ``patience`` epochs, keeping the best weights. The gene vectors are
    the rows of the input→hidden weights.

    Parameters
    ----------
    dim
        Hidden units (vector size); 128 as published.
    lr
        Adam learning rate; 0.005 as published.
    max_epochs, patience
        Epoch limit and early-stopping patience.
    batch_size
        Paths per mini-batch.
    holdout
        Fraction of paths held out for early stopping.

    Attributes
    ----------
    vectors_
        ``n_genes × dim`` gene vectors.
    history_
        Per epoch: training and hold-out loss, hold-out accuracy.
    best_epoch_
        Epoch (1-based) whose weights were kept.
    """

    def __init__(
        self,
        *,
        dim: int = 128,
        lr: float = 0.005,
        max_epochs: int = 30,
        patience: int = 3,
        batch_size: int = 512,
        holdout: float = 0.2,
    ) -> None:
        self.dim = dim
        self.lr = lr
        self.max_epochs = max_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.holdout = holdout

    def fit(self, paths: GenePaths, *, rng: RNGLike = None) -> Self:
        """Fit on labelled gene-paths; see the class docstring."""
        import torch
        from torch import nn

        from omicsdl._core._random import torch_generator

        if not 0.0 < self.holdout < 1.0:
            msg = f"holdout must be in (0, 1), got {self.holdout}"
            raise ValueError(msg)
        gen = as_generator(rng)
        tgen = torch_generator(derive_seed(gen))
        n_genes = len(paths.genes)
        n = len(paths)
        order = gen.permutation(n)
        n_hold = max(1, round(self.holdout * n))
        hold, fit_idx = order[:n_hold], order[n_hold:]

        # word2vec-style small initial vectors: genes never pushed by the loss
        # stay near the origin, so vector length measures relevance. All
        # initial weights come from the local generator (no global torch state).
        weight = nn.Parameter((torch.rand(n_genes, self.dim, generator=tgen) - 0.5) / self.dim)
        bound = self.dim**-0.5
        out_w = nn.Parameter((torch.rand(self.dim, generator=tgen) * 2 - 1) * bound)
        out_b = nn.Parameter(torch.zeros(1))
        params = [weight, out_w, out_b]
        opt = torch.optim.Adam(params, lr=self.lr, fused=True)
        loss_fn = nn.BCEWithLogitsLoss()

        # Multi-hot paths / length as a sparse matrix A (paths × genes). The
        # model is logit = (A W) u + b; since it is linear up to the output we
        # evaluate it as A (W u) + b: identical values and gradients, but the
        # cost per batch grows with the genes in it, not genes × dim.
        multi_hot = _multi_hot(paths)
        multi_hot.sort_indices()
        y_all = torch.from_numpy(paths.labels.astype(np.float32))

        def batch(rows: Any, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
            # gene indices are sorted within each row and a self-avoiding path
            # has no repeated gene, so the COO built row by row is coalesced
            row = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
            rows_cols = torch.from_numpy(np.vstack([row, rows.indices]).astype(np.int64))
            sparse = torch.sparse_coo_tensor(
                rows_cols, torch.from_numpy(rows.data), rows.shape, is_coalesced=True, check_invariants=False
            )
            return sparse, y_all[torch.from_numpy(idx)]

        def logits(sparse: torch.Tensor) -> torch.Tensor:
            return torch.sparse.mm(sparse, (weight @ out_w).unsqueeze(1)).squeeze(1) + out_b

        hold_batch = batch(multi_hot[hold], hold)
        best_loss = float("inf")
        best_state: list[torch.Tensor] = [p.detach().clone() for p in params]
        self.history_: list[dict[str, float]] = []
        self.best_epoch_ = 0
        stale = 0
        for epoch in range(1, self.max_epochs + 1):
            perm = fit_idx[gen.permutation(fit_idx.shape[0])]
            shuffled = multi_hot[perm]
            total = 0.0
            for lo in range(0, perm.shape[0], self.batch_size):
                hi = lo + self.batch_size
                sparse, y = batch(shuffled[lo:hi], perm[lo:hi])
                opt.zero_grad()
                loss = loss_fn(logits(sparse), y)
                loss.backward()
                opt.step()
                total += float(loss.detach()) * y.shape[0]
            with torch.no_grad():
                z = logits(hold_batch[0])
                hold_loss = float(loss_fn(z, hold_batch[1]))
                hold_acc = float(((z > 0).float() == hold_batch[1]).float().mean())
            self.history_.append(
                {
                    "epoch": epoch,
                    "loss": total / max(1, fit_idx.shape[0]),
                    "holdout_loss": hold_loss,
                    "holdout_accuracy": hold_acc,
                }
            )
            if hold_loss < best_loss - 1e-6:
                best_loss, stale, self.best_epoch_ = hold_loss, 0, epoch
                best_state = [p.detach().clone() for p in params]
            else:
                stale += 1
                if stale >= self.patience:
                    break
        logger.info(
            "supervised CBOW: %d epochs, best %d (hold-out loss %.4f)",
            len(self.history_),
            self.best_epoch_,
            best_loss,
        )
        vectors = best_state[0].numpy().astype(np.float32)
        counts = np.bincount(paths.paths[paths.paths >= 0], minlength=n_genes)
        vectors[counts == 0] = 0.0
        self.vectors_ = vectors
        return self


def _multi_hot(paths: GenePaths):
    """Paths × genes CSR matrix with 1 / path length for each gene of a path."""
    from scipy.sparse import csr_matrix

    lengths = paths.lengths.astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    cols = paths.paths[paths.paths >= 0].astype(np.int64)
    vals = np.repeat(1.0 / lengths, lengths).astype(np.float32)
    return csr_matrix((vals, cols, indptr), shape=(len(paths), len(paths.genes)))


class Word2VecEmbedder:
    """Unsupervised gensim Word2Vec over the gene-paths (group labels unused).

    Parameters
    ----------
    dim
        Vector size.
    architecture
        ``"skipgram"`` or ``"cbow"``.
    window
        Context window in genes.
    epochs
        Passes over the paths.
    negative
        Negative samples per positive pair.

    Notes
    -----
    Training uses ``workers=1``: gensim with several worker threads is not
    reproducible run to run; with one worker, a seed and a fixed
    ``PYTHONHASHSEED`` the vectors are identical.

    Attributes
    ----------
    vectors_
        ``n_genes × dim`` gene vectors.
    """

    def __init__(
        self,
        *,
        dim: int = 128,
        architecture: Literal["skipgram", "cbow"] = "skipgram",
        window: int = 5,
        epochs: int = 5,
        negative: int = 5,
    ) -> None:
        self.dim = dim
        self.architecture = architecture
        self.window = window
        self.epochs = epochs
        self.negative = negative

    def fit(self, paths: GenePaths, *, rng: RNGLike = None) -> Self:
        """Fit Word2Vec on the gene-paths (as sentences)."""
        from gensim.models import Word2Vec

        if self.architecture not in ("skipgram", "cbow"):
            msg = f"architecture must be 'skipgram' or 'cbow', got {self.architecture!r}"
            raise ValueError(msg)
        seed = derive_seed(rng)
        model = Word2Vec(
            sentences=paths.as_lists(),
            vector_size=self.dim,
            window=self.window,
            min_count=1,
            sg=1 if self.architecture == "skipgram" else 0,
            negative=self.negative,
            epochs=self.epochs,
            workers=1,
            seed=seed,
        )
        vectors = np.zeros((len(paths.genes), self.dim), dtype=np.float32)
        for i, gene in enumerate(paths.genes):
            if gene in model.wv.key_to_index:
                vectors[i] = model.wv[gene]
        self.vectors_ = vectors
        return self

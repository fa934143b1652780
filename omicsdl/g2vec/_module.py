"""The supervised CBOW of G2Vec as a torch module: forward + loss, no files, no AnnData.

A gene-path enters as a sparse ``paths × genes`` matrix ``A``: 1 for each gene
of a path (the authors' multi-hot input), or ``1 / path length`` (a CBOW mean).
The hidden layer is linear without bias or activation (``weight``: ``genes ×
dim``, the gene vectors), the output one logit: ``A (W u) [+ b]``. Because the
model is linear up to the output, ``A (W u)`` equals ``(A W) u`` exactly, with the
cost per batch growing with the genes in the batch rather than with ``genes × dim``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import torch
from torch import nn
from torch.nn import functional

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["SupervisedCBOWModule", "sparse_batch"]

Init = Literal["truncated_normal", "uniform"]


class SupervisedCBOWModule(nn.Module):
    """Gene-path → logit of the poor-prognosis group (Choi et al. 2018).

    Parameters
    ----------
    n_genes
        Number of genes (rows of the gene-vector matrix).
    dim
        Hidden units: the length of a gene vector.
    bias
        Learn an output bias (``False`` in the authors' model: logit = ``A W u``).
    init
        ``"truncated_normal"`` (the authors' TensorFlow initialiser: both weight
        matrices normal with sd ``dim^-0.5``, redrawn beyond 2 sd) or
        ``"uniform"`` (word2vec style: gene vectors uniform in ``±0.5 / dim``,
        output weights uniform in ``±dim^-0.5``).
    generator
        Generator for the initial weights; ``None`` uses torch's global one.

    Notes
    -----
    The parameters are registered in the order ``weight``, ``out_weight``
    (then ``out_bias`` when learnt). Without a learnt bias, ``out_bias`` is a
    zero buffer, so saved states have the same keys either way.
    """

    def __init__(
        self,
        n_genes: int,
        dim: int,
        *,
        bias: bool = False,
        init: Init = "truncated_normal",
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        sd = dim**-0.5
        if init == "truncated_normal":
            weight = nn.init.trunc_normal_(
                torch.empty(n_genes, dim), std=sd, a=-2 * sd, b=2 * sd, generator=generator
            )
            out = nn.init.trunc_normal_(torch.empty(dim), std=sd, a=-2 * sd, b=2 * sd, generator=generator)
        elif init == "uniform":
            weight = (torch.rand(n_genes, dim, generator=generator) - 0.5) / dim
            out = (torch.rand(dim, generator=generator) * 2 - 1) * sd
        else:
            msg = f"init must be 'truncated_normal' or 'uniform', got {init!r}"
            raise ValueError(msg)
        self.weight = nn.Parameter(weight)
        self.out_weight = nn.Parameter(out)
        if bias:
            self.out_bias = nn.Parameter(torch.zeros(1))
        else:
            self.register_buffer("out_bias", torch.zeros(1))

    def forward(self, paths: torch.Tensor) -> torch.Tensor:
        """Logits of a sparse ``paths × genes`` batch (see :func:`sparse_batch`)."""
        return torch.sparse.mm(paths, (self.weight @ self.out_weight).unsqueeze(1)).squeeze(1) + self.out_bias

    def loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Mean binary cross-entropy of ``logits`` against 0/1 ``labels`` (1 = poor)."""
        return functional.binary_cross_entropy_with_logits(logits, labels)


def sparse_batch(rows: csr_matrix, *, device: torch.device | None = None) -> torch.Tensor:
    """A sparse COO tensor from rows of the multi-hot path matrix (CSR, sorted indices).

    Gene indices are sorted within each row and a path holds each gene once, so
    the COO tensor built row by row is already coalesced.
    """
    row = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    rows_cols = torch.from_numpy(np.vstack([row, rows.indices]).astype(np.int64))
    values: np.ndarray = rows.data
    sparse = torch.sparse_coo_tensor(
        rows_cols, torch.from_numpy(values), rows.shape, is_coalesced=True, check_invariants=False
    )
    return sparse if device is None or device.type == "cpu" else sparse.to(device)

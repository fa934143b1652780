"""The supervised CBOW of G2Vec as a torch module: forward + loss, no files, no AnnData.

A gene-path enters as a sparse ``paths × genes`` matrix ``A`` holding
``1 / path length`` for each gene of a path (CBOW averages its context). The
hidden layer is linear without bias or activation (``weight``: ``genes × dim``,
the gene vectors), the output one logit: ``A (W u) + b``. Because the model is
linear up to the output, ``A (W u)`` equals ``(A W) u`` exactly, with the cost per
batch growing with the genes in the batch rather than with ``genes × dim``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn
from torch.nn import functional

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["SupervisedCBOWModule", "sparse_batch"]


class SupervisedCBOWModule(nn.Module):
    """Gene-path → logit of the poor-prognosis group (Choi et al. 2018).

    Parameters
    ----------
    n_genes
        Number of genes (rows of the gene-vector matrix).
    dim
        Hidden units: the length of a gene vector.
    generator
        Generator for the initial weights; ``None`` uses torch's global one.

    Notes
    -----
    Initial weights as in word2vec: gene vectors uniform in ``±0.5 / dim`` (genes
    never pushed by the loss stay near the origin, so a vector's length measures
    relevance), output weights uniform in ``±dim^-0.5``, output bias 0. The
    parameters are registered in the order ``weight``, ``out_weight``,
    ``out_bias``.
    """

    def __init__(self, n_genes: int, dim: int, *, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.weight = nn.Parameter((torch.rand(n_genes, dim, generator=generator) - 0.5) / dim)
        bound = dim**-0.5
        self.out_weight = nn.Parameter((torch.rand(dim, generator=generator) * 2 - 1) * bound)
        self.out_bias = nn.Parameter(torch.zeros(1))

    def forward(self, paths: torch.Tensor) -> torch.Tensor:
        """Logits of a sparse ``paths × genes`` batch (see :func:`sparse_batch`)."""
        return torch.sparse.mm(paths, (self.weight @ self.out_weight).unsqueeze(1)).squeeze(1) + self.out_bias

    def loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Mean binary cross-entropy of ``logits`` against 0/1 ``labels`` (1 = poor)."""
        return functional.binary_cross_entropy_with_logits(logits, labels)


def sparse_batch(rows: csr_matrix, *, device: torch.device | None = None) -> torch.Tensor:
    """A sparse COO tensor from rows of the multi-hot path matrix (CSR, sorted indices).

    Gene indices are sorted within each row and a self-avoiding path has no
    repeated gene, so the COO tensor built row by row is already coalesced.
    """
    row = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    rows_cols = torch.from_numpy(np.vstack([row, rows.indices]).astype(np.int64))
    values: np.ndarray = rows.data
    sparse = torch.sparse_coo_tensor(
        rows_cols, torch.from_numpy(values), rows.shape, is_coalesced=True, check_invariants=False
    )
    return sparse if device is None or device.type == "cpu" else sparse.to(device)

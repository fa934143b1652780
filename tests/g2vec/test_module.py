"""The supervised-CBOW torch module: the sparse forward equals the dense CBOW, seeded init."""

from __future__ import annotations

import numpy as np
import torch

from omicsdl.g2vec import SupervisedCBOWModule
from omicsdl.g2vec._embed import _multi_hot
from omicsdl.g2vec._module import sparse_batch
from tests.g2vec._synthetic import tiny_paths


def test_sparse_forward_equals_dense_cbow():
    paths = tiny_paths()
    module = SupervisedCBOWModule(len(paths.genes), 4, generator=torch.Generator().manual_seed(0))
    multi_hot = _multi_hot(paths)
    multi_hot.sort_indices()
    with torch.no_grad():
        sparse = module(sparse_batch(multi_hot))
        hidden = torch.from_numpy(multi_hot.toarray()) @ module.weight  # (A W): the path's mean vector
        dense = hidden @ module.out_weight + module.out_bias
    torch.testing.assert_close(sparse, dense, rtol=1e-5, atol=1e-6)
    y = torch.from_numpy(paths.labels.astype(np.float32))
    loss = module.loss(sparse, y)
    expected = torch.nn.functional.binary_cross_entropy(torch.sigmoid(dense), y)
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)


def test_initial_weights_come_from_the_generator_only():
    a = SupervisedCBOWModule(12, 8, generator=torch.Generator().manual_seed(3))
    torch.manual_seed(99)  # global state is not used
    b = SupervisedCBOWModule(12, 8, generator=torch.Generator().manual_seed(3))
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb)
    assert [name for name, _ in a.named_parameters()] == ["weight", "out_weight", "out_bias"]
    assert float(a.weight.detach().abs().max()) <= 0.5 / 8

"""The supervised-CBOW torch module: the sparse forward equals the dense CBOW, seeded init."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from omicsdl.g2vec import SupervisedCBOWModule
from omicsdl.g2vec._embed import _multi_hot
from omicsdl.g2vec._module import sparse_batch
from tests.g2vec._synthetic import tiny_paths


@pytest.mark.parametrize("mean", [False, True], ids=["binary", "mean"])
def test_sparse_forward_equals_dense_cbow(mean):
    paths = tiny_paths()
    module = SupervisedCBOWModule(len(paths.genes), 4, bias=mean, generator=torch.Generator().manual_seed(0))
    multi_hot = _multi_hot(paths, mean=mean)
    multi_hot.sort_indices()
    with torch.no_grad():
        sparse = module(sparse_batch(multi_hot))
        hidden = torch.from_numpy(multi_hot.toarray()) @ module.weight  # (A W): sum or mean of its vectors
        dense = hidden @ module.out_weight + module.out_bias
    torch.testing.assert_close(sparse, dense, rtol=1e-5, atol=1e-6)
    y = torch.from_numpy(paths.labels.astype(np.float32))
    loss = module.loss(sparse, y)
    expected = torch.nn.functional.binary_cross_entropy(torch.sigmoid(dense), y)
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)


def test_initial_weights_come_from_the_generator_only():
    a = SupervisedCBOWModule(12, 8, bias=True, init="uniform", generator=torch.Generator().manual_seed(3))
    torch.manual_seed(99)  # global state is not used
    b = SupervisedCBOWModule(12, 8, bias=True, init="uniform", generator=torch.Generator().manual_seed(3))
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb)
    assert [name for name, _ in a.named_parameters()] == ["weight", "out_weight", "out_bias"]
    assert float(a.weight.detach().abs().max()) <= 0.5 / 8


def test_the_authors_model_has_no_bias_and_truncated_normal_weights():
    dim = 64
    module = SupervisedCBOWModule(2000, dim, generator=torch.Generator().manual_seed(0))
    assert [name for name, _ in module.named_parameters()] == ["weight", "out_weight"]
    assert float(module.out_bias) == 0.0 and "out_bias" in module.state_dict()  # a zero buffer
    w = module.weight.detach().numpy()
    sd = dim**-0.5
    assert np.abs(w).max() <= 2 * sd  # redrawn beyond 2 sd, as TensorFlow's truncated_normal
    # sd of a normal truncated at ±2 sd: 0.880 sd
    assert w.std() == pytest.approx(0.880 * sd, rel=0.01)

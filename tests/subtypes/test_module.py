"""AutoencoderModule: the pure torch network."""

from __future__ import annotations

from omicsdl.subtypes import AutoencoderModule


def test_module_forward_shapes():
    import torch

    module = AutoencoderModule([5, 7], hidden_sizes=(9,), latent_dim=3, per_omic_dim=4)
    recon, z = module(torch.zeros(2, 12))
    assert recon.shape == (2, 12)
    assert z.shape == (2, 3)

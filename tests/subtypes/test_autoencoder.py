"""Autoencoder: seeded and deterministic, no global RNG side effects, save/load round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from omicsdl import InputError, ModelFormatError
from omicsdl.subtypes import Autoencoder

SMALL = {"hidden_sizes": (32,), "latent_dim": 6, "max_epochs": 3, "n_threads": 1}


@pytest.fixture(scope="module")
def blocks(lihc):
    from omicsdl.pp import Preprocessor

    out = {}
    for omic in ("rna", "mirna"):
        adata = lihc[omic][:120, :40]
        out[omic] = Preprocessor(log_transform=True).fit_transform(adata).X
    return out


def test_fit_transform_shape_and_chaudhary_defaults(blocks):
    ae = Autoencoder()
    assert (tuple(ae.hidden_sizes), ae.latent_dim, ae.activation, ae.dropout) == ((500,), 100, "tanh", 0.5)
    ae = Autoencoder(**SMALL, rng=0).fit(blocks)
    Z = ae.transform(blocks)
    assert Z.shape == (120, 6)
    assert np.abs(Z).max() <= 1.0  # tanh bottleneck
    assert ae.block_names_ == ["rna", "mirna"]
    assert len(ae.history_) == 3


def test_same_seed_same_latent_and_no_global_rng_change(blocks):
    import torch

    state = torch.get_rng_state()
    threads = torch.get_num_threads()
    a = Autoencoder(**SMALL, rng=7).fit(blocks).transform(blocks)
    b = Autoencoder(**SMALL, rng=7).fit(blocks).transform(blocks)
    c = Autoencoder(**SMALL, rng=8).fit(blocks).transform(blocks)
    assert torch.equal(state, torch.get_rng_state())
    assert torch.get_num_threads() == threads
    assert_allclose(a, b, rtol=0, atol=0)
    assert not np.allclose(a, c)


def test_per_omic_denoising_early_stopping(blocks):
    ae = Autoencoder(
        **{**SMALL, "max_epochs": 50},
        per_omic_dim=8,
        noise_std=0.3,
        validation_fraction=0.25,
        patience=2,
        learning_rate=0.05,
        rng=0,
    ).fit(blocks)
    assert ae.n_epochs_fitted_ < 50
    assert all("val_loss" in h for h in ae.history_)
    assert ae.transform(blocks).shape == (120, 6)


def test_loss_decreases(blocks):
    ae = Autoencoder(**{**SMALL, "max_epochs": 15, "dropout": 0.0}, rng=0).fit(blocks)
    assert ae.history_[-1]["loss"] < ae.history_[0]["loss"]


def test_save_load_roundtrip_and_format_version(blocks, tmp_path):
    ae = Autoencoder(**SMALL, per_omic_dim=4, rng=0).fit(blocks)
    ae.save(tmp_path / "ae")
    loaded = Autoencoder.load(tmp_path / "ae")
    assert_allclose(loaded.transform(blocks), ae.transform(blocks), rtol=1e-6)
    meta_path = tmp_path / "ae" / "model.json"
    meta = json.loads(meta_path.read_text())
    assert meta["format_version"] == 1
    meta["format_version"] = 99
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="unknown model format_version 99"):
        Autoencoder.load(tmp_path / "ae")
    with pytest.raises(ModelFormatError, match="not a saved omicsdl autoencoder"):
        Autoencoder.load(tmp_path)


def test_bad_input(blocks):
    X = np.concatenate(list(blocks.values()), axis=1).copy()
    X[3, 4] = np.nan
    with pytest.raises(InputError, match="missing or infinite"):
        Autoencoder(**SMALL).fit(X)
    ae = Autoencoder(**SMALL, rng=0).fit(blocks)
    with pytest.raises(InputError, match="fitted on 80 features"):
        ae.transform(X[:, 10:20])
    with pytest.raises(ValueError, match="activation"):
        Autoencoder(activation="swish").fit(blocks)

"""The gene embedders on SYNTHETIC gene-paths: vectors, reproducibility, save/load, bad folders."""

from __future__ import annotations

import json

import numpy as np
import pytest

from omicsdl._core._errors import ModelFormatError
from omicsdl.g2vec import SupervisedCBOW, Word2VecEmbedder
from tests.g2vec._synthetic import tiny_paths


def test_supervised_cbow_vectors_and_history():
    paths = tiny_paths()
    model = SupervisedCBOW(dim=4, max_epochs=4, patience=10, batch_size=16, n_threads=1, rng=0).fit(paths)
    assert model.vectors_.shape == (12, 4) and model.vectors_.dtype == np.float32
    assert not model.vectors_[11].any()  # G11 occurs in no path: zero vector
    assert model.genes_ == paths.genes
    assert [h["epoch"] for h in model.history_] == [1, 2, 3, 4]
    assert 1 <= model.best_epoch_ <= 4
    np.testing.assert_array_equal(model.to_frame().loc["G0"].to_numpy(), model.vectors_[0])
    # the kept weights are the module's
    np.testing.assert_array_equal(model.module_.weight.detach().numpy()[:11], model.vectors_[:11])


def test_supervised_cbow_holdout_is_checked():
    with pytest.raises(ValueError, match="holdout"):
        SupervisedCBOW(holdout=1.0).fit(tiny_paths())


def test_word2vec_architecture_is_checked():
    with pytest.raises(ValueError, match="architecture"):
        Word2VecEmbedder(architecture="glove").fit(tiny_paths())


@pytest.mark.parametrize(
    "make",
    [
        lambda: SupervisedCBOW(dim=4, max_epochs=2, batch_size=16, n_threads=1, rng=5),
        lambda: Word2VecEmbedder(dim=4, max_epochs=1, rng=5),
    ],
    ids=["cbow", "word2vec"],
)
def test_save_load_and_damaged_weights(make, tmp_path):
    from safetensors.numpy import load_file, save_file

    model = make().fit(tiny_paths())
    model.save(tmp_path / "m")
    loaded = type(model).load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.vectors_, model.vectors_)
    assert loaded.genes_ == model.genes_
    # weights of another shape, re-checksummed so only the shape check can catch them
    arrays = load_file(str(tmp_path / "m" / "model.safetensors"))
    key = next(k for k in arrays if arrays[k].ndim == 2)
    arrays[key] = np.ascontiguousarray(arrays[key][:, :2])
    save_file(arrays, str(tmp_path / "m" / "model.safetensors"))
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    from omicsdl._core._base import _meta_digest, file_sha256

    meta["files"]["model.safetensors"] = file_sha256(tmp_path / "m" / "model.safetensors")
    meta["sha256"] = _meta_digest(meta)
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match=r"(?i)shape|fit"):
        type(model).load(tmp_path / "m")

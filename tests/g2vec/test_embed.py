"""The gene embedders on SYNTHETIC gene-paths: vectors, reproducibility, save/load, bad folders."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from omicsdl._core._errors import ModelFormatError
from omicsdl.g2vec import SupervisedCBOW, Word2VecEmbedder
from tests.g2vec._synthetic import tiny_paths


def test_supervised_cbow_vectors_and_history():
    paths = tiny_paths()
    model = SupervisedCBOW(
        dim=4, max_epochs=4, patience=10, batch_size=16, early_stopping="loss_patience", zero_unseen=True,
        n_threads=1, rng=0,
    ).fit(paths)  # fmt: skip
    assert model.vectors_.shape == (12, 4) and model.vectors_.dtype == np.float32
    assert not model.vectors_[11].any()  # G11 occurs in no path: zero vector
    assert model.genes_ == paths.genes
    assert [h["epoch"] for h in model.history_] == [1, 2, 3, 4]
    assert 1 <= model.best_epoch_ <= 4
    np.testing.assert_array_equal(model.to_frame().loc["G0"].to_numpy(), model.vectors_[0])
    # the kept weights are the module's
    np.testing.assert_array_equal(model.module_.weight.detach().numpy()[:11], model.vectors_[:11])


def test_reference_cbow_stops_at_the_first_holdout_accuracy_drop():
    paths = tiny_paths()
    model = SupervisedCBOW(dim=8, n_threads=1, rng=1).fit(paths)  # the authors' defaults
    acc = [h["holdout_accuracy"] for h in model.history_]
    assert model.best_epoch_ == len(acc) - 1 < 500  # stopped by a drop: the epoch before it is kept
    kept = acc[: model.best_epoch_]
    assert all(b >= a for a, b in itertools.pairwise(kept))
    assert acc[-1] < acc[-2] and "accuracy dropped" in model.stop_reason_
    # the kept weights give the kept epoch's hold-out accuracy
    import torch

    from omicsdl.g2vec._embed import _multi_hot
    from omicsdl.g2vec._module import sparse_batch

    rows = _multi_hot(paths, mean=False)[model.holdout_]
    rows.sort_indices()
    with torch.no_grad():
        z = model.module_(sparse_batch(rows))
    y = paths.labels[model.holdout_]
    assert float(((z.numpy() > 0) == y).mean()) == pytest.approx(acc[model.best_epoch_ - 1])
    # genes in no path keep their (untrained) initial weights, as in the authors' code
    assert model.vectors_[11].any()


def test_holdout_paths_are_distinct_from_training_paths():
    paths = tiny_paths()
    model = SupervisedCBOW(dim=4, max_epochs=3, n_threads=1, rng=2).fit(paths)
    sets = [frozenset(r[:k].tolist()) for r, k in zip(paths.paths, paths.lengths, strict=True)]
    held = {sets[i] for i in model.holdout_}
    trained = {sets[i] for i in range(len(sets)) if i not in set(model.holdout_)}
    assert len(model.holdout_) == len(paths) - int(0.8 * len(paths))  # the authors' 80/20 split
    assert not held & trained


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

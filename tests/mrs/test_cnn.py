"""qCNN / cCNN on SYNTHETIC spectra: fit, MC-dropout, save/load, determinism."""

from __future__ import annotations

import json

import numpy as np
import pytest

from omicsdl import InputError, ModelFormatError
from omicsdl.mrs import (
    MRSData,
    SpectrumClassifierCNN,
    SpectrumPrior,
    SpectrumQuantifierCNN,
    simulate_spectra,
)


@pytest.fixture(scope="module")
def qcnn(small_basis):
    return SpectrumQuantifierCNN(max_steps=25, batch_size=32, n_threads=1, rng=0).fit(small_basis)


def test_qcnn_predicts_and_uncertainty(qcnn, small_basis):
    data, amp, _ = simulate_spectra(small_basis, 6, rng=1)
    mean, sd = qcnn.predict(data, n_samples=5)
    assert mean.shape == sd.shape == (6, 9)
    assert (mean > 0).all()
    assert (sd > 0).all()
    det, zero = qcnn.predict(data, n_samples=0)
    assert (zero == 0).all()
    # same model (seeded by its rng), same MC draws, every call
    np.testing.assert_allclose(qcnn.predict(data, n_samples=5)[0], mean)
    # even a briefly fitted net is within a factor 3 of the truth for the big methylene peak
    k = small_basis.names.index("Lip13")
    assert np.all(np.abs(np.log(det[:, k] / amp[:, k])) < np.log(3))


def test_qcnn_same_seed_same_model(small_basis, qcnn):
    again = SpectrumQuantifierCNN(max_steps=25, batch_size=32, n_threads=1, rng=0).fit(small_basis)
    data, _, _ = simulate_spectra(small_basis, 3, rng=2)
    np.testing.assert_allclose(
        again.predict(data, n_samples=0)[0], qcnn.predict(data, n_samples=0)[0], rtol=1e-5
    )


def test_save_load_roundtrip_and_format(qcnn, small_basis, tmp_path):
    qcnn.save(tmp_path / "q")
    loaded = SpectrumQuantifierCNN.load(tmp_path / "q")
    data, _, _ = simulate_spectra(small_basis, 3, rng=2)
    np.testing.assert_allclose(
        loaded.predict(data, n_samples=0)[0], qcnn.predict(data, n_samples=0)[0], rtol=1e-6
    )
    assert loaded.names_ == small_basis.names
    cfg = json.loads((tmp_path / "q" / "model.json").read_text())
    assert cfg["format_version"] == 1
    cfg["format_version"] = 99
    (tmp_path / "q" / "model.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFormatError, match="unknown model format_version 99"):
        SpectrumQuantifierCNN.load(tmp_path / "q")
    with pytest.raises(ModelFormatError, match=r"no model\.json: not a saved omicsdl qCNN"):
        SpectrumQuantifierCNN.load(tmp_path / "missing")


def test_params_use_the_package_vocabulary(qcnn):
    params = qcnn.get_params()
    assert sorted(params) == sorted([
        "window", "channels", "dropout", "max_steps", "batch_size", "learning_rate", "loss_weighting",
        "n_calibration", "n_threads", "device", "rng",
    ])  # fmt: skip
    assert params["max_steps"] == 25 and params["rng"] == 0
    assert SpectrumQuantifierCNN().get_params()["rng"] is None
    assert repr(qcnn) == "SpectrumQuantifierCNN(max_steps=25, batch_size=32, n_threads=1, rng=0)"


def test_qcnn_refuses_other_acquisition(qcnn, small_basis):
    data, _, _ = simulate_spectra(small_basis, 1, rng=0)
    with pytest.raises(InputError, match="the model was fitted on 512 points"):
        qcnn.predict(MRSData(data.fid[:, :256], data.dwell_s, data.field_mhz))
    with pytest.raises(InputError, match="field strength mismatch"):
        qcnn.predict(MRSData(data.fid, data.dwell_s, 63.9))


def test_ccnn_learns_a_clear_difference(small_basis, tmp_path):
    base = SpectrumPrior()
    priors = {"A": base, "B": base.scaled({"Cho": 4.0, "Cr": 4.0})}
    model = SpectrumClassifierCNN(max_steps=40, batch_size=32, rng=0).fit(small_basis, priors)
    da, _, _ = simulate_spectra(small_basis, 10, prior=priors["A"], rng=7)
    db, _, _ = simulate_spectra(small_basis, 10, prior=priors["B"], rng=8)
    pa = model.predict_proba(da)
    pb = model.predict_proba(db)
    np.testing.assert_allclose(pa.sum(1), 1, rtol=1e-5)
    accuracy = ((pa[:, 0] > 0.5).sum() + (pb[:, 1] > 0.5).sum()) / 20
    assert accuracy >= 0.7
    model.save(tmp_path / "c")
    loaded = SpectrumClassifierCNN.load(tmp_path / "c")
    assert loaded.classes_ == ["A", "B"]
    # MC dropout is seeded by the model: same output every call, and after save/load
    np.testing.assert_array_equal(model.predict_proba(da), pa)
    np.testing.assert_array_equal(loaded.predict_proba(da), pa)
    np.testing.assert_array_equal(loaded.predict(db), model.predict(db))
    with pytest.raises(ModelFormatError, match=r"expected a omicsdl\.SpectrumQuantifierCNN model"):
        SpectrumQuantifierCNN.load(tmp_path / "c")
    with pytest.raises(InputError, match="at least two classes"):
        SpectrumClassifierCNN(max_steps=1).fit(small_basis, {"A": base})


def test_qcnn_calibrated_error_is_saved_and_older_models_still_load(qcnn, small_basis, tmp_path):
    from omicsdl._core._base import _meta_digest

    rmse = qcnn.calibration_log_rmse_
    assert rmse.shape == (9,) and np.isfinite(rmse).all() and (rmse > 0).all()
    # the calibration is drawn after the fit: the fitted network is the one without it
    bare = SpectrumQuantifierCNN(max_steps=25, batch_size=32, n_threads=1, n_calibration=0, rng=0).fit(
        small_basis
    )
    data, _, _ = simulate_spectra(small_basis, 3, rng=2)
    np.testing.assert_array_equal(bare.predict(data)[0], qcnn.predict(data)[0])
    qcnn.save(tmp_path / "q")
    np.testing.assert_array_equal(SpectrumQuantifierCNN.load(tmp_path / "q").calibration_log_rmse_, rmse)
    meta = json.loads((tmp_path / "q" / "model.json").read_text())
    del (
        meta["state"]["calibration_log_rmse"],
        meta["params"]["n_calibration"],
        meta["params"]["loss_weighting"],
    )
    meta["sha256"] = _meta_digest(meta)
    (tmp_path / "q" / "model.json").write_text(json.dumps(meta))
    assert SpectrumQuantifierCNN.load(tmp_path / "q").calibration_log_rmse_ is None
    meta["state"]["calibration_log_rmse"] = [1.0, -1.0]
    meta["sha256"] = _meta_digest(meta)
    (tmp_path / "q" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(
        ModelFormatError, match="calibration_log_rmse must hold one positive value per component"
    ):
        SpectrumQuantifierCNN.load(tmp_path / "q")


def test_balanced_loss_weighting_changes_the_fit_and_is_checked(small_basis):
    import torch

    from omicsdl.mrs import QuantifierCNNModule

    module = QuantifierCNNModule(64, 3)
    out, target = torch.zeros(4, 3), torch.tensor([[1.0, 2.0, 0.0]] * 4)
    assert float(module.loss(out, target)) == pytest.approx(5 / 3)
    assert float(module.loss(out, target, torch.tensor([3.0, 0.0, 0.0]))) == pytest.approx(1.0)
    kwargs = {"max_steps": 6, "batch_size": 16, "n_calibration": 0, "rng": 0}
    uniform = SpectrumQuantifierCNN(**kwargs).fit(small_basis)
    balanced = SpectrumQuantifierCNN(loss_weighting="balanced", **kwargs).fit(small_basis)
    data, _, _ = simulate_spectra(small_basis, 3, rng=2)
    assert np.isfinite(balanced.loss_)
    assert not np.allclose(uniform.predict(data, n_samples=0)[0], balanced.predict(data, n_samples=0)[0])
    with pytest.raises(ValueError, match="loss_weighting must be 'uniform' or 'balanced'"):
        SpectrumQuantifierCNN(loss_weighting="equal").fit(small_basis)

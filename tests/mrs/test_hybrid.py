"""The fit's convergence report, its noise estimate and amplitude prior, and the hybrid (SYNTHETIC spectra)."""

from __future__ import annotations

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl.mrs import (
    SpectrumPrior,
    SpectrumQuantifierCNN,
    fit_spectra_from_cnn,
    fit_spectrum,
    noise_sd,
    simulate_spectra,
)


def test_fit_reports_convergence_and_respects_the_cap(small_basis):
    data, _, _ = simulate_spectra(small_basis, 1, rng=11)
    res = fit_spectrum(data, small_basis)
    assert res.converged and 1 <= res.n_evaluations < 60
    capped = fit_spectrum(data, small_basis, max_evaluations=2)
    assert not capped.converged and capped.n_evaluations <= 3  # scipy may count one more
    with pytest.raises(ValueError, match="max_evaluations must be positive"):
        fit_spectrum(data, small_basis, max_evaluations=0)


def test_noise_sd_recovers_the_simulated_noise(small_basis):
    data, _, params = simulate_spectra(small_basis, 6, rng=3)
    quiet = SpectrumPrior(snr=(1e12, 1e12))
    clean, _, _ = simulate_spectra(small_basis, 6, prior=quiet, rng=3)
    height = np.abs(clean.spectrum()).max(1)
    # complex noise of sd height / snr: each of its real and imaginary parts has sd / sqrt(2)
    expected = height / params["snr"] / np.sqrt(2)
    measured = [noise_sd(data, i) for i in range(6)]
    np.testing.assert_allclose(measured, expected, rtol=0.15)


def test_prior_width_moves_the_fit_between_its_own_answer_and_the_prior(small_basis):
    data, truth, _ = simulate_spectra(small_basis, 1, rng=5)
    plain = fit_spectrum(data, small_basis).amplitudes
    target = truth[0] * 1.3
    loose = fit_spectrum(data, small_basis, prior_mean=target, prior_sd=target * 1e4).amplitudes
    tight = fit_spectrum(data, small_basis, prior_mean=target, prior_sd=target * 1e-5).amplitudes
    np.testing.assert_allclose(loose, plain, rtol=1e-3)
    np.testing.assert_allclose(tight, target, rtol=1e-3)
    with pytest.raises(InputError, match="give both prior_mean and prior_sd"):
        fit_spectrum(data, small_basis, prior_mean=target)
    with pytest.raises(InputError, match="must hold 9 finite values"):
        fit_spectrum(data, small_basis, prior_mean=target[:3], prior_sd=target[:3])
    with pytest.raises(InputError, match="prior_sd must be positive"):
        fit_spectrum(data, small_basis, prior_mean=target, prior_sd=0 * target)


def test_a_good_prior_lowers_the_error_of_poorly_determined_components(small_basis):
    # the MAP fit with a prior of 15 % relative width centred on the truth x exp(0.15 z)
    data, truth, _ = simulate_spectra(small_basis, 8, rng=21)
    rng = np.random.default_rng(0)
    plain, with_prior = [], []
    for i in range(8):
        centre = truth[i] * np.exp(0.15 * rng.standard_normal(truth.shape[1]))
        plain.append(fit_spectrum(data, small_basis, index=i).amplitudes)
        with_prior.append(
            fit_spectrum(data, small_basis, index=i, prior_mean=centre, prior_sd=0.15 * centre).amplitudes
        )
    err_plain = np.abs(np.array(plain) / truth - 1).mean(0)
    err_prior = np.abs(np.array(with_prior) / truth - 1).mean(0)
    lac = small_basis.names.index("Lac")  # a small doublet under the lipids: the fit alone is poor
    assert err_prior[lac] < 0.6 * err_plain[lac]
    assert err_prior.mean() < err_plain.mean()


def test_hybrid_needs_a_calibrated_qcnn_of_the_same_basis(small_basis):
    qcnn = SpectrumQuantifierCNN(max_steps=3, batch_size=8, n_calibration=16, rng=0).fit(small_basis)
    rmse = qcnn.calibration_log_rmse_
    assert rmse.shape == (9,) and (rmse > 0).all()
    data, _, _ = simulate_spectra(small_basis, 2, rng=1)
    fits = fit_spectra_from_cnn(data, small_basis, qcnn)
    assert len(fits) == 2 and all(f.names == small_basis.names for f in fits)
    with pytest.raises(InputError, match="the basis holds Cho, Cr"):
        fit_spectra_from_cnn(data, small_basis.subset(["Cho", "Cr"]), qcnn)
    uncalibrated = SpectrumQuantifierCNN(max_steps=2, batch_size=8, n_calibration=0, rng=0).fit(small_basis)
    assert uncalibrated.calibration_log_rmse_ is None
    with pytest.raises(InputError, match="no calibrated error"):
        fit_spectra_from_cnn(data, small_basis, uncalibrated)

"""Spectrum simulator (SYNTHETIC data) and the linear-combination fit."""

from __future__ import annotations

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl.mrs import MRSData, SpectrumPrior, SpectrumStream, fit_spectrum, simulate_spectra


def test_simulate_seeded_and_shapes(small_basis):
    a, amp_a, p_a = simulate_spectra(small_basis, 5, rng=3)
    b, amp_b, _ = simulate_spectra(small_basis, 5, rng=3)
    c, _, _ = simulate_spectra(small_basis, 5, rng=4)
    np.testing.assert_array_equal(a.fid, b.fid)
    np.testing.assert_array_equal(amp_a, amp_b)
    assert not np.allclose(a.fid, c.fid)
    assert a.fid.shape == (5, 512)
    assert amp_a.shape == (5, 9)
    assert a.meta["synthetic"] is True
    assert ((p_a["lorentz_hz"] >= 8) & (p_a["lorentz_hz"] <= 20)).all()
    # amplitudes are truncated log-normal around the medians
    assert (amp_a > 0).all()


def test_snr_matches_target(small_basis):
    prior = SpectrumPrior(snr=(50, 50), water_rel=(0, 0), baseline_rel=(0, 0))
    amp = prior.sample_amplitudes(small_basis.names, 4, np.random.default_rng(1))
    data, _, _ = simulate_spectra(small_basis, 4, prior=prior, amplitudes=amp, rng=0)
    quiet = SpectrumPrior(snr=(1e12, 1e12), water_rel=(0, 0), baseline_rel=(0, 0))
    clean, _, _ = simulate_spectra(small_basis, 4, prior=quiet, amplitudes=amp, rng=0)
    noise = data.spectrum() - clean.spectrum()
    ratio = np.abs(clean.spectrum()).max(1) / noise.std(1)
    np.testing.assert_allclose(ratio, 50, rtol=0.15)


def test_stream_and_torch_dataset(small_basis):
    stream = SpectrumStream(small_basis, batch_size=8, rng=0)
    first = next(iter(stream))
    again = next(iter(SpectrumStream(small_basis, batch_size=8, rng=0)))
    np.testing.assert_array_equal(first[0].fid, again[0].fid)
    x, y = next(iter(stream.torch_dataset()))
    assert tuple(x.shape)[:2] == (8, 2)
    assert tuple(y.shape) == (8, 9)


def test_fit_recovers_clean_amplitudes(small_basis):
    prior = SpectrumPrior(snr=(1e6, 1e6), water_rel=(0, 0), baseline_rel=(0, 0))
    data, amp, _ = simulate_spectra(small_basis, 2, prior=prior, rng=5)
    for i in range(2):
        res = fit_spectrum(data, small_basis, index=i)
        np.testing.assert_allclose(res.amplitudes, amp[i], rtol=0.03)
        assert (res.crlb >= 0).all()
        assert np.isfinite(res.crlb).all()


def test_fit_noisy_with_crlb(small_basis):
    data, amp, _ = simulate_spectra(small_basis, 1, rng=11)
    res = fit_spectrum(data, small_basis)
    assert res.names == small_basis.names
    # the dominant methylene peak is well determined, and its CRLB is small
    k = small_basis.names.index("Lip13")
    assert res.amplitudes[k] == pytest.approx(amp[0, k], rel=0.2)
    assert res.crlb_percent[k] < 10
    assert res.fit.shape == res.data.shape == res.ppm.shape
    assert np.linalg.norm(res.data - res.fit) < 0.3 * np.linalg.norm(res.data)


def test_fit_bad_inputs(small_basis):
    data, _, _ = simulate_spectra(small_basis, 1, rng=0)
    with pytest.raises(InputError, match="the basis has no Gln"):
        fit_spectrum(data, small_basis, metabolites=["Cr", "Gln"])
    with pytest.raises(InputError, match="256 points, the basis 512"):
        fit_spectrum(MRSData(data.fid[:, :256], data.dwell_s, data.field_mhz), small_basis)
    with pytest.raises(InputError, match="dwell time"):
        fit_spectrum(MRSData(data.fid, 1e-3, data.field_mhz), small_basis)
    with pytest.raises(InputError, match="field strength mismatch"):
        fit_spectrum(MRSData(data.fid, data.dwell_s, 297.2), small_basis)


def test_prior_from_pilot_amplitudes():
    rng = np.random.default_rng(0)
    amp = np.exp(rng.normal([0.0, 2.0], [0.2, 0.5], size=(400, 2)))
    prior = SpectrumPrior.from_amplitudes(amp, ["a", "b"])
    assert prior.medians["a"] == pytest.approx(1.0, rel=0.05)
    assert prior.medians["b"] == pytest.approx(np.exp(2.0), rel=0.1)
    assert prior.sd("b") == pytest.approx(0.5, rel=0.1)
    with pytest.raises(InputError, match="need"):
        SpectrumPrior.from_amplitudes(amp[:1], ["a", "b"])

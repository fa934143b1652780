"""Basis sets, spectra containers and their input checks."""

from __future__ import annotations

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl.mrs import (
    MRSData,
    make_liver_basis,
    read_lcmodel_basis,
    read_vespa_spin_systems,
    simulate_spectra,
)
from omicsdl.mrs._data import fid_to_spectrum, spectrum_to_fid


def test_small_basis_peaks(small_basis):
    assert small_basis.names == ["Cho", "Cr", "Lac", "Glu", "Lip09", "Lip13", "Lip21", "Lip42", "Lip53"]
    assert small_basis.fids.shape == (9, 512)
    spec = small_basis.spectra()
    ppm = small_basis.ppm
    window = (ppm > 0.5) & (ppm < 5.5)
    broad = fid_to_spectrum(small_basis.fids * np.exp(-np.pi * 5 * np.arange(512) * 5e-4))
    peak = {n: ppm[window][np.argmax(broad[k, window].real)] for k, n in enumerate(small_basis.names)}
    assert peak["Cr"] == pytest.approx(3.027, abs=0.01)
    assert peak["Lip13"] == pytest.approx(1.30, abs=0.01)
    assert peak["Cho"] == pytest.approx(3.185, abs=0.01)
    assert np.isfinite(spec).all()
    # Lip13 area: Hamilton's 1.30 + 1.60 fractions times exp(-TE/T2)
    assert small_basis.lines["Lip13"].area.sum() == pytest.approx((0.642 + 0.058) * np.exp(-30 / 60))


def test_basis_subset_missing_metabolite(small_basis):
    with pytest.raises(InputError, match="the basis has no GABA"):
        small_basis.subset(["Cr", "GABA"])
    with pytest.raises(InputError, match="no spin-system recipe"):
        make_liver_basis(metabolites=["NAA"])


def test_fft_roundtrip():
    rng = np.random.default_rng(0)
    fid = rng.standard_normal((2, 64)) + 1j * rng.standard_normal((2, 64))
    np.testing.assert_allclose(spectrum_to_fid(fid_to_spectrum(fid)), fid, atol=1e-12)


def test_checks_length_dwell_field(small_basis):
    data, _, _ = simulate_spectra(small_basis, 2, rng=0)
    small_basis.check_compatible(data)
    with pytest.raises(InputError, match="256 points, the basis 512"):
        small_basis.check_compatible(MRSData(data.fid[:, :256], data.dwell_s, data.field_mhz))
    with pytest.raises(InputError, match="dwell time"):
        small_basis.check_compatible(MRSData(data.fid, 2.5e-4, data.field_mhz))
    with pytest.raises(InputError, match="field strength mismatch"):
        small_basis.check_compatible(MRSData(data.fid, data.dwell_s, 63.9))


def test_nan_points_refused():
    fid = np.ones((2, 16), complex)
    fid[1, 3] = np.nan
    with pytest.raises(InputError, match=r"NaN/inf points \(first: spectrum 1, point 3\)"):
        MRSData(fid, 5e-4, 123.2)
    with pytest.raises(InputError, match="NaN"):
        MRSData.from_spectrum(fid, dwell_s=5e-4, field_mhz=123.2)


def test_time_domain_passed_as_spectrum(small_basis):
    data, _, _ = simulate_spectra(small_basis, 3, rng=1)
    with pytest.raises(InputError, match="look like a time-domain FID"):
        MRSData.from_spectrum(data.fid, dwell_s=data.dwell_s, field_mhz=data.field_mhz)
    back = MRSData.from_spectrum(data.spectrum(), dwell_s=data.dwell_s, field_mhz=data.field_mhz)
    np.testing.assert_allclose(back.fid, data.fid, atol=1e-9)


def test_vespa_reader_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"x": {"spins": [["1H", 1.0], ["1H", 2.0]], "j_couplings_upper_triangle_rowwise": [1, 2]}}'
    )
    with pytest.raises(InputError, match="2 J couplings for 2 spins"):
        read_vespa_spin_systems(bad)


def test_lcmodel_basis_reader_small(tmp_path):
    n = 256
    t = np.arange(n) * 1e-3
    fid = np.exp(2j * np.pi * (3.0 - 4.68) * 123.2 * t - t / 0.05)
    spec = np.fft.fft(np.conj(fid))
    body = "\n".join(f" {v.real:14.6e} {v.imag:14.6e}" for v in spec)
    text = (
        " $SEQPAR\n HZPPPM = 123.2,\n ECHOT = 30.0,\n SEQ = 'PRESS'\n $END\n"
        f" $BASIS1\n IDBASI = 'toy',\n BADELT = 0.001,\n NDATAB = {n}\n $END\n"
        f" $BASIS\n ID = 'X',\n METABO = 'X',\n CONC = 1.\n $END\n{body}\n"
    )
    path = tmp_path / "toy.BASIS"
    path.write_text(text)
    basis = read_lcmodel_basis(path)
    assert basis.names == ["X"]
    assert basis.dwell_s == pytest.approx(1e-3)
    assert basis.field_mhz == pytest.approx(123.2)
    assert basis.te_ms == 30.0
    np.testing.assert_allclose(basis.fids[0], fid, atol=1e-5)
    (tmp_path / "short.BASIS").write_text(text.replace(f"NDATAB = {n}", f"NDATAB = {2 * n}"))
    with pytest.raises(InputError, match="NDATAB says 512"):
        read_lcmodel_basis(tmp_path / "short.BASIS")


def test_osprey_basis(shared_data):
    basis = read_lcmodel_basis(shared_data / "mrs" / "Osprey_3T_PRESS_Siemens_35ms_noMM.BASIS.gz")
    assert len(basis.names) == 17
    assert basis.fids.shape == (17, 8192)
    assert basis.te_ms == 35.0
    k = basis.names.index("Cr")
    t = np.arange(basis.n_points) * basis.dwell_s
    spec = fid_to_spectrum(basis.fids[k] * np.exp(-np.pi * 3 * t))
    window = (basis.ppm > 2.5) & (basis.ppm < 3.5)
    assert basis.ppm[window][np.argmax(spec[window].real)] == pytest.approx(3.027, abs=0.01)
    with pytest.raises(InputError, match="the basis has no Glc"):
        basis.subset(["Glc"])


def test_components_left_out_are_explained_by_their_measured_overlap(spin_file):
    from omicsdl.mrs import EXTRA_METABOLITES, LIVER_METABOLITES, NOT_MODELLED, component_overlap

    assert set(EXTRA_METABOLITES) <= set(NOT_MODELLED) and not set(NOT_MODELLED) & set(LIVER_METABOLITES)
    names = [*LIVER_METABOLITES, *EXTRA_METABOLITES]
    basis = make_liver_basis(spin_systems=spin_file, metabolites=names)
    default = [n for n in basis.names if n not in EXTRA_METABOLITES]
    table = component_overlap(basis, [*EXTRA_METABOLITES, "PCh"], against=default).set_index("component")
    # the numbers NOT_MODELLED quotes (14 Hz Lorentzian + 12 Hz Gaussian broadening)
    assert table.loc["PCr", "closest"] == "Cr" and table.loc["PCr", "cosine"] == pytest.approx(
        0.996, abs=1e-3
    )
    assert table.loc["PCr", "variance_inflation"] == pytest.approx(220, rel=0.05)
    assert table.loc["Gly", "closest"] == "mI" and table.loc["Gly", "cosine"] == pytest.approx(0.91, abs=5e-3)
    assert table.loc["Gly", "variance_inflation"] == pytest.approx(18, rel=0.05)
    assert table.loc["PE", "closest"] == "GPC" and table.loc["PE", "cosine"] == pytest.approx(0.77, abs=5e-3)
    assert table.loc["PE", "variance_inflation"] == pytest.approx(8, rel=0.05)
    assert table.loc["PCh", "variance_inflation"] == pytest.approx(78, rel=0.05)
    for name, number in (("PCr", "0.996"), ("Gly", "0.91"), ("PE", "0.77")):
        assert number in NOT_MODELLED[name]

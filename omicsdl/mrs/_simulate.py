"""Vectorised simulation of in vivo-like liver spectra from a basis set (SIMULATED data).

Each spectrum is ``exp(i phi0) * [sum_m a_m basis_m(t)] * lineshape(t) * exp(2 pi i df t)``
plus a residual water line, a smooth complex baseline and complex Gaussian noise at a target
SNR. All parameter distributions live in :class:`SpectrumPrior`; its defaults are
SIMULATION assumptions for a 3 T liver PRESS acquisition, not measured biology.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator
from omicsdl.mrs._data import MRSData, fid_to_spectrum

if TYPE_CHECKING:
    from collections.abc import Iterator

    from omicsdl.mrs._basis import Basis

__all__ = ["DEFAULT_MEDIANS", "SpectrumPrior", "SpectrumStream", "simulate_spectra"]

# SIMULATION assumption: median amplitudes (arbitrary units; metabolite basis areas count
# protons per molecule, lipid basis areas are fractions of the triglyceride signal)
DEFAULT_MEDIANS: dict[str, float] = {
    "Cho": 0.6,
    "GPC": 0.8,
    "PCh": 0.6,
    "Cr": 2.0,
    "Glc": 6.0,
    "Lac": 1.0,
    "Ala": 1.0,
    "Gln": 2.5,
    "Glu": 3.0,
    "Tau": 2.0,
    "mI": 1.5,
    "GSH": 2.0,
    "Lip09": 150.0,
    "Lip13": 150.0,
    "Lip21": 150.0,
    "Lip42": 150.0,
    "Lip53": 150.0,
}


@dataclass
class SpectrumPrior:
    """Parameter distributions of simulated spectra.

    Amplitudes are log-normal: ``a_m = median_m * exp(sigma_m * z)``, truncated at +-2.5 sd.
    Nuisance parameters are uniform on the given ranges. Every default is a SIMULATION
    assumption (typical of 3 T liver PRESS at TE 30 ms), not a measurement.

    Parameters
    ----------
    medians
        Component → median amplitude (default :data:`DEFAULT_MEDIANS`).
    log_sd
        Component → spread of its log amplitude (others: ``default_log_sd``).
    default_log_sd
        Spread of the log amplitudes not in ``log_sd``.
    shift_hz, lorentz_hz, gauss_hz, phase_deg
        Ranges of the frequency shift, the Lorentzian and Gaussian line broadening and the
        zero-order phase.
    water_rel, water_lw_hz
        Ranges of the residual water height (relative to the largest metabolite or fat peak)
        and of its linewidth.
    baseline_rel
        Range of the baseline height relative to the largest peak.
    snr
        Range of the signal-to-noise ratio (largest peak height / noise sd, frequency domain).
    """

    medians: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MEDIANS))
    log_sd: dict[str, float] = field(default_factory=dict)
    default_log_sd: float = 0.35
    shift_hz: tuple[float, float] = (-5.0, 5.0)
    lorentz_hz: tuple[float, float] = (8.0, 20.0)
    gauss_hz: tuple[float, float] = (5.0, 20.0)
    phase_deg: tuple[float, float] = (-20.0, 20.0)
    water_rel: tuple[float, float] = (0.0, 0.5)  # residual water height / largest metabolite+fat peak
    water_lw_hz: tuple[float, float] = (15.0, 35.0)
    baseline_rel: tuple[float, float] = (0.0, 0.05)
    snr: tuple[float, float] = (30.0, 100.0)  # largest peak height / noise sd (frequency domain)

    @classmethod
    def from_amplitudes(
        cls, amplitudes: np.ndarray, names: list[str], *, min_log_sd: float = 0.1
    ) -> SpectrumPrior:
        """Estimate amplitude distributions from quantified pilot spectra of one class.

        Medians are the geometric medians, spreads the standard deviations of the log
        amplitudes (at least ``min_log_sd``); nuisance ranges keep their defaults.

        Parameters
        ----------
        amplitudes
            Quantified amplitudes, ``(n_spectra >= 2, len(names))``.
        names
            Component names of the columns.
        min_log_sd
            Smallest spread of a log amplitude.
        """
        amplitudes = np.asarray(amplitudes, float)
        if amplitudes.ndim != 2 or amplitudes.shape[1] != len(names) or amplitudes.shape[0] < 2:
            msg = f"need (n >= 2, {len(names)}) amplitudes, got shape {amplitudes.shape}"
            raise InputError(msg)
        logs = np.log(np.maximum(amplitudes, 1e-6))
        return cls(
            medians=dict(zip(names, np.exp(np.median(logs, 0)).tolist(), strict=True)),
            log_sd=dict(zip(names, np.maximum(logs.std(0), min_log_sd).tolist(), strict=True)),
        )

    def sd(self, name: str) -> float:
        """Log-scale spread of one amplitude."""
        return float(self.log_sd.get(name, self.default_log_sd))

    def scaled(self, factors: dict[str, float]) -> SpectrumPrior:
        """Return a copy with some medians multiplied (e.g. a patient group)."""
        med = dict(self.medians)
        for k, f in factors.items():
            med[k] = med[k] * f
        return replace(self, medians=med, log_sd=dict(self.log_sd))

    def sample_amplitudes(self, names: list[str], n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``(n, len(names))`` amplitudes.

        Parameters
        ----------
        names
            Components to draw, in column order.
        n
            Number of spectra.
        rng
            The generator to draw from.
        """
        missing = [k for k in names if k not in self.medians]
        if missing:
            msg = f"the prior has no median for {', '.join(missing)}"
            raise InputError(msg, item=missing[0])
        med = np.array([self.medians[k] for k in names])
        sd = np.array([self.sd(k) for k in names])
        z = np.clip(rng.standard_normal((n, len(names))), -2.5, 2.5)
        return med * np.exp(sd * z)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> np.ndarray:
    return rng.uniform(bounds[0], bounds[1], n)


def _baseline(ppm: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth random complex baselines: sums of broad Gaussians across 0-6 ppm."""
    k = 4
    centre = rng.uniform(-0.5, 6.5, (n, k, 1))
    width = rng.uniform(0.8, 3.0, (n, k, 1))
    coef = rng.standard_normal((n, k, 1)) + 1j * rng.standard_normal((n, k, 1))
    bl = (coef * np.exp(-0.5 * ((ppm[None, None, :] - centre) / width) ** 2)).sum(1)
    return bl / np.maximum(np.abs(bl).max(1, keepdims=True), 1e-12)


def simulate_spectra(
    basis: Basis,
    n: int,
    *,
    prior: SpectrumPrior | None = None,
    amplitudes: np.ndarray | None = None,
    rng: RNGLike = None,
) -> tuple[MRSData, np.ndarray, dict[str, np.ndarray]]:
    """Simulate ``n`` noisy spectra (SIMULATED data).

    Parameters
    ----------
    basis
        Basis set; its components are the quantified amplitudes.
    n
        Number of spectra.
    prior
        Parameter distributions (default :class:`SpectrumPrior`).
    amplitudes
        Fixed ``(n, n_components)`` amplitudes instead of draws from the prior.
    rng
        Seed or generator.

    Returns
    -------
    data
        The spectra as FIDs.
    amplitudes
        True amplitudes, ``(n, n_components)``.
    params
        The nuisance parameters drawn (``shift_hz``, ``lorentz_hz``, ``gauss_hz``,
        ``phase_rad``, ``water``, ``snr``).
    """
    gen = as_generator(rng)
    prior = prior or SpectrumPrior()
    if amplitudes is None:
        amplitudes = prior.sample_amplitudes(basis.names, n, gen)
    amplitudes = np.asarray(amplitudes, float)
    if amplitudes.shape != (n, len(basis.names)):
        msg = f"amplitudes have shape {amplitudes.shape}, expected {(n, len(basis.names))}"
        raise InputError(msg)
    t = np.arange(basis.n_points) * basis.dwell_s
    p = {
        "shift_hz": _uniform(gen, prior.shift_hz, n),
        "lorentz_hz": _uniform(gen, prior.lorentz_hz, n),
        "gauss_hz": _uniform(gen, prior.gauss_hz, n),
        "phase_rad": np.deg2rad(_uniform(gen, prior.phase_deg, n)),
        "water": _uniform(gen, prior.water_rel, n),
        "snr": _uniform(gen, prior.snr, n),
    }
    fid = amplitudes @ basis.fids
    fid *= lineshape(t, p["lorentz_hz"], p["gauss_hz"], p["shift_hz"], p["phase_rad"])
    spec = fid_to_spectrum(fid)
    height = np.abs(spec).max(1)
    water_lw = _uniform(gen, prior.water_lw_hz, n)
    water_f = (4.7 - basis.ref_ppm) * basis.field_mhz + p["shift_hz"] + gen.uniform(-3, 3, n)
    water = np.exp(
        2j * np.pi * water_f[:, None] * t + 1j * p["phase_rad"][:, None] - np.pi * water_lw[:, None] * t
    )
    wspec = fid_to_spectrum(water)
    spec += wspec * (p["water"] * height / np.abs(wspec).max(1))[:, None]
    spec += _baseline(basis.ppm, n, gen) * (_uniform(gen, prior.baseline_rel, n) * height)[:, None]
    sigma = height / p["snr"]
    spec += (
        (gen.standard_normal(spec.shape) + 1j * gen.standard_normal(spec.shape)) * sigma[:, None] / np.sqrt(2)
    )
    data = MRSData.from_spectrum(
        spec,
        dwell_s=basis.dwell_s,
        field_mhz=basis.field_mhz,
        check_domain=False,
        te_ms=basis.te_ms,
        ref_ppm=basis.ref_ppm,
        source="simulated",
        meta={"synthetic": True},
    )
    return data, amplitudes, p


def lineshape(
    t: np.ndarray, lorentz_hz: np.ndarray, gauss_hz: np.ndarray, shift_hz: np.ndarray, phase_rad: np.ndarray
) -> np.ndarray:
    """Voigt decay, frequency shift and zero-order phase as a time-domain factor ``(n, n_points)``."""
    lor = np.atleast_1d(lorentz_hz)[:, None]
    gau = np.atleast_1d(gauss_hz)[:, None]
    return np.exp(
        -np.pi * lor * t
        - (np.pi * gau * t) ** 2 / (4 * np.log(2))
        + 2j * np.pi * np.atleast_1d(shift_hz)[:, None] * t
        + 1j * np.atleast_1d(phase_rad)[:, None]
    )


class SpectrumStream:
    """An endless stream of simulated batches ``(data, amplitudes)`` for training.

    Iterating yields :func:`simulate_spectra` batches from one seeded generator, so
    nothing but the current batch is held in memory. :meth:`torch_dataset` wraps it as a
    ``torch.utils.data.IterableDataset`` of window tensors.

    Parameters
    ----------
    basis
        Basis set.
    prior
        Parameter distributions.
    batch_size
        Spectra per batch.
    rng
        Seed or generator.
    """

    def __init__(
        self, basis: Basis, *, prior: SpectrumPrior | None = None, batch_size: int = 128, rng: RNGLike = None
    ) -> None:
        self.basis = basis
        self.prior = prior or SpectrumPrior()
        self.batch_size = batch_size
        self.rng = rng

    def __iter__(self) -> Iterator[tuple[MRSData, np.ndarray]]:
        gen = as_generator(self.rng)
        while True:
            data, amp, _ = simulate_spectra(self.basis, self.batch_size, prior=self.prior, rng=gen)
            yield data, amp

    def torch_dataset(self, window: tuple[float, float] = (0.2, 5.5)):
        """Wrap the stream as a torch ``IterableDataset`` yielding ``(x, amplitudes)`` float32 batches."""
        from torch.utils.data import IterableDataset

        from omicsdl.mrs._window import window_input

        stream = self

        class _Dataset(IterableDataset):
            def __iter__(self):
                import torch

                for data, amp in stream:
                    yield (
                        torch.from_numpy(window_input(data, window)),
                        torch.from_numpy(amp.astype(np.float32)),
                    )

        return _Dataset()

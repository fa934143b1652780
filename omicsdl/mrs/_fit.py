"""Linear-combination fitting (the "NLLS" baseline of Bae et al. 2025, LCModel-like).

Variable projection: for given nonlinear parameters (shift, Lorentzian and Gaussian width,
zero-order phase) the amplitudes (non-negative) and a cubic B-spline baseline are solved
exactly with ``scipy.optimize.nnls``; the nonlinear parameters are fitted outside with
``scipy.optimize.least_squares``. Cramér-Rao lower bounds come from the Jacobian of the
full model at the solution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.interpolate import BSpline
from scipy.optimize import least_squares, nnls

from omicsdl._core._errors import InputError
from omicsdl.mrs._data import MRSData, fid_to_spectrum
from omicsdl.mrs._simulate import lineshape
from omicsdl.mrs._window import window_mask

if TYPE_CHECKING:
    from omicsdl.mrs._basis import Basis

__all__ = ["FitResult", "fit_each", "fit_spectra", "fit_spectrum"]

_WATER_EXTRA_LW_HZ = (2.0, 12.0, 25.0)
_WATER_OFFSETS_HZ = (-3.0, 0.0, 3.0)


@dataclass
class FitResult:
    """Result of one linear-combination fit.

    Parameters
    ----------
    names
        Component names.
    amplitudes
        Fitted amplitudes (non-negative).
    crlb
        Cramér-Rao lower bounds (standard deviations) of the amplitudes.
    shift_hz, lorentz_hz, gauss_hz, phase_rad
        Fitted nonlinear parameters.
    ppm, data, fit, baseline, components
        Real parts in the fitting window for plotting (phase-corrected).
    """

    names: list[str]
    amplitudes: np.ndarray
    crlb: np.ndarray
    shift_hz: float
    lorentz_hz: float
    gauss_hz: float
    phase_rad: float
    ppm: np.ndarray
    data: np.ndarray
    fit: np.ndarray
    baseline: np.ndarray
    components: np.ndarray

    @property
    def crlb_percent(self) -> np.ndarray:
        """CRLB relative to the amplitude (%)."""
        return 100 * self.crlb / np.maximum(self.amplitudes, 1e-12)


def _spline_design(ppm: np.ndarray, spacing_ppm: float) -> np.ndarray:
    lo, hi = ppm.min(), ppm.max()
    n_inner = max(int(np.ceil((hi - lo) / spacing_ppm)), 1)
    inner = np.linspace(lo, hi, n_inner + 1)
    knots = np.concatenate([[lo] * 3, inner, [hi] * 3])
    return BSpline.design_matrix(np.clip(ppm, lo, hi), knots, 3).toarray()


class _Model:
    def __init__(self, basis: Basis, window: tuple[float, float], spline_ppm: float, *, water: bool) -> None:
        self.basis = basis
        self.t = np.arange(basis.n_points) * basis.dwell_s
        self.mask = window_mask(basis.ppm, window)
        self.ppm = basis.ppm[self.mask]
        self.spline = (
            _spline_design(self.ppm, spline_ppm) if spline_ppm > 0 else np.zeros((self.mask.sum(), 0))
        )
        # nuisance residual-water singlets at 4.7 ppm (non-negative, several widths/offsets)
        f0 = (4.7 - basis.ref_ppm) * basis.field_mhz
        self.water = (
            np.array(
                [
                    np.exp(2j * np.pi * (f0 + df) * self.t - np.pi * w * self.t)
                    for w in _WATER_EXTRA_LW_HZ
                    for df in _WATER_OFFSETS_HZ
                ]
            )
            * (basis.n_points * basis.dwell_s) ** -1
        )
        self.fids = np.concatenate([basis.fids, self.water]) if water else basis.fids

    def components(self, theta: np.ndarray) -> np.ndarray:
        shift, lor, gau, phase = theta
        fids = self.fids * lineshape(
            self.t, np.array([lor]), np.array([gau]), np.array([shift]), np.array([phase])
        )
        return fid_to_spectrum(fids)[:, self.mask]

    def design(self, theta: np.ndarray) -> np.ndarray:
        comp = self.components(theta)  # (M, W) complex
        sp = self.spline.T  # (K, W) real
        # real-valued design on [Re; Im]: amplitudes, baseline Re (+/-), baseline Im (+/-)
        cols = [np.concatenate([comp.real, comp.imag], 1)]
        zeros = np.zeros_like(sp)
        re = np.concatenate([sp, zeros], 1)
        im = np.concatenate([zeros, sp], 1)
        cols += [re, -re, im, -im]
        return np.concatenate(cols, 0).T  # (2W, M + 4K)

    def solve(self, theta: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = self.design(theta)
        scale = np.maximum(np.linalg.norm(a, axis=0), 1e-12)
        coef, _ = nnls(a / scale, y, maxiter=50 * a.shape[1])
        coef = coef / scale
        return coef, y - a @ coef


def fit_spectrum(
    data: MRSData,
    basis: Basis,
    *,
    metabolites: list[str] | None = None,
    index: int = 0,
    window: tuple[float, float] = (0.2, 5.5),
    spline_ppm: float = 0.6,
    water: bool = True,
    init: tuple[float, float, float, float] | None = None,
) -> FitResult:
    """Fit one spectrum as a linear combination of basis spectra.

    Parameters
    ----------
    data
        Spectra (FIDs); spectrum ``index`` is fitted.
    basis
        Basis set matching the data's points, dwell time and field.
    metabolites
        Components to fit (default: all of the basis).
    index
        Which spectrum of ``data``.
    window
        ppm range of the fit.
    spline_ppm
        Knot spacing of the cubic B-spline baseline (0: no baseline).
    water
        Add non-negative residual-water singlets at 4.7 ppm as nuisance components.
    init
        Starting shift (Hz), Lorentzian width (Hz), Gaussian width (Hz), phase (rad); by
        default the shift and phase are read off the tallest peak near the 1.3 ppm
        methylene (liver spectra are dominated by it) when the basis has ``Lip13``.

    Returns
    -------
    The fit, with CRLBs.
    """
    if metabolites is not None:
        basis = basis.subset(metabolites)
    basis.check_compatible(data)
    model = _Model(basis, window, spline_ppm, water=water)
    spec = data.spectrum()[index, model.mask]
    scale = max(float(np.abs(spec).max()), 1e-30)
    y = np.concatenate([spec.real, spec.imag]) / scale

    if init is None:
        init = _initial_guess(spec, model.ppm, basis)

    def residual(theta: np.ndarray) -> np.ndarray:
        return model.solve(theta, y)[1]

    lower = [-30.0, 0.0, 0.0, -np.pi]
    upper = [30.0, 60.0, 60.0, np.pi]
    res = least_squares(
        residual, np.array(init, float), bounds=(lower, upper), x_scale=[1, 5, 5, 0.3], max_nfev=60
    )
    theta = res.x
    coef, resid = model.solve(theta, y)
    m = model.fids.shape[0]
    n_met = len(basis.names)
    amp = coef[:n_met]
    # CRLB: Jacobian of the model in all free parameters (amplitudes, baseline, nonlinear)
    a = model.design(theta)
    k = model.spline.shape[1]
    base_cols = np.concatenate([a[:, m : m + k], a[:, m + 2 * k : m + 3 * k]], 1)
    jac_nl = np.empty((y.size, 4))
    for j in range(4):
        step = np.zeros(4)
        step[j] = 1e-4 * max(1.0, abs(theta[j]))
        jac_nl[:, j] = (model.design(theta + step) @ coef - model.design(theta - step) @ coef) / (2 * step[j])
    jac = np.concatenate([a[:, :m], base_cols, jac_nl], 1)
    dof = max(y.size - jac.shape[1], 1)
    sigma2 = float(resid @ resid) / dof
    cov = np.linalg.pinv(jac.T @ jac) * sigma2
    crlb = np.sqrt(np.clip(np.diag(cov)[:n_met], 0, None))
    rot = np.exp(-1j * theta[3])
    comp = model.components(theta) * rot
    baseline_c = (model.spline @ (coef[m : m + k] - coef[m + k : m + 2 * k])) + 1j * (
        model.spline @ (coef[m + 2 * k : m + 3 * k] - coef[m + 3 * k :])
    )
    baseline_c = baseline_c + (coef[n_met:m, None] * comp[n_met:] / rot).sum(0)
    comps = (amp[:, None] * comp[:n_met]).real
    return FitResult(
        names=list(basis.names),
        amplitudes=amp * scale,
        crlb=crlb * scale,
        shift_hz=float(theta[0]),
        lorentz_hz=float(theta[1]),
        gauss_hz=float(theta[2]),
        phase_rad=float(theta[3]),
        ppm=model.ppm,
        data=(spec * rot).real,
        fit=(comps.sum(0) + (baseline_c * rot).real) * scale,
        baseline=(baseline_c * rot).real * scale,
        components=comps * scale,
    )


def _initial_guess(spec: np.ndarray, ppm: np.ndarray, basis: Basis) -> tuple[float, float, float, float]:
    if "Lip13" not in basis.names:
        return (0.0, 10.0, 10.0, 0.0)
    near = np.flatnonzero((ppm > 1.0) & (ppm < 1.6))
    k = near[np.argmax(np.abs(spec[near]))]
    shift = float(np.clip((ppm[k] - 1.30) * basis.field_mhz, -25, 25))
    return (shift, 10.0, 10.0, float(np.angle(spec[k])))


def fit_spectra(data: MRSData, basis: Basis, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """Fit every spectrum of ``data``; return ``(amplitudes, crlb)``, each ``(n, n_components)``.

    Keyword arguments go to :func:`fit_spectrum`.
    """
    results = fit_each(data, basis, **kwargs)
    return np.array([r.amplitudes for r in results]), np.array([r.crlb for r in results])


def fit_each(data: MRSData, basis: Basis, **kwargs) -> list[FitResult]:
    """:func:`fit_spectrum` for every spectrum of ``data``, with a progress bar."""
    from omicsdl._core._logging import progress

    if data.n_spectra == 0:
        msg = "no spectra to fit"
        raise InputError(msg, source=data.source)
    return [
        fit_spectrum(data, basis, index=i, **kwargs)
        for i in progress(range(data.n_spectra), desc="fitting spectra", total=data.n_spectra)
    ]

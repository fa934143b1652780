"""Line lists in the form VeSPA-Simulation reports them, for comparison with its tables.

A simulated spectrum needs the complex sum of all transitions (:func:`simulate_lines`).
VeSPA instead lists *blended* lines: its transition table (GAMMA ``acquire1D``) keeps every
eigen-transition whose squared intensity exceeds a detection cutoff, and its binning code
then walks the transitions in ascending ppm and folds each into an existing line when both
position and phase are close, adding *magnitudes* and averaging position and phase weighted
by magnitude. The rule is order-dependent and not a physical quantity, so comparing against
VeSPA's tables line by line requires reproducing it exactly; this module does so.

Two variants of the fold exist in VeSPA's pulse-sequence binning code and both are needed
for its example tables (measured against all 1,098 tables in ``../shared/data/mrs``):

- ``join="every"``: a transition is added to every line it matches (VeSPA's Python binning
  code; reproduces the spin-echo examples);
- ``join="first"``: a transition is added to the first line it matches only (reproduces the
  ideal-PRESS examples).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._density import LineList, transitions

if TYPE_CHECKING:
    from omicsdl.mrs._spins import SpinSystem

__all__ = ["bin_lines", "vespa_line_list"]

_JOINS = ("every", "first")
# GAMMA acquire1D(D, H, 1e-6) keeps transitions with |I|^2 > 1e-6 in its own units, where
# one proton of an n-spin system carries intensity 2^(n-2)
_GAMMA_CUTOFF = 1e-3


def bin_lines(
    lines: LineList,
    *,
    tol_ppm: float = 0.0015,
    tol_phase_deg: float = 50.0,
    ppm_range: tuple[float, float] = (0.0, 10.0),
    join: str = "every",
) -> LineList:
    """Blend transitions into lines with VeSPA's binning rule.

    Parameters
    ----------
    lines
        Unmerged transitions (one per eigen-transition), e.g. from :func:`vespa_line_list`'s
        first step.
    tol_ppm, tol_phase_deg
        A transition joins a line whose current position is within ``tol_ppm`` and whose
        current phase is within ``tol_phase_deg`` (VeSPA's defaults: 0.0015 ppm, 50 degrees).
    ppm_range
        Transitions outside this open interval are ignored (VeSPA's peak-search range).
    join
        ``"every"``: the transition is added to every matching line; ``"first"``: to the first
        matching line only (see the module notes).

    Returns
    -------
    Lines in creation order (ascending ppm of their first transition), areas = summed
    magnitudes, positions and phases = magnitude-weighted means.
    """
    if join not in _JOINS:
        msg = f"unknown join rule {join!r}"
        raise InputError(msg, fix=f"use one of {', '.join(_JOINS)}")
    if tol_ppm < 0 or tol_phase_deg < 0:
        msg = f"tolerances must be non-negative (got {tol_ppm} ppm, {tol_phase_deg} degrees)"
        raise InputError(msg)
    low, high = ppm_range
    inside = (lines.ppm > low) & (lines.ppm < high)
    order = np.argsort(lines.ppm[inside], kind="stable")
    ppm = lines.ppm[inside][order]
    area = lines.area[inside][order]
    phase = lines.phase_deg[inside][order]
    pos = np.empty(ppm.size)
    amp = np.empty(ppm.size)
    pha = np.empty(ppm.size)
    n = 0
    for f, a, p in zip(ppm, area, phase, strict=True):
        hit = np.flatnonzero((np.abs(f - pos[:n]) <= tol_ppm) & (np.abs(p - pha[:n]) <= tol_phase_deg))
        if hit.size == 0:
            pos[n], amp[n], pha[n] = f, a, p
            n += 1
            continue
        if join == "first":
            hit = hit[:1]
        total = amp[hit] + a
        pos[hit] = (amp[hit] * pos[hit] + a * f) / total
        pha[hit] = (amp[hit] * pha[hit] + a * p) / total
        amp[hit] = total
    return LineList(ppm=pos[:n].copy(), area=amp[:n].copy(), phase_deg=pha[:n].copy())


def vespa_line_list(
    spins: SpinSystem | list[SpinSystem],
    *,
    field_mhz: float = 123.9,
    sequence: str = "spinecho",
    te_ms: float = 30.0,
    te1_ms: float | None = None,
    te2_ms: float | None = None,
    tm_ms: float = 10.0,
    tol_ppm: float = 0.0015,
    tol_phase_deg: float = 50.0,
    ppm_range: tuple[float, float] = (0.0, 10.0),
    join: str = "every",
) -> LineList:
    """Simulate a molecule and report its lines the way VeSPA-Simulation tabulates them.

    The transitions come from the same density-matrix simulation as :func:`simulate_lines`
    (ideal pulses, strong coupling). Transitions below GAMMA's detection cutoff are
    dropped (VeSPA simulates the whole molecule, so a transition of a coupled fragment of
    ``k`` protons is kept when its area exceeds ``1e-3 / 2**(k - 2)``); the rest are blended
    with :func:`bin_lines`.

    Parameters
    ----------
    spins, field_mhz, sequence, te_ms, te1_ms, te2_ms, tm_ms
        As for :func:`simulate_lines` (the default field is that of VeSPA's 3 T examples).
    tol_ppm, tol_phase_deg, ppm_range, join
        As for :func:`bin_lines`.

    Returns
    -------
    The blended lines: ppm, area (one proton after a 90 degree pulse = 1), phase in degrees.
    """
    ppm, area, phase = [], [], []
    for freq_hz, amp, n_spins in transitions(
        spins,
        field_mhz=field_mhz,
        sequence=sequence,
        te_ms=te_ms,
        te1_ms=te1_ms,
        te2_ms=te2_ms,
        tm_ms=tm_ms,
        ref_ppm=0.0,
    ):
        keep = np.abs(amp) * 2.0 ** (n_spins - 2) > _GAMMA_CUTOFF
        ppm.append(freq_hz[keep] / field_mhz)
        area.append(np.abs(amp[keep]))
        phase.append(np.rad2deg(np.angle(amp[keep])))
    raw = LineList(np.concatenate(ppm), np.concatenate(area), np.concatenate(phase))
    return bin_lines(raw, tol_ppm=tol_ppm, tol_phase_deg=tol_phase_deg, ppm_range=ppm_range, join=join)

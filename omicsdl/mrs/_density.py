"""Density-matrix simulation of ideal-pulse spin echo, PRESS and STEAM (strong coupling included).

The Hamiltonian in the rotating frame (reference ``ref_ppm``) is

    H = sum_i 2 pi nu_i I_z,i + sum_{i<j} 2 pi J_ij (I_i . I_j),

with the full (strong) scalar coupling. Free evolution uses the eigendecomposition of H;
ideal pulses are Kronecker products of single-spin rotations. After the last delay the
signal ``Tr(rho(t) F+)`` is a sum of lines: in the eigenbasis each element rho_ab gives a
line at (E_b - E_a) / 2 pi with complex amplitude rho_ab (F+)_ba. Lines are normalised so
that one uncoupled proton after a 90 degree pulse has area 1 and phase 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._spins import SpinSystem

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LineList", "simulate_lines", "transitions"]

_SEQUENCES = ("fid", "spinecho", "press", "steam")


@dataclass
class LineList:
    """Spectral lines of one molecule: position (ppm), area and phase (degrees).

    Parameters
    ----------
    ppm
        Line positions.
    area
        Line areas (one proton after a 90 degree pulse = 1).
    phase_deg
        Line phases in degrees.
    """

    ppm: np.ndarray
    area: np.ndarray
    phase_deg: np.ndarray

    @property
    def amplitude(self) -> np.ndarray:
        """Complex amplitudes ``area * exp(i phase)``."""
        return self.area * np.exp(1j * np.deg2rad(self.phase_deg))

    def __len__(self) -> int:
        return int(self.ppm.size)


def _single(n: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    sx = np.array([[0, 0.5], [0.5, 0]], complex)
    sy = np.array([[0, -0.5j], [0.5j, 0]], complex)
    sz = np.array([[0.5, 0], [0, -0.5]], complex)
    eye = np.eye(2)

    def embed(op: np.ndarray, k: int) -> np.ndarray:
        return reduce(np.kron, [op if i == k else eye for i in range(n)])

    return (
        [embed(sx, k) for k in range(n)],
        [embed(sy, k) for k in range(n)],
        [embed(sz, k) for k in range(n)],
    )


def _rotation(n: int, angle_deg: float, axis: str) -> np.ndarray:
    half = np.deg2rad(angle_deg) / 2
    c, s = np.cos(half), np.sin(half)
    r = np.array([[c, -1j * s], [-1j * s, c]]) if axis == "x" else np.array([[c, -s], [s, c]], complex)
    return reduce(np.kron, [r] * n)


class _System:
    """Operators and eigendecomposition of one fragment."""

    def __init__(self, spins: SpinSystem, field_mhz: float, ref_ppm: float) -> None:
        n = spins.n_spins
        ix, iy, iz = _single(n)
        nu = (spins.shifts_ppm - ref_ppm) * field_mhz
        h = sum(2 * np.pi * nu[k] * iz[k] for k in range(n))
        for a in range(n):
            for b in range(a + 1, n):
                if spins.j_hz[a, b] != 0:
                    h = h + 2 * np.pi * spins.j_hz[a, b] * (ix[a] @ ix[b] + iy[a] @ iy[b] + iz[a] @ iz[b])
        self.n = n
        self.energy, self.vectors = np.linalg.eigh(h)
        self.fz = sum(iz)
        self.fplus = sum(ix) + 1j * sum(iy)
        m = np.diag(self.fz).real
        self.order = m[:, None] - m[None, :]  # coherence order of rho_ab in the product basis

    def evolve(self, rho: np.ndarray, t: float) -> np.ndarray:
        if t == 0:
            return rho
        u = self.vectors @ np.diag(np.exp(-1j * self.energy * t)) @ self.vectors.conj().T
        return u @ rho @ u.conj().T

    def pulse(self, rho: np.ndarray, angle: float, axis: str) -> np.ndarray:
        r = _rotation(self.n, angle, axis)
        return r @ rho @ r.conj().T

    def keep_order(self, rho: np.ndarray, p: int) -> np.ndarray:
        return np.where(np.isclose(self.order, p), rho, 0)

    def lines(self, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v = self.vectors
        rho_e = v.conj().T @ rho @ v
        det_e = v.conj().T @ self.fplus @ v
        amp = rho_e * det_e.T  # rho_ab * F+_ba
        freq = (self.energy[None, :] - self.energy[:, None]) / (2 * np.pi)
        mask = np.abs(amp) > 1e-10
        # phase 0 for a free proton after 90x (-Iy: Tr(-Iy I+) = -i/2 per spin per 2^(n-1))
        scale = 1j * 2.0 ** (2 - self.n)
        # the conjugate phase is VeSPA's convention (the sense of J evolution relative to the
        # chemical shift for gamma > 0); positions are unaffected
        return freq[mask], np.conj(amp[mask] * scale)


def _run(system: _System, sequence: str, te_s: float, te1_s: float, te2_s: float, tm_s: float) -> np.ndarray:
    rho = system.pulse(system.fz.astype(complex), 90, "x")
    if sequence == "spinecho":
        rho = system.evolve(rho, te_s / 2)
        rho = system.pulse(rho, 180, "y")
        rho = system.evolve(rho, te_s / 2)
    elif sequence == "press":
        rho = system.evolve(rho, te1_s / 2)
        rho = system.pulse(rho, 180, "y")
        rho = system.evolve(rho, te1_s / 2 + te2_s / 2)
        rho = system.pulse(rho, 180, "y")
        rho = system.evolve(rho, te2_s / 2)
    elif sequence == "steam":
        # stimulated-echo pathway p = +1 -> 0 -> -1 selected as the crushers and TM spoiler do
        rho = system.evolve(rho, te_s / 2)
        rho = system.keep_order(rho, 1)
        rho = system.pulse(rho, 90, "x")
        rho = system.keep_order(rho, 0)
        rho = system.evolve(rho, tm_s)
        rho = system.pulse(rho, 90, "x")
        rho = system.keep_order(rho, -1)
        rho = system.evolve(rho, te_s / 2)
    return rho


def _merge(freq: np.ndarray, amp: np.ndarray, tol_hz: float) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(freq)
    freq, amp = freq[order], amp[order]
    groups = np.concatenate([[0], np.cumsum(np.diff(freq) > tol_hz)])
    n = groups[-1] + 1 if groups.size else 0
    total = np.zeros(n, complex)
    np.add.at(total, groups, amp)
    weight = np.zeros(n)
    np.add.at(weight, groups, np.abs(amp))
    centre = np.zeros(n)
    np.add.at(centre, groups, freq * np.abs(amp))
    return centre / np.maximum(weight, 1e-300), total


def transitions(
    spins: SpinSystem | list[SpinSystem],
    *,
    field_mhz: float = 123.2,
    sequence: str = "press",
    te_ms: float = 30.0,
    te1_ms: float | None = None,
    te2_ms: float | None = None,
    tm_ms: float = 10.0,
    ref_ppm: float = 4.7,
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """Yield every eigen-transition of every coupled fragment, unmerged.

    Each item is ``(frequency_hz, amplitude, n_spins)`` for one coupled fragment:
    frequencies relative to ``ref_ppm``, complex amplitudes (one proton after a 90 degree
    pulse = 1, fragment weight included) and the fragment's number of protons.

    Parameters
    ----------
    spins
        The coupled fragments of one molecule (as for :func:`simulate_lines`).
    field_mhz
        Proton frequency in MHz.
    sequence
        ``"pulse_acquire"``, ``"spin_echo"``, ``"press"`` or ``"steam"`` (ideal pulses).
    te_ms
        Echo time in ms.
    te1_ms, te2_ms
        PRESS echo-time split (default ``te_ms / 2`` each).
    tm_ms
        STEAM mixing time in ms.
    ref_ppm
        ppm of the receiver frequency.
    """
    if sequence not in _SEQUENCES:
        msg = f"unknown sequence {sequence!r}"
        raise InputError(msg, fix=f"use one of {', '.join(_SEQUENCES)}")
    if field_mhz <= 0 or te_ms < 0:
        msg = f"field {field_mhz} MHz and TE {te_ms} ms must be positive"
        raise InputError(msg)
    if sequence == "press":
        te1 = te_ms / 2 if te1_ms is None else te1_ms
        te2 = te_ms - te1 if te2_ms is None else te2_ms
    else:
        te1 = te2 = 0.0
    systems = [spins] if isinstance(spins, SpinSystem) else list(spins)
    for whole in systems:
        for frag in whole.fragments():
            if frag.n_spins > 10:
                msg = f"{frag.n_spins} coupled spins is beyond the density-matrix simulator (max 10)"
                raise InputError(msg, item=frag.name)
            system = _System(frag, field_mhz, ref_ppm)
            rho = _run(system, sequence, te_ms / 1e3, te1 / 1e3, te2 / 1e3, tm_ms / 1e3)
            f, a = system.lines(rho)
            yield f, a * whole.scale, frag.n_spins


def simulate_lines(
    spins: SpinSystem | list[SpinSystem],
    *,
    field_mhz: float = 123.2,
    sequence: str = "press",
    te_ms: float = 30.0,
    te1_ms: float | None = None,
    te2_ms: float | None = None,
    tm_ms: float = 10.0,
    ref_ppm: float = 4.7,
    merge_hz: float = 0.01,
    min_area: float = 1e-6,
) -> LineList:
    """Simulate the line list of a molecule for an ideal-pulse sequence.

    Parameters
    ----------
    spins
        One spin system or several (fragments of one molecule; their lines add). Each
        system is split into coupled fragments first (exact for ideal pulses).
    field_mhz
        Proton frequency (123.2 MHz at a nominal 3 T Siemens, 127.7 MHz at 3.0 T).
    sequence
        ``"fid"`` (pulse-acquire), ``"spinecho"`` (90x-TE/2-180y-TE/2), ``"press"``
        (90x-TE1/2-180y-(TE1+TE2)/2-180y-TE2/2) or ``"steam"`` (90-TE/2-90-TM-90-TE/2, the
        stimulated-echo pathway only, so areas are half those of a spin echo).
    te_ms
        Echo time; for PRESS split as TE1 = TE2 = TE/2 unless ``te1_ms``/``te2_ms`` are given.
    te1_ms, te2_ms
        PRESS sub-echo times.
    tm_ms
        STEAM mixing time.
    ref_ppm
        Receiver reference (rotating-frame) position.
    merge_hz
        Lines closer than this are merged (complex sum, area-weighted position): what a
        spectrum sees. For line lists in VeSPA's report format use :func:`vespa_line_list`.
    min_area
        Lines with a smaller area are dropped.

    Returns
    -------
    The lines, positions in ppm.
    """
    parts = list(
        transitions(
            spins,
            field_mhz=field_mhz,
            sequence=sequence,
            te_ms=te_ms,
            te1_ms=te1_ms,
            te2_ms=te2_ms,
            tm_ms=tm_ms,
            ref_ppm=ref_ppm,
        )
    )
    freq, amp = _merge(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), merge_hz)
    keep = np.abs(amp) > min_area
    return LineList(
        ppm=ref_ppm + freq[keep] / field_mhz,
        area=np.abs(amp[keep]),
        phase_deg=np.rad2deg(np.angle(amp[keep])),
    )

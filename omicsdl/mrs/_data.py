"""MR spectra in memory: complex FIDs with their dwell time and field, and input checks.

Convention: time-domain data are FIDs ``s(t_k)``, ``t_k = k * dwell``; the frequency
domain is ``fftshift(fft(fid))`` (first FID point halved), frequency increasing with the
index, ``ppm = ref_ppm + f / field_mhz``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from omicsdl._core._errors import InputError

__all__ = ["MRSData", "fid_to_spectrum", "ppm_axis", "spectrum_to_fid"]


def ppm_axis(n_points: int, dwell_s: float, field_mhz: float, ref_ppm: float = 4.7) -> np.ndarray:
    """Return the ppm of each point of a frequency-domain spectrum (increasing).

    Parameters
    ----------
    n_points
        Points of the spectrum.
    dwell_s
        Dwell time in s.
    field_mhz
        Proton frequency in MHz.
    ref_ppm
        ppm of the receiver frequency (the centre of the axis).
    """
    freq = np.fft.fftshift(np.fft.fftfreq(n_points, dwell_s))
    return ref_ppm + freq / field_mhz


def fid_to_spectrum(fid: np.ndarray) -> np.ndarray:
    """FID(s) along the last axis -> spectra (first point halved, fftshifted)."""
    fid = np.array(fid, dtype=np.complex128, copy=True)
    fid[..., 0] *= 0.5
    return np.fft.fftshift(np.fft.fft(fid, axis=-1), axes=-1)


def spectrum_to_fid(spectrum: np.ndarray) -> np.ndarray:
    """Inverse of :func:`fid_to_spectrum`."""
    fid = np.fft.ifft(np.fft.ifftshift(np.asarray(spectrum), axes=-1), axis=-1)
    fid[..., 0] *= 2.0
    return fid


def _looks_like_fid(values: np.ndarray) -> bool:
    """Tell whether values decay like an FID: the largest values at the start, the tail far below the head."""
    mag = np.abs(values)
    n = mag.shape[-1]
    head = mag[..., : max(n // 32, 2)].mean(-1)
    tail = mag[..., -n // 4 :].mean(-1)
    first = mag[..., : max(n // 64, 2)].max(-1)
    return bool(np.median(head / np.maximum(tail, 1e-30)) > 20 and np.median(first / mag.max(-1)) > 0.5)


@dataclass
class MRSData:
    """One or more single-voxel spectra as FIDs.

    Parameters
    ----------
    fid
        Complex FIDs, shape ``(n_spectra, n_points)``.
    dwell_s
        Dwell time (s).
    field_mhz
        Proton frequency (MHz).
    te_ms
        Echo time when known.
    ref_ppm
        ppm of the receiver frequency.
    source
        Where the data came from (for messages).
    meta
        Header fields of the file it was read from.
    """

    fid: np.ndarray
    dwell_s: float
    field_mhz: float
    te_ms: float | None = None
    ref_ppm: float = 4.7
    source: str | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        fid = np.asarray(self.fid)
        if fid.ndim == 1:
            fid = fid[None, :]
        if fid.ndim != 2:
            msg = f"expected (n_spectra, n_points) data, got shape {fid.shape}"
            raise InputError(msg, source=self.source)
        bad = ~np.isfinite(fid)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            msg = f"{int(bad.sum())} NaN/inf points (first: spectrum {row}, point {col})"
            raise InputError(
                msg,
                source=self.source,
                item=f"spectrum {row}",
                fix="drop or re-export the corrupted spectrum; NaN points cannot be fitted",
            )
        if not (self.dwell_s > 0 and self.field_mhz > 0):
            msg = f"dwell time {self.dwell_s} s and field {self.field_mhz} MHz must be positive"
            raise InputError(
                msg,
                source=self.source,
            )
        self.fid = fid.astype(np.complex128)

    def check_field(self, field_mhz: float, *, against: str, fix: str | None = None) -> None:
        """Raise :class:`InputError` unless the data were acquired at ``field_mhz`` (1 % tolerance).

        Parameters
        ----------
        field_mhz
            The field the data must match, in MHz.
        against
            What the data are compared with, for the message (``"basis"``, ``"model"``).
        fix
            What the user can do, for the message.
        """
        if not np.isclose(self.field_mhz, field_mhz, rtol=0.01):
            msg = (
                f"field strength mismatch: data at {self.field_mhz:.4g} MHz, {against} at {field_mhz:.4g} MHz"
            )
            raise InputError(msg, source=self.source, fix=fix)

    @classmethod
    def from_spectrum(
        cls, spectrum: np.ndarray, *, dwell_s: float, field_mhz: float, check_domain: bool = True, **kwargs
    ) -> MRSData:
        """Build from frequency-domain spectra (``fftshift(fft(fid))`` order).

        A decaying FID passed here by mistake is detected and refused.

        Parameters
        ----------
        spectrum
            Complex spectra, shape ``(n_points,)`` or ``(n_spectra, n_points)``.
        dwell_s
            Dwell time in s.
        field_mhz
            Proton frequency in MHz.
        check_domain
            Refuse data that look like a time-domain FID.
        **kwargs
            Further fields of :class:`MRSData` (``te_ms``, ``ref_ppm``, ``source``, ``meta``).
        """
        values = np.asarray(spectrum)
        source = kwargs.get("source")
        if values.size and not np.isfinite(values).all():
            cls(values, dwell_s, field_mhz, **kwargs)  # raises the NaN message
        if check_domain and _looks_like_fid(np.atleast_2d(values)):
            msg = (
                "these data look like a time-domain FID (largest at the first points, decaying), "
                "not a frequency-domain spectrum"
            )
            raise InputError(
                msg,
                source=source,
                fix="pass the FID as time-domain data (MRSData(fid, ...)) or Fourier-transform it first",
            )
        return cls(spectrum_to_fid(values), dwell_s, field_mhz, **kwargs)

    @property
    def n_points(self) -> int:
        """Points per spectrum."""
        return int(self.fid.shape[1])

    @property
    def n_spectra(self) -> int:
        """Number of spectra."""
        return int(self.fid.shape[0])

    @property
    def ppm(self) -> np.ndarray:
        """Ppm of each frequency-domain point."""
        return ppm_axis(self.n_points, self.dwell_s, self.field_mhz, self.ref_ppm)

    def spectrum(self) -> np.ndarray:
        """Frequency-domain spectra, shape ``(n_spectra, n_points)``."""
        return fid_to_spectrum(self.fid)

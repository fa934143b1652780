"""Basis sets: one noiseless FID per metabolite, simulated or read from LCModel ``.BASIS``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._data import MRSData, fid_to_spectrum, ppm_axis
from omicsdl.mrs._density import LineList, simulate_lines
from omicsdl.mrs._files import read_text
from omicsdl.mrs._lipids import LIPID_EXTRA_LW_HZ, LIPID_GROUPS, LIPID_T2_MS, TRIGLYCERIDE_PEAKS
from omicsdl.mrs._spins import SpinSystem, read_vespa_spin_systems

__all__ = ["LIVER_METABOLITES", "Basis", "make_liver_basis", "read_lcmodel_basis"]

# liver metabolite -> (VeSPA fragments, weight); glucose is the alpha/beta anomer mixture and
# stands in for glycogen (whose broad resonances overlap it at 3.4-3.9 ppm)
LIVER_METABOLITES: dict[str, list[tuple[str, float]]] = {
    "Cho": [("choline-trimethyl", 1.0), ("choline-methylene", 1.0)],
    "GPC": [("GPC-gp", 1.0), ("GPC-pcholine1", 1.0), ("GPC-pcholine2", 1.0)],
    "PCh": [("phosphorylcholine-trimethyl", 1.0), ("phosphorylcholine-notrimethyl", 1.0)],
    "Cr": [("creatine", 1.0)],
    "Glc": [("glucose-alpha", 0.36), ("glucose-beta", 0.64)],
    "Lac": [("lactate", 1.0)],
    "Ala": [("alanine", 1.0)],
    "Gln": [("glutamine", 1.0)],
    "Glu": [("glutamate", 1.0)],
    "Tau": [("taurine", 1.0)],
    "mI": [("myo-inositol", 1.0)],
    "GSH": [("glutathione-glutamate", 1.0), ("glutathione-glycine-cysteine", 1.0)],
}


@dataclass
class Basis:
    """Noiseless basis FIDs sharing one acquisition (points, dwell, field, TE).

    Parameters
    ----------
    names
        Component names (metabolites and lipid resonances).
    fids
        Complex FIDs, shape ``(n_components, n_points)``.
    dwell_s, field_mhz, te_ms, sequence, ref_ppm
        The acquisition the basis was made for.
    source
        File or simulator the basis came from.
    lines
        Component name → the simulated spectral lines it was made from (simulated bases only).
    """

    names: list[str]
    fids: np.ndarray
    dwell_s: float
    field_mhz: float
    te_ms: float | None = None
    sequence: str | None = None
    ref_ppm: float = 4.7
    source: str = "simulated"
    lines: dict[str, LineList] = field(default_factory=dict, repr=False)

    @property
    def n_points(self) -> int:
        """Points per FID."""
        return int(self.fids.shape[1])

    @property
    def ppm(self) -> np.ndarray:
        """Ppm of each frequency-domain point."""
        return ppm_axis(self.n_points, self.dwell_s, self.field_mhz, self.ref_ppm)

    def spectra(self) -> np.ndarray:
        """Frequency-domain basis spectra."""
        return fid_to_spectrum(self.fids)

    def subset(self, names: list[str]) -> Basis:
        """Return the basis restricted to ``names`` (in that order)."""
        missing = [n for n in names if n not in self.names]
        if missing:
            msg = f"the basis has no {', '.join(missing)}"
            raise InputError(
                msg,
                source=self.source,
                item=missing[0],
                fix=f"choose among {', '.join(self.names)} or use a basis that contains them",
            )
        idx = [self.names.index(n) for n in names]
        return Basis(
            list(names),
            self.fids[idx],
            self.dwell_s,
            self.field_mhz,
            self.te_ms,
            self.sequence,
            self.ref_ppm,
            self.source,
            {n: self.lines[n] for n in names if n in self.lines},
        )

    def check_compatible(self, data: MRSData) -> None:
        """Raise :class:`InputError` unless ``data`` matches this basis' points, dwell and field."""
        if data.n_points != self.n_points:
            msg = f"spectrum has {data.n_points} points, the basis {self.n_points}"
            raise InputError(
                msg,
                source=data.source,
                fix="resample/zero-fill the data or build the basis with n_points matching the data",
            )
        if not np.isclose(data.dwell_s, self.dwell_s, rtol=1e-3):
            msg = (
                f"dwell time {data.dwell_s * 1e3:.4g} ms differs from the basis' {self.dwell_s * 1e3:.4g} ms"
            )
            raise InputError(
                msg,
                source=data.source,
                fix="build the basis with the data's dwell time (spectral width)",
            )
        data.check_field(
            self.field_mhz,
            against="basis",
            fix="use a basis simulated for the scanner's field (make_liver_basis(field_mhz=...))",
        )


def _lines_to_fid(lines: LineList, t: np.ndarray, field_mhz: float, ref_ppm: float) -> np.ndarray:
    freq = (lines.ppm - ref_ppm) * field_mhz
    return (lines.amplitude[None, :] * np.exp(2j * np.pi * t[:, None] * freq[None, :])).sum(1)


def make_liver_basis(
    *,
    spin_systems: str | Path | dict[str, SpinSystem] | None = None,
    metabolites: list[str] | None = None,
    lipids: bool = True,
    field_mhz: float = 123.2,
    sequence: str = "press",
    te_ms: float = 30.0,
    n_points: int = 1024,
    dwell_s: float = 5e-4,
    ref_ppm: float = 4.7,
) -> Basis:
    """Simulate a liver basis set: metabolites from spin systems plus triglyceride peaks.

    Parameters
    ----------
    spin_systems
        VeSPA metabolite JSON (path) or already read spin systems; default
        ``../shared/data/mrs/VeSPA_metabolites.json`` or the copy in ``tests/_data/mrs``.
    metabolites
        Subset of :data:`LIVER_METABOLITES` (default: all).
    lipids
        Add the five triglyceride resonances (``Lip09 … Lip53``) built from Hamilton et
        al. 2011 relative areas, weighted by ``exp(-TE/T2)`` and with their own extra width.
    field_mhz, sequence, te_ms
        Acquisition simulated with ideal pulses (:func:`simulate_lines`).
    n_points, dwell_s
        FID length and dwell time.
    ref_ppm
        ppm of the receiver frequency.

    Returns
    -------
    The basis; metabolite areas count protons per molecule, lipid areas are fractions of
    the total triglyceride signal.
    """
    metabolites = list(LIVER_METABOLITES) if metabolites is None else list(metabolites)
    key = None
    if spin_systems is None or isinstance(spin_systems, (str, Path)):
        spin_systems = Path(spin_systems or _default_spin_file()).resolve()
        key = (
            str(spin_systems),
            tuple(metabolites),
            lipids,
            field_mhz,
            sequence,
            te_ms,
            n_points,
            dwell_s,
            ref_ppm,
        )
        if key in _CACHE:
            return _CACHE[key].subset(_CACHE[key].names)  # a copy
        spin_systems = read_vespa_spin_systems(spin_systems)
    t = np.arange(n_points) * dwell_s
    names, fids, lines = [], [], {}
    for name in metabolites:
        if name not in LIVER_METABOLITES:
            msg = f"no spin-system recipe for {name!r}"
            raise InputError(
                msg,
                item=name,
                fix=f"choose among {', '.join(LIVER_METABOLITES)}",
            )
        fid = np.zeros(n_points, complex)
        parts = []
        for frag, weight in LIVER_METABOLITES[name]:
            if frag not in spin_systems:
                msg = f"spin system {frag!r} is missing"
                raise InputError(msg, item=name)
            ll = simulate_lines(
                spin_systems[frag], field_mhz=field_mhz, sequence=sequence, te_ms=te_ms, ref_ppm=ref_ppm
            )
            ll = LineList(ll.ppm, ll.area * weight, ll.phase_deg)
            parts.append(ll)
            fid += _lines_to_fid(ll, t, field_mhz, ref_ppm)
        names.append(name)
        fids.append(fid)
        lines[name] = LineList(
            *(np.concatenate([getattr(p, a) for p in parts]) for a in ("ppm", "area", "phase_deg"))
        )
    if lipids:
        decay = np.exp(-te_ms / LIPID_T2_MS) if sequence != "fid" else 1.0
        for group, peaks in LIPID_GROUPS.items():
            ll = LineList(
                np.array(peaks),
                np.array([TRIGLYCERIDE_PEAKS[p][0] for p in peaks]) * decay,
                np.zeros(len(peaks)),
            )
            names.append(group)
            fids.append(_lines_to_fid(ll, t, field_mhz, ref_ppm) * np.exp(-np.pi * LIPID_EXTRA_LW_HZ * t))
            lines[group] = ll
    basis = Basis(names, np.array(fids), dwell_s, field_mhz, te_ms, sequence, ref_ppm, "simulated", lines)
    if key is not None:
        _CACHE[key] = basis
        return basis.subset(basis.names)
    return basis


# simulated bases by (spin file, metabolites, acquisition): the simulation is deterministic
_CACHE: dict[tuple, Basis] = {}


def _default_spin_file() -> Path:
    here = Path(__file__).resolve()
    for cand in (
        here.parents[2].parent / "shared" / "data" / "mrs" / "VeSPA_metabolites.json",
        here.parents[2] / "tests" / "_data" / "mrs" / "VeSPA_metabolites.json",
    ):
        if cand.is_file():
            return cand
    msg = "VeSPA_metabolites.json not found"
    raise InputError(
        msg,
        fix="pass spin_systems= (the VeSPA metabolite JSON from ../shared/data/mrs)",
    )


_NAMELIST = re.compile(r"\$(\w+)(.*?)\$END", re.S)
_ITEM = re.compile(r"(\w+)\s*=\s*('[^']*'|[^,\n]+)")


def _parse_namelist(body: str) -> dict[str, str | float]:
    out: dict[str, str | float] = {}
    for key, value in _ITEM.findall(body):
        value = value.strip().rstrip(",").strip()
        if value.startswith("'"):
            out[key.upper()] = value.strip("'")
        else:
            try:
                out[key.upper()] = float(value.replace("d", "e").replace("D", "e"))
            except ValueError:
                out[key.upper()] = value
    return out


def _header_number(header: dict[str, str | float], key: str, path: Path, *, integer: bool = False) -> float:
    """A numeric header field, or one clear error naming it."""
    value = header[key]
    if not isinstance(value, float) or not np.isfinite(value) or (integer and value != int(value)):
        msg = f"header field {key} = {value!r} is not a {'whole ' if integer else ''}number"
        raise InputError(msg, source=path, fix="the .BASIS header is damaged")
    return int(value) if integer else value


def read_lcmodel_basis(path: str | Path, *, ref_ppm: float = 4.68) -> Basis:
    """Read an LCModel ``.BASIS`` file (plain or gzip), e.g. the Osprey 3 T PRESS set.

    The file stores each metabolite's spectrum (frequency domain); the FID is the complex
    conjugate of its inverse FFT (LCModel's sign convention).

    Parameters
    ----------
    path
        ``.BASIS`` or ``.BASIS.gz``.
    ref_ppm
        ppm of the receiver frequency (Osprey/LCModel use 4.68 for water at body temperature).
    """
    path = Path(path)
    text = read_text(path, "LCModel basis")
    heads = list(_NAMELIST.finditer(text))
    if not heads:
        msg = "no $SEQPAR/$BASIS1 namelists: not an LCModel .BASIS file"
        raise InputError(msg, source=path)
    header: dict[str, str | float] = {}
    names, fids = [], []
    for k, m in enumerate(heads):
        block = m.group(1).upper()
        values = _parse_namelist(m.group(2))
        if block != "BASIS":
            header.update(values)
            continue
        if "NDATAB" not in header or "BADELT" not in header:
            msg = "$BASIS before $BASIS1 (NDATAB, BADELT)"
            raise InputError(msg, source=path, line=text[: m.start()].count("\n") + 1)
        n = _header_number(header, "NDATAB", path, integer=True)
        stop = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        tokens = text[m.end() : stop].split()
        if n < 1 or len(tokens) != 2 * n:
            msg = f"{len(tokens) // 2} data points, NDATAB says {n}"
            raise InputError(
                msg,
                source=path,
                line=text[: m.start()].count("\n") + 1,
                item=str(values.get("METABO")),
            )
        try:
            data = np.array(tokens, float).reshape(n, 2)
        except ValueError as err:
            msg = f"a data point is not a number ({err})"
            raise InputError(
                msg, source=path, item=str(values.get("METABO")), fix="the file is damaged"
            ) from err
        if not np.isfinite(data).all():
            msg = "missing or infinite data points"
            raise InputError(msg, source=path, item=str(values.get("METABO")), fix="the file is damaged")
        spec = data[:, 0] + 1j * data[:, 1]
        names.append(str(values.get("METABO", values.get("ID", f"basis{len(names)}"))))
        fids.append(np.conj(np.fft.ifft(spec)))
    if not names:
        msg = "no $BASIS entries"
        raise InputError(msg, source=path)
    return Basis(
        names,
        np.array(fids),
        _header_number(header, "BADELT", path),
        _header_number(header, "HZPPPM", path) if "HZPPPM" in header else np.nan,
        _header_number(header, "ECHOT", path) if "ECHOT" in header else None,
        str(header.get("SEQ", "")) or None,
        ref_ppm,
        str(path),
    )

"""Spin systems (chemical shifts and J couplings) from VeSPA and FID-A JSON files.

The files in ``../shared/data/mrs`` follow Govindaraju et al., NMR Biomed 2000;13:129-153
(updated 2015;28:923-924). VeSPA lists each spin as ``[isotope, ppm]`` and the couplings as
the upper triangle row by row; FID-A gives full ``J`` matrices per fragment and a
``scaleFactor`` (the number of equivalent molecules the fragment stands for).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._files import read_json

__all__ = ["SpinSystem", "read_fida_spin_systems", "read_vespa_spin_systems"]


@dataclass(frozen=True)
class SpinSystem:
    """One coupled fragment of a molecule: proton shifts (ppm) and J couplings (Hz).

    Parameters
    ----------
    name
        Fragment name (``"lactate"``, ``"GPC-pcholine2"``).
    shifts_ppm
        Chemical shift of each proton.
    j_hz
        Symmetric coupling matrix in Hz (zero diagonal).
    scale
        Weight of the fragment in its molecule (FID-A ``scaleFactor``; 1 for VeSPA).
    dropped
        Non-proton spins that were removed (isotope names), for the record.
    """

    name: str
    shifts_ppm: np.ndarray
    j_hz: np.ndarray
    scale: float = 1.0
    dropped: tuple[str, ...] = field(default=())

    @property
    def n_spins(self) -> int:
        """Number of protons."""
        return int(self.shifts_ppm.size)

    def fragments(self) -> list[SpinSystem]:
        """Split into groups of spins connected by non-zero couplings.

        With ideal pulses and a high-temperature initial state the signal of uncoupled groups
        adds exactly, so a 9-proton trimethyl singlet costs nine 1-spin systems, not a
        512-dimensional density matrix.
        """
        n = self.n_spins
        seen = np.zeros(n, bool)
        out = []
        for start in range(n):
            if seen[start]:
                continue
            stack, comp = [start], []
            seen[start] = True
            while stack:
                i = stack.pop()
                comp.append(i)
                for j in np.flatnonzero(self.j_hz[i] != 0):
                    if not seen[j]:
                        seen[j] = True
                        stack.append(int(j))
            idx = np.array(sorted(comp))
            out.append(
                SpinSystem(
                    f"{self.name}[{','.join(map(str, idx))}]",
                    self.shifts_ppm[idx],
                    self.j_hz[np.ix_(idx, idx)],
                    self.scale,
                )
            )
        return out


def _from_upper(values: list[float], n: int, *, source: Path, item: str) -> np.ndarray:
    expected = n * (n - 1) // 2
    if len(values) != expected:
        msg = f"{len(values)} J couplings for {n} spins; the upper triangle needs {expected}"
        raise InputError(
            msg,
            source=source,
            item=item,
            fix="list the couplings of the upper triangle row by row",
        )
    j = np.zeros((n, n))
    j[np.triu_indices(n, 1)] = values
    return j + j.T


def read_vespa_spin_systems(path: str | Path) -> dict[str, SpinSystem]:
    """Read a VeSPA metabolite JSON (``VeSPA_metabolites.json``) into spin systems.

    Non-proton spins (14N, 31P) are dropped: pulses and acquisition here act on 1H only and
    the heteronuclear couplings in these files are 0-0.6 Hz (below any in vivo linewidth).
    Deactivated entries are skipped.

    Parameters
    ----------
    path
        The JSON file.

    Returns
    -------
    Spin systems by VeSPA name.
    """
    path = Path(path)
    raw = read_json(path, "VeSPA spin systems")
    if not isinstance(raw, dict) or not raw:
        msg = "not a VeSPA metabolite JSON (expected an object of metabolites)"
        raise InputError(msg, source=path, fix="use the VeSPA metabolite JSON layout")
    out = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            msg = "entry is not a JSON object"
            raise InputError(msg, source=path, item=str(name), fix="use the VeSPA metabolite JSON layout")
        if entry.get("deactivated"):
            continue
        try:
            isotopes = [s[0] for s in entry["spins"]]
            shifts = np.array([float(s[1]) for s in entry["spins"]])
            couplings = entry["j_couplings_upper_triangle_rowwise"]
        except (KeyError, TypeError, IndexError, ValueError) as err:
            msg = f"entry lacks 'spins' / 'j_couplings_upper_triangle_rowwise' ({err})"
            raise InputError(
                msg,
                source=path,
                item=name,
                fix="use the VeSPA metabolite JSON layout",
            ) from err
        j = _from_upper(couplings, len(shifts), source=path, item=name)
        keep = np.array([iso == "1H" for iso in isotopes])
        out[name] = SpinSystem(
            name,
            shifts[keep],
            j[np.ix_(keep, keep)],
            1.0,
            tuple(iso for iso in isotopes if iso != "1H"),
        )
    return out


def read_fida_spin_systems(path: str | Path) -> dict[str, list[SpinSystem]]:
    """Read FID-A spin systems (``FID-A_spinSystems.json``): name -> list of fragments.

    Shifts of 100 and 40 ppm are FID-A placeholders for non-proton nuclei and are dropped.
    """
    raw = read_json(Path(path), "FID-A spin systems")
    out: dict[str, list[SpinSystem]] = {}
    for name, frags in raw.items():
        systems = []
        for frag in frags:
            shifts = np.atleast_1d(np.asarray(frag["shifts"], float))
            j = np.asarray(frag["J"], float)
            j = np.zeros((shifts.size, shifts.size)) if j.ndim == 0 else np.triu(j, 1)
            j = j + j.T
            keep = (shifts != 100.0) & (shifts != 40.0)
            systems.append(
                SpinSystem(
                    str(frag.get("name", name)),
                    shifts[keep],
                    j[np.ix_(keep, keep)],
                    float(frag.get("scaleFactor", 1.0)),
                    tuple("X" for _ in range(int((~keep).sum()))),
                )
            )
        out[name] = systems
    return out

"""Readers for spectra from scanners and tools: LCModel ``.RAW`` and NIfTI-MRS (minimal)."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from pathlib import Path

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._data import MRSData
from omicsdl.mrs._files import read_bytes, read_text

__all__ = [
    "read_lcmodel_raw",
    "read_mrs",
    "read_nifti_mrs",
    "read_siemens_rda",
    "write_lcmodel_raw",
    "write_mrs_npz",
]


def read_lcmodel_raw(
    path: str | Path, *, dwell_s: float, field_mhz: float, te_ms: float | None = None
) -> MRSData:
    """Read an LCModel ``.RAW`` file (``$NMID`` namelist then real/imag time-domain pairs).

    ``.RAW`` does not store the dwell time and field (they live in the ``.CONTROL`` file), so
    they must be given. The FID is conjugated to this package's convention (as for .BASIS).

    Parameters
    ----------
    path
        The ``.RAW`` file (gzipped if it ends in ``.gz``).
    dwell_s
        Dwell time in s.
    field_mhz
        Proton frequency in MHz.
    te_ms
        Echo time in ms, when known.
    """
    path = Path(path)
    text = read_text(path, "LCModel .RAW")
    m = re.search(r"\$END", text, re.I)
    if m is None or "$NMID" not in text.upper():
        msg = "no $NMID ... $END header: not an LCModel .RAW file"
        raise InputError(msg, source=path, line=1)
    tokens = text[m.end() :].split()
    try:
        values = np.array(tokens, float)
    except ValueError as err:
        line = text[: m.end()].count("\n") + 1
        msg = f"non-numeric data after the header ({err})"
        raise InputError(msg, source=path, line=line) from err
    if values.size == 0:
        msg = "no data after the $NMID header"
        raise InputError(msg, source=path, fix="pass a complete .RAW file")
    if values.size % 2:
        msg = f"odd number of values ({values.size}); expected real/imaginary pairs"
        raise InputError(msg, source=path)
    fid = np.conj(values[0::2] + 1j * values[1::2])
    return MRSData(fid, dwell_s, field_mhz, te_ms=te_ms, ref_ppm=4.7, source=str(path))


def write_lcmodel_raw(path: str | Path, data: MRSData, *, index: int = 0, id_: str = "omicsdl") -> Path:
    """Write one spectrum of ``data`` as LCModel ``.RAW`` (atomically).

    Parameters
    ----------
    path
        The file to write.
    data
        The spectra.
    index
        Which spectrum of ``data``.
    id_
        The ``ID`` of the ``$NMID`` namelist.
    """
    from omicsdl._core._atomic import write_text

    fid = np.conj(data.fid[index])
    lines = [" $NMID", f" ID='{id_}', FMTDAT='(2E15.6)'", " TRAMP=1., VOLUME=1.", " $END"]
    lines += [f"{v.real:15.6E}{v.imag:15.6E}" for v in fid]
    return write_text(path, "\n".join(lines) + "\n")


def read_nifti_mrs(path: str | Path) -> MRSData:
    """Read a single-voxel NIfTI-MRS file (NIfTI-2 or NIfTI-1, complex64/128, .nii or .nii.gz).

    A minimal reader (no nibabel): the header gives the dimensions and the dwell time
    (``pixdim[4]``); the JSON header extension (ecode 44) gives ``SpectrometerFrequency``
    and ``EchoTime``. Extra dimensions (coils, averages, dynamics) become spectra.
    """
    path = Path(path)
    raw = read_bytes(path, "NIfTI-MRS")
    if len(raw) < 348:
        msg = "file too short for a NIfTI header"
        raise InputError(msg, source=path)
    endian = "<" if struct.unpack("<i", raw[:4])[0] in (348, 540) else ">"
    size = struct.unpack(endian + "i", raw[:4])[0]
    if size == 540:
        datatype = struct.unpack(endian + "h", raw[12:14])[0]
        dims = struct.unpack(endian + "8q", raw[16:80])
        pixdim = struct.unpack(endian + "8d", raw[104:168])
        vox_offset = struct.unpack(endian + "q", raw[168:176])[0]
        ext_start = 540
    elif size == 348:
        dims = struct.unpack(endian + "8h", raw[40:56])
        datatype = struct.unpack(endian + "h", raw[70:72])[0]
        pixdim = struct.unpack(endian + "8f", raw[76:108])
        vox_offset = int(struct.unpack(endian + "f", raw[108:112])[0])
        ext_start = 348
    else:
        msg = f"header size {size}: not a NIfTI file"
        raise InputError(msg, source=path)
    dtypes = {32: np.complex64, 1792: np.complex128}
    if datatype not in dtypes:
        msg = f"NIfTI datatype {datatype} is not complex; NIfTI-MRS stores complex FIDs"
        raise InputError(msg, source=path)
    meta: dict = {}
    pos = ext_start + 4
    if raw[ext_start : ext_start + 1] == b"\x01":
        while pos + 8 <= vox_offset:
            esize, ecode = struct.unpack(endian + "ii", raw[pos : pos + 8])
            if esize <= 8:
                break
            if ecode == 44:
                try:
                    meta = json.loads(raw[pos + 8 : pos + esize].rstrip(b"\x00").decode())
                except (UnicodeDecodeError, json.JSONDecodeError) as err:
                    msg = f"bad NIfTI-MRS JSON extension: {err}"
                    raise InputError(msg, source=path) from err
            pos += esize
    ndim = dims[0]
    shape = tuple(int(d) for d in dims[1 : ndim + 1])
    dt = np.dtype(dtypes[datatype]).newbyteorder(endian)
    if not 1 <= ndim <= 7 or any(d < 1 for d in shape):
        msg = f"impossible NIfTI dimensions {dims[: max(1, min(ndim, 7)) + 1]}"
        raise InputError(msg, source=path, fix="the file is damaged; export it again")
    count = int(np.prod(shape, dtype=object))
    if vox_offset < ext_start or vox_offset + count * dt.itemsize > len(raw):
        msg = f"the header describes {count:,} values at byte {vox_offset}, but the file holds {len(raw):,} bytes"
        raise InputError(msg, source=path, fix="the file is truncated or damaged; export it again")
    data = np.frombuffer(raw, dt, count=count, offset=int(vox_offset)).reshape(shape, order="F")
    if len(shape) < 4 or int(np.prod(shape[:3])) != 1:
        msg = f"only single-voxel NIfTI-MRS is supported (shape {shape})"
        raise InputError(msg, source=path)
    fid = np.moveaxis(data.reshape(shape[3], -1, order="F"), 0, -1)
    freq = meta.get("SpectrometerFrequency")
    if not freq:
        msg = "SpectrometerFrequency missing from the NIfTI-MRS header extension"
        raise InputError(msg, source=path)
    te = meta.get("EchoTime")
    return MRSData(
        fid,
        float(pixdim[4]),
        float(freq[0] if isinstance(freq, list) else freq),
        te_ms=None if te is None else float(te) * 1e3,
        source=str(path),
        meta=meta,
    )


def write_mrs_npz(
    path: str | Path, data: MRSData, *, amplitudes: np.ndarray | None = None, names=None
) -> Path:
    """Save spectra (and, for simulations, the true amplitudes) as ``.npz`` (no pickle).

    Parameters
    ----------
    path
        The file to write.
    data
        The spectra (``data.meta["synthetic"]`` is recorded).
    amplitudes
        True amplitudes of simulated spectra, ``(n_spectra, n_components)``.
    names
        Component names of ``amplitudes``.
    """
    from omicsdl._core._atomic import atomic_path

    arrays = {
        "fid": data.fid,
        "dwell_s": np.array(data.dwell_s),
        "field_mhz": np.array(data.field_mhz),
        "ref_ppm": np.array(data.ref_ppm),
        "te_ms": np.array(np.nan if data.te_ms is None else data.te_ms),
        "synthetic": np.array(bool(data.meta.get("synthetic", False))),
    }
    if amplitudes is not None:
        arrays["amplitudes"] = np.asarray(amplitudes)
        arrays["names"] = np.array(list(names), dtype=str)
    with atomic_path(path) as tmp, tmp.open("wb") as fh:
        np.savez_compressed(fh, **arrays)
    return Path(path)


def read_mrs(path: str | Path, *, dwell_s: float | None = None, field_mhz: float | None = None) -> MRSData:
    """Read spectra by type: ``.npz`` (omicsdl), ``.RAW`` (LCModel), ``.rda`` (Siemens), NIfTI-MRS.

    Parameters
    ----------
    path
        The file.
    dwell_s
        Dwell time in s, for ``.RAW`` files (which do not store it).
    field_mhz
        Proton frequency in MHz, for ``.RAW`` files.
    """
    path = Path(path)
    name = path.name.lower()
    if not path.is_file():
        msg = "no such file"
        raise InputError(msg, source=path)
    if name.endswith(".npz"):
        try:
            with np.load(io.BytesIO(read_bytes(path, ".npz")), allow_pickle=False) as z:
                te = float(z["te_ms"])
                meta = {"synthetic": bool(z["synthetic"])} if "synthetic" in z else {}
                if "amplitudes" in z:
                    meta["amplitudes"] = z["amplitudes"]
                    meta["names"] = [str(n) for n in z["names"]]
                return MRSData(
                    z["fid"],
                    float(z["dwell_s"]),
                    float(z["field_mhz"]),
                    te_ms=None if np.isnan(te) else te,
                    ref_ppm=float(z["ref_ppm"]),
                    source=str(path),
                    meta=meta,
                )
        except (KeyError, ValueError, TypeError, OSError, EOFError, zipfile.BadZipFile) as err:
            msg = f"not an omicsdl spectra .npz ({type(err).__name__}: {err})"
            raise InputError(msg, source=path, fix="pass a file written by omicsdl mrs simulate") from err
    if name.endswith(".raw"):
        if dwell_s is None or field_mhz is None:
            msg = "LCModel .RAW files carry no dwell time or field"
            raise InputError(msg, source=path, fix="pass --dwell and --field")
        return read_lcmodel_raw(path, dwell_s=dwell_s, field_mhz=field_mhz)
    if name.endswith((".nii", ".nii.gz")):
        return read_nifti_mrs(path)
    if name.endswith(".rda"):
        return read_siemens_rda(path)
    msg = "unknown spectrum file type"
    raise InputError(msg, source=path, fix="use .npz, .RAW, .rda or NIfTI-MRS (.nii/.nii.gz)")


def read_siemens_rda(path: str | Path) -> MRSData:
    """Read a Siemens ``.rda`` export (text header, then complex float64 little-endian data).

    Uses ``MRFrequency`` (MHz), ``DwellTime`` (µs), ``VectorSize``, ``TE`` (ms) and the
    ``CSIMatrixSize[0..2]`` fields of the header; every voxel becomes one spectrum.
    """
    path = Path(path)
    raw = read_bytes(path, ".rda")
    start, end = b">>> Begin of header <<<", b">>> End of header <<<"
    i, j = raw.find(start), raw.find(end)
    if i < 0 or j < 0:
        msg = "no '>>> Begin/End of header <<<' markers: not a Siemens .rda file"
        raise InputError(msg, source=path, line=1)
    header: dict[str, str] = {}
    for line in raw[i + len(start) : j].decode("latin-1").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            header[key.strip()] = value.strip()
    body = raw[j + len(end) :].lstrip(b"\r\n")
    try:
        n = int(header["VectorSize"])
        field_mhz = float(header["MRFrequency"])
        dwell_s = float(header["DwellTime"]) * 1e-6
        voxels = int(np.prod([int(header.get(f"CSIMatrixSize[{k}]", "1")) for k in range(3)]))
    except (KeyError, ValueError) as err:
        msg = f"header field missing or not a number: {err}"
        raise InputError(
            msg,
            source=path,
            fix="export the spectrum again from the scanner",
        ) from err
    if n < 1 or voxels < 1:
        msg = f"VectorSize {n} / {voxels} voxels: the header describes no data"
        raise InputError(msg, source=path, fix="export the spectrum again from the scanner")
    need = n * voxels * 16
    if len(body) < need:
        msg = f"{len(body)} data bytes, the header implies {need}"
        raise InputError(msg, source=path)
    values = np.frombuffer(body[:need], "<f8").reshape(voxels, n, 2)
    te = header.get("TE")
    return MRSData(
        values[..., 0] + 1j * values[..., 1],
        dwell_s,
        field_mhz,
        te_ms=float(te) if te else None,
        source=str(path),
        meta=header,
    )

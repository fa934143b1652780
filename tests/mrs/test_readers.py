"""LCModel .RAW and NIfTI-MRS readers."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl.mrs import (
    MRSData,
    read_lcmodel_raw,
    read_mrs,
    read_nifti_mrs,
    read_siemens_rda,
    write_lcmodel_raw,
    write_mrs_npz,
)


def _fid(n=128):
    t = np.arange(n) * 5e-4
    return np.exp(2j * np.pi * 40 * t - t / 0.05)


def test_lcmodel_raw_roundtrip(tmp_path):
    data = MRSData(_fid(), 5e-4, 123.2)
    write_lcmodel_raw(tmp_path / "x.RAW", data)
    back = read_lcmodel_raw(tmp_path / "x.RAW", dwell_s=5e-4, field_mhz=123.2)
    np.testing.assert_allclose(back.fid, data.fid, atol=1e-6)
    with pytest.raises(InputError, match="carry no dwell time"):
        read_mrs(tmp_path / "x.RAW")
    (tmp_path / "bad.RAW").write_text(" $NMID\n $END\n 1.0 2.0\n 3.0 abc\n")
    with pytest.raises(InputError, match="non-numeric data"):
        read_lcmodel_raw(tmp_path / "bad.RAW", dwell_s=5e-4, field_mhz=123.2)
    (tmp_path / "nohead.RAW").write_text(" 1.0 2.0\n")
    with pytest.raises(InputError, match=r"not an LCModel \.RAW file"):
        read_lcmodel_raw(tmp_path / "nohead.RAW", dwell_s=5e-4, field_mhz=123.2)


def _write_nifti2(path, fid, dwell, meta):
    n = fid.size
    ext = json.dumps(meta).encode()
    ext += b"\x00" * (-(len(ext) + 8) % 16)
    esize = len(ext) + 8
    hdr = bytearray(540)
    struct.pack_into("<i", hdr, 0, 540)
    hdr[4:12] = b"n+2\x00\r\n\x1a\n"
    struct.pack_into("<h", hdr, 12, 32)  # complex64
    struct.pack_into("<h", hdr, 14, 64)
    struct.pack_into("<8q", hdr, 16, 4, 1, 1, 1, n, 1, 1, 1)
    struct.pack_into("<8d", hdr, 104, 1, 1, 1, 1, dwell, 1, 1, 1)
    vox = 540 + 4 + esize
    struct.pack_into("<q", hdr, 168, vox)
    body = bytes(hdr) + b"\x01\x00\x00\x00" + struct.pack("<ii", esize, 44) + ext
    path.write_bytes(body + fid.astype(np.complex64).tobytes())


def test_nifti_mrs_minimal(tmp_path):
    fid = _fid()
    _write_nifti2(tmp_path / "x.nii", fid, 5e-4, {"SpectrometerFrequency": [123.2], "EchoTime": 0.03})
    data = read_nifti_mrs(tmp_path / "x.nii")
    assert data.n_points == 128
    assert data.dwell_s == pytest.approx(5e-4)
    assert data.field_mhz == pytest.approx(123.2)
    assert data.te_ms == pytest.approx(30)
    np.testing.assert_allclose(data.fid[0], fid, atol=1e-6)
    _write_nifti2(tmp_path / "nofreq.nii", fid, 5e-4, {"EchoTime": 0.03})
    with pytest.raises(InputError, match="SpectrometerFrequency missing"):
        read_mrs(tmp_path / "nofreq.nii")
    (tmp_path / "short.nii").write_bytes(b"\x00" * 10)
    with pytest.raises(InputError, match="too short"):
        read_nifti_mrs(tmp_path / "short.nii")


def test_npz_roundtrip_and_unknown(tmp_path):
    data = MRSData(np.stack([_fid(), _fid()]), 5e-4, 123.2, te_ms=30, meta={"synthetic": True})
    write_mrs_npz(tmp_path / "s.npz", data, amplitudes=np.ones((2, 3)), names=["a", "b", "c"])
    back = read_mrs(tmp_path / "s.npz")
    np.testing.assert_allclose(back.fid, data.fid)
    assert back.meta["synthetic"] is True
    assert back.meta["names"] == ["a", "b", "c"]
    (tmp_path / "x.txt").write_text("1")
    with pytest.raises(InputError, match="unknown spectrum file type"):
        read_mrs(tmp_path / "x.txt")
    with pytest.raises(InputError, match="no such file"):
        read_mrs(tmp_path / "absent.npz")


def test_siemens_rda(tmp_path):
    fid = _fid(64)
    header = (
        ">>> Begin of header <<<\r\nPatientName: SYNTHETIC\r\nTE: 30.000000\r\nMRFrequency: 123.251000\r\n"
        "DwellTime: 500\r\nVectorSize: 64\r\n"
        "CSIMatrixSize[0]: 1\r\nCSIMatrixSize[1]: 1\r\nCSIMatrixSize[2]: 1\r\n"
        ">>> End of header <<<\r\n"
    ).encode("latin-1")
    data = np.stack([fid.real, fid.imag], 1).astype("<f8").tobytes()
    (tmp_path / "x.rda").write_bytes(header + data)
    got = read_mrs(tmp_path / "x.rda")
    assert got.field_mhz == pytest.approx(123.251)
    assert got.dwell_s == pytest.approx(5e-4)
    assert got.te_ms == 30
    np.testing.assert_allclose(got.fid[0], fid)
    (tmp_path / "short.rda").write_bytes(header + data[:100])
    with pytest.raises(InputError, match="the header implies 1024"):
        read_siemens_rda(tmp_path / "short.rda")
    (tmp_path / "plain.rda").write_bytes(b"hello")
    with pytest.raises(InputError, match=r"not a Siemens \.rda file"):
        read_siemens_rda(tmp_path / "plain.rda")

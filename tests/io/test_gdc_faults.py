"""Faults in GDC per-sample files (issue 13): every one ends in a clear InputError or a correct result.

Each case mutates the second file of a small folder (real miRNA files; SYNTHETIC
STAR - Counts and SeSAMe files in the exact GDC formats) and reads the folder.
An error must be an InputError naming the file (and the line where there is
one); a "correct" case must give the same matrix as the unmutated folder.
"""

from __future__ import annotations

import gzip
import shutil
import tracemalloc

import numpy as np
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io import read_gdc_methylation, read_gdc_mirna, read_gdc_star_counts

READERS = {"mirna": read_gdc_mirna, "star": read_gdc_star_counts, "sesame": read_gdc_methylation}
#: the first data line (1-based) of each format, after its header
FIRST = {"mirna": 2, "star": 7, "sesame": 1}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _set_cell(kind: str, value: str):
    column = {"mirna": 1, "star": 3, "sesame": 1}[kind]

    def mutate(text: str) -> str:
        lines = _lines(text)
        k = FIRST[kind]  # 0-based index of the second data line
        fields = lines[k].split("\t")
        fields[column] = value
        lines[k] = "\t".join(fields)
        return "\n".join(lines)

    return mutate


def _insert_line(kind: str, line: str):
    def mutate(text: str) -> str:
        lines = _lines(text)
        lines.insert(FIRST[kind] + 1, line)
        return "\n".join(lines)

    return mutate


def _swap_rows(kind: str):
    def mutate(text: str) -> str:
        lines = _lines(text)
        k = FIRST[kind] - 1
        lines[k], lines[k + 1] = lines[k + 1], lines[k]
        return "\n".join(lines)

    return mutate


def _duplicate_row(kind: str):
    def mutate(text: str) -> str:
        lines = _lines(text)
        lines.insert(FIRST[kind], lines[FIRST[kind] - 1])
        return "\n".join(lines)

    return mutate


def _stray_cr(kind: str):
    def mutate(text: str) -> str:
        lines = _lines(text)
        k = FIRST[kind]
        lines[k] = lines[k].replace("\t", "\r\t", 1)
        return "\n".join(lines)

    return mutate


#: name -> (mutation of the text, expected regex of the error, or None for "same matrix")
def _cases(kind: str) -> dict:
    line = FIRST[kind] + 1  # the 1-based line number of the mutated second data line
    cases = {
        "garbage line": (_insert_line(kind, "garbage"), rf":{line + 1}: row has 1 field"),
        "blank line": (_insert_line(kind, ""), rf":{line + 1}: blank line"),
        "text in a number cell": (_set_cell(kind, "n.d."), rf":{line}: value 'n.d.' .* is not a number"),
        "infinite value": (_set_cell(kind, "inf"), rf":{line}: value 'inf' .* is not finite"),
        "1 MiB line": (_insert_line(kind, "x" * 2**20), rf":{line + 1}: line of 1,048,576 bytes"),
        "1 MiB id": (_long_id(kind), rf":{line}: line of 1,04"),
        "stray CR": (_stray_cr(kind), rf":{line}: row has 1 field"),
        "CRLF line ends": (lambda t: t.replace("\n", "\r\n"), None),
        "rows reordered": (_swap_rows(kind), None),
        "row listed twice": (_duplicate_row(kind), "row id listed twice"),
        "comma-separated": (lambda t: t.replace("\t", ","), "row has 1 field|unexpected (header|first line)"),
        "header only": (
            lambda t: "\n".join(_lines(t)[: FIRST[kind] - 1]) + "\n",
            "no data rows|unexpected first",
        ),
        "empty file": (lambda t: "", "is empty"),
        "NUL byte": (lambda t: t[:200] + "\x00" + t[200:], "NUL byte"),
    }
    if kind == "sesame":  # NA is a masked probe: allowed
        cases["NA value"] = (_set_cell(kind, "NA"), "masked")
    else:
        cases["NA value"] = (_set_cell(kind, "NA"), rf":{line}: missing value \(NA\) in column")
        cases["negative value"] = (_set_cell(kind, "-5"), "negative expression value")
    return cases


def _long_id(kind: str):
    def mutate(text: str) -> str:
        lines = _lines(text)
        k = FIRST[kind]
        fields = lines[k].split("\t")
        fields[0] = ("cg" if kind == "sesame" else "ENSG" if kind == "star" else "hsa-mir-") + "1" * 2**20
        lines[k] = "\t".join(fields)
        return "\n".join(lines)

    return mutate


@pytest.fixture
def folders(tmp_path, test_data, synthetic_star, synthetic_sesame):
    mirna = tmp_path / "mirna"
    shutil.copytree(test_data / "io" / "gdc_mirna", mirna)
    return {
        "mirna": (mirna, test_data / "io" / "metadata.LIHC.trimmed.json"),
        "star": synthetic_star[:2],
        "sesame": synthetic_sesame[:2],
    }


CASES = [(kind, name) for kind in READERS for name in _cases(kind)]


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}-{n}" for k, n in CASES])
def test_every_fault_is_a_clear_error_or_a_correct_result(folders, kind, name):
    folder, meta = folders[kind]
    read = READERS[kind]
    before = read(folder, metadata=meta)
    target = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "annotations.txt")[1]
    mutate, expected = _cases(kind)[name]
    target.write_bytes(mutate(target.read_text()).encode())
    tracemalloc.start()
    try:
        if expected is None or expected == "masked":
            after = read(folder, metadata=meta)
            row = list(after.obs_names).index(
                next(b for b in after.obs_names if target.parent.name in str(after.obs.loc[b, "file_id"]))
            )
            if expected == "masked":
                assert np.isnan(after.X[row]).sum() == np.isnan(before.X[row]).sum() + 1
            else:
                np.testing.assert_array_equal(after.X, before[after.obs_names].X)
        else:
            with pytest.raises(InputError, match=expected) as info:
                read(folder, metadata=meta)
            assert target.name in str(info.value)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 300 * 2**20, f"{peak / 2**20:.0f} MiB for a few small files"


@pytest.mark.parametrize("kind", list(READERS))
def test_gzip_is_read_by_content_and_damaged_gzip_refused(folders, kind):
    folder, meta = folders[kind]
    read = READERS[kind]
    before = read(folder, metadata=meta)
    target = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "annotations.txt")[1]
    packed = gzip.compress(target.read_bytes())
    target.write_bytes(packed)  # gzip content under the plain name: read by content
    np.testing.assert_array_equal(read(folder, metadata=meta).X, before.X)
    target.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        read(folder, metadata=meta)
    target.write_bytes(packed[:10] + bytes(b ^ 0xFF for b in packed[10:40]) + packed[40:])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        read(folder, metadata=meta)


@pytest.mark.parametrize("kind", list(READERS))
def test_not_utf8_and_missing_file(folders, kind):
    folder, meta = folders[kind]
    read = READERS[kind]
    target = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "annotations.txt")[1]
    data = target.read_bytes()
    target.write_bytes(data[:300] + b"\xff\xfe" + data[300:])
    with pytest.raises(InputError, match=r"is not text \(byte 0xff\)"):
        read(folder, metadata=meta)
    with pytest.raises(InputError, match="file not found"):
        read([target.with_name("nowhere" + target.name)], metadata=meta)


def test_ids_of_another_format_are_refused(folders):
    folder, meta = folders["mirna"]
    target = sorted(folder.rglob("*.mirnas.quantification.txt"))[0]
    lines = target.read_text().split("\n")
    lines[1] = "ENSG00000000003.15" + lines[1][lines[1].index("\t") :]
    target.write_text("\n".join(lines))
    with pytest.raises(InputError, match=r":2: row id 'ENSG00000000003\.15' is not a GDC miRNA file id"):
        read_gdc_mirna(folder, metadata=meta)


def test_float64_on_request_and_exact_counts(folders):
    folder, meta = folders["star"]
    x32 = read_gdc_star_counts(folder, metadata=meta)
    x64 = read_gdc_star_counts(folder, metadata=meta, dtype="float64")
    assert x32.X.dtype == np.float32 and x64.X.dtype == np.float64
    np.testing.assert_allclose(x32.X, x64.X, rtol=1e-6)
    np.testing.assert_array_equal(x32.layers["counts"], x64.layers["counts"])  # whole counts: exact

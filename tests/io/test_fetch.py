"""omicsdl fetch against the local GDC-like server (tests/_gdc_server.py), faults included.

The tests marked "regression (issue 13 hole 2/3)" fail on the main branch of
before the fix: a pre-placed ``.part`` symlink made fetch append outside its
folder, an endless body was stored without limit, ``--query`` paging trusted the
server's total, Ctrl-C waited for running downloads, ids were not URL-quoted and
a failing manifest left empty folders behind.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io import _fetch_query
from omicsdl.io._fetch_gdc import fetch_gdc
from omicsdl.io._fetch_manifest import (
    check_manifest_files,
    read_gdc_manifest,
    update_gdc_manifest,
    write_gdc_manifest,
)
from omicsdl.io._fetch_query import query_gdc_manifest, read_gdc_query
from omicsdl.io._gdc_mirna import read_gdc_mirna
from tests._gdc_server import ServedFile, serve
from tests.workflows._helpers import env

FAST = {"backoff": 0.001, "timeout": 5.0}
QUERY = {"project": "TCGA-LIHC", "data_type": "miRNA Expression Quantification"}


@pytest.fixture
def manifest(tmp_path, fake_gdc):
    path = tmp_path / "manifest.txt"
    path.write_text(fake_gdc.manifest_text())
    return path


def _first(gdc):
    file_id = next(iter(gdc.files))
    return file_id, gdc.files[file_id].record["file_name"], gdc.files[file_id].read()


def _ok(out, gdc) -> None:
    for file_id, served in gdc.files.items():
        path = out / file_id / served.record["file_name"]
        assert hashlib.md5(path.read_bytes()).hexdigest() == served.record["md5sum"]
    assert not list(out.rglob("*.part"))


def test_clean_download_gives_gdc_layout_and_readable_metadata(tmp_path, fake_gdc, manifest, test_data):
    out = tmp_path / "out"
    result = fetch_gdc(manifest, out, base_url=fake_gdc.url, n_jobs=3, **FAST)
    assert sorted(result.downloaded) == sorted(fake_gdc.files)
    assert result.retries == 0
    _ok(out, fake_gdc)
    meta = json.loads((out / "metadata.json").read_text())
    assert {m["file_id"] for m in meta} == set(fake_gdc.files)
    fetched = read_gdc_mirna(out, metadata=out / "metadata.json")
    original = read_gdc_mirna(
        test_data / "io" / "gdc_mirna", metadata=test_data / "io" / "metadata.LIHC.trimmed.json"
    )
    np.testing.assert_array_equal(fetched[original.obs_names].X, original.X)
    # a second run finds every file present and verified: no download
    before = len(fake_gdc.log)
    again = fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert sorted(again.present) == sorted(fake_gdc.files)
    assert len(fake_gdc.log) == before


def test_dropped_connection_is_resumed_with_range(tmp_path, fake_gdc, manifest):
    file_id, _, _ = _first(fake_gdc)
    fake_gdc.faults[file_id].extend(["drop", "drop"])
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert result.retries == 2
    ranges = fake_gdc.data_requests(file_id)
    assert ranges[0] == ""
    assert ranges[1].startswith("bytes=") and ranges[2].startswith("bytes=")
    assert int(ranges[2][6:-1]) > int(ranges[1][6:-1]) > 0
    _ok(tmp_path / "out", fake_gdc)


@pytest.mark.parametrize(
    ("fault", "retries"),
    [("500", 2), ("ignore_range", 1), (("truncate", 1000), 2)],  # ignore_range: the whole file, once more
)
def test_server_errors_and_truncation_are_retried(tmp_path, fake_gdc, manifest, fault, retries):
    file_id, _, _ = _first(fake_gdc)
    fake_gdc.faults[file_id].extend([("truncate", 3000), fault])
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert result.retries == retries
    assert fake_gdc.data_requests(file_id)[1] == "bytes=3000-"
    _ok(tmp_path / "out", fake_gdc)


def test_corrupted_byte_is_retried_and_never_kept(tmp_path, fake_gdc, manifest):
    file_id, name, _ = _first(fake_gdc)
    fake_gdc.faults[file_id].append("corrupt")
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert result.retries == 1
    _ok(tmp_path / "out", fake_gdc)
    # always corrupt: fails, and no file carries the final name
    out = tmp_path / "out2"
    fake_gdc.faults[file_id].extend(["corrupt"] * 3)
    with pytest.raises(InputError, match=r"(?s)1 file\(s\) failed after 2 retries.*md5 mismatch"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, retries=2, metadata=False, **FAST)
    assert not (out / file_id / name).exists()
    assert not (out / file_id).exists()  # nothing left: the folder went with the bad .part
    others = [i for i in fake_gdc.files if i != file_id]
    assert all((out / i / fake_gdc.files[i].record["file_name"]).is_file() for i in others)


@pytest.mark.parametrize("fault", ["long", "short"])
def test_wrong_size_from_the_server_is_refused_at_once(tmp_path, fake_gdc, manifest, fault):
    file_id, _name, data = _first(fake_gdc)
    fake_gdc.faults[file_id].extend([fault] * 3)
    out = tmp_path / "out"
    with pytest.raises(
        InputError,
        match=rf"(?s)not downloaded.*the server announces [\d,]+ bytes, the manifest says {len(data):,}",
    ):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert len(fake_gdc.data_requests(file_id)) == 1  # not retried: retrying cannot fix it
    assert not (out / file_id).exists()


def test_manifest_of_another_release_is_named_before_resuming(tmp_path, fake_gdc, manifest):
    file_id, name, data = _first(fake_gdc)
    lines = manifest.read_text().splitlines()
    wrong = [
        line.replace(f"\t{len(data)}\t", f"\t{len(data) + 7}\t") if file_id in line else line
        for line in lines
    ]
    manifest.write_text("\n".join(wrong) + "\n")
    out = tmp_path / "out"
    (out / file_id).mkdir(parents=True)
    (out / file_id / (name + ".part")).write_bytes(data[:1000])
    with pytest.raises(
        InputError,
        match=rf"the server says the file has {len(data):,} bytes, the manifest says {len(data) + 7:,}",
    ):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert fake_gdc.data_requests(file_id) == ["bytes=1000-"]
    assert (out / file_id / (name + ".part")).read_bytes() == data[:1000]  # kept, not extended


def test_a_finished_file_of_the_wrong_size_is_never_overwritten(tmp_path, fake_gdc, manifest):
    file_id, name, _data = _first(fake_gdc)
    out = tmp_path / "out"
    (out / file_id).mkdir(parents=True)
    (out / file_id / name).write_bytes(b"the user's own file\n")
    with pytest.raises(
        InputError, match=r"is already there with 20 bytes, the manifest says .*move the file away"
    ):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert (out / file_id / name).read_bytes() == b"the user's own file\n"
    assert fake_gdc.data_requests(file_id) == []


def test_partial_file_from_an_earlier_run_is_resumed(tmp_path, fake_gdc, manifest):
    file_id, name, data = _first(fake_gdc)
    out = tmp_path / "out"
    (out / file_id).mkdir(parents=True)
    (out / file_id / (name + ".part")).write_bytes(data[:1000])
    fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert fake_gdc.data_requests(file_id) == ["bytes=1000-"]
    _ok(out, fake_gdc)
    # a .part longer than the manifest size is discarded and the file downloaded again
    (out / file_id / name).rename(out / file_id / (name + ".part"))
    with (out / file_id / (name + ".part")).open("ab") as handle:
        handle.write(b"more")
    fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert fake_gdc.data_requests(file_id)[-1] == ""
    _ok(out, fake_gdc)


def test_missing_on_server_listed_or_skipped(tmp_path, fake_gdc, manifest):
    file_id, _, _ = _first(fake_gdc)
    fake_gdc.faults[file_id].extend(["404"] * 2)
    with pytest.raises(
        InputError, match=f"(?s)1 file\\(s\\) of the manifest are not on the server.*{file_id}"
    ):
        fetch_gdc(manifest, tmp_path / "a", base_url=fake_gdc.url, **FAST)
    result = fetch_gdc(manifest, tmp_path / "b", base_url=fake_gdc.url, skip_missing=True, **FAST)
    assert result.missing == [file_id]
    meta = json.loads((tmp_path / "b" / "metadata.json").read_text())
    assert file_id not in {m["file_id"] for m in meta}


# -- regression (issue 13 hole 2): no symlink inside the output folder is followed ----------------


@pytest.mark.parametrize("where", ["part", "final", "folder"])
def test_regression_symlinks_in_the_output_folder_are_refused(tmp_path, fake_gdc, manifest, where):
    file_id, name, _ = _first(fake_gdc)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_bytes(b"precious\n")
    out = tmp_path / "out"
    if where == "folder":
        out.mkdir()
        (out / file_id).symlink_to(outside, target_is_directory=True)
        outside.joinpath(name + ".part").symlink_to(victim)
    else:
        (out / file_id).mkdir(parents=True)
        (out / file_id / (name + (".part" if where == "part" else ""))).symlink_to(victim)
    with pytest.raises(InputError, match=r"(?s)not downloaded.*is a symbolic link"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert victim.read_bytes() == b"precious\n"
    assert sorted(p.name for p in outside.iterdir()) == sorted(
        ["victim.txt"] + ([name + ".part"] if where == "folder" else [])
    )
    others = [i for i in fake_gdc.files if i != file_id]
    assert all((out / i / fake_gdc.files[i].record["file_name"]).is_file() for i in others)


def test_regression_symlinked_metadata_json_is_refused(tmp_path, fake_gdc, manifest):
    victim = tmp_path / "victim.json"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "metadata.json").symlink_to(victim)
    with pytest.raises(InputError, match=r"metadata\.json: is a symbolic link"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, **FAST)
    assert victim.read_text() == "precious"
    assert fake_gdc.log == []


# -- regression (issue 13 hole 3): a bad server cannot make fetch do unbounded work -------------------


def test_regression_endless_body_is_cut_at_the_manifest_size(tmp_path, fake_gdc, manifest):
    file_id, _name, _data = _first(fake_gdc)
    fake_gdc.faults[file_id].append("endless")  # the file, then junk without end
    started = time.monotonic()
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert time.monotonic() - started < 10
    assert file_id in result.downloaded  # the first `size` bytes are the file: kept
    _ok(tmp_path / "out", fake_gdc)
    # junk from the first byte on (the md5 cannot match): refused, nothing beyond the size kept
    wrong = manifest.read_text().replace(fake_gdc.files[file_id].record["md5sum"], "0" * 32)
    manifest.write_text(wrong)
    fake_gdc.faults[file_id].append("endless")
    out = tmp_path / "out2"
    with pytest.raises(InputError, match="sent more than the manifest size"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert not (out / file_id).exists()
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("huge_total", "more than omicsdl lists"),
        ("repeat", "file listed twice by the server"),
        ("empty_early", "the listing ended after 3 of the 6 files"),
        ("growing", "listed more files than the 3 its first page announced"),
    ],
)
def test_regression_query_paging_is_bounded(fake_gdc, monkeypatch, mode, message):
    monkeypatch.setattr(_fetch_query, "_PAGE", 2)  # three files: two pages
    fake_gdc.paging = mode
    with pytest.raises(InputError, match=message):
        query_gdc_manifest(base_url=fake_gdc.url, **QUERY)
    assert fake_gdc.listing_requests() <= 3


def test_regression_endless_json_and_500s_from_the_files_endpoint(fake_gdc):
    fake_gdc.listing_faults.extend(["500", "500"])
    assert len(query_gdc_manifest(base_url=fake_gdc.url, **QUERY)) == 3  # retried
    fake_gdc.listing_faults.append("huge_json")
    with pytest.raises(InputError, match="sent more than"):
        query_gdc_manifest(base_url=fake_gdc.url, **QUERY)


def test_regression_ids_are_url_quoted(tmp_path):
    data = b"miRNA file stand-in\n"
    record = {
        "file_id": "abc?x=1",
        "file_name": "a.txt",
        "md5sum": hashlib.md5(data).hexdigest(),
        "file_size": len(data),
    }
    with serve([ServedFile(record, data=data)], lifetime=60) as gdc:
        manifest = tmp_path / "m.txt"
        manifest.write_text(gdc.manifest_text())
        result = fetch_gdc(manifest, tmp_path / "out", base_url=gdc.url, metadata=False, **FAST)
        assert result.downloaded == ["abc?x=1"]
        assert gdc.data_requests("abc?x=1") == [""]  # the whole id reached the server as the path
    assert (tmp_path / "out" / "abc?x=1" / "a.txt").read_bytes() == data


def test_regression_a_failing_manifest_leaves_no_empty_folder(tmp_path, fake_gdc, manifest):
    for file_id in fake_gdc.files:
        fake_gdc.faults[file_id].extend(["404"] * 2)
    out = tmp_path / "out"
    with pytest.raises(InputError, match="not on the server"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, **FAST)
    assert not out.exists()
    out.mkdir()
    with pytest.raises(InputError, match="not on the server"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, **FAST)
    assert list(out.iterdir()) == []  # the user's folder stays, empty as it was


def test_regression_ctrl_c_stops_within_a_second(tmp_path, fake_gdc, manifest):
    for file_id in fake_gdc.files:
        fake_gdc.faults[file_id].append("slow")  # 10 KiB/s: minutes per file
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "omicsdl", "fetch", "--manifest", str(manifest), "--out", str(out)]
    cmd += ["--base-url", fake_gdc.url, "--no-metadata"]
    proc = subprocess.Popen(cmd, env=env(), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until downloads are under way (bytes on disk)
        if any(p.stat().st_size for p in out.rglob("*.part")):
            break
        time.sleep(0.05)
    assert any(p.stat().st_size for p in out.rglob("*.part")), "no download started"
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, err = proc.communicate(timeout=30)
    waited = time.monotonic() - sent
    assert proc.returncode == 130, err
    # ~1 s on an idle machine (0.5 s grace, then exit); on a shared machine a process gets only a
    # share of a core, so the bound grows with the run queue per core (capped: a hang still fails)
    limit = min(10.0, 1.5 * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1)))
    assert waited < limit, f"Ctrl-C took {waited:.1f} s (limit {limit:.1f} s at this load)"
    assert "Traceback" not in err
    names = {served.record["file_name"] for served in fake_gdc.files.values()}
    assert not [p for p in out.rglob("*") if p.name in names]  # nothing under a final name
    # the next run resumes the partial files
    result = fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert sorted(result.downloaded) == sorted(fake_gdc.files)
    assert any(r.startswith("bytes=") for i in fake_gdc.files for r in fake_gdc.data_requests(i))
    _ok(out, fake_gdc)


# -- manifests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("id", "../evil"),
        ("id", "/etc"),
        ("id", "a/b"),
        ("id", ".."),
        ("filename", "../../x.txt"),
        ("filename", "sub\\x.txt"),
        ("filename", "/tmp/x.txt"),
        ("filename", ".hidden"),
    ],
)
def test_manifest_escaping_the_output_folder_is_refused(tmp_path, fake_gdc, manifest, column, value):
    lines = manifest.read_text().splitlines()
    fields = lines[1].split("\t")
    fields[0 if column == "id" else 1] = value
    manifest.write_text("\n".join([lines[0], "\t".join(fields), *lines[2:]]) + "\n")
    out = tmp_path / "out"
    with pytest.raises(
        InputError, match=f"manifest.txt:2: {column} .* would write outside the output folder"
    ):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, **FAST)
    assert not out.exists()
    assert fake_gdc.log == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "GDC manifest is empty"),
        ("id\tfilename\tmd5\tsize\tstate\n", "lists no file"),
        ("a,b,c\n", "not a GDC manifest"),
        ("id\tfilename\tmd5\tsize\tstate\nx\ty\n", ":2: row has 2 field"),
        ("id\tfilename\tmd5\tsize\tstate\nx\ty\tz\t1\treleased\n", "is not 32 hex digits"),
        (f"id\tfilename\tmd5\tsize\tstate\nx\ty\t{'a' * 32}\t-1\treleased\n", "is not a byte count"),
        (f"id\tfilename\tmd5\tsize\tstate\nx\ty\t{'a' * 32}\t1e3\treleased\n", "is not a byte count"),
    ],
)
def test_bad_manifests_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "m.txt"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_gdc_manifest(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ":1: GDC manifest is not UTF-8 text"),
        (b"\x89HDF\r\n\x1a\n" + b"\x00" * 100, ":1: GDC manifest is not UTF-8 text"),
        (gzip.compress(b"id\tfilename\tmd5\tsize\tstate\n" * 50)[:40], "GDC manifest"),
        (b"id\tfilename\tmd5\tsize\tstate\nx\ty\t" + b"a" * 32 + b"\t1\treleased\r\n", ""),
    ],
)
def test_binary_or_truncated_manifests_are_clear_errors_naming_the_file(tmp_path, data, message):
    path = tmp_path / "in.h5mu"
    path.write_bytes(data)
    if not message:  # a Windows line end is read, not refused
        assert [e.id for e in read_gdc_manifest(path)] == ["x"]
        return
    with pytest.raises(InputError, match=message) as info:
        read_gdc_manifest(path)
    assert str(path) in str(info.value)


def test_manifest_files_absent_from_a_folder(tmp_path, shared_data):
    lihc = shared_data / "tcga_lihc"
    with pytest.raises(
        InputError, match=r"(?s)347 of 425 file\(s\) listed in the manifest are absent.*and 337 more"
    ):
        check_manifest_files(lihc / "gdc_manifest.LIHC_mirna.txt", lihc / "gdc_mirna")
    present = check_manifest_files(
        lihc / "gdc_manifest.LIHC_mirna.txt", lihc / "gdc_mirna", skip_missing=True
    )
    assert len(present) == 78


def test_real_manifests_in_data_manifests_are_valid():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "data_manifests"
    assert len(read_gdc_manifest(root / "gdc_manifest.LIHC_mirna.txt")) == 425
    assert len(read_gdc_manifest(root / "gdc_manifest.LIHC_clinical.txt")) == 377
    for name in (
        "gdc_tcga_lihc_star_counts.yaml",
        "gdc_tcga_lihc_sesame_methylation.yaml",
        "gdc_tcga_lihc_clinical.yaml",
    ):
        query = read_gdc_query(root / name)
        assert query["project"] == "TCGA-LIHC"
    import yaml

    for path in root.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text())
        if path.name.startswith(("gdc_", "infinium_")):  # this definitions: full provenance
            assert {"source", "date", "licence", "citation"} <= set(doc), path.name


def test_query_writes_a_manifest(tmp_path, fake_gdc, manifest, monkeypatch):
    monkeypatch.setattr(_fetch_query, "_PAGE", 2)  # force paging over 3 files
    entries = query_gdc_manifest(base_url=fake_gdc.url, workflow_type="BCGSC miRNA Profiling", **QUERY)
    assert sorted(e.id for e in entries) == sorted(fake_gdc.files)
    written = write_gdc_manifest(entries, tmp_path / "q.txt")
    assert sorted(read_gdc_manifest(written), key=lambda e: e.id) == sorted(
        read_gdc_manifest(manifest), key=lambda e: e.id
    )
    with pytest.raises(InputError, match="matched no file"):
        query_gdc_manifest(
            base_url=fake_gdc.url, project="TCGA-BRCA", data_type="miRNA Expression Quantification"
        )


def test_update_manifest_keeps_an_unchanged_file_untouched(tmp_path, fake_gdc):
    entries = query_gdc_manifest(base_url=fake_gdc.url, **QUERY)
    path = tmp_path / "m.txt"
    assert update_gdc_manifest(entries, path).written
    os.utime(path, (1_000_000, 1_000_000))
    same = update_gdc_manifest(entries, path)
    assert not same.written and same.summary() == "unchanged"
    assert path.stat().st_mtime == 1_000_000
    change = update_gdc_manifest(entries[:2], path)
    assert change.written and change.removed == (entries[2].id,)
    assert len(read_gdc_manifest(path)) == 2


def test_fetch_gdc_query_writes_the_manifest_beside_the_yaml_then_downloads(tmp_path, fake_gdc):
    from omicsdl.io import fetch_gdc_query

    query = tmp_path / "lihc_mirna.yaml"
    query.write_text(
        "gdc_query:\n  project: TCGA-LIHC\n  data_type: miRNA Expression Quantification\n"
        "source: test\nlicence: GDC open access\ncitation: TCGA\n"
    )
    only = fetch_gdc_query(query, base_url=fake_gdc.url, **FAST)
    assert (
        only.manifest == tmp_path / "lihc_mirna.manifest.txt" and only.n_files == 3 and only.fetched is None
    )
    run = fetch_gdc_query(
        {"project": "TCGA-LIHC", "data_type": "miRNA Expression Quantification", "workflow_type": None},
        manifest=tmp_path / "adhoc.txt",
        out=tmp_path / "out",
        base_url=fake_gdc.url,
        **FAST,
    )
    assert len(read_gdc_manifest(run.manifest)) == 3
    assert sorted(run.fetched.downloaded) == sorted(fake_gdc.files)
    _ok(tmp_path / "out", fake_gdc)
    with pytest.raises(InputError, match="needs a manifest path"):
        fetch_gdc_query({"project": "TCGA-LIHC", "data_type": "x"}, base_url=fake_gdc.url)


def test_all_78_real_files_with_faults(tmp_path, fake_gdc_78):
    ids = list(fake_gdc_78.files)
    for n, file_id in enumerate(ids[:12]):
        fake_gdc_78.faults[file_id].append(("drop", "corrupt", "500")[n % 3])
    manifest = tmp_path / "m.txt"
    manifest.write_text(fake_gdc_78.manifest_text())
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc_78.url, n_jobs=4, **FAST)
    assert len(result.downloaded) == 78
    assert result.retries == 12
    _ok(tmp_path / "out", fake_gdc_78)
    adata = read_gdc_mirna(tmp_path / "out", metadata=result.metadata_path)
    assert adata.n_obs == 78


def test_cli_fetch_manifest_and_query(tmp_path, fake_gdc, manifest, capsys):
    from omicsdl.cli import main

    out = tmp_path / "cli"
    args = ["fetch", "--manifest", str(manifest), "--out", str(out), "--base-url", fake_gdc.url]
    assert main([*args, "--backoff", "0.001"]) == 0
    _ok(out, fake_gdc)
    assert (out / "metadata.json").is_file()
    query = tmp_path / "q.yaml"
    query.write_text(
        "gdc_query:\n  project: TCGA-LIHC\n  data_type: miRNA Expression Quantification\n"
        "source: test\nlicence: GDC open access\ncitation: TCGA\n"
    )
    assert main(["fetch", "--query", str(query), "--base-url", fake_gdc.url]) == 0
    assert len(read_gdc_manifest(tmp_path / "q.manifest.txt")) == 3
    bad = tmp_path / "bad.txt"
    bad.write_text(manifest.read_text().replace(next(iter(fake_gdc.files)), "../../etc"))
    capsys.readouterr()
    assert main(["fetch", "--manifest", str(bad), "--out", str(out), "--base-url", fake_gdc.url]) == 2
    assert "would write outside the output folder" in capsys.readouterr().err


def test_cli_default_url_matches_the_library():
    from omicsdl.cli import _cmd_fetch
    from omicsdl.io import _fetch_gdc

    assert _cmd_fetch.DEFAULT_GDC_URL == _fetch_gdc.DEFAULT_GDC_URL

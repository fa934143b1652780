"""omicsdl fetch against a real HTTP server on 127.0.0.1 (see conftest.FakeGDC)."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io import _fetch_query
from omicsdl.io._fetch_gdc import fetch_gdc
from omicsdl.io._fetch_manifest import check_manifest_files, read_gdc_manifest, write_gdc_manifest
from omicsdl.io._fetch_query import query_gdc_manifest, read_gdc_query
from omicsdl.io._gdc_mirna import read_gdc_mirna

FAST = {"backoff": 0.001, "timeout": 5.0}


@pytest.fixture
def manifest(tmp_path, fake_gdc):
    path = tmp_path / "manifest.txt"
    path.write_text(fake_gdc.manifest_lines())
    return path


def _ok(out, gdc) -> None:
    for file_id, data in gdc.files.items():
        path = out / file_id / gdc.records[file_id]["file_name"]
        assert hashlib.md5(path.read_bytes()).hexdigest() == hashlib.md5(data).hexdigest()
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
    file_id = next(iter(fake_gdc.files))
    fake_gdc.faults[file_id].extend(["drop", "drop"])
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert result.retries == 2
    ranges = fake_gdc.data_requests(file_id)
    assert ranges[0] == ""
    assert ranges[1].startswith("bytes=")
    assert ranges[2].startswith("bytes=")
    assert int(ranges[2][6:-1]) > int(ranges[1][6:-1]) > 0
    _ok(tmp_path / "out", fake_gdc)


def test_corrupted_byte_is_retried_and_never_kept(tmp_path, fake_gdc, manifest):
    file_id = next(iter(fake_gdc.files))
    fake_gdc.faults[file_id].append("corrupt")
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc.url, metadata=False, **FAST)
    assert result.retries == 1
    _ok(tmp_path / "out", fake_gdc)
    # always corrupt: fails, and no file carries the final name
    out = tmp_path / "out2"
    fake_gdc.faults[file_id].extend(["corrupt"] * 3)
    with pytest.raises(InputError, match=r"(?s)1 file\(s\) failed after 2 retries.*md5 mismatch"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, retries=2, metadata=False, **FAST)
    name = fake_gdc.records[file_id]["file_name"]
    assert not (out / file_id / name).exists()
    assert not (out / file_id / (name + ".part")).exists()
    others = [i for i in fake_gdc.files if i != file_id]
    assert all((out / i / fake_gdc.records[i]["file_name"]).is_file() for i in others)


def test_wrong_size_is_refused(tmp_path, fake_gdc, manifest):
    file_id = next(iter(fake_gdc.files))
    fake_gdc.faults[file_id].extend(["long"] * 2)
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"wrong size: received \d+ bytes, the manifest says"):
        fetch_gdc(manifest, out, base_url=fake_gdc.url, retries=1, metadata=False, **FAST)
    assert not (out / file_id / fake_gdc.records[file_id]["file_name"]).exists()
    # a manifest whose size is wrong never yields a file either
    lines = manifest.read_text().splitlines()
    fields = lines[1].split("\t")
    fields[3] = str(int(fields[3]) + 7)
    manifest.write_text("\n".join([lines[0], "\t".join(fields)]) + "\n")
    with pytest.raises(InputError, match="connection ended after"):
        fetch_gdc(manifest, tmp_path / "out3", base_url=fake_gdc.url, retries=1, metadata=False, **FAST)


def test_partial_file_from_an_earlier_run_is_resumed(tmp_path, fake_gdc, manifest):
    file_id = next(iter(fake_gdc.files))
    name = fake_gdc.records[file_id]["file_name"]
    out = tmp_path / "out"
    (out / file_id).mkdir(parents=True)
    (out / file_id / (name + ".part")).write_bytes(fake_gdc.files[file_id][:1000])
    fetch_gdc(manifest, out, base_url=fake_gdc.url, metadata=False, **FAST)
    assert fake_gdc.data_requests(file_id) == ["bytes=1000-"]
    _ok(out, fake_gdc)


def test_missing_on_server_listed_or_skipped(tmp_path, fake_gdc, manifest):
    file_id = next(iter(fake_gdc.files))
    fake_gdc.faults[file_id].extend(["404"] * 2)
    with pytest.raises(
        InputError, match=f"(?s)1 file\\(s\\) of the manifest are not on the server.*{file_id}"
    ):
        fetch_gdc(manifest, tmp_path / "a", base_url=fake_gdc.url, **FAST)
    result = fetch_gdc(manifest, tmp_path / "b", base_url=fake_gdc.url, skip_missing=True, **FAST)
    assert result.missing == [file_id]
    meta = json.loads((tmp_path / "b" / "metadata.json").read_text())
    assert file_id not in {m["file_id"] for m in meta}


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
    assert not any(out.rglob("*")) if out.exists() else True
    assert fake_gdc.log == []


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
    entries = query_gdc_manifest(
        base_url=fake_gdc.url,
        project="TCGA-LIHC",
        data_type="miRNA Expression Quantification",
        workflow_type="BCGSC miRNA Profiling",
    )
    assert sorted(e.id for e in entries) == sorted(fake_gdc.files)
    written = write_gdc_manifest(entries, tmp_path / "q.txt")
    assert sorted(read_gdc_manifest(written), key=lambda e: e.id) == sorted(
        read_gdc_manifest(manifest), key=lambda e: e.id
    )
    with pytest.raises(InputError, match="matched no file"):
        query_gdc_manifest(
            base_url=fake_gdc.url, project="TCGA-BRCA", data_type="miRNA Expression Quantification"
        )


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
        fake_gdc_78.faults[file_id].append(("drop", "corrupt", "long")[n % 3])
    manifest = tmp_path / "m.txt"
    manifest.write_text(fake_gdc_78.manifest_lines())
    result = fetch_gdc(manifest, tmp_path / "out", base_url=fake_gdc_78.url, n_jobs=4, **FAST)
    assert len(result.downloaded) == 78
    assert result.retries == 12
    _ok(tmp_path / "out", fake_gdc_78)
    adata = read_gdc_mirna(tmp_path / "out", metadata=result.metadata_path)
    assert adata.n_obs == 78


def test_cli_fetch_manifest_and_query(tmp_path, fake_gdc, manifest):
    from omicsdl.cli import main

    out = tmp_path / "cli"
    args = [
        "fetch",
        "--manifest",
        str(manifest),
        "--out",
        str(out),
        "--base-url",
        fake_gdc.url,
        "--backoff",
        "0.001",
    ]
    assert main(args) == 0
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
    assert main(["fetch", "--manifest", str(bad), "--out", str(out), "--base-url", fake_gdc.url]) == 2


def test_cli_default_url_matches_the_library():
    from omicsdl.cli import _cmd_fetch
    from omicsdl.io import _fetch_gdc

    assert _cmd_fetch.DEFAULT_GDC_URL == _fetch_gdc.DEFAULT_GDC_URL

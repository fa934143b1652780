"""GDC miRNA quantification files: real files, barcodes from the metadata, bad input."""

from __future__ import annotations

import gzip
import json
import shutil
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_metadata import read_gdc_metadata
from omicsdl.io._gdc_mirna import read_gdc_mirna
from omicsdl.io._select_samples import select_samples

if TYPE_CHECKING:
    from pathlib import Path

FIXTURE_BARCODES = {
    "TCGA-BC-A10Q-01A-11R-A130-13",
    "TCGA-BC-A10Q-11A-11R-A130-13",
    "TCGA-EP-A2KA-01A-11R-A17X-13",
}


@pytest.fixture
def mirna_dir(test_data):
    return test_data / "io" / "gdc_mirna"


@pytest.fixture
def mirna_meta(test_data):
    return test_data / "io" / "metadata.LIHC.trimmed.json"


def _raw_value(path: Path, mirna: str, column: int) -> float:
    """Value read straight from the raw text, without pandas."""
    for line in path.read_text().splitlines()[1:]:
        fields = line.split("\t")
        if fields[0] == mirna:
            return float(fields[column])
    raise KeyError(mirna)


def test_fixture_files_get_their_barcodes_and_values(mirna_dir, mirna_meta):
    adata = read_gdc_mirna(mirna_dir, metadata=mirna_meta)
    assert set(adata.obs_names) == FIXTURE_BARCODES
    assert adata.shape == (3, 1881)
    meta = json.loads(mirna_meta.read_text())
    for record in meta:
        barcode = record["associated_entities"][0]["entity_submitter_id"]
        path = mirna_dir / record["file_id"] / record["file_name"]
        for mirna in ("hsa-let-7a-1", "hsa-mir-122", "hsa-mir-21", "hsa-mir-99b"):
            col = adata.var_names.get_loc(mirna)
            assert adata[barcode].X[0, col] == pytest.approx(_raw_value(path, mirna, 2), rel=1e-12)
            assert adata[barcode].layers["counts"][0, col] == _raw_value(path, mirna, 1)
        assert adata.obs.loc[barcode, "file_id"] == record["file_id"]
    # annotations beside the data are categories in obs, never rows of data
    assert adata.obs.loc["TCGA-BC-A10Q-01A-11R-A130-13", "gdc_annotations"] == "General"
    assert adata.obs.loc["TCGA-EP-A2KA-01A-11R-A17X-13", "gdc_annotations"] == ""


def test_all_78_real_files_match_metadata_and_raw_text(shared_data):
    lihc = shared_data / "tcga_lihc"
    adata = read_gdc_mirna(lihc / "gdc_mirna", metadata=lihc / "metadata.LIHC.json")
    assert adata.shape == (78, 1881)
    assert adata.obs["sample_type_code"].value_counts().to_dict() == {"01": 60, "11": 15, "02": 3}
    meta = {r["file_id"]: r for r in json.loads((lihc / "metadata.LIHC.json").read_text())}
    rng = np.random.default_rng(3)
    for barcode in rng.choice(adata.obs_names, size=10, replace=False):
        record = meta[adata.obs.loc[barcode, "file_id"]]
        assert record["associated_entities"][0]["entity_submitter_id"] == barcode
        path = lihc / "gdc_mirna" / record["file_id"] / record["file_name"]
        for mirna in rng.choice(adata.var_names, size=5, replace=False):
            col = adata.var_names.get_loc(mirna)
            assert adata[barcode].X[0, col] == pytest.approx(_raw_value(path, mirna, 2), rel=1e-12)
            assert adata[barcode].layers["counts"][0, col] == _raw_value(path, mirna, 1)
    np.testing.assert_allclose(adata.X.sum(axis=1), 1e6, rtol=1e-6)
    primary = select_samples(adata)
    assert primary.n_obs == 60
    assert primary.obs_names.str.len().unique().tolist() == [12]
    assert (primary.obs["sample_barcode"].str[13:15] == "01").all()


def test_sample_sheet_gives_sample_level_barcodes(tmp_path, mirna_dir, mirna_meta):
    meta = read_gdc_metadata(mirna_meta)
    sheet = pd.DataFrame(
        {
            "File ID": meta.index,
            "File Name": meta["file_name"],
            "Data Category": "Transcriptome Profiling",
            "Data Type": "miRNA Expression Quantification",
            "Project ID": "TCGA-LIHC",
            "Case ID": meta["barcode"].str[:12],
            "Sample ID": meta["barcode"].str[:16],
            "Sample Type": "Primary Tumor",
        }
    )
    sheet.to_csv(tmp_path / "gdc_sample_sheet.tsv", sep="\t", index=False)
    adata = read_gdc_mirna(mirna_dir, metadata=tmp_path / "gdc_sample_sheet.tsv")
    assert set(adata.obs_names) == {b[:16] for b in FIXTURE_BARCODES}
    assert (adata.obs["project"] == "TCGA-LIHC").all()


def test_unknown_file_is_named_or_skipped(tmp_path, mirna_dir, mirna_meta):
    meta = json.loads(mirna_meta.read_text())
    (tmp_path / "meta.json").write_text(json.dumps(meta[1:]))
    with pytest.raises(InputError, match=r"(?s)1 file\(s\) have no barcode.*" + meta[0]["file_name"][:8]):
        read_gdc_mirna(mirna_dir, metadata=tmp_path / "meta.json")
    adata = read_gdc_mirna(mirna_dir, metadata=tmp_path / "meta.json", on_unknown="skip")
    assert adata.n_obs == 2


def test_annotation_file_passed_as_data_is_refused(mirna_dir, mirna_meta):
    annotation = next(mirna_dir.rglob("annotations.txt"))
    with pytest.raises(InputError, match="annotation file, not a data file"):
        read_gdc_mirna([annotation], metadata=mirna_meta)


def _copy(mirna_dir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "gdc"
    shutil.copytree(mirna_dir, dest)
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


def test_duplicate_aliquot_is_refused(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    meta = json.loads(mirna_meta.read_text())
    twin = dict(
        meta[0], file_id="00000000-0000-0000-0000-000000000000", file_name="twin.mirnas.quantification.txt"
    )
    (dest / twin["file_id"]).mkdir()
    shutil.copy(dest / meta[0]["file_id"] / meta[0]["file_name"], dest / twin["file_id"] / twin["file_name"])
    (tmp_path / "meta.json").write_text(json.dumps([*meta, twin]))
    barcode = meta[0]["associated_entities"][0]["entity_submitter_id"]
    with pytest.raises(InputError, match=f"aliquot {barcode} is measured by 2 files"):
        read_gdc_mirna(dest, metadata=tmp_path / "meta.json")


def test_wrong_header_is_refused(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    path = next(dest.rglob("*.quantification.txt"))
    path.write_text(path.read_text().replace("reads_per_million_miRNA_mapped", "rpm", 1))
    with pytest.raises(InputError, match=r"quantification.txt:1: unexpected header"):
        read_gdc_mirna(dest, metadata=mirna_meta)


def test_wrong_units_are_refused(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    path = next(dest.rglob("*.quantification.txt"))
    lines = path.read_text().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        f = line.split("\t")
        f[2] = repr(float(np.log2(float(f[2]) + 1)))  # log2(RPM + 1): wrong units
        out.append("\t".join(f))
    path.write_text("\n".join(out) + "\n")
    with pytest.raises(InputError, match=r"sums to .*not one million"):
        read_gdc_mirna(dest, metadata=mirna_meta)


def test_corrupt_row_names_file_and_line(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    path = next(dest.rglob("*.quantification.txt"))
    lines = path.read_text().splitlines()
    lines[10] = lines[10].replace("\t", "\tx", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"quantification.txt:11: value 'x\d+' in column 2 is not a number"):
        read_gdc_mirna(dest, metadata=mirna_meta)


def test_gzip_files_are_read_and_truncated_gzip_refused(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    meta = json.loads(mirna_meta.read_text())
    path = next(dest.rglob("*.quantification.txt"))
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    for record in meta:
        if record["file_name"] == path.name:
            record["file_name"] = gz.name
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    plain = read_gdc_mirna(mirna_dir, metadata=mirna_meta)
    zipped = read_gdc_mirna(dest, metadata=tmp_path / "meta.json")
    np.testing.assert_array_equal(zipped[plain.obs_names].X, plain.X)
    gz.write_bytes(gz.read_bytes()[:-100])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        read_gdc_mirna(dest, metadata=tmp_path / "meta.json")


def test_reordered_rows_are_aligned(tmp_path, mirna_dir, mirna_meta):
    dest = _copy(mirna_dir, tmp_path)
    path = next(dest.rglob("*.quantification.txt"))
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    plain = read_gdc_mirna(mirna_dir, metadata=mirna_meta)
    shuffled = read_gdc_mirna(dest, metadata=mirna_meta)
    np.testing.assert_array_equal(shuffled[plain.obs_names].X, plain.X)


def test_select_samples_duplicates(mirna_dir, mirna_meta):
    adata = read_gdc_mirna(mirna_dir, metadata=mirna_meta)
    both = select_samples(adata, sample_types=("01", "11"))
    assert both.obs.loc["TCGA-BC-A10Q", "sample_barcode"] == "TCGA-BC-A10Q-01A-11R-A130-13"
    with pytest.raises(InputError, match="TCGA-BC-A10Q has 2 samples"):
        select_samples(adata, sample_types=("01", "11"), duplicates="error")
    normals = select_samples(adata, sample_types=("11",))
    assert list(normals.obs_names) == ["TCGA-BC-A10Q"]
    with pytest.raises(InputError, match="unknown sample-type code"):
        select_samples(adata, sample_types=("99",))


def test_malformed_barcode_in_metadata(tmp_path, mirna_dir, mirna_meta):
    meta = json.loads(mirna_meta.read_text())
    meta[0]["associated_entities"][0]["entity_submitter_id"] = "SAMPLE-17"
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="'SAMPLE-17' is not a TCGA barcode"):
        read_gdc_mirna(mirna_dir, metadata=tmp_path / "meta.json")


def test_annotations_in_the_folder_are_not_rows(mirna_dir, mirna_meta):
    assert len(list(mirna_dir.rglob("annotations.txt"))) == 2
    adata = read_gdc_mirna(mirna_dir, metadata=mirna_meta)
    assert adata.n_obs == 3
    assert (adata.obs["gdc_annotations"] != "").sum() == 2

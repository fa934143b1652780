"""read_cohort / omicsdl ingest: mixing GDC files, matrices and clinical sources; drop report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io._cohort import read_h5mu
from omicsdl.io._read_cohort import dropped_table, read_cohort


def test_fixture_cohort_keeps_primaries_and_reports_drops(test_data):
    io_data = test_data / "io"
    mdata = read_cohort(
        {"mirna": io_data / "gdc_mirna"},
        io_data / "gdc_clinical_xml",
        metadata={"mirna": io_data / "metadata.LIHC.trimmed.json"},
        project="TCGA-LIHC",
    )
    assert sorted(mdata.obs_names) == ["TCGA-BC-A10Q", "TCGA-EP-A2KA"]
    assert mdata["mirna"].obs.loc["TCGA-BC-A10Q", "sample_barcode"] == "TCGA-BC-A10Q-01A-11R-A130-13"
    assert mdata.obs.loc["TCGA-EP-A2KA", "os_days"] == 627
    assert bool(mdata.obs.loc["TCGA-EP-A2KA", "os_event"])
    dropped = dropped_table(mdata)
    assert dropped.to_dict("records") == [
        {
            "step": "mirna: sample selection",
            "id": "TCGA-BC-A10Q-11A-11R-A130-13",
            "patient": "TCGA-BC-A10Q",
            "reason": "sample type 11 (Solid Tissue Normal) not kept",
        }
    ]
    normals = read_cohort(
        {"mirna": io_data / "gdc_mirna"},
        io_data / "gdc_clinical_xml",
        metadata={"mirna": io_data / "metadata.LIHC.trimmed.json"},
        sample_types=["11"],
    )
    assert list(normals.obs_names) == ["TCGA-BC-A10Q"]
    assert set(dropped_table(normals)["step"]) == {"mirna: sample selection", "clinical: no omics"}


def test_mixed_sources_on_real_data(shared_data):
    lihc = shared_data / "tcga_lihc"
    mdata = read_cohort(
        {"mirna": lihc / "gdc_mirna", "rna": lihc / "matched" / "rna_first365genes.csv.gz"},
        [lihc / "gdc_clinical_xml", lihc / "tables" / "xena_LIHC_clinicalMatrix.tsv.gz"],
        metadata={"mirna": lihc / "metadata.LIHC.json"},
        project="TCGA-LIHC",
    )
    dropped = dropped_table(mdata)
    counts = dropped.groupby("step").size().to_dict()
    assert counts["mirna: sample selection"] == 18  # 15 normals + 3 recurrent
    # 6 patients of the clinical sources lack overall survival; none is kept
    lacking = set(dropped.loc[dropped["step"] == "clinical: survival", "patient"])
    assert len(lacking) == 6
    assert not lacking & set(mdata.obs_names)
    assert mdata["rna"].n_obs == 354
    assert mdata["mirna"].n_obs == 58
    # XML survival wins for the XML patients; Xena supplies recurrence-free survival
    assert mdata.obs.loc["TCGA-EP-A2KA", "os_days"] == 627
    assert mdata.obs["rfs_days"].notna().sum() > 200
    assert mdata.obs["os_days"].notna().all()
    # every patient dropped is accounted for: omics patients = kept + dropped at the joins
    rna_ids = set(mdata["rna"].obs_names) | set(
        dropped.loc[dropped["step"] == "rna: clinical join", "patient"]
    )
    assert len(rna_ids) == 360


def test_non_tcga_cohort_and_no_overlap(shared_data, tmp_path):
    path = shared_data / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz"
    frame = pd.read_csv(path, index_col=0)
    expr = frame.drop(columns=["OS", "OStime"]).clip(lower=0)  # log2 values; the cohort wants >= 0
    expr.iloc[:20].to_csv(tmp_path / "expr.csv")
    import anndata as ad

    mdata = read_cohort({"rna": ad.AnnData(expr.iloc[:20])}, path)
    assert mdata.n_obs == 20
    assert (dropped_table(mdata)["step"] == "clinical: no omics").sum() == 130
    with pytest.raises(InputError, match="no patient in common with the clinical data"):
        read_cohort(
            {"rna": ad.AnnData(expr.iloc[:20])}, shared_data / "tcga_lihc" / "matched" / "survival.tsv"
        )


def test_cli_ingest_writes_cohort_and_report(tmp_path, test_data):
    from omicsdl.cli import main

    io_data = test_data / "io"
    out = tmp_path / "c.h5mu"
    args = [
        "ingest",
        "--mirna", str(io_data / "gdc_mirna"),
        "--mirna-metadata", str(io_data / "metadata.LIHC.trimmed.json"),
        "--clinical", str(io_data / "gdc_clinical_xml"),
        "--out", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    mdata = read_h5mu(out, require_survival=True)
    assert mdata.n_obs == 2
    report = pd.read_csv(tmp_path / "c.h5mu.dropped.tsv", sep="\t")
    assert report["id"].tolist() == ["TCGA-BC-A10Q-11A-11R-A130-13"]
    np.testing.assert_array_equal(dropped_table(mdata)["id"], report["id"])
    # a re-run replaces the cohort it wrote (an .h5mu starts with a 512-byte user block before
    # the HDF5 signature), and refuses a file omicsdl did not write
    assert main(args) == 0
    mine = tmp_path / "mine.h5mu"
    mine.write_bytes(b"my notes\n")
    assert main([*args[:-1], str(mine)]) == 2
    assert mine.read_bytes() == b"my notes\n"
    # a manifest listing files absent from the folder: listed, or skipped on request
    manifest = tmp_path / "m.txt"
    manifest.write_text(
        "id\tfilename\tmd5\tsize\tstate\n"
        "00000000-0000-0000-0000-000000000000\tabsent.mirnas.quantification.txt\t"
        + "0" * 32
        + "\t10\treleased\n"
    )
    assert main([*args, "--manifest", f"mirna={manifest}"]) == 2
    assert main([*args, "--manifest", f"rna={manifest}"]) == 2


def test_cli_ingest_reads_exactly_the_manifest_files(tmp_path, test_data):
    import hashlib

    from omicsdl.cli import main

    io_data = test_data / "io"
    files = sorted((io_data / "gdc_mirna").glob("*/*.quantification.txt"))
    chosen = [f for f in files if f.parent.name != "449cdcd7-807d-4dcb-8bc7-eec3e53828f1"]  # not EP-A2KA
    lines = ["id\tfilename\tmd5\tsize\tstate"] + [
        f"{f.parent.name}\t{f.name}\t{hashlib.md5(f.read_bytes()).hexdigest()}\t{f.stat().st_size}\treleased"
        for f in chosen
    ]
    manifest = tmp_path / "m.txt"
    manifest.write_text("\n".join(lines) + "\n")
    out = tmp_path / "c.h5mu"
    args = [
        "ingest",
        "--mirna", str(io_data / "gdc_mirna"),
        "--mirna-metadata", str(io_data / "metadata.LIHC.trimmed.json"),
        "--manifest", f"mirna={manifest}",
        "--clinical", str(io_data / "gdc_clinical_xml"),
        "--sample-types", "01", "11",
        "--out", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    mdata = read_h5mu(out)
    # two files listed: both BC-A10Q aliquots (01 and 11) -> one patient, the primary kept
    assert list(mdata.obs_names) == ["TCGA-BC-A10Q"]
    report = pd.read_csv(tmp_path / "c.h5mu.dropped.tsv", sep="\t")
    assert report["reason"].str.contains("duplicate sample of the patient; kept TCGA-BC-A10Q-01A").any()


def test_read_cohort_with_a_manifest_reads_only_its_files(tmp_path, test_data):
    import hashlib

    io_data = test_data / "io"
    files = sorted((io_data / "gdc_mirna").glob("*/*.quantification.txt"))
    chosen = [f for f in files if f.parent.name != "449cdcd7-807d-4dcb-8bc7-eec3e53828f1"]  # not EP-A2KA
    manifest = tmp_path / "m.txt"
    manifest.write_text(
        "\n".join(
            ["id\tfilename\tmd5\tsize\tstate"]
            + [
                f"{f.parent.name}\t{f.name}\t{hashlib.md5(f.read_bytes()).hexdigest()}\t{f.stat().st_size}\treleased"
                for f in chosen
            ]
        )
        + "\n"
    )
    kwargs = {"metadata": {"mirna": io_data / "metadata.LIHC.trimmed.json"}}
    mdata = read_cohort(
        {"mirna": io_data / "gdc_mirna"},
        io_data / "gdc_clinical_xml",
        manifests={"mirna": manifest},
        **kwargs,
    )
    assert list(mdata.obs_names) == ["TCGA-BC-A10Q"]
    with pytest.raises(InputError, match="a manifest is given for rna, which is not among the modalities"):
        read_cohort(
            {"mirna": io_data / "gdc_mirna"}, io_data / "gdc_clinical_xml", manifests={"rna": manifest}
        )


def test_samples_are_chosen_before_any_file_is_read(tmp_path, test_data):
    import shutil

    io_data = test_data / "io"
    folder = tmp_path / "gdc_mirna"
    shutil.copytree(io_data / "gdc_mirna", folder)
    normal = next((folder / "f4b080cb-bbd2-44d3-a9ca-3bbe84713d43").glob("*.mirnas.quantification.txt"))
    normal.write_text("garbage\n")  # the solid-tissue normal: never read, so never an error
    mdata = read_cohort(
        {"mirna": folder},
        io_data / "gdc_clinical_xml",
        metadata={"mirna": io_data / "metadata.LIHC.trimmed.json"},
    )
    assert sorted(mdata.obs_names) == ["TCGA-BC-A10Q", "TCGA-EP-A2KA"]
    assert mdata["mirna"].X.dtype == np.float32
    with pytest.raises(InputError, match=r"unexpected header .garbage."):  # asked for: read, and refused
        read_cohort(
            {"mirna": folder},
            io_data / "gdc_clinical_xml",
            metadata={"mirna": io_data / "metadata.LIHC.trimmed.json"},
            sample_types=["11"],
        )

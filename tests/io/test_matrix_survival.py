"""Mirror matrices (Firehose/DeepProg, Xena, plain) and survival/clinical tables."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io._clinical_tables import read_survival
from omicsdl.io._matrix import read_matrix


@pytest.fixture
def small_firehose(tmp_path):
    """REAL values: the first 4 samples x 5 miRNAs of matched/mir.tsv.gz, written here as a Firehose table."""
    text = (
        "Samples\thsa-let-7a-1\thsa-let-7a-2\thsa-let-7a-3\thsa-let-7b\thsa-let-7c\n"
        "TCGA.2V.A95S.01\t4045.749542\t8128.517796\t4073.455371\t7810.249993\t314.077006\n"
        "TCGA.2Y.A9GS.01\t8396.10\t16839.09\t8427.22\t11426.63\t1216.02\n"
        "TCGA.2Y.A9GT.01\t11209.20\t22350.32\t11253.87\t16338.82\t1135.25\n"
        "TCGA.2Y.A9GU.01\t10318.41\t20602.07\t10335.55\t9498.91\t812.61\n"
    )
    path = tmp_path / "mir.tsv"
    path.write_text(text)
    return path


def test_firehose_and_xena_orientations_agree(tmp_path, small_firehose):
    firehose = read_matrix(small_firehose, modality="mirna")
    assert firehose.uns["omicsdl"]["orientation"] == "samples_x_features"
    assert list(firehose.obs_names[:2]) == ["TCGA-2V-A95S-01", "TCGA-2Y-A9GS-01"]
    assert firehose[0, "hsa-let-7a-1"].X.item() == pytest.approx(4045.749542)
    frame = pd.read_csv(small_firehose, sep="\t", index_col=0)
    frame.index = frame.index.str.replace(".", "-")
    frame.T.rename_axis("sample").to_csv(tmp_path / "xena.tsv.gz", sep="\t")
    xena = read_matrix(tmp_path / "xena.tsv.gz")
    assert xena.uns["omicsdl"]["orientation"] == "features_x_samples"
    np.testing.assert_allclose(xena[firehose.obs_names, firehose.var_names].X, firehose.X)


def test_ambiguous_orientation_asks(shared_data):
    path = shared_data / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz"
    with pytest.raises(InputError, match=r"cannot tell samples from features.*neither axis"):
        read_matrix(path)
    adata = read_matrix(path, orientation="samples_x_features")
    assert adata.shape == (150, 1002)


def test_matched_matrices_equal_the_demo(shared_data):
    import omicsdl as od

    demo_cohort = od.datasets.tcga_lihc_demo()
    matched = shared_data / "tcga_lihc" / "matched"
    for name, modality in (
        ("rna_first365genes.csv.gz", "rna"),
        ("meth_first365genes_chr1.csv.gz", "methylation"),
    ):
        adata = read_matrix(matched / name, modality=modality)
        assert adata.shape == (360, 365)
        adata.obs_names = adata.obs_names.str[:12]
        demo = demo_cohort[modality]
        assert list(adata.var_names) == list(demo.var["symbol"])  # AGAP4 / AGAP4.1, unnamed_gene_01..12
        assert list(demo.var_names) == [f"{modality}:{g}" for g in adata.var_names]
        np.testing.assert_allclose(adata[demo.obs_names].X, demo.X, rtol=1e-6)


def test_matrix_bad_input(tmp_path, small_firehose):
    text = small_firehose.read_text()
    bad = tmp_path / "bad.tsv"
    bad.write_text(text.replace("1216.02", "12x6"))
    with pytest.raises(
        InputError, match=r"bad.tsv:3 \[TCGA.2Y.A9GS.01 / hsa-let-7c\]: value '12x6' is not a number"
    ):
        read_matrix(bad)
    bad.write_text(text.replace("4045.749542", "-4.1"))
    with pytest.raises(InputError, match="negative mirna expression"):
        read_matrix(bad, modality="mirna")
    with pytest.raises(InputError, match=r"not a beta value in \[0, 1\]"):
        read_matrix(small_firehose, modality="methylation")
    bad.write_text(text.replace("TCGA.2Y.A9GT.01", "TCGA.2Y.A9GS.01"))
    with pytest.raises(InputError, match="sample TCGA-2Y-A9GS-01 appears more than once"):
        read_matrix(bad)
    bad.write_text(text.replace("hsa-let-7c", "hsa-let-7b"))
    with pytest.raises(InputError, match="appear more than once"):
        read_matrix(bad, duplicates="error")
    assert read_matrix(bad, duplicates="mean").n_vars == 4
    assert "hsa-let-7b.1" in read_matrix(bad).var_names
    gz = tmp_path / "m.tsv.gz"
    gz.write_bytes(gzip.compress(text.encode())[:-30])
    with pytest.raises(InputError, match="truncated or corrupt"):
        read_matrix(gz)


def test_survival_layouts(shared_data):
    lihc = shared_data / "tcga_lihc"
    deepprog = read_survival(lihc / "matched" / "survival.tsv")
    assert len(deepprog) == 377
    assert int(deepprog["os_event"].sum()) == 132
    xena = read_survival(lihc / "tables" / "xena_LIHC_clinicalMatrix.tsv.gz")
    assert len(xena) == 377  # 438 samples of 377 patients
    assert {"rfs_days", "rfs_event", "stage", "grade", "age", "sex"} <= set(xena.columns)
    assert set(xena["stage"].dropna()) <= {"I", "II", "III", "IV"}
    row = xena.loc["TCGA-2Y-A9GU"]
    assert (row["os_days"], row["os_event"], row["rfs_days"], row["sex"]) == (1939, False, 1939, "female")
    other = read_survival(shared_data / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz")
    assert len(other) == 150
    assert int(other["os_event"].sum()) == 58


def test_survival_bad_input(tmp_path):
    path = tmp_path / "s.tsv"
    rows = "\n".join(
        f"TCGA.2Y.A9G{c}.01\t{m}\t{e}"
        for c, m, e in zip("ABCDEFGHIJKL", range(3, 40, 3), [0, 1] * 6, strict=False)
    )
    path.write_text("Samples\tdays\tevent\n" + rows + "\n")
    with pytest.raises(InputError, match="looks like months or years"):
        read_survival(path)
    months = read_survival(path, time_unit="months")
    assert months.loc["TCGA-2Y-A9GA", "os_days"] == pytest.approx(3 * 365.25 / 12)
    path.write_text("Samples\tdays\tevent\nTCGA.2Y.A9GS.01\t724\tmaybe\n")
    with pytest.raises(InputError, match=r"s.tsv:2 \[TCGA.2Y.A9GS.01\]: event value 'maybe'"):
        read_survival(path)
    path.write_text("Samples\tdays\tevent\nTCGA.2Y.A9GS.01\t724\t1\nTCGA.2Y.A9GS.11\t800\t1\n")
    with pytest.raises(InputError, match="rows of one patient give different overall survival"):
        read_survival(path)
    path.write_text("Samples\tfoo\tbar\nTCGA.2Y.A9GS.01\t724\t1\n")
    with pytest.raises(InputError, match="no overall-survival columns"):
        read_survival(path)

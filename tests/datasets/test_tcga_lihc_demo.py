from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO


def test_demo_cohort_shape_and_events(demo_cohort):
    mdata = demo_cohort
    assert mdata.n_obs == 360
    assert set(mdata.mod) == {"rna", "mirna", "methylation"}
    assert all(mdata.mod[m].shape == (360, 365) for m in mdata.mod)
    assert int(mdata.obs["os_event"].sum()) == 124
    assert mdata.obs_names.str.len().unique().tolist() == [12]
    assert mdata.obs_names.str.startswith("TCGA-").all()
    assert (mdata["rna"].obs["sample_barcode"].str[-2:] == "01").all()
    # clinical joined from the Xena matrix
    assert mdata.obs["stage"].value_counts().to_dict() == {"I": 167, "II": 85, "III": 79, "IV": 5}
    assert mdata.obs["sex"].value_counts().to_dict() == {"male": 246, "female": 114}
    assert mdata.obs["age"].notna().sum() > 350
    assert mdata.obs["rfs_days"].notna().sum() > 250
    betas = mdata["methylation"].X
    assert np.nanmin(betas) >= 0 and np.nanmax(betas) <= 1


def test_demo_values_match_raw_shared_files(demo_cohort, shared_data):
    matched = shared_data / "tcga_lihc" / "matched"
    mir = pd.read_csv(matched / "mir.tsv.gz", sep="\t", index_col=0)
    rna = pd.read_csv(matched / "rna_first365genes.csv.gz", index_col=0)
    surv = pd.read_csv(matched / "survival.tsv", sep="\t", index_col=0)
    patient = "TCGA-2Y-A9GS"
    sample = "TCGA.2Y.A9GS.01"
    np.testing.assert_allclose(
        demo_cohort["mirna"][patient, "mirna:hsa-mir-122"].X.item(), mir.loc[sample, "hsa-mir-122"], rtol=1e-6
    )
    np.testing.assert_allclose(
        demo_cohort["rna"][patient, "rna:A1BG"].X.item(), rna.loc[sample, "A1BG"], rtol=1e-6
    )
    np.testing.assert_allclose(demo_cohort["mirna"].X, mir.to_numpy(), rtol=1e-6)
    assert demo_cohort.obs.loc[patient, "os_days"] == surv.loc[sample, "days"]
    assert bool(demo_cohort.obs.loc[patient, "os_event"]) == bool(surv.loc[sample, "event"])


@pytest.mark.slow
def test_rebuild_script_reproduces_committed_sha256(shared_data):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "data_manifests" / "build_tcga_lihc_demo.py"),
            "--check",
            "--shared",
            str(shared_data),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("OK ") == 4


def test_rebuild_script_without_the_shared_data_says_what_it_needs(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "data_manifests" / "build_tcga_lihc_demo.py"),
            "--check",
            "--shared",
            str(tmp_path / "absent"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "tcga_lihc/matched" in proc.stderr and "--shared" in proc.stderr

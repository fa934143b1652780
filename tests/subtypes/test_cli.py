"""`omicsdl subtypes fit | predict | evaluate` on the real demo (tiny settings)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

import omicsdl as od
from omicsdl.cli import main

CONTRACT = {
    "in_sample_logrank_p",
    "in_sample_cindex",
    "heldout_cindex_mean",
    "heldout_cindex_sd",
    "heldout_logrank_p",
    "pca_cox_heldout_cindex_mean",
    "n_patients",
    "n_events",
    "k",
    "seed",
    "omicsdl_version",
    "models",
    "recommended_model",
    "permutation_p",
    "n_permutations",
}
TINY = ["--max-epochs", "2", "--k", "2", "--threads", "1"]


def test_fit_then_predict_rna_only(tmp_path, capsys):
    assert (
        main(
            [
                "-q",
                "subtypes",
                "fit",
                "demo",
                "--model",
                str(tmp_path / "m"),
                "--tables",
                str(tmp_path / "t"),
                "--alpha",
                "0.3",
                *TINY,
            ]
        )
        == 0
    )
    assert (tmp_path / "m" / "model.json").is_file()
    assert (tmp_path / "t" / "clinical_association.tsv").is_file()
    fit = od.subtypes.SubtypesFit.read(tmp_path / "t")
    assert fit.k == 2 and sum(fit.subtype_sizes.values()) == 360
    assert list(fit.subtypes.columns) == [
        "subtype",
        "subtype_risk",
        "subtype_omics",
        "os_days",
        "os_event",
        "left_out_of_fitting",
    ]
    out = tmp_path / "pred.tsv"
    assert (
        main(
            [
                "-q",
                "subtypes",
                "predict",
                "demo",
                "--model",
                str(tmp_path / "m"),
                "--out",
                str(out),
                "--omics",
                "rna",
            ]
        )
        == 0
    )
    pred = pd.read_csv(out, sep="\t", index_col=0)
    assert len(pred) == 360
    assert set(pred["subtype"]) <= {"S1", "S2"}
    assert main(["-q", "subtypes", "predict", "demo", "--model", str(tmp_path), "--out", str(out)]) == 2
    assert "not a saved omicsdl subtype model" in capsys.readouterr().err


def test_evaluate_missing_file_is_a_clean_error(tmp_path, capsys):
    code = main(["-q", "subtypes", "evaluate", str(tmp_path / "absent.h5mu"), "--out", str(tmp_path / "m")])
    assert code == 2
    assert "file not found" in capsys.readouterr().err


def test_evaluate_out_is_a_folder_not_a_json_file(tmp_path, capsys):
    assert main(["-q", "subtypes", "evaluate", "demo", "--out", str(tmp_path / "metrics.json")]) == 2
    assert "--out is the results folder" in capsys.readouterr().err
    assert not (tmp_path / "metrics.json").exists()


def test_evaluate_contract_folds_file_and_permutation_count(tmp_path, capsys, lihc):
    folds = pd.DataFrame({"patient": lihc.obs_names, "fold": [i % 2 for i in range(lihc.n_obs)]})
    folds.to_csv(tmp_path / "folds.tsv", sep="\t", index=False)
    out = tmp_path / "ev"
    args = ["-q", "subtypes", "evaluate", "demo", "--folds-file", str(tmp_path / "folds.tsv"), "--seed", "0"]
    args += ["--models", "chaudhary", "pca_cox", "stage", "--permutations", "2", "--alpha", "0.3"]
    assert main([*args, "--out", str(out), *TINY]) == 0
    printed = capsys.readouterr().out
    assert "permutation p = " in printed and "(2 permutations)" in printed
    assert "recommended model:" in printed
    m = json.loads((out / "metrics.json").read_text())
    assert set(m) >= CONTRACT
    assert (m["n_patients"], m["n_events"], m["seed"], m["n_permutations"], m["n_folds"]) == (
        360,
        124,
        0,
        2,
        2,
    )
    assert set(m["models"]) == {"chaudhary", "pca_cox", "stage", "chaudhary+stage", "pca_cox+stage"}
    held = pd.read_csv(out / "heldout_predictions.tsv", sep="\t")
    assert list(held.columns[:5]) == ["model", "repeat", "fold", "patient", "risk"]
    got = held[held["model"] == "pca_cox"].set_index("patient")["fold"].loc[folds["patient"]]
    assert (got.to_numpy() == folds["fold"].to_numpy()).all()  # the user's splits, exactly
    assert (held.groupby("model")["patient"].nunique() == 360).all()
    assert (out / "tables" / "models.tsv").is_file() and (
        out / "tables" / "km_in_sample.png"
    ).stat().st_size > 1000


def test_fit_on_a_partial_cohort_writes_the_annotated_cohort(tmp_path, capsys, lihc):
    """3 patients lack miRNA: fit on the others, assign everyone from the omics they have (issue 17)."""
    import mudata

    lacking = list(lihc.obs_names[:3])
    keep = lihc.obs_names[3:]
    mods = {o: lihc[o].copy() for o in lihc.mod}
    mods["mirna"] = lihc["mirna"][keep].copy()
    partial = od.io.new_mudata(mods)
    partial.obs = partial.obs.join(lihc.obs[["os_days", "os_event", "stage", "grade", "sex", "age"]])
    path = od.io.write_h5mu(partial, tmp_path / "partial.h5mu")
    args = [
        "-q",
        "subtypes",
        "fit",
        str(path),
        "--model",
        str(tmp_path / "m"),
        "--tables",
        str(tmp_path / "t"),
    ]
    args += ["--annotated", str(tmp_path / "annotated.h5mu"), "--alpha", "0.3", *TINY]
    assert main(args) == 0
    assert "3 patient(s) lacked an omic" in capsys.readouterr().out
    fit = od.subtypes.SubtypesFit.read(tmp_path / "t")
    assert fit.n_left_out == 3 and set(fit.left_out) == set(lacking)
    assert fit.n_patients == 357 and fit.subtypes["left_out_of_fitting"].sum() == 3
    assert fit.subtypes.loc[lacking, "subtype_omics"].tolist() == ["rna,methylation"] * 3
    annotated = mudata.read_h5mu(tmp_path / "annotated.h5mu")
    assert annotated.obs["subtype"].notna().all() and np.isfinite(annotated.obs["subtype_risk"]).all()
    assert annotated.obsm["X_autoencoder"].shape == (360, 100)
    assert np.isnan(annotated.obsm["X_autoencoder"][annotated.obs_names.get_indexer(lacking)]).all()
    assert np.array_equal(annotated["rna"].layers["raw"], lihc["rna"].X)
    assert "log2p1" in annotated["rna"].layers and "log2p1" not in annotated["methylation"].layers
    # predicting the partial cohort with the saved model uses the omics each patient has
    out = tmp_path / "pred.tsv"
    assert (
        main(["-q", "subtypes", "predict", str(path), "--model", str(tmp_path / "m"), "--out", str(out)]) == 0
    )
    pred = pd.read_csv(out, sep="\t", index_col=0)
    assert len(pred) == 360 and pred.loc[lacking, "omics_used"].tolist() == ["rna,methylation"] * 3


def test_fit_any_model_type_then_predict(tmp_path):
    args = ["-q", "subtypes", "fit", "demo", "--model-type", "pca_cox", "--model", str(tmp_path / "m")]
    assert main([*args, "--tables", str(tmp_path / "t"), *TINY]) == 0
    fit = od.subtypes.SubtypesFit.read(tmp_path / "t")
    assert fit.model_type == "pca_cox" and fit.k is None
    top = fit.top_features
    assert set(top["omic"]) == {"rna", "mirna", "methylation"} and (top["rank"] >= 1).all()
    out = tmp_path / "pred.tsv"
    assert main(["-q", "subtypes", "predict", "demo", "--model", str(tmp_path / "m"), "--out", str(out)]) == 0
    pred = pd.read_csv(out, sep="\t", index_col=0)
    assert list(pred.columns) == ["risk", "omics_used"] and len(pred) == 360

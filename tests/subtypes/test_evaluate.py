"""The benchmark: every model on identical folds, leakage-free, with valid inference and a recommendation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl.subtypes import MODEL_TYPES


def test_no_held_out_patient_reaches_any_fit_of_any_model(evaluation_and_fits, lihc):
    ev, fits = evaluation_and_fits
    everyone = frozenset(lihc.obs_names)
    training = [everyone - frozenset(g["patient"]) for _, g in ev.folds.groupby("fold")]
    assert len(training) == 3
    # the benchmark and the permutations come first; then the in-sample replication and the
    # recommended model's final fit, on everyone (an ensemble's copies then see subsamples of everyone)
    first_everyone = next(i for i, (_, seen) in enumerate(fits) if seen == everyone)
    benchmark = fits[:first_everyone]
    for name, seen in benchmark:
        assert any(seen <= train for train in training), name  # ensemble copies: subsamples of a fold
    for cls in {MODEL_TYPES[m].class_name for m in MODEL_TYPES}:
        exact = {seen for name, seen in benchmark if name == cls and seen in training}
        assert len(exact) == 3, cls  # every model was fitted on every training fold
    assert sum(seen == everyone for _, seen in fits) <= 2


def test_every_model_on_the_same_held_out_patients(evaluation_and_fits, lihc):
    ev, _ = evaluation_and_fits
    pred = ev.heldout_predictions
    assert list(pred.columns[:5]) == ["model", "repeat", "fold", "patient", "risk"]
    models = set(pred["model"])
    assert set(MODEL_TYPES) <= models
    assert {f"{m}+stage" for m in MODEL_TYPES if m != "stage"} <= models
    per_model = pred.groupby("model").apply(
        lambda g: tuple(sorted(zip(g["fold"], g["patient"], strict=True)))
    )
    assert per_model.nunique() == 1  # identical (fold, patient) pairs for every model
    assert (pred.groupby("model")["patient"].nunique() == lihc.n_obs).all()
    assert np.isfinite(pred["risk"]).all()


def test_model_table_metrics_and_paired_differences(evaluation_and_fits):
    ev, _ = evaluation_and_fits
    table = ev.models.set_index("model")
    for col in ("harrell_c", "uno_c", "auc_1y", "auc_3y", "ibs", "seconds_per_fold", "diff_vs_reference"):
        assert col in table.columns
    assert table["harrell_c"].between(0, 1).all()
    assert table["harrell_c_sd"].isna().all()  # one repeat: no spread, never "± 0.00"
    ref = ev.recommendation.reference
    assert ref in ("pca_cox", "late_fusion_cox", "stage")
    assert np.isnan(table.loc[ref, "diff_vs_reference"])
    other = table.drop(index=ref)
    assert (other["diff_ci_low"] <= other["diff_vs_reference"]).all()
    assert (other["diff_vs_reference"] <= other["diff_ci_high"]).all()
    assert table.loc["stage+stage" if "stage+stage" in table.index else "stage", "uses_clinical"]
    assert table.loc["pca_cox+stage", "uses_clinical"] and not table.loc["pca_cox", "uses_clinical"]
    # the per-fold C of the metrics table recomputes from heldout_predictions.tsv
    fm = ev.fold_metrics
    row = fm[(fm["model"] == "pca_cox") & (fm["fold"] == 1)].iloc[0]
    held = ev.heldout_predictions
    g = held[(held["model"] == "pca_cox") & (held["fold"] == 1)]
    obs = ev.in_sample_subtypes.loc[g["patient"]]
    c = od.survival.concordance_index(obs["os_days"], obs["os_event"], g["risk"].to_numpy())
    assert abs(c - row["harrell_c"]) < 1e-9


def test_recommendation_names_the_best_model_and_says_who_wins(evaluation_and_fits):
    ev, _ = evaluation_and_fits
    rec = ev.recommendation
    table = ev.models.set_index("model")
    assert rec.model == table["harrell_c"].idxmax()
    assert rec.cindex == pytest.approx(table["harrell_c"].max())
    assert rec.best_deep in {"chaudhary", "deepprog", "deepprog_ensemble", "cox_autoencoder"}
    assert rec.best_linear in {"pca_cox", "late_fusion_cox", "chaudhary_pca"}
    assert ("beat the linear ones" in rec.statement) or ("do not beat the linear ones" in rec.statement)
    m = ev.to_dict()
    assert m["recommended_model"] == rec.model and m["models"][rec.model]["harrell_c"] == pytest.approx(
        rec.cindex
    )
    assert len(m["models"]["pca_cox"]["harrell_c_per_fold"]) == 3


def test_permutation_p_value_and_its_count(evaluation_and_fits):
    ev, _ = evaluation_and_fits
    perm = ev.permutation
    assert perm.n_permutations == 3 and len(perm.null) == 3
    assert perm.p_value in (0.25, 0.5, 0.75, 1.0)  # (1 + k) / (1 + 3)
    m = ev.to_dict()
    assert m["permutation_p"] == perm.p_value and m["n_permutations"] == 3
    assert m["heldout_logrank_p"] == perm.p_value and m["heldout_logrank_p_method"] == "permutation"
    assert "heldout_logrank_p_per_repeat" not in m  # no median of p-values anywhere


def test_feature_stability_and_top_features(evaluation_and_fits):
    ev, _ = evaluation_and_fits
    stab = ev.feature_stability
    assert {"model", "omic", "feature", "n_fits_in_top", "fraction_of_fits", "direction"} <= set(stab.columns)
    assert stab["fraction_of_fits"].between(0, 1).all()
    linear = stab[stab["model"] == "pca_cox"]
    assert set(linear["omic"]) == {"rna", "mirna", "methylation"}
    assert linear["n_fits_in_top"].max() <= 3
    top = ev.top_features
    assert top is not None and set(top["direction"]) <= {
        "higher value, higher risk",
        "higher value, lower risk",
        "none",
    }


def test_results_do_not_depend_on_the_thread_count(lihc, tmp_path):
    from tests.subtypes.conftest import TINY_MODELS, TINY_PIPELINE

    files = []
    for threads in (1, 2):
        ev = od.subtypes.evaluate_subtypes(
            lihc,
            n_folds=2,
            n_repeats=1,
            models=["chaudhary", "cox_autoencoder", "pca_cox", "stage"],
            params=TINY_PIPELINE,
            model_params=TINY_MODELS,
            n_permutations=0,
            n_threads=threads,
            rng=3,
        )
        ev.write(tmp_path / str(threads))
        files.append((tmp_path / str(threads) / "heldout_predictions.tsv").read_bytes())
    assert files[0] == files[1]
    assert len(files[0]) > 1000


def test_a_users_folds_file(lihc, tmp_path):
    folds = pd.DataFrame({"patient": lihc.obs_names, "fold": np.arange(lihc.n_obs) % 2})
    path = tmp_path / "folds.tsv"
    folds.to_csv(path, sep="\t", index=False)
    read = od.subtypes.read_folds(path, lihc.obs_names)
    assert (read["fold"].to_numpy() == folds["fold"].to_numpy()).all() and set(read["repeat"]) == {0}
    from tests.subtypes.conftest import TINY_PIPELINE

    ev = od.subtypes.evaluate_subtypes(
        lihc, folds=read, models=["pca_cox", "stage"], params=TINY_PIPELINE,
        model_params={"pca_cox": {"n_components": 5}}, n_permutations=0, rng=0,
    )  # fmt: skip
    held = ev.heldout_predictions
    got = held[held["model"] == "pca_cox"].set_index("patient")["fold"]
    assert (got.loc[folds["patient"]].to_numpy() == folds["fold"].to_numpy()).all()
    bad = folds.assign(patient=folds["patient"].where(folds.index > 0, "NOT-A-PATIENT"))
    bad.to_csv(path, sep="\t", index=False)
    with pytest.raises(od.InputError, match="not in the cohort"):
        od.subtypes.read_folds(path, lihc.obs_names)
    path.write_text("id\tsplit\nA\t1\n")
    with pytest.raises(od.InputError, match=r"no column \['patient', 'fold'\]"):
        od.subtypes.read_folds(path, lihc.obs_names)


def test_benchmark_stands_when_the_in_sample_fit_forms_no_subtypes(lihc, tmp_path):
    from tests.subtypes.conftest import TINY_PIPELINE

    params = {**TINY_PIPELINE, "alpha": 1e-300}  # no latent feature can pass: no in-sample subtypes
    ev = od.subtypes.evaluate_subtypes(
        lihc, models=["stage"], params=params, n_folds=2, n_repeats=1, n_permutations=0, rng=0
    )
    assert ev.k is None and ev.in_sample.cindex is None and ev.in_sample_subtypes is None
    assert ev.recommendation.model == "stage" and set(ev.heldout_predictions["model"]) == {"stage"}
    ev.write(tmp_path / "ev")
    back = type(ev).read(tmp_path / "ev")
    assert back.k is None and back.recommendation.model == "stage"

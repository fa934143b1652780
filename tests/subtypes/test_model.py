"""SurvivalSubtypes on the real TCGA-LIHC demo (small autoencoder): fit, predict, annotate, save/load."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

import omicsdl as od
from omicsdl import InputError, ModelFormatError
from tests.subtypes.conftest import SMALL_AE, copy_cohort


def test_fit_finds_survival_subtypes(fitted, lihc):
    obs = lihc.obs
    assert fitted.k_ in (2, 3)
    assert 1 <= len(fitted.selected_features_) <= 16
    assert (fitted.cox_table_.loc[fitted.selected_features_, "p_value"] < 0.05).all()
    labels = fitted.labels_.to_numpy()
    lr = od.survival.logrank(obs["os_days"], obs["os_event"], labels)
    assert lr.p_value < 1e-3  # in-sample (features chosen on the same patients)
    hr = fitted.hazard_ratios_["hazard_ratio"].to_numpy()
    assert np.all(np.diff(hr) >= 0)  # S1 ... Sk named by increasing hazard
    assert {"silhouette", "calinski_harabasz"} <= set(fitted.k_selection_.columns)


def test_predict_all_omics_and_rna_only(fitted, lihc):
    pred = fitted.predict(lihc)
    assert list(pred.columns[:2]) == ["subtype", "risk"]
    assert (pred["subtype"].to_numpy() == fitted.labels_.to_numpy()).mean() > 0.85
    assert_allclose(pred.filter(like="p_S").sum(axis=1), 1.0, rtol=1e-9)
    rna_only = od.io.new_mudata({"rna": lihc["rna"].copy()})
    pred_rna = fitted.predict(rna_only)
    assert pred_rna.attrs["omics_used"] == ["rna"]
    assert (pred_rna["subtype"].to_numpy() == fitted.labels_.to_numpy()).mean() > 0.7


def test_annotate_writes_slots(fitted, cohort):
    fitted.annotate(cohort)
    assert cohort.obsm["X_autoencoder"].shape == (360, 16)
    assert set(cohort.obs["subtype"].cat.categories) == set(fitted.subtypes_)
    assert np.isfinite(cohort.obs["subtype_risk"]).all()


def test_save_load_same_predictions(fitted, lihc, tmp_path):
    fitted.save(tmp_path / "model")
    files = sorted(p.name for p in (tmp_path / "model").rglob("*") if p.is_file())
    assert not any(f.endswith((".pkl", ".pickle", ".joblib")) for f in files)
    assert {"model.safetensors", "model.json"} == set(files)  # root, autoencoder/ and classifier/
    assert {"autoencoder", "classifier"} <= {p.name for p in (tmp_path / "model").iterdir() if p.is_dir()}
    loaded = od.subtypes.SurvivalSubtypes.load(tmp_path / "model")
    a, b = fitted.predict(lihc), loaded.predict(lihc)
    assert (a["subtype"] == b["subtype"]).all()
    assert_allclose(a["risk"], b["risk"], rtol=1e-6)
    assert_allclose(loaded.embed(lihc), fitted.embed(lihc), rtol=1e-5, atol=1e-6)
    meta = json.loads((tmp_path / "model" / "model.json").read_text())
    assert meta["format_version"] == 1
    assert len(meta["state"]["input_checksums"]["rna"]) == 64
    meta["format_version"] = 2
    (tmp_path / "model" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="format_version 2"):
        od.subtypes.SurvivalSubtypes.load(tmp_path / "model")


def test_same_seed_same_subtypes(fitted, lihc):
    again = od.subtypes.SurvivalSubtypes(autoencoder=SMALL_AE, k=(2, 3), rng=0, n_threads=1).fit(lihc)
    assert (again.labels_ == fitted.labels_).all()
    assert_allclose(again.latent_, fitted.latent_, rtol=0, atol=0)


def test_pca_embedding_baseline(lihc):
    pca = od.subtypes.SurvivalSubtypes(embedding="pca", autoencoder={"latent_dim": 20}, k=2, rng=0).fit(lihc)
    assert pca.latent_.shape == (360, 20)
    assert pca.k_ == 2
    weighted = od.subtypes.SurvivalSubtypes(
        embedding="pca", autoencoder={"latent_dim": 20}, k=2, cluster_weighting="cox_z", rng=0
    ).fit(lihc)
    z = weighted.cox_table_.loc[weighted.selected_features_, "z"].abs().to_numpy()
    assert_allclose(weighted.selected_scale_ * z, pca.selected_scale_, rtol=1e-9)
    with pytest.raises(ValueError, match="cluster_weighting"):
        od.subtypes.SurvivalSubtypes(embedding="pca", cluster_weighting="bogus").fit(lihc)


def test_new_cohort_without_model_features(fitted):
    import anndata as ad

    other = ad.AnnData(np.ones((5, 3), dtype=np.float32))
    other.var_names = ["NOT_A_GENE1", "NOT_A_GENE2", "NOT_A_GENE3"]
    other.obs_names = [f"P{i}" for i in range(5)]
    with pytest.raises(InputError, match="shares no feature with the subtype classifier"):
        fitted.predict(od.io.new_mudata({"rna": other}))


def test_cohort_without_survival(cohort):
    cohort.obs = cohort.obs.drop(columns=["os_days", "os_event"])
    with pytest.raises(InputError, match="no overall survival"):
        od.subtypes.SurvivalSubtypes(autoencoder=SMALL_AE).fit(cohort)
    with pytest.raises(InputError, match="no overall survival"):
        od.subtypes.evaluate_subtypes(cohort, params={"autoencoder": SMALL_AE})


def test_no_survival_signal_forms_no_subtypes(lihc):
    with pytest.raises(InputError, match="no survival subtypes are formed"):
        od.subtypes.SurvivalSubtypes(autoencoder=SMALL_AE, alpha=1e-30, rng=0).fit(lihc)


def test_k_larger_than_groups_allow(lihc):
    small = copy_cohort(lihc[:60])
    with pytest.raises(InputError, match="clusters of at least 10 patients"):
        od.subtypes.SurvivalSubtypes(autoencoder=SMALL_AE, alpha=0.5, adjust=False, k=7, rng=0).fit(small)

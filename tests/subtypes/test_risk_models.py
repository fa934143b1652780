"""The benchmarked risk models: fit, predict (partial cohorts too), attributions, save/load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import omicsdl as od
from tests.subtypes.conftest import TINY_MODELS, TINY_PIPELINE, copy_cohort


def _partial(lihc, n: int = 3):
    """The demo with the first ``n`` patients' miRNA removed."""
    mods = {o: lihc[o].copy() for o in lihc.mod}
    mods["mirna"] = lihc["mirna"][lihc.obs_names[n:]].copy()
    out = od.io.new_mudata(mods)
    out.obs = out.obs.join(lihc.obs[["os_days", "os_event", "stage"]])
    return out, list(lihc.obs_names[:n])


@pytest.mark.parametrize("name", ["pca_cox", "late_fusion_cox", "cox_autoencoder", "chaudhary", "deepprog"])
def test_partial_cohort_fit_on_whom_it_can_predict_from_what_they_have(lihc, name):
    partial, lacking = _partial(lihc)
    model = od.subtypes.make_model(
        name, pipeline=TINY_PIPELINE | {"alpha": 0.5}, extra=TINY_MODELS.get(name), rng=0
    ).fit(partial)
    assert sorted(model.left_out_) == sorted(lacking)
    pred = model.predict(partial)
    assert len(pred) == 360 and np.isfinite(pred["risk"]).all()
    used = pred.attrs.get("omics_per_patient") or pred["omics_used"].tolist()
    assert [used[i] for i in range(3)] == ["rna,methylation"] * 3
    assert used[10] == "rna,mirna,methylation"


def test_linear_attributions_are_coefficients_through_the_loadings(lihc):
    model = od.subtypes.PCACox(n_components=10, rng=0).fit(lihc)
    table = model.attributions(lihc)
    X, features, gradient = model._attribution_inputs(lihc)
    w = gradient(X)[0]
    # exact for a linear risk: attribution = weight × value; importance = mean |attribution|
    j = int(np.argmax(np.abs(w)))
    row = table[
        (table["omic"] == features.iloc[j]["omic"]) & (table["feature"] == features.iloc[j]["feature"])
    ]
    assert_allclose(row["importance"].iloc[0], np.abs(w[j] * X[:, j]).mean(), rtol=1e-9)
    direction = "higher value, higher risk" if w[j] > 0 else "higher value, lower risk"
    assert row["direction"].iloc[0] == direction
    # the risk really is linear in the input through these weights
    risk = model.predict_risk(lihc)
    assert_allclose(risk - risk.mean(), (X - X.mean(axis=0)) @ w, rtol=1e-6, atol=1e-9)
    assert (table.groupby("omic")["rank"].min() == 1).all()


def test_cox_autoencoder_learns_a_planted_survival_signal():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 40)).astype(np.float32)  # SYNTHETIC: feature 0 sets the hazard
    t = rng.exponential(np.exp(-1.5 * X[:, 0]))
    e = rng.random(300) < 0.8
    cae = od.subtypes.CoxAutoencoder(
        hidden_sizes=(16,), latent_dim=4, dropout=0.1, max_epochs=100, batch_size=64, rng=0
    )
    cae.fit(X[:200], t[:200], e[:200])
    c = od.survival.concordance_index(t[200:], e[200:], cae.predict_risk(X[200:]))
    oracle = od.survival.concordance_index(t[200:], e[200:], X[200:, 0])  # the true risk
    assert c > 0.6 and c > oracle - 0.1
    grad = cae.risk_gradient(X[200:])
    assert np.abs(grad[:, 0]).mean() > 3 * np.abs(grad[:, 1:]).mean()  # the risk rests on feature 0


def test_ensemble_averages_its_copies(lihc):
    ens = od.subtypes.SubtypesEnsemble(n_models=2, pipeline=TINY_PIPELINE | {"alpha": 0.5}, rng=0).fit(lihc)
    risks = np.mean([m.predict(lihc)["risk"].to_numpy() for m in ens.members_], axis=0)
    assert_allclose(ens.predict_risk(lihc), risks)
    assert all(m.embedding == "autoencoder_per_omic" for m in ens.members_)
    assert all(m.n_patients_ == 288 for m in ens.members_)  # 80 % subsamples


@pytest.mark.parametrize("name", ["pca_cox", "late_fusion_cox", "cox_autoencoder", "stage", "deepprog"])
def test_load_model_reads_every_kind(lihc, tmp_path, name):
    model = od.subtypes.make_model(
        name, pipeline=TINY_PIPELINE | {"alpha": 0.5}, extra=TINY_MODELS.get(name), rng=1
    ).fit(lihc)
    model.save(tmp_path / name)
    back = od.subtypes.load_model(tmp_path / name)
    assert type(back) is type(model)
    assert_allclose(back.predict_risk(lihc), model.predict_risk(lihc), rtol=1e-6)


def test_load_model_refuses_a_foreign_folder(tmp_path):
    with pytest.raises(od.ModelFormatError, match="not a saved omicsdl subtype model"):
        od.subtypes.load_model(tmp_path)


def test_permuted_survival_forms_no_subtypes_with_the_bh_screen(lihc):
    """The "no signal, no subtypes" safeguard fires under permuted survival (issue 14).

    The screen of the pipeline's 100 latent features (here PCA: unsupervised, so the same
    features for every permutation) is run on 40 survival permutations.
    """
    cohort = copy_cohort(lihc)
    t = cohort.obs["os_days"].to_numpy()
    e = cohort.obs["os_event"].to_numpy()
    model = od.subtypes.SurvivalSubtypes(embedding="pca", k=2, rng=0).fit(cohort)  # real survival: subtypes
    Z = model.latent_
    assert Z.shape[1] == 100
    rng = np.random.default_rng(0)
    none = {True: 0, False: 0}
    for _ in range(40):
        perm = rng.permutation(cohort.n_obs)
        table = od.survival.cox_univariate(Z, t[perm], e[perm])
        for adjust in (True, False):
            passed = (table["p_adj" if adjust else "p_value"] < 0.05).any()
            if not passed:
                with pytest.raises(od.InputError, match="no survival subtypes are formed"):
                    od.survival.select_cox_features(table, alpha=0.05, adjust=adjust)
                none[adjust] += 1
    assert none[True] >= 32  # BH: "no survival-associated features" in most permutations
    assert none[False] <= 4  # unadjusted p < 0.05 over 100 features: some feature "passes" almost always
    perm = rng.permutation(cohort.n_obs)
    cohort.obs["os_days"], cohort.obs["os_event"] = t[perm], e[perm]
    with pytest.raises(od.InputError, match="no survival subtypes are formed"):
        od.subtypes.SurvivalSubtypes(embedding="pca", k=2, rng=0).fit(cohort)


def test_stage_model_uses_known_stages(lihc):
    model = od.subtypes.StageCox().fit(lihc)
    pred = model.predict(lihc)
    stage = lihc.obs["stage"].astype(str)
    assert model.coef_[0] > 0  # later stage, higher risk
    assert pred.loc[stage == "IV", "risk"].min() > pred.loc[stage == "I", "risk"].max()
    assert pd.Series(pred["risk"]).nunique() <= 4

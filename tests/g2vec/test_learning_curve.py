"""The learning-curve experiment on a tiny SYNTHETIC cohort with survival: protocol, tables, folder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl._core._errors import InputError
from omicsdl.g2vec import G2VecLearningCurve
from tests.g2vec._synthetic import tiny_survival_cohort

TINY = {"dim": 8, "n_walks": 2, "max_length": 6, "n_biomarkers": 5, "max_epochs": 3, "min_group_size": 6}


@pytest.fixture(scope="module")
def curve():
    from threadpoolctl import threadpool_limits

    adata, network = tiny_survival_cohort()
    network = network.to_directed()
    with threadpool_limits(1):  # dozens of tiny fits: thread start-up would cost more than the fits
        return od.g2vec.learning_curve(
            adata, network, sizes=(8, None), n_repeats=3, n_seeds=2, cohort="tiny", rng=0, n_threads=1, **TINY
        )


def test_every_method_of_a_repeat_is_scored_on_the_same_patients(curve):
    folds = curve.folds
    methods = {"g2vec_reference", "g2vec_omicsdl", "top_t", "cox", "network", "random", "all_genes"}
    assert set(folds["method"]) == methods
    assert folds.groupby(["repeat", "size"]).size().eq(len(methods)).all()
    assert folds.groupby("repeat")["n_test"].nunique().eq(1).all()
    sizes = folds.groupby("size", sort=False)["n_train"].first().to_dict()
    assert sizes == {8: 16, "all": 22}  # 5 + 5 of 32 held out: pools of 11 per group
    ref = folds[folds["method"] == "g2vec_reference"].set_index(["repeat", "size"])["n_genes"]
    baseline = folds[folds["method"] == "top_t"].set_index(["repeat", "size"])["n_genes"]
    pd.testing.assert_series_equal(ref, baseline)  # baselines choose as many genes as G2Vec


def test_curve_table_matches_the_folds(curve):
    table = curve.curve.set_index(["size", "method"])
    folds = curve.folds
    for size in ("8", "all"):
        part = folds[folds["size"].astype(str) == size]
        auc = part.pivot(index="repeat", columns="method", values="auc")
        row = table.loc[(int(size) if size.isdigit() else size, "top_t")]
        assert row["auc"] == pytest.approx(auc["top_t"].mean())
        assert row["g2vec_minus_auc"] == pytest.approx((auc["g2vec_reference"] - auc["top_t"]).mean())
        assert row["g2vec_minus_auc_ci_low"] < row["g2vec_minus_auc"] < row["g2vec_minus_auc_ci_high"]
    comp = curve.comparisons("all")
    assert set(comp["verdict"]) <= {"G2Vec better", "G2Vec worse", "no clear difference"}
    assert len(comp) == 6


def test_stability_and_survival_check(curve):
    stab = curve.stability
    assert stab["mean_pairwise_jaccard"].between(0, 1).all()
    assert set(stab["method"]) == {"g2vec_reference", "g2vec_omicsdl", "top_t", "cox", "network", "random"}
    seeds = curve.seed_stability.set_index("method")
    assert seeds.loc["g2vec_reference", "n_seeds"] == 2
    assert {r["method"] for r in curve.survival_test} >= {"g2vec_reference", "top_t"}
    assert all(0 <= r["logrank_p"] <= 1 for r in curve.survival_test if "logrank_p" in r)
    freq = curve.selection_frequency(size="all")
    assert freq["frequency"].between(0, 1).all()


def test_folder_round_trip_and_figure(curve, tmp_path):
    written = curve.write(tmp_path / "lc")
    assert (tmp_path / "lc" / "learning_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert set(written) == {
        "learning_curve.json", "learning_curve.tsv", "learning_curve.png", "learning_curve_folds.tsv",
        "learning_curve_selections.tsv", "learning_curve_stability.tsv",
    }  # fmt: skip
    back = G2VecLearningCurve.read(tmp_path / "lc")
    np.testing.assert_allclose(back.curve["auc"], curve.curve["auc"], rtol=1e-5)
    assert back.sizes == curve.sizes == ["8", "all"]
    assert back.protocol["cohort"] == "tiny" and back.protocol["n_repeats"] == 3
    again = curve.write(tmp_path / "lc2")
    for name, path in written.items():
        assert path.read_bytes() == again[name].read_bytes(), name


def test_the_reference_variant_is_required():
    adata, network = tiny_survival_cohort()
    with pytest.raises(InputError, match="include it"):
        od.g2vec.learning_curve(adata, network, variants=("omicsdl",), n_repeats=1)

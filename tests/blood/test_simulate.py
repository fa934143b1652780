"""The SYNTHETIC blood-cohort simulator and its Bayes-optimal AUC."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import roc_auc_score

import omicsdl as od
from omicsdl import InputError


def test_published_sizes_and_synthetic_labels(sim_cohort):
    counts = sim_cohort.obs.groupby(["cohort", "condition"], observed=True).size().to_dict()
    assert counts == {
        ("training", "HCC"): 103,
        ("training", "control"): 54,
        ("validation", "HCC"): 52,
        ("validation", "control"): 34,
    }
    assert sim_cohort.uns["synthetic"] is True
    assert sim_cohort.obs["synthetic"].all()
    assert all(name.startswith("SYN-") for name in sim_cohort.obs_names)
    assert "SYNTHETIC" in sim_cohort.uns["blood_sim"]["note"]
    assert list(sim_cohort.var_names) == list(od.blood.NINE_GENE_PANEL)


def test_target_bayes_auc_is_reached(sim_cohort):
    assert_allclose(sim_cohort.uns["blood_sim"]["bayes_auc"], 0.94, atol=1e-12)
    effects = list(sim_cohort.uns["blood_sim"]["effect_sizes"].values())
    assert_allclose(od.blood.bayes_auc(effects, 0.3), 0.94, atol=1e-12)


def test_bayes_auc_matches_the_optimal_score_empirically():
    # Monte Carlo oracle: the Bayes score delta' R^-1 z on a large sample must reach bayes_auc.
    adata = od.blood.simulate_blood_cohort(
        sizes={"big": (20000, 20000)}, target_bayes_auc=0.85, correlation=0.4, sd=2.0, baseline=5.0, rng=3
    )
    sim = adata.uns["blood_sim"]
    delta = np.array(list(sim["effect_sizes"].values()))
    corr = np.full((9, 9), 0.4)
    np.fill_diagonal(corr, 1.0)
    z = (adata.X - 5.0) / 2.0
    score = z @ np.linalg.solve(corr, delta)
    y = (adata.obs["condition"] == "HCC").to_numpy()
    assert abs(roc_auc_score(y, score) - sim["bayes_auc"]) < 0.006


def test_independent_genes_formula():
    # With no correlation, Delta is the Euclidean norm of the effects.
    effects = [1.0, 2.0, 2.0]
    from scipy.stats import norm

    assert_allclose(od.blood.bayes_auc(effects, 0.0), norm.cdf(3.0 / np.sqrt(2)))


def test_same_seed_same_data_other_seed_differs():
    a = od.blood.simulate_blood_cohort(rng=5)
    b = od.blood.simulate_blood_cohort(rng=5)
    c = od.blood.simulate_blood_cohort(rng=6)
    assert_allclose(a.X, b.X)
    assert not np.allclose(a.X, c.X)


def test_effect_sizes_kept_without_target():
    adata = od.blood.simulate_blood_cohort(
        genes=["A", "B"], effect_sizes={"A": 1.0, "B": 0.0}, target_bayes_auc=None, correlation=0.0, rng=0
    )
    assert_allclose(adata.var["effect_size"].to_numpy(), [1.0, 0.0])
    from scipy.stats import norm

    assert_allclose(adata.uns["blood_sim"]["bayes_auc"], norm.cdf(1 / np.sqrt(2)))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"correlation": 1.0}, "correlation"),
        ({"target_bayes_auc": 0.4}, "target_bayes_auc"),
        ({"effect_sizes": [1.0, 2.0]}, "one value per gene"),
        ({"sd": 0.0}, "sd must be positive"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InputError, match=match):
        od.blood.simulate_blood_cohort(rng=0, **kwargs)


def test_split_into_training_and_validation(sim_cohort):
    train, valid = od.blood.split_blood_cohort(sim_cohort)
    assert (train.n_obs, valid.n_obs) == (157, 86)
    assert train.uns["synthetic"] is True and valid.obs["synthetic"].all()
    only = sim_cohort[sim_cohort.obs["cohort"] == "training"].copy()
    assert od.blood.split_blood_cohort(only)[1] is None
    with pytest.raises(InputError, match="no cohort column 'batch'"):
        od.blood.split_blood_cohort(sim_cohort, key="batch")
    with pytest.raises(InputError, match="no sample has cohort == 'test'"):
        od.blood.split_blood_cohort(sim_cohort, training="test")

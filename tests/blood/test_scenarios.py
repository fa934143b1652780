"""The named SYNTHETIC scenarios: sizes and labels, the Bayes-optimal AUC against Monte Carlo, the Bayes score."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import logsumexp
from scipy.stats import multivariate_t, norm
from scipy.stats import t as t_dist
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import omicsdl as od
from omicsdl import InputError

NAMES = list(od.blood.BLOOD_SCENARIOS)


def _auc_on_fresh_sample(population, n, seed):
    z = population.sample(np.random.default_rng(seed), n, n)
    y = np.r_[np.ones(n), np.zeros(n)]
    auc, var, _, _ = od.metrics.auc_delong(y, population.bayes_score(z))
    return auc, np.sqrt(var), z, y


def test_the_required_scenarios_exist():
    assert {
        "linear",
        "unequal_covariance",
        "interaction",
        "heavy_tails",
        "batch_shift",
        "cirrhosis_controls",
    } <= set(NAMES)
    for scenario in od.blood.BLOOD_SCENARIOS.values():
        assert scenario.model and scenario.sources and scenario.expectation and scenario.parameters


@pytest.mark.parametrize("name", NAMES)
def test_published_sizes_labels_and_seed(name):
    adata = od.blood.simulate_blood_scenario(name, rng=3)
    counts = adata.obs.groupby(["cohort", "condition"], observed=True).size().to_dict()
    assert counts == {
        ("training", "HCC"): 103,
        ("training", "control"): 54,
        ("validation", "HCC"): 52,
        ("validation", "control"): 34,
    }
    assert adata.uns["synthetic"] is True and adata.obs["synthetic"].all()
    assert all(i.startswith("SYN-") for i in adata.obs_names)
    sim = adata.uns["blood_sim"]
    assert sim["scenario"] == name and "SYNTHETIC" in sim["note"]
    assert 0.5 < sim["bayes_auc_validation"] < 1 and 0.5 < sim["bayes_auc"] < 1
    assert np.isfinite(adata.X).all()
    assert_allclose(od.blood.simulate_blood_scenario(name, rng=3).X, adata.X)
    assert not np.allclose(od.blood.simulate_blood_scenario(name, rng=4).X, adata.X)


def test_linear_is_todays_simulator():
    new = od.blood.simulate_blood_scenario("linear", rng=0)
    old = od.blood.simulate_blood_cohort(rng=0)
    assert_allclose(new.X, old.X, rtol=0, atol=1e-12)
    assert list(new.obs_names) == list(old.obs_names)
    assert new.uns["blood_sim"]["bayes_auc"] == pytest.approx(old.uns["blood_sim"]["bayes_auc"], abs=1e-12)


@pytest.mark.parametrize(("name", "cohort"), [("linear", "training"), ("batch_shift", "validation"),
                                              ("cirrhosis_controls", "training")])  # fmt: skip
def test_closed_form_bayes_auc_matches_monte_carlo(name, cohort):
    scenario = od.blood.get_blood_scenario(name)
    exact = scenario.bayes_auc(cohort)
    assert exact.method == "closed form"
    auc, se, _, _ = _auc_on_fresh_sample(scenario.population(cohort), 60_000, seed=11)
    assert abs(auc - exact.value) < 4 * se


@pytest.mark.parametrize("name", ["unequal_covariance", "interaction", "heavy_tails"])
def test_monte_carlo_bayes_auc_reproduces_and_bounds_a_large_sample_fit(name):
    scenario = od.blood.get_blood_scenario(name)
    stored = scenario.bayes_auc()
    assert (
        stored.method == "Monte Carlo" and stored.n_per_class == 100_000 and 0 < stored.standard_error < 1e-3
    )
    auc, se, z, y = _auc_on_fresh_sample(scenario.training, 30_000, seed=12)
    assert abs(auc - stored.value) < 4 * np.hypot(se, stored.standard_error)
    # no method beats the likelihood ratio: a logistic fit on a large sample scores below it on new data
    fit = LogisticRegression(max_iter=500).fit(z, y)
    _, _, z_new, y_new = _auc_on_fresh_sample(scenario.training, 30_000, seed=13)
    linear = roc_auc_score(y_new, fit.decision_function(z_new))
    assert linear < roc_auc_score(y_new, scenario.training.bayes_score(z_new))
    assert linear == pytest.approx(stored.best_linear, abs=0.01)
    assert stored.best_linear < stored.value - 0.02  # the scenario leaves room for a non-linear method


def test_best_linear_auc_formula_for_unequal_covariances():
    pop = od.blood.get_blood_scenario("unequal_covariance").training
    d = pop.mean_hcc - pop.mean_control
    w = np.linalg.solve(pop.cov_hcc + pop.cov_control, d)
    z = pop.sample(np.random.default_rng(5), 50_000, 50_000)
    y = np.r_[np.ones(50_000), np.zeros(50_000)]
    assert roc_auc_score(y, z @ w) == pytest.approx(pop.best_linear_auc(), abs=0.005)
    assert (
        roc_auc_score(y, z @ d) < pop.best_linear_auc()
    )  # the mean difference alone is not the best direction


def test_heavy_tailed_bayes_score_is_the_exact_log_likelihood_ratio():
    pop = od.blood.get_blood_scenario("heavy_tails").training
    z = pop.sample(np.random.default_rng(6), 4, 4)
    p, eps, sd = pop.n_genes, pop.outlier_rate, pop.outlier_sd

    def log_density(mean):
        terms = [np.log(1 - eps) + multivariate_t(mean, pop.scatter, df=pop.df).logpdf(z)]
        for g in range(p):
            rest = [i for i in range(p) if i != g]
            marginal = multivariate_t(mean[rest], pop.scatter[np.ix_(rest, rest)], df=pop.df)
            terms.append(np.log(eps / p) + marginal.logpdf(z[:, rest]) + norm.logpdf(z[:, g], scale=sd))
        return logsumexp(terms, axis=0)

    assert_allclose(pop.bayes_score(z), log_density(pop.mean_hcc) - log_density(pop.mean_control), rtol=1e-10)
    # without outliers each gene is t(4) with the documented scale (median absolute deviation oracle)
    clean = dataclasses.replace(pop, outlier_rate=0.0).sample(np.random.default_rng(7), 0, 100_000)
    mad = np.median(np.abs(clean[:, 0]))
    assert mad == pytest.approx(np.sqrt(pop.scatter[0, 0]) * t_dist.ppf(0.75, pop.df), rel=0.02)
    # the outliers replace exactly one gene in the documented share of samples (same draws, rate 0 vs 0.08)
    dirty = pop.sample(np.random.default_rng(9), 0, 100_000)
    same = dataclasses.replace(pop, outlier_rate=0.0).sample(np.random.default_rng(9), 0, 100_000)
    changed = (dirty != same).sum(axis=1)
    assert set(np.unique(changed)) == {0, 1}
    assert changed.mean() == pytest.approx(pop.outlier_rate, abs=4 * np.sqrt(0.08 * 0.92 / 100_000))


def test_interaction_classes_follow_the_logistic_model():
    pop = od.blood.get_blood_scenario("interaction").training
    z = pop.sample(np.random.default_rng(8), 20_000, 20_000)
    y = np.r_[np.ones(20_000), np.zeros(20_000)]
    # regress the class on the true features: the product term carries the documented coefficient 3
    i, j = pop.pair
    features = np.column_stack([z, z[:, i] * z[:, j]])
    fit = LogisticRegression(C=1e6, max_iter=2000).fit(features, y)
    assert fit.coef_[0, -1] == pytest.approx(3.0, rel=0.1)
    assert_allclose(fit.coef_[0, :-1], pop.beta, atol=0.15)


def test_unknown_scenario_and_bad_options():
    with pytest.raises(InputError, match="unknown blood scenario 'nope'") as err:
        od.blood.simulate_blood_scenario("nope")
    assert "cirrhosis_controls" in str(err.value)
    with pytest.raises(InputError, match="sd must be positive"):
        od.blood.simulate_blood_scenario("linear", sd=0)
    with pytest.raises(InputError, match="give --simulate with --scenario"):
        od.blood.load_blood_cohorts("x.csv", scenario="linear")
    with pytest.raises(InputError, match="nine-gene panel only"):
        od.blood.load_blood_cohorts(simulate=True, scenario="linear", genes=["GPC3", "HGF"])


def test_workflow_schema_lists_every_scenario():
    import yaml

    from tests.blood.conftest import BLOOD_DATA

    schema = (
        BLOOD_DATA.parents[2]
        / "workflows"
        / "blood_classifier"
        / "workflow"
        / "schemas"
        / "config.schema.yaml"
    )
    props = yaml.safe_load(schema.read_text())["properties"]
    assert props["scenario"]["enum"] == NAMES
    assert props["scenario_table"]["properties"]["scenarios"]["items"]["enum"] == NAMES


def test_module_docstring_states_the_computed_bayes_aucs():
    import re

    from omicsdl.blood import _scenarios

    text = " ".join(_scenarios.__doc__.split()).split("The scenarios (parameters", 1)[1]
    headings = "|".join(NAMES)
    for name, scenario in od.blood.BLOOD_SCENARIOS.items():
        block = re.search(
            rf"``{name}``(.*?)(?=``(?:{headings})``|The Bayes-optimal AUC is exact)", text
        ).group(1)
        stated = re.search(r"Bayes AUC(?: of the validation series)? (0\.\d{3})", block)
        if name == "healthy_to_cirrhosis":
            assert stated is None  # it refers to the two scenarios it combines
            continue
        cohort = "validation" if name == "batch_shift" else "training"
        assert float(stated.group(1)) == pytest.approx(scenario.bayes_auc(cohort).value, abs=6e-4), name

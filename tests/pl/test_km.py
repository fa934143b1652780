"""Kaplan-Meier plot: overall and per group, log-rank p in the title, at-risk table."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import omicsdl as od


@pytest.fixture(scope="module")
def lihc(request):
    """The embedded TCGA-LIHC demo (session-cached by tests/conftest.py; do not modify)."""
    return request.getfixturevalue("_demo_cohort")


def test_km_per_group_has_logrank_title_and_at_risk(lihc):
    obs = lihc.obs
    fig = od.pl.km_plot(obs["os_days"], obs["os_event"], obs["sex"], title="By sex")
    ax = fig.axes[0]
    p = od.survival.logrank(obs["os_days"], obs["os_event"], obs["sex"]).p_value
    assert ax.get_title() == f"By sex\nlog-rank p = {p:.2g}"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["female (n=114)", "male (n=246)"]
    assert len(fig.axes) >= 2  # the at-risk table is an extra axis
    plt.close(fig)


def test_km_overall_on_given_axes(lihc):
    obs = lihc.obs
    fig, ax = plt.subplots()
    out = od.pl.km_plot(obs["os_days"], obs["os_event"], ax=ax, at_risk=False)
    assert out is fig
    assert ax.get_title() == "Overall survival"
    plt.close(fig)


def test_km_bad_input():
    with pytest.raises(od.InputError, match="negative survival time"):
        od.pl.km_plot([1.0, -2.0], [1, 0])

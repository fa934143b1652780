"""Figures of the comparison: titles say SYNTHETIC, one line per method and evaluation."""

from __future__ import annotations

import pytest

import omicsdl as od


def test_roc_plot_titles_say_synthetic(small_result):
    fig = od.blood.plot_blood_roc(small_result)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 2
    assert all("SYNTHETIC" in t and "Bayes-optimal AUC 0.940" in t for t in titles)
    cal = od.blood.plot_blood_calibration(small_result)
    assert cal.axes[0].get_title().startswith("SYNTHETIC")
    assert len(cal.axes[0].get_lines()) == 9  # 4 methods × (cv, validation) + diagonal


def test_report_figures_roc_summary_and_confusion(small_result):
    names = {"mlp": "neural network (MLP)"}
    fig = od.blood.plot_blood_roc_summary(small_result, labels=names)
    ax = fig.axes[0]
    assert ax.get_title() == "ROC curves (cross-validated); Bayes-optimal AUC 0.940"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["neural network (MLP)", "logistic", "lda", "tree", "chance"]
    conf = od.blood.plot_blood_confusion(small_result)
    assert [a.get_title() for a in conf.axes] == ["MLP", "Logistic regression", "LDA", "Classification tree"]
    # mean counts per repeat of the 157 training samples, in the cells of each panel
    cells = [float(t.get_text()) for t in conf.axes[0].texts]
    assert sum(cells) == pytest.approx(157, abs=0.3)


def test_confusion_figure_needs_counts(tmp_path):
    import json

    (tmp_path / "metrics.json").write_text(json.dumps({"methods": ["lda"], "lda": {"auc": 0.9}}))
    res = od.blood.BloodComparison.read(tmp_path)
    with pytest.raises(ValueError, match="no method of this comparison has confusion counts"):
        od.blood.plot_blood_confusion(res)

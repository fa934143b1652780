"""MRS figures: the cCNN ROC says SIMULATED and draws the curve it is given."""

from __future__ import annotations

import numpy as np

from omicsdl.mrs import plot_classification_roc


def test_roc_figure_labels_simulated_and_draws_the_given_curve():
    fpr, tpr = [0.0, 0.0, 0.1, 1.0], [0.0, 0.7, 1.0, 1.0]
    fig = plot_classification_roc(fpr, tpr, auc=0.97, scores={"HCC": [0.9, 0.8], "non-HCC": [0.1, 0.6]})
    assert fig._suptitle.get_text().startswith("SIMULATED")
    roc_ax, strip_ax = fig.axes
    line = roc_ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    assert "AUC 0.970" in roc_ax.get_legend().get_texts()[0].get_text()
    assert [t.get_text() for t in strip_ax.get_xticklabels()] == ["HCC", "non-HCC"]
    real = plot_classification_roc(fpr, tpr, auc=0.97, synthetic=False)
    assert len(real.axes) == 1 and "SIMULATED" not in real._suptitle.get_text()

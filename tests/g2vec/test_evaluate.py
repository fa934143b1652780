"""The cross-validated evaluation selects G2Vec genes inside the training folds only."""

from __future__ import annotations

import omicsdl as od
from omicsdl.g2vec import G2Vec
from tests.g2vec.conftest import FAST


def test_evaluation_selects_inside_training_folds(g2vec_demo, monkeypatch):
    adata, network = g2vec_demo
    seen = []
    original = G2Vec.fit

    def spy(self, data, *args, **kwargs):
        seen.append(set(data.obs_names))
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(G2Vec, "fit", spy)
    res = od.g2vec.evaluate_g2vec(adata, network, n_splits=3, n_repeats=1, rng=0, **FAST)
    labelled = set(adata.obs_names[adata.obs["prognosis"].notna()])
    assert len(seen) == 3
    held_out = [labelled - s for s in seen]
    assert all(s < labelled for s in seen)
    assert set().union(*held_out) == labelled  # each patient held out once
    assert sum(len(h) for h in held_out) == len(labelled)
    for name in ("g2vec", "top_t", "random", "all_genes"):
        assert 0.0 <= res["summary"][name]["auc_mean"] <= 1.0
    assert res["protocol"]["n_patients"] == 188
    assert len(res["folds"]) == 3 and {"g2vec_auc", "top_t_accuracy"} <= set(res["folds"][0])

"""G2Vec on the real embedded TCGA-LIHC mRNA and the shipped STRING subset."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl.g2vec import G2Vec, load_gene_vectors, save_gene_vectors

FAST = {"embedder_kwargs": {"max_epochs": 3}}


@pytest.fixture(scope="module")
def demo():
    adata, network = od.datasets.g2vec_demo()
    return adata, network


@pytest.fixture(scope="module")
def fitted(demo):
    adata, network = demo
    return G2Vec(**FAST).fit(adata, network, rng=0)


def test_prognosis_labels_rule():
    obs = pd.DataFrame({"os_days": [100, 2000, 500, 1095, np.nan], "os_event": [1, 1, 0, 0, 1]})
    labels = od.survival.prognosis_labels(obs, horizon_days=1095)
    assert labels.astype(object).tolist()[:4] == ["poor", "good", np.nan, "good"]
    assert pd.isna(labels.iloc[4])


def test_demo_labels_and_match(demo, fitted):
    adata, network = demo
    assert adata.obs["prognosis"].value_counts().to_dict() == {"poor": 99, "good": 89}
    assert network.number_of_edges() == 253
    assert fitted.match_.n_genes == 151
    assert fitted.match_.n_expression_genes_lost == 353 - 151


def test_fit_outputs(fitted):
    bio = fitted.biomarkers_
    assert list(bio.columns) == ["gene", "l_group", "score"]
    assert set(bio["l_group"]) == {"good", "poor"}
    assert bio.groupby("l_group").size().max() <= 50
    assert bio["score"].between(0, 1).all()
    assert fitted.vectors_.shape == (151, 128)
    scores = fitted.scores_
    # score = half min-max vector length + half min-max |t| inside each L-group
    good = scores[scores["l_group"] == "good"]
    mm = lambda v: (v - v.min()) / (v.max() - v.min())  # noqa: E731
    np.testing.assert_allclose(
        good["score"], 0.5 * mm(good["vector_norm"]) + 0.5 * mm(good["abs_t"]), rtol=1e-6
    )
    # the "rest" cluster is the one nearest the origin
    assert scores.groupby("l_group", observed=True)["vector_norm"].mean().idxmin() == "rest"
    modules = fitted.modules(rng=0)
    assert (modules.groupby("module").size() >= 3).all()
    assert set(modules["gene"]) <= set(bio["gene"])


def test_same_seed_same_vectors_and_biomarkers(demo, fitted):
    adata, network = demo
    again = G2Vec(**FAST).fit(adata, network, rng=0)
    np.testing.assert_array_equal(again.vectors_.to_numpy(), fitted.vectors_.to_numpy())
    pd.testing.assert_frame_equal(again.biomarkers_, fitted.biomarkers_)
    other = G2Vec(**FAST).fit(adata, network, rng=1)
    assert not np.array_equal(other.vectors_.to_numpy(), fitted.vectors_.to_numpy())


def test_word2vec_embedder_is_deterministic(demo):
    adata, network = demo
    kw = {"embedder": "skipgram", "dim": 16, "embedder_kwargs": {"epochs": 2}}
    a = G2Vec(**kw).fit(adata, network, rng=3)
    b = G2Vec(**kw).fit(adata, network, rng=3)
    np.testing.assert_array_equal(a.vectors_.to_numpy(), b.vectors_.to_numpy())
    assert a.vectors_.shape == (151, 16)


def test_g2vec_writes_anndata_slots(demo):
    adata, network = demo
    adata = adata.copy()
    model = od.g2vec.g2vec(adata, network, rng=0, **FAST)
    assert adata.varm["X_g2vec"].shape == (353, 128)
    absent = adata.var["g2vec_l_group"] == "absent"
    assert absent.sum() == 353 - 151
    assert not adata.varm["X_g2vec"][absent.to_numpy()].any()
    assert adata.var["g2vec_biomarker"].sum() == len(model.biomarkers_)
    assert adata.uns["g2vec"]["match"]["n_genes"] == 151


def test_vectors_files_roundtrip(fitted, tmp_path):
    from gensim.models import KeyedVectors

    save_gene_vectors(fitted.vectors_, tmp_path)
    native = KeyedVectors.load(str(tmp_path / "vectors.kv"))
    safe = load_gene_vectors(tmp_path)
    nonzero = fitted.vectors_[(fitted.vectors_.to_numpy() != 0).any(axis=1)]
    genes = nonzero.index.tolist()
    assert len(native) == len(safe) == len(genes) == int((fitted.paths_.counts().sum(axis=1) > 0).sum())
    np.testing.assert_array_equal(native[genes], nonzero.to_numpy())
    np.testing.assert_allclose(safe[genes], nonzero.to_numpy(), rtol=1e-6, atol=1e-9)
    # tampering and newer formats are refused
    meta = json.loads((tmp_path / "vectors.json").read_text())
    meta["format_version"] = 99
    (tmp_path / "vectors.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="format_version 99"):
        load_gene_vectors(tmp_path)
    meta["format_version"] = 1
    (tmp_path / "vectors.json").write_text(json.dumps(meta))
    with (tmp_path / "vectors.txt").open("a") as fh:
        fh.write("EXTRA 0\n")
    with pytest.raises(ModelFormatError, match="checksum"):
        load_gene_vectors(tmp_path / "vectors.txt")


def test_no_gene_in_common(demo):
    adata, _ = demo
    other = nx.Graph([("X1", "X2"), ("X2", "X3")])
    with pytest.raises(InputError, match="no gene in common"):
        G2Vec(**FAST).fit(adata, other, rng=0)


def test_group_too_small(demo):
    adata, network = demo
    adata = adata.copy()
    poor = np.flatnonzero(adata.obs["prognosis"] == "poor")
    adata.obs.loc[adata.obs_names[poor[5:]], "prognosis"] = np.nan
    with pytest.raises(InputError, match=r"'poor' group has 5 patients"):
        G2Vec(**FAST).fit(adata, network, rng=0)


def test_threshold_too_high_names_the_threshold(demo):
    adata, network = demo
    with pytest.raises(InputError, match=r"(?s)\|Pearson r\| > 0.99.*--min-corr"):
        G2Vec(min_abs_corr=0.99, **FAST).fit(adata, network, rng=0)


def test_evaluation_selects_inside_training_folds(demo, monkeypatch):
    adata, network = demo
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


@pytest.mark.shared
def test_real_cohort_on_real_networks(shared_data):
    from omicsdl.g2vec._inputs import read_expression

    adata = read_expression(
        shared_data / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz",
        duration_key="OStime",
        event_key="OS",
    )
    assert adata.shape == (150, 1000)
    nets = shared_data / "networks"
    string = od.io.read_network(nets / "string_v_unknown_score900_symbols.csv")
    genes, src, _, match = od.g2vec.match_network(list(adata.var_names), string)
    assert match.n_genes == len(genes) > 100
    assert match.n_edges == src.shape[0] > 100
    assert match.n_expression_genes_lost == 1000 - match.n_genes
    # the Cheng interactome uses Entrez ids: without an id map nothing matches symbols
    cheng = od.io.read_network(nets / "cheng_human_interactome_entrez.tsv.gz")
    with pytest.raises(InputError, match=r"(?s)no gene in common.*--id-map"):
        od.g2vec.match_network(list(adata.var_names), cheng)

"""G2Vec on the real embedded TCGA-LIHC mRNA and the shipped STRING subset."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl._core._errors import InputError, ModelFormatError, NotFittedError
from omicsdl.g2vec import G2Vec, SupervisedCBOW, Word2VecEmbedder
from tests.g2vec.conftest import FAST


@pytest.fixture
def demo(g2vec_demo):
    return g2vec_demo


@pytest.fixture
def fitted(g2vec_fitted):
    return g2vec_fitted


def test_prognosis_labels_rule():
    obs = pd.DataFrame({"os_days": [100, 2000, 500, 1095, np.nan], "os_event": [1, 1, 0, 0, 1]})
    labels = od.survival.prognosis_labels(obs, horizon_days=1095)
    assert labels.astype(object).tolist()[:4] == ["poor", "good", np.nan, "good"]
    assert pd.isna(labels.iloc[4])


def test_demo_labels_and_match(demo, fitted):
    adata, network = demo
    assert adata.obs["prognosis"].value_counts().to_dict() == {"poor": 99, "good": 89}
    assert network.number_of_edges() == 253 and network.is_directed()
    assert fitted.match_.n_genes == 151
    assert fitted.match_.n_expression_genes_lost == 353 - 151
    assert fitted.genes_ == sorted(fitted.genes_)  # the authors' order: A to Z
    diag = fitted.diagnostics_
    assert diag.variant == "reference" and diag.network_directed
    assert diag.n_paths == fitted.paths_.n_per_group()
    assert diag.n_distinct_paths["good"] == diag.n_paths["good"] + diag.n_common_paths


def test_fit_outputs(fitted):
    bio = fitted.biomarkers_
    assert list(bio.columns) == ["gene", "l_group", "score"]
    assert set(bio["l_group"]) == {"good", "poor"}
    assert bio.groupby("l_group").size().max() <= 50
    assert bio["score"].between(0, 1).all()
    assert fitted.vectors_.shape == (151, 128)
    assert fitted.embedder_.batch_size is None and fitted.embedder_.max_epochs == 3  # full batch
    scores = fitted.scores_
    # score = half min-max vector length + half min-max |t| inside each L-group
    good = scores[scores["l_group"] == "good"]
    mm = lambda v: (v - v.min()) / (v.max() - v.min())  # noqa: E731
    np.testing.assert_allclose(
        good["score"], 0.5 * mm(good["vector_norm"]) + 0.5 * mm(good["abs_t"]), rtol=1e-6
    )
    # reference: the largest K-means cluster is the rest
    assert scores["l_group"].value_counts().idxmax() == "rest"
    modules = fitted.modules()
    assert (modules.groupby("module").size() >= 3).all()
    assert set(modules["gene"]) <= set(bio["gene"])
    # modules are seeded from the model's rng: the same on every call
    pd.testing.assert_frame_equal(fitted.modules(), modules)


def test_same_seed_same_vectors_and_biomarkers(demo, fitted):
    adata, network = demo
    again = G2Vec(**FAST, rng=0).fit(adata, network)
    np.testing.assert_array_equal(again.vectors_.to_numpy(), fitted.vectors_.to_numpy())
    pd.testing.assert_frame_equal(again.biomarkers_, fitted.biomarkers_)
    other = G2Vec(**FAST, rng=1).fit(adata, network)
    assert not np.array_equal(other.vectors_.to_numpy(), fitted.vectors_.to_numpy())


def test_omicsdl_variant_keeps_its_choices(demo):
    adata, network = demo
    model = G2Vec(variant="omicsdl", **FAST, rng=0).fit(adata, network)
    cbow = model.embedder_
    assert (cbow.input_scaling, cbow.bias, cbow.init, cbow.batch_size) == ("mean", True, "uniform", 512)
    assert cbow.early_stopping == "loss_patience" and cbow.zero_unseen
    assert not model.diagnostics_.network_directed  # a directed network is walked both ways
    scores = model.scores_
    assert scores.groupby("l_group", observed=True)["vector_norm"].mean().idxmin() == "rest"
    with pytest.raises(ValueError, match="variant must be one of"):
        G2Vec(variant="paper").fit(adata, network)


def test_embedder_kwargs_reach_the_embedder_and_win(demo):
    adata, network = demo
    model = G2Vec(max_epochs=5, embedder_kwargs={"max_epochs": 1, "batch_size": 64}, rng=0).fit(
        adata, network
    )
    assert isinstance(model.embedder_, SupervisedCBOW)
    assert model.embedder_.batch_size == 64
    assert len(model.embedder_.history_) == 1


def test_word2vec_embedder_is_deterministic(demo):
    adata, network = demo
    kw = {"embedder": "skipgram", "dim": 16, "max_epochs": 2}
    a = G2Vec(**kw, rng=3).fit(adata, network)
    b = G2Vec(**kw, rng=3).fit(adata, network)
    np.testing.assert_array_equal(a.vectors_.to_numpy(), b.vectors_.to_numpy())
    assert a.vectors_.shape == (151, 16)
    assert isinstance(a.embedder_, Word2VecEmbedder) and a.embedder_.max_epochs == 2


def test_embedder_object_is_copied_not_fitted(demo):
    adata, network = demo
    given = Word2VecEmbedder(dim=8, max_epochs=1, window=3)
    model = G2Vec(embedder=given, rng=0).fit(adata, network)
    assert not given.is_fitted  # the argument is a template: a copy is fitted
    assert model.embedder_ is not given and model.embedder_.window == 3
    again = G2Vec(embedder=given, rng=0).fit(adata, network)
    np.testing.assert_array_equal(again.vectors_.to_numpy(), model.vectors_.to_numpy())


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
    assert adata.uns["g2vec"]["params"]["rng"] == 0
    assert adata.uns["g2vec"]["variant"] == "reference"


def test_unfitted_model_says_so():
    model = G2Vec()
    with pytest.raises(NotFittedError, match="not fitted"):
        model.modules()
    with pytest.raises(NotFittedError):
        model.to_keyed_vectors()


def test_save_load_round_trip(fitted, tmp_path):
    fitted.save(tmp_path / "model")
    names = sorted(
        str(p.relative_to(tmp_path / "model")) for p in (tmp_path / "model").rglob("*") if p.is_file()
    )
    assert names == ["embedder/model.json", "embedder/model.safetensors", "model.json", "model.safetensors"]
    loaded = G2Vec.load(tmp_path / "model")
    assert loaded.get_params() == fitted.get_params()
    pd.testing.assert_frame_equal(loaded.vectors_, fitted.vectors_)
    pd.testing.assert_frame_equal(loaded.scores_, fitted.scores_)
    pd.testing.assert_frame_equal(loaded.biomarkers_, fitted.biomarkers_)
    pd.testing.assert_frame_equal(loaded.modules(), fitted.modules())
    assert loaded.match_ == fitted.match_
    assert loaded.paths_ is None  # the gene-paths are training data: not saved
    np.testing.assert_array_equal(loaded.embedder_.vectors_, fitted.embedder_.vectors_)
    assert loaded.embedder_.history_ == fitted.embedder_.history_
    assert loaded.diagnostics_ == fitted.diagnostics_
    kv, kv_loaded = fitted.to_keyed_vectors(), loaded.to_keyed_vectors()
    assert kv.index_to_key == kv_loaded.index_to_key
    np.testing.assert_array_equal(kv.vectors, kv_loaded.vectors)


def test_save_load_with_an_embedder_object(demo, tmp_path):
    adata, network = demo
    model = G2Vec(embedder=Word2VecEmbedder(dim=8, max_epochs=1), rng=2).fit(adata, network)
    model.save(tmp_path / "m")
    loaded = G2Vec.load(tmp_path / "m")
    assert isinstance(loaded.embedder, Word2VecEmbedder) and loaded.embedder.dim == 8
    assert not loaded.embedder.is_fitted
    pd.testing.assert_frame_equal(loaded.vectors_, model.vectors_)


def test_tampered_model_is_refused(fitted, tmp_path):
    import json

    fitted.save(tmp_path / "model")
    meta_path = tmp_path / "model" / "model.json"
    meta = json.loads(meta_path.read_text())
    meta["state"]["genes"] = meta["state"]["genes"][:-1]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="changed after it was saved"):
        G2Vec.load(tmp_path / "model")


def test_module_graph_keeps_node_and_neighbour_order():
    from omicsdl.g2vec._model import _graph_from_json, _graph_to_json

    g = nx.Graph()
    g.add_nodes_from(["d", "b", "a", "c", "e"])
    g.add_weighted_edges_from(
        [("c", "a", 0.5), ("a", "b", 1.0), ("d", "c", 2.0), ("b", "d", 0.7), ("e", "e", 1.0)]
    )
    g.add_edge("a", "d")  # unweighted
    g.remove_edge("a", "b")
    g.add_edge("b", "a", weight=3.0)  # re-added: now last at both ends
    rebuilt = _graph_from_json(_graph_to_json(g), genes=set(g), source=None)
    assert list(rebuilt) == list(g)
    for u in g:
        assert list(rebuilt[u]) == list(g[u])
        assert {v: d.get("weight") for v, d in rebuilt[u].items()} == {
            v: d.get("weight") for v, d in g[u].items()
        }


def test_no_gene_in_common(demo):
    adata, _ = demo
    other = nx.Graph([("X1", "X2"), ("X2", "X3")])
    with pytest.raises(InputError, match="no gene in common"):
        G2Vec(**FAST, rng=0).fit(adata, other)


def test_group_too_small(demo):
    adata, network = demo
    adata = adata.copy()
    poor = np.flatnonzero(adata.obs["prognosis"] == "poor")
    adata.obs.loc[adata.obs_names[poor[5:]], "prognosis"] = np.nan
    with pytest.raises(InputError, match=r"'poor' group has 5 patients"):
        G2Vec(**FAST, rng=0).fit(adata, network)


def test_threshold_too_high_names_the_threshold(demo):
    adata, network = demo
    with pytest.raises(InputError, match=r"(?s)\|Pearson r\| > 0.99.*--min-corr"):
        G2Vec(min_abs_corr=0.99, **FAST, rng=0).fit(adata, network)


def test_unknown_embedder_name(demo):
    adata, network = demo
    with pytest.raises(ValueError, match="embedder must be"):
        G2Vec(embedder="glove").fit(adata, network)

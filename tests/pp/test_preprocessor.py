from __future__ import annotations

import anndata as ad
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

import omicsdl as od
from omicsdl import InputError


def _adata(X):
    a = ad.AnnData(np.asarray(X, dtype=float))
    a.obs_names = [f"p{i}" for i in range(a.n_obs)]
    a.var_names = [f"f{j}" for j in range(a.n_vars)]
    return a


def test_filters_report_what_was_dropped_and_why():
    # synthetic: f0 fine, f1 zero in 3/5 patients, f2 missing in 2/5; p4 misses everything kept
    X = np.array(
        [[1.0, 0, 1], [2, 0, np.nan], [3, 0, np.nan], [4, 1, 4], [np.nan, 1, 5]],
    )
    pp = od.pp.Preprocessor(max_feature_missing=0.2, max_patient_missing=0.0).fit(_adata(X))
    assert pp.features_.tolist() == ["f0"]
    assert pp.report_.dropped_features == {
        "f1": "zero in 60% of patients",
        "f2": "missing in 40% of patients",
    }
    assert pp.report_.dropped_patients == {"p4": "missing 100% of features"}


def test_log_impute_zscore_values_and_transform_of_new_patients():
    rng = np.random.default_rng(0)
    X = rng.gamma(2.0, 50.0, size=(40, 6))
    pp = od.pp.Preprocessor(log_transform=True, scale="zscore")
    out = pp.fit_transform(_adata(X))
    logged = np.log2(X + 1)
    np.testing.assert_allclose(out.X, (logged - logged.mean(0)) / logged.std(0, ddof=1), rtol=1e-5, atol=1e-5)
    # a new patient with one gap gets the training median, then the training scaling
    new = X[:1].copy()
    new[0, 2] = np.nan
    res = pp.transform(_adata(new))
    expected = (np.median(logged[:, 2]) - logged[:, 2].mean()) / logged[:, 2].std(ddof=1)
    np.testing.assert_allclose(res.X[0, 2], expected, rtol=1e-5)


def test_transform_reorders_and_fills_missing_features():
    X = np.arange(30, dtype=float).reshape(10, 3)
    pp = od.pp.Preprocessor(scale="none").fit(_adata(X))
    new = ad.AnnData(X[:2, [2, 0]])
    new.var_names = ["f2", "f0"]
    new.obs_names = ["a", "b"]
    out = pp.transform(new)
    np.testing.assert_allclose(out.X[:, 0], X[:2, 0])
    np.testing.assert_allclose(out.X[:, 1], np.median(X[:, 1]))
    assert out.uns["omicsdl_pp"]["n_features_imputed"] == 1


def test_transform_without_any_known_feature_is_a_clear_error():
    pp = od.pp.Preprocessor().fit(_adata(np.ones((4, 2)) + np.eye(4, 2)))
    other = ad.AnnData(np.ones((2, 2)))
    other.var_names = ["x", "y"]
    with pytest.raises(InputError, match="none of the fitted features"):
        pp.transform(other)


def test_log_of_negative_values_names_the_cell():
    X = np.array([[1.0, 2], [3, -1], [2, 2]])
    with pytest.raises(InputError, match=r"p1 / f1"):
        od.pp.Preprocessor(log_transform=True).fit(_adata(X))


def test_knn_imputation_uses_nearest_training_patients():
    # synthetic: two tight clusters; a new patient near cluster B gets B's value
    X = np.array(
        [[1, 1, 10], [1.1, 1, 10], [1, 1.1, 10], [5, 5, 99], [5.1, 5, 99], [5, 5.1, 99]], dtype=float
    )
    pp = od.pp.Preprocessor(impute="knn", n_neighbors=3, scale="none").fit(_adata(X))
    out = pp.transform(_adata([[5.05, 5.05, np.nan]]))
    np.testing.assert_allclose(out.X[0, 2], 99.0)


def test_json_state_roundtrip():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(20, 5))
    pp = od.pp.Preprocessor(scale="robust").fit(_adata(X))
    clone = od.pp.Preprocessor.from_dict(pp.to_dict())
    np.testing.assert_allclose(clone.transform(_adata(X)).X, pp.transform(_adata(X)).X)


def test_save_load_keeps_state_report_and_knn_reference(tmp_path):
    X = np.random.default_rng(2).uniform(size=(12, 4))
    X[3, 1] = np.nan
    X[:, 3] = 0.0  # dropped: zero everywhere
    pp = od.pp.Preprocessor(impute="knn", n_neighbors=2).fit(_adata(X))
    pp.save(tmp_path / "pp")
    loaded = od.pp.Preprocessor.load(tmp_path / "pp")
    assert loaded.get_params() == pp.get_params()
    np.testing.assert_array_equal(loaded.transform(_adata(X)).X, pp.transform(_adata(X)).X)
    np.testing.assert_array_equal(loaded.reference_, pp.reference_)
    assert loaded.report_ == pp.report_ and list(loaded.kept_patients_) == list(pp.kept_patients_)
    with pytest.raises(ValueError, match=r"Preprocessor\.save"):
        pp.to_dict()  # the KNN training matrix has no JSON form


def test_load_refuses_a_damaged_or_inconsistent_folder(tmp_path):
    import json

    from omicsdl import ModelFormatError

    pp = od.pp.Preprocessor().fit(_adata(np.random.default_rng(3).uniform(size=(8, 3))))
    pp.save(tmp_path / "pp")
    meta = json.loads((tmp_path / "pp" / "model.json").read_text())
    meta["state"]["features"] = ["f0", "f1"]  # 2 names for 3 columns; the digest is recomputed below
    from omicsdl._core._base import _meta_digest

    meta["sha256"] = _meta_digest(meta)
    (tmp_path / "pp" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="do not fit the 2 features"):
        od.pp.Preprocessor.load(tmp_path / "pp")
    with pytest.raises(ModelFormatError, match=r"no model\.json"):
        od.pp.Preprocessor.load(tmp_path)


def test_unfitted_transform_raises_not_fitted():
    from omicsdl import NotFittedError

    with pytest.raises(NotFittedError, match="not fitted"):
        od.pp.Preprocessor().transform(_adata(np.ones((2, 2))))


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(3, 12), st.integers(1, 6)),
        elements=st.one_of(st.floats(0, 1e4), st.just(np.nan)),
    )
)
def test_preprocessing_invariants(X):
    """Property: output is finite, features ⊆ input, patients kept ⊆ input, z-scores centred."""
    adata = _adata(X)
    pp = od.pp.Preprocessor(max_feature_missing=0.5, max_patient_missing=0.5, log_transform=True)
    try:
        out = pp.fit_transform(adata)
    except InputError:
        return  # everything filtered: a clear error is the contract
    assert np.isfinite(out.X).all()
    assert set(out.var_names) <= set(adata.var_names)
    assert set(out.obs_names) <= set(adata.obs_names)
    assert out.n_vars == len(pp.features_)
    if out.n_obs > 1:
        np.testing.assert_allclose(out.X.mean(axis=0), 0, atol=1e-3)


def test_preprocess_cohort_on_demo(demo_cohort):
    processed, fitted = od.pp.preprocess_cohort(demo_cohort)
    assert set(fitted) == {"rna", "mirna", "methylation"}
    assert fitted["rna"].log_transform and not fitted["methylation"].log_transform
    assert processed.n_obs == 360
    assert processed.obs["os_event"].sum() == 124
    for name in processed.mod:
        X = processed[name].X
        assert np.isfinite(X).all()
        np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-4)
        raw = demo_cohort[name][processed.obs_names, processed[name].var_names].X
        np.testing.assert_array_equal(processed[name].layers["raw"], raw)  # the values before scaling
    assert "log2p1" not in processed["methylation"].layers  # betas are not counts
    np.testing.assert_allclose(
        processed["mirna"].layers["log2p1"], np.log2(processed["mirna"].layers["raw"] + 1), rtol=1e-6
    )
    assert processed["rna"].var["symbol"].iloc[-1] == processed["rna"].var_names[-1].removeprefix("rna:")
    # the report names genes for people (ACAT1), the fitted state as the cohort does (rna:ACAT1)
    top = od.pp.Preprocessor(max_features=10).fit(demo_cohort["rna"])
    assert all(f.startswith("rna:") for f in top.features_) and len(top.report_.dropped_features) == 355
    assert not any(f.startswith("rna:") for f in top.report_.dropped_features)


def test_preprocessed_cohort_gives_scanpy_finite_log_fold_changes(demo_cohort):
    """On the z-scored X scanpy's fold changes are NaN (log of negative means); on log2p1 they are finite."""
    import warnings

    import scanpy as sc

    processed, _ = od.pp.preprocess_cohort(demo_cohort)
    adata = processed["mirna"].copy()
    adata.obs["outcome"] = np.where(processed.obs.loc[adata.obs_names, "os_event"], "died", "censored")
    adata.obs["outcome"] = adata.obs["outcome"].astype("category")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sc.tl.rank_genes_groups(adata, "outcome", layer="log2p1", method="wilcoxon", key_added="on_log")
    lfc = np.asarray(adata.uns["on_log"]["logfoldchanges"]["died"], dtype=float)
    assert len(lfc) == adata.n_vars and np.isfinite(lfc).all() and np.abs(lfc).max() > 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # log of a negative mean: the failure the layer avoids
        sc.tl.rank_genes_groups(adata, "outcome", method="wilcoxon", key_added="on_x")
    assert not np.isfinite(np.asarray(adata.uns["on_x"]["logfoldchanges"]["died"], dtype=float)).all()


def test_most_variable_features_and_gene_types_on_training_patients_only():
    import anndata as ad
    import pandas as pd

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6)) * np.array([1, 5, 2, 8, 0.5, 3]) + 20  # SYNTHETIC
    adata = ad.AnnData(X)
    adata.obs_names = [f"p{i}" for i in range(40)]
    adata.var_names = [f"g{j}" for j in range(6)]
    adata.var["gene_type"] = [
        "protein_coding",
        "lncRNA",
        "protein_coding",
        "protein_coding",
        "miRNA",
        "protein_coding",
    ]
    pp = od.pp.Preprocessor(max_features=3).fit(adata)
    assert list(pp.features_) == ["g1", "g3", "g5"]  # variances 25, 64, 9: the top three, in input order
    assert pp.report_.dropped_features["g0"] == "not among the 3 most variable"
    typed = od.pp.Preprocessor(max_features=2, gene_types=["protein_coding"]).fit(adata)
    assert list(typed.features_) == ["g3", "g5"]
    assert "gene type" in typed.report_.dropped_features["g1"]
    untyped = adata.copy()
    del untyped.var["gene_type"]
    assert len(od.pp.Preprocessor(gene_types=["protein_coding"]).fit(untyped).features_) == 6  # unknown: kept
    # fitted on the first 20 patients only: the other 20 (where g0 varies most) do not change the choice
    X2 = X.copy()
    X2[20:, 0] *= 100
    late = ad.AnnData(X2, obs=adata.obs, var=adata.var)
    assert list(od.pp.Preprocessor(max_features=3).fit(late[:20]).features_) == ["g1", "g3", "g5"]
    back = od.pp.Preprocessor.from_dict(typed.to_dict())
    assert back.max_features == 2 and back.gene_types == ["protein_coding"]
    assert_allclose(back.transform(adata).X, typed.transform(adata).X)
    pd.testing.assert_index_equal(back.transform(adata).var_names, typed.transform(adata).var_names)


def test_fit_pca_matches_a_full_svd():
    rng = np.random.default_rng(1)
    for shape in ((30, 200), (200, 30)):  # wide (Gram route) and tall
        X = rng.normal(size=shape) @ np.diag(np.linspace(3, 0.1, shape[1]))[:, : shape[1]]
        comps, _, var = od.pp.fit_pca(X, 5)
        _, s, vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
        assert_allclose(np.abs(comps), np.abs(vt[:5]), atol=1e-8)
        assert_allclose(var, s[:5] ** 2 / (shape[0] - 1), rtol=1e-8)
        assert (np.abs(comps).argmax(axis=1) == np.abs(comps).argmax(axis=1)).all()
        assert (comps[np.arange(5), np.abs(comps).argmax(axis=1)] > 0).all()  # signs fixed

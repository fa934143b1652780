"""The subtype-annotated cohort (``omicsdl subtypes fit --annotated``) opens cleanly in scanpy/muon."""

from __future__ import annotations

import warnings

import mudata as md
import numpy as np

import omicsdl as od
from omicsdl.subtypes._fit import annotated_cohort


def test_annotated_cohort_gives_scanpy_finite_fold_changes(fitted, cohort, lihc, tmp_path):
    fitted.annotate(cohort)
    path = od.io.write_h5mu(annotated_cohort(cohort), tmp_path / "cohort.annotated.h5mu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mdata = md.read_h5mu(path)
        rna = mdata["rna"]
        import scanpy as sc

        sc.tl.rank_genes_groups(rna, "subtype", layer="log2p1", method="wilcoxon")
    # what the README promises the file carries
    assert list(mdata.obs["subtype"].cat.categories) == list(fitted.subtypes_)
    assert np.isfinite(mdata.obs["subtype_risk"]).all()
    assert mdata.obsm["X_autoencoder"].shape == (360, 16)
    np.testing.assert_array_equal(rna.layers["raw"], lihc["rna"].X)
    np.testing.assert_allclose(rna.layers["log2p1"], np.log2(lihc["rna"].X + 1), rtol=1e-6)
    assert "log2p1" not in mdata["methylation"].layers
    assert (mdata["mirna"].obs["subtype"] == mdata.obs.loc[mdata["mirna"].obs_names, "subtype"]).all()
    first = str(fitted.subtypes_[0])
    lfc = np.asarray(rna.uns["rank_genes_groups"]["logfoldchanges"][first], dtype=float)
    assert len(lfc) == rna.n_vars and np.isfinite(lfc).all()
    top = rna.uns["rank_genes_groups"]["names"][first][0]
    assert top.startswith("rna:") and rna.var.loc[top, "symbol"] == top.removeprefix("rna:")

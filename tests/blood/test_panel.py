"""Panel extraction: aliases, missing genes, Ct-like values, duplicated samples, labels."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import omicsdl as od
from omicsdl import InputError

PANEL = list(od.blood.NINE_GENE_PANEL)


def _adata(columns, values=None, labels=None, ids=None):
    rng = np.random.default_rng(0)
    n = len(labels) if labels is not None else len(values) if values is not None else len(ids or range(6))
    X = rng.normal(8, 1, size=(n, len(columns))) if values is None else np.asarray(values, dtype=float)
    obs = pd.DataFrame(index=ids or [f"s{i}" for i in range(n)])
    if labels is not None:
        obs["group"] = labels
    return ad.AnnData(X=X, obs=obs, var=pd.DataFrame(index=columns))


@pytest.mark.parametrize(
    ("alias", "gene"),
    [
        ("HSP70-2", "HSPA1B"),
        ("CD184", "CXCR4"),
        ("fusin", "CXCR4"),
        ("LPC1", "ANXA1"),
        ("JIP4", "SPAG9"),
        ("CRT", "CALR"),
    ],
)
def test_aliases_are_mapped(alias, gene):
    columns = [alias if g == gene else g for g in PANEL]
    adata = _adata(columns)
    panel = od.blood.extract_panel(adata)
    assert panel.columns[gene] == alias
    assert_allclose(panel.X[gene].to_numpy(), adata[:, alias].X.ravel())


def test_official_symbol_wins_over_alias():
    adata = _adata([*PANEL, "HSP70-2"])
    assert od.blood.extract_panel(adata).columns["HSPA1B"] == "HSPA1B"


def test_ambiguous_aliases_and_unmapped_alias():
    with pytest.raises(InputError, match="several aliases"):
        od.blood.extract_panel(_adata([g for g in PANEL if g != "CXCR4"] + ["CD184", "LESTR"]))
    # HSP70-1 is HSPA1A, not HSPA1B: it must not be taken for HSPA1B
    with pytest.raises(InputError, match="missing: HSPA1B"):
        od.blood.extract_panel(_adata([g for g in PANEL if g != "HSPA1B"] + ["HSP70-1"]))


def test_missing_panel_genes_are_named():
    adata = _adata(["GPC3", "HGF", "FOS", "PFN1", "CALR", "ANXA1"])
    with pytest.raises(InputError, match="3 of 9 panel gene\\(s\\) missing: SPAG9, HSPA1B, CXCR4"):
        od.blood.extract_panel(adata)
    panel = od.blood.extract_panel(adata, missing="keep")
    assert panel.X["SPAG9"].isna().all()


def test_missing_value_in_one_sample():
    values = np.random.default_rng(1).normal(8, 1, (4, 9))
    values[2, 3] = np.nan
    with pytest.raises(InputError, match="first: s2 misses FOS"):
        od.blood.extract_panel(_adata(PANEL, values))


def test_ct_like_values_are_refused():
    ct = np.random.default_rng(2).uniform(18, 34, size=(8, 9))
    with pytest.raises(InputError, match="look like raw qPCR Ct"):
        od.blood.extract_panel(_adata(PANEL, ct))
    assert od.blood.extract_panel(_adata(PANEL, ct), allow_ct_like=True).X.shape == (8, 9)
    # high log2 microarray values (up to 14) are not Ct-like
    od.blood.extract_panel(_adata(PANEL, np.random.default_rng(3).uniform(4, 14, size=(8, 9))))


def test_duplicated_sample_ids():
    with pytest.warns(UserWarning, match="not unique"):  # anndata's own warning; we turn it into an error
        adata = _adata(PANEL, ids=["a", "b", "b", "c", "d", "e"])
    with pytest.raises(InputError, match="duplicated sample id"):
        od.blood.extract_panel(adata)


def test_labels_single_class_and_negative_filter():
    adata = _adata(PANEL, labels=["HCC", "HCC", "HCC", "HCC"])
    with pytest.raises(InputError, match="only one class"):
        od.blood.extract_panel(adata, label_key="group")
    adata = _adata(PANEL, labels=["HCC", "healthy", "HBV carrier", "hcc ", "Healthy", None])
    panel = od.blood.extract_panel(adata, label_key="group", positive="HCC", negative="healthy")
    assert list(panel.X.index) == ["s0", "s1", "s3", "s4"]
    assert list(panel.y) == [1, 0, 1, 0]
    panel = od.blood.extract_panel(adata, label_key="group", positive="HCC")
    assert list(panel.y) == [1, 0, 0, 1, 0]
    with pytest.raises(InputError, match="no label column 'status'"):
        od.blood.extract_panel(adata, label_key="status")


def test_real_tcga_excerpt_missing_panel_genes(blood_data):
    # REAL data (TCGA-LIHC tumours, log2 FPKM): only FOS and HSPA1B of the panel are in the excerpt.
    adata = od.io.read_expression_csv(blood_data / "tcga_lihc_fpkm_excerpt.tsv")
    assert adata.shape == (12, 5)
    with pytest.raises(
        InputError, match="7 of 9 panel gene\\(s\\) missing: GPC3, HGF, ANXA1, SPAG9, CXCR4, PFN1, CALR"
    ):
        od.blood.extract_panel(adata)
    panel = od.blood.extract_panel(adata, genes=["FOS", "HSPA1B"])
    assert_allclose(panel.X.iloc[0].to_numpy(), [3.53366514184564, 5.51314413807862])

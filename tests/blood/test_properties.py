"""Hypothesis property tests: probe collapsing and Ct normalisation invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import omicsdl as od

GENES = ["GPC3", "HGF", "FOS", "CALR"]
symbol = st.one_of(
    st.sampled_from(GENES),
    st.lists(st.sampled_from(GENES), min_size=2, max_size=3, unique=True).map(" /// ".join),
    st.just("---"),
)


@settings(max_examples=50, deadline=None)
@given(symbols=st.lists(symbol, min_size=1, max_size=12), seed=st.integers(0, 2**16))
def test_collapse_picks_highest_mean_unique_probe(symbols, seed):
    rng = np.random.default_rng(seed)
    probes = [f"p{i}" for i in range(len(symbols))]
    expr = pd.DataFrame(rng.normal(8, 2, size=(len(probes), 5)), index=probes)
    platform = pd.Series(symbols, index=probes)
    if all(s == "---" for s in symbols):
        return
    genes, var, _ = od.io.collapse_probes(expr, platform)
    for gene in genes.index:
        unique = [p for p, s in zip(probes, symbols, strict=True) if s == gene]
        multi = [p for p, s in zip(probes, symbols, strict=True) if " /// " in s and gene in s.split(" /// ")]
        candidates = unique or multi
        best = expr.loc[candidates].mean(axis=1).idxmax()
        assert var.loc[gene, "probe_id"] == best
        assert_allclose(genes.loc[gene].to_numpy(), expr.loc[best].to_numpy())
    # every gene that some probe names is present
    named = {g for s in symbols if s != "---" for g in s.split(" /// ")}
    assert set(genes.index) == named


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-5, 5), seed=st.integers(0, 2**16))
def test_minus_delta_ct_ignores_a_per_sample_shift(tmp_path_factory, shift, seed):
    rng = np.random.default_rng(seed)
    genes = ["GPC3", "HGF", "ACTB", "GAPDH"]
    ct = rng.uniform(15, 30, size=(3, 4))
    rows = []
    for sample, offset in zip(("a", "b", "c"), (0.0, shift, 0.0), strict=True):
        for gene, value in zip(genes, ct[len(rows) // 4] + offset, strict=True):
            rows.append({"sample": sample, "gene": gene, "value": round(float(value), 6)})
    path = tmp_path_factory.mktemp("ct") / "ct.tsv"
    pd.DataFrame(rows).to_csv(path, sep="\t", index=False)
    adata = od.io.read_qpcr_table(path, reference_genes=["ACTB", "GAPDH"])
    expected = ct[:, 2:].mean(axis=1, keepdims=True) - ct[:, :2]
    assert_allclose(adata.X, expected, atol=1e-5)

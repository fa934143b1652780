from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact

from omicsdl._core._errors import InputError
from omicsdl.enrich import default_gene_sets, read_gmt, run_ora

BACKGROUND = [f"G{i}" for i in range(100)]
SETS = {
    "first": BACKGROUND[:10],
    "mixed": BACKGROUND[5:25],
    "late": BACKGROUND[80:95],
    "tiny": BACKGROUND[:2],
}


def test_ora_matches_fisher_oracle():
    query = [*BACKGROUND[:8], "OUTSIDE"]
    res = run_ora(query, SETS, background=BACKGROUND).set_index("term")
    assert "tiny" not in res.index  # below min_size
    assert "late" not in res.index  # no overlap
    # one-sided Fisher's exact test == hypergeometric upper tail
    p = fisher_exact([[8, 2], [0, 90]], alternative="greater").pvalue
    assert res.loc["first", "p"] == pytest.approx(p, rel=1e-9)
    assert res.loc["first", "overlap"] == 8
    assert res.loc["first", "n_query"] == 8  # OUTSIDE is not in the background
    assert res.loc["mixed", "genes"] == "G5,G6,G7"
    assert (res["fdr"] >= res["p"] - 1e-15).all()


@settings(max_examples=30, deadline=None)
@given(st.permutations(BACKGROUND[:30]), st.integers(1, 30))
def test_ora_unchanged_by_gene_order(genes, k):
    a = run_ora(genes[:k], SETS, background=BACKGROUND)
    b = run_ora(sorted(genes[:k]), SETS, background=list(reversed(BACKGROUND)))
    assert a.equals(b)
    assert (a["fdr"].to_numpy() >= a["p"].to_numpy() - 1e-15).all()
    assert np.all((a["p"] >= 0) & (a["p"] <= 1))


def test_ora_bad_input():
    with pytest.raises(InputError, match="background is empty"):
        run_ora(["G1"], SETS, background=[])
    with pytest.raises(InputError, match="none of the query genes"):
        run_ora(["X"], SETS, background=BACKGROUND)


def test_read_gmt_real_excerpt_and_errors(test_data, tmp_path):
    sets = read_gmt(test_data / "g2vec" / "hallmark_excerpt.gmt")
    assert len(sets) == 5
    assert all(len(v) > 10 for v in sets.values())
    bad = tmp_path / "bad.gmt"
    bad.write_text("onlyname\n")
    with pytest.raises(InputError, match=r"bad.gmt:1.*tab"):
        read_gmt(bad)


def test_default_gene_sets_are_go_bp():
    sets = default_gene_sets()
    assert len(sets) == 5407
    name = next(iter(sets))
    assert "(GO:" in name
    assert all("" not in genes for genes in sets.values())


@pytest.mark.shared
def test_real_gmt_collections(shared_data):
    assert len(read_gmt(shared_data / "genesets" / "h.all.v7.0.symbols.gmt")) == 50
    assert len(read_gmt(shared_data / "genesets" / "ReactomePathways_2024-09-18.gmt")) == 2694

"""GEO series matrix + platform reader on SYNTHETIC fixtures in the exact GEO layout, and the probe-collapse rule."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import omicsdl as od
from omicsdl import InputError

SERIES = "SYNTHETIC_GSE000000_series_matrix.txt.gz"
PLATFORM = "SYNTHETIC_GPL000000_platform.txt"
GENES = ["GPC3", "HGF", "FOS", "CALR"]
symbol = st.one_of(
    st.sampled_from(GENES),
    st.lists(st.sampled_from(GENES), min_size=2, max_size=3, unique=True).map(" /// ".join),
    st.just("---"),
)


@pytest.fixture
def series_text(blood_data):
    with gzip.open(blood_data / SERIES, "rt") as fh:
        return fh.read()


def _write(tmp_path, text, name="GSE1_series_matrix.txt"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_header_lines_become_obs(blood_data):
    adata = od.io.read_geo_series_matrix(blood_data / SERIES)
    assert adata.shape == (8, 14)  # no platform: probes
    assert list(adata.obs_names[:2]) == ["GSM900001", "GSM900002"]
    assert adata.obs.loc["GSM900001", "disease state"] == "HCC"
    assert adata.obs.loc["GSM900008", "disease state"] == "healthy"
    assert adata.obs.loc["GSM900003", "age"] == "47"
    assert adata.obs.loc["GSM900001", "title"] == "PBMC_HCC_1"
    assert adata.uns["geo"]["series"]["platform_id"] == "GPL000000"
    assert "SYNTHETIC" in adata.uns["geo"]["series"]["title"]
    assert adata.uns["geo"]["log2_applied"] is False


def test_probe_collapse_rule(blood_data):
    adata = od.io.read_geo_series_matrix(blood_data / SERIES, platform=blood_data / PLATFORM)
    raw = od.io.read_geo_series_matrix(blood_data / SERIES)
    var = adata.var
    # GPC3: two unique probes, the one with the higher mean wins
    assert var.loc["GPC3", "probe_id"] == "SYN_0002_s_at"
    assert var.loc["GPC3", "n_probes"] == 2
    assert_allclose(adata[:, "GPC3"].X.ravel(), raw[:, "SYN_0002_s_at"].X.ravel())
    # HSPA1B only on an "HSPA1A /// HSPA1B" probe: used as fallback; HSPA1A keeps its unique probe
    assert var.loc["HSPA1B", "probe_id"] == "SYN_0008_s_at"
    assert var.loc["HSPA1A", "probe_id"] == "SYN_0007_at"
    # '---' probe and a probe missing from the platform map to no gene
    geo = adata.uns["geo"]
    assert (geo["n_probes_unmapped"], geo["n_probes_not_in_platform"], geo["n_genes"]) == (2, 1, 11)
    assert set(od.blood.NINE_GENE_PANEL) <= set(adata.var_names)
    panel = od.blood.extract_panel(adata, label_key="disease state", positive="HCC", negative="healthy")
    assert list(panel.y) == [1, 1, 1, 1, 0, 0, 0, 0]


def test_multi_gene_drop_loses_hspa1b(blood_data):
    adata = od.io.read_geo_series_matrix(
        blood_data / SERIES, platform=blood_data / PLATFORM, multi_gene="drop"
    )
    assert "HSPA1B" not in adata.var_names
    with pytest.raises(InputError, match="missing: HSPA1B"):
        od.blood.extract_panel(adata)


def test_wrong_platform_no_probe_maps(blood_data, tmp_path):
    other = tmp_path / "GPL_other.txt"
    other.write_text("#SYNTHETIC\nID\tGene Symbol\n1007_s_at\tDDR1\n1053_at\tRFC2\n")
    with pytest.raises(InputError, match="none of the 14 probes maps to a gene"):
        od.io.read_geo_series_matrix(blood_data / SERIES, platform=other)


def test_soft_platform_table(blood_data, tmp_path):
    body = (blood_data / PLATFORM).read_text().splitlines()
    table = [line for line in body if not line.startswith("#")]
    soft = tmp_path / "GPL.annot"
    soft.write_text(
        "^PLATFORM = GPL000000\n!platform_table_begin\n" + "\n".join(table) + "\n!platform_table_end\n"
    )
    mapping = od.io.read_geo_platform(soft)
    assert mapping["SYN_0008_s_at"] == "HSPA1A /// HSPA1B"
    assert len(mapping) == 13


def test_duplicated_sample_column(series_text, tmp_path):
    text = series_text.replace('"ID_REF"\t"GSM900001"\t"GSM900002"', '"ID_REF"\t"GSM900001"\t"GSM900001"')
    with pytest.raises(InputError, match="duplicated sample column") as err:
        od.io.read_geo_series_matrix(_write(tmp_path, text))
    assert "GSM900001" in str(err.value)


def test_truncated_table_row(series_text, tmp_path):
    lines = series_text.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith('"SYN_0003_at"'))
    lines[i] = "\t".join(lines[i].split("\t")[:5])
    with pytest.raises(InputError, match=f":{i + 1}: table row has 5 cells"):
        od.io.read_geo_series_matrix(_write(tmp_path, "\n".join(lines) + "\n"))


def test_no_table(tmp_path):
    with pytest.raises(InputError, match="no expression table"):
        od.io.read_geo_series_matrix(_write(tmp_path, '!Series_title\t"x"\n'))


def test_linear_values_are_log2_transformed(series_text, tmp_path):
    lines = []
    for line in series_text.splitlines():
        if line.startswith('"SYN_'):
            cells = line.split("\t")
            line = "\t".join([cells[0], *(f"{2 ** float(c):.3f}" for c in cells[1:])])
        lines.append(line)
    linear = od.io.read_geo_series_matrix(_write(tmp_path, "\n".join(lines) + "\n"))
    logged = od.io.read_geo_series_matrix(_write(tmp_path, series_text, "b_series_matrix.txt"))
    assert linear.uns["geo"]["log2_applied"] is True
    assert_allclose(linear.X, logged.X, atol=1e-3)


def test_null_values_become_nan(series_text, tmp_path):
    text = series_text.replace('"SYN_0003_at"\t', '"SYN_0003_at"\tnull\t', 1)
    text = text.replace("null\t" + text.split('"SYN_0003_at"\tnull\t')[1].split("\t")[0] + "\t", "null\t", 1)
    adata = od.io.read_geo_series_matrix(_write(tmp_path, text))
    assert np.isnan(adata[:, "SYN_0003_at"].X[0, 0])
    assert np.isfinite(adata[:, "SYN_0003_at"].X[1:, 0]).all()


def test_repeated_characteristic_key_keeps_both(series_text, tmp_path):
    line = "!Sample_characteristics_ch1\t" + "\t".join(['"tissue: whole blood"'] * 8) + "\n"
    text = series_text.replace("!Sample_platform_id", line + "!Sample_platform_id", 1)
    adata = od.io.read_geo_series_matrix(_write(tmp_path, text))
    assert adata.obs.loc["GSM900001", "tissue"] == "PBMC"
    extra = [c for c in adata.obs.columns if c.startswith("tissue_")]
    assert len(extra) == 1
    assert adata.obs.loc["GSM900001", extra[0]] == "whole blood"


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

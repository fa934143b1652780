"""Reading a G2Vec run's inputs: expression tables, labels, networks, gene sets."""

from __future__ import annotations

import pytest

import omicsdl as od
from omicsdl._core._errors import InputError
from omicsdl.g2vec import read_expression, read_g2vec_inputs, read_labels
from omicsdl.g2vec._inputs import attach_labels
from tests.g2vec._synthetic import write_authors_files


def test_demo_inputs():
    inputs = read_g2vec_inputs("demo", horizon_days=1095)
    assert inputs.groupby == "prognosis"
    assert inputs.adata.obs["prognosis"].value_counts().to_dict() == {"poor": 99, "good": 89}
    assert inputs.network.number_of_edges() == 253
    assert inputs.network.is_directed()  # read for the reference variant: rows as listed
    assert inputs.gene_sets is None
    assert "alphabetically first 365 genes" in inputs.adata.uns["omicsdl"]["limits"][0]


def test_table_inputs_derive_labels_and_read_gene_sets(tmp_path, test_data):
    table = tmp_path / "expr.tsv"
    table.write_text("patient\tos_days\tos_event\tG1\tG2\nP1\t100\t1\t1.0\t2.0\nP2\t2000\t0\t1.5\t2.5\n")
    net = tmp_path / "net.tsv"
    net.write_text("G1\tG2\n")
    inputs = read_g2vec_inputs(
        expression=table, network=net, gene_sets=[test_data / "g2vec" / "hallmark_excerpt.gmt"]
    )
    assert inputs.adata.obs["prognosis"].astype(str).tolist() == ["poor", "good"]
    assert list(inputs.gene_sets) == ["hallmark_excerpt"]
    assert inputs.network.number_of_edges() == 1
    given = read_g2vec_inputs(expression=table, network=net, groupby="os_event")
    assert given.groupby == "os_event" and "prognosis" not in given.adata.obs


def test_bad_input_combinations(tmp_path):
    with pytest.raises(InputError, match="takes no --expression/--network"):
        read_g2vec_inputs("demo", expression=tmp_path / "x.tsv")
    with pytest.raises(InputError, match="give `demo`, or both --expression and --network"):
        read_g2vec_inputs(expression=tmp_path / "x.tsv")
    with pytest.raises(InputError, match="expression file not found"):
        read_g2vec_inputs(expression=tmp_path / "x.tsv", network=tmp_path / "n.tsv")


@pytest.mark.shared
def test_real_cohort_on_real_networks(shared_data):
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


def test_the_authors_file_formats_are_read_unchanged(tmp_path):
    expression, clinical, network = write_authors_files(tmp_path)
    inputs = read_g2vec_inputs(expression=expression, network=network, labels=clinical)
    adata = inputs.adata
    assert adata.shape == (32, 24) and inputs.groupby == "prognosis"
    assert adata.obs["prognosis"].value_counts().to_dict() == {"good": 16, "poor": 16}
    assert adata.obs.loc["P00", "prognosis"] == "good" and adata.obs.loc["P31", "prognosis"] == "poor"
    assert inputs.network.is_directed() and ("G00", "G01") in inputs.network.edges
    assert ("G01", "G00") not in inputs.network.edges  # rows as listed
    assert inputs.network.graph["read_report"]["n_rows"] == 30  # the `src dest` header is not an edge
    assert "src" not in inputs.network
    assert inputs.duration_key is None  # labels without survival
    symmetric = read_g2vec_inputs(expression=expression, network=network, labels=clinical, variant="omicsdl")
    assert not symmetric.network.is_directed()


def test_authors_labels_errors_name_the_line(tmp_path):
    bad = tmp_path / "clin.txt"
    bad.write_text("PATIENT_BARCODE\tLABEL\nP00\t0\nP01\t2\n")
    with pytest.raises(InputError, match=r"clin.txt:3 \[P01\]: label '2' is not 0"):
        read_labels(bad)
    bad.write_text("PATIENT_BARCODE\tLABEL\nP00\t0\nP00\t1\n")
    with pytest.raises(InputError, match=r"clin.txt:3 \[P00\]: patient listed twice"):
        read_labels(bad)
    bad.write_text("PATIENT_BARCODE\tLABEL\nX1\t0\nX2\t1\n")
    expression, _, network = write_authors_files(tmp_path)
    with pytest.raises(InputError, match="no expression patient is in the labels file"):
        read_g2vec_inputs(expression=expression, network=network, labels=bad)


def test_tcga_barcodes_match_at_patient_level():
    import anndata as ad
    import numpy as np
    import pandas as pd

    adata = ad.AnnData(np.zeros((2, 1)))
    adata.obs_names = ["TCGA.2Y.A9GS.01", "TCGA.2Y.A9GU.01"]
    labels = pd.Series({"TCGA-2Y-A9GS": "poor", "TCGA-2Y-A9GU": "good"})
    attach_labels(adata, labels)
    assert adata.obs["prognosis"].astype(str).tolist() == ["poor", "good"]

from __future__ import annotations

import gzip

import pytest

from omicsdl._core._errors import InputError
from omicsdl.io import read_id_map, read_network


def test_edgelist_with_and_without_weights(tmp_path):
    plain = tmp_path / "plain.tsv"
    plain.write_text("A\tB\nB\tC\n")
    g = read_network(plain)
    assert g.number_of_edges() == 2
    assert g["A"]["B"]["weight"] == 1.0
    weighted = tmp_path / "weighted.txt"
    weighted.write_text("gene1 gene2 weight\nA B 0.5\nB C 2.5\n")
    g = read_network(weighted, format="edgelist")
    assert g["B"]["C"]["weight"] == pytest.approx(2.5)
    assert g.graph["read_report"]["n_rows"] == 2


def test_self_loops_and_duplicates_are_counted(tmp_path):
    path = tmp_path / "net.tsv"
    path.write_text("A\tB\t1\nB\tA\t3\nA\tA\t1\nC\tB\t2\nC\tB\t1\n")
    g = read_network(path)
    report = g.graph["read_report"]
    assert report["n_self_loops"] == 1
    assert report["n_duplicates"] == 2
    assert g.number_of_edges() == 2
    assert g["A"]["B"]["weight"] == 3.0  # largest weight kept
    assert not any(a == b for a, b in g.edges)


def test_string_csv_and_min_weight(tmp_path):
    path = tmp_path / "string.csv"
    path.write_text('"","score","protein1","protein2"\n"1",0.95,"TP53","MDM2"\n"2",0.91,"MDM2","CDKN1A"\n')
    g = read_network(path)
    assert g.graph["read_report"]["format"] == "string"
    assert g["TP53"]["MDM2"]["weight"] == pytest.approx(0.95)
    g = read_network(path, min_weight=0.93)
    assert g.number_of_edges() == 1


def test_string_header_must_name_columns(tmp_path):
    path = tmp_path / "string.csv"
    path.write_text('"","score","protein1","other"\n"1",0.95,"TP53","MDM2"\n')
    with pytest.raises(InputError, match="protein1, protein2"):
        read_network(path, format="string")


def test_humannet_and_gzip(tmp_path):
    path = tmp_path / "humannet_x.tsv.gz"
    path.write_bytes(gzip.compress(b"GTF2E1\tTAF9\t2.46\nGTF2E1\tTAF6\t2.62\n"))
    g = read_network(path)
    assert g.graph["read_report"]["format"] == "humannet"
    assert g.number_of_nodes() == 3


def test_real_cheng_excerpt_corrupt_rows_skipped_or_refused(test_data):
    path = test_data / "g2vec" / "cheng_corrupt_excerpt.tsv"
    g = read_network(path, format="entrez")
    report = g.graph["read_report"]
    # the excerpt holds 71 rows that fail a strict `id<TAB>id` check (grep -v -P)
    assert report["n_corrupt"] == 71
    assert report["n_rows"] == 400
    assert report["corrupt_lines"][0] == 101
    with pytest.raises(InputError, match=r"cheng_corrupt_excerpt.tsv:101.*corrupt network row"):
        read_network(path, format="entrez", on_corrupt="raise")


def test_entrez_with_id_map(tmp_path):
    net = tmp_path / "entrez.tsv"
    net.write_bytes(b"7157\t4193\r\n4193\t1026\r\n1026\t999999\r\n")
    idmap = tmp_path / "map.tsv"
    idmap.write_text("entrez\tsymbol\n7157\tTP53\n4193\tMDM2\n1026\tCDKN1A\n")
    assert read_id_map(idmap)["7157"] == "TP53"
    g = read_network(net, id_map=idmap)
    assert set(g.nodes) == {"TP53", "MDM2", "CDKN1A"}
    assert g.graph["read_report"]["n_unmapped"] == 1


def test_no_valid_edge_and_missing_file(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(b"A\xff\tB\nC\n")
    with pytest.raises(InputError, match="no valid edge"):
        read_network(path)
    with pytest.raises(InputError, match="not found"):
        read_network(tmp_path / "missing.tsv")


@pytest.mark.shared
def test_real_networks(shared_data):
    g = read_network(shared_data / "networks" / "cheng_human_interactome_entrez.tsv.gz")
    report = g.graph["read_report"]
    assert report["format"] == "entrez"
    assert report["n_corrupt"] == 2426
    assert report["n_edges"] == 343611
    g = read_network(shared_data / "networks" / "humannet_v1_top10pct_symbols.tsv")
    assert (g.number_of_nodes(), g.number_of_edges()) == (7939, 47595)

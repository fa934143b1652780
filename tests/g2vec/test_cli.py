"""`omicsdl g2vec run` / `learning-curve` on the demo, the authors' file formats, the example, CLI errors."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pandas as pd
import pytest

from omicsdl.cli import main
from omicsdl.g2vec import G2VecRun
from tests.g2vec._synthetic import tiny_survival_cohort, write_authors_files

REPO_EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "g2vec_neighbours.py"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("g2vec") / "demo"
    args = ["-q", "g2vec", "run", "demo", "--out", str(out), "--seed", "0"]
    args += ["--max-epochs", "3", "--n-splits", "2", "--n-repeats", "1", "--null-draws", "20"]
    assert main(args) == 0
    return out


def test_demo_outputs(demo_run):
    from gensim.models import KeyedVectors

    for name in (
        "vectors.kv",
        "vectors.txt",
        "biomarkers.tsv",
        "modules.tsv",
        "enrichment.tsv",
        "enrichment_null.tsv",
        "evaluation.json",
        "diagnostics.json",
    ):
        assert (demo_run / name).is_file(), name
    kv = KeyedVectors.load(str(demo_run / "vectors.kv"))  # the gensim copy this test's run just wrote
    assert kv.vector_size == 128
    summary = json.loads((demo_run / "summary.json").read_text())
    # only genes that occurred in a gene-path: the others' vectors are untrained
    assert len(kv) == summary["n_genes_in_paths"] < 151
    assert (np.linalg.norm(kv.vectors, axis=1) > 0).all()
    diagnostics = json.loads((demo_run / "diagnostics.json").read_text())
    for key in ("mean_pairwise_cosine", "n_paths", "n_distinct_paths", "epochs_run", "best_epoch", "variant"):
        assert key in diagnostics, key
    assert diagnostics["variant"] == "reference" and diagnostics["epochs_run"] <= 3
    assert set(diagnostics["n_paths"]) == set(diagnostics["n_distinct_paths"]) == {"good", "poor"}
    assert {"l_group_sizes", "vector_norms", "warnings", "collapsed"} <= set(diagnostics)
    assert "alphabetically first 365 genes" in summary["input_limits"][0]
    assert summary["enrichment"]["n_tests"] >= len(pd.read_csv(demo_run / "enrichment.tsv", sep="\t"))
    bio = pd.read_csv(demo_run / "biomarkers.tsv", sep="\t")
    assert list(bio.columns) == ["gene", "l_group", "score"]
    enrichment = pd.read_csv(demo_run / "enrichment.tsv", sep="\t")
    assert {"module", "term", "overlap", "p", "fdr"} <= set(enrichment.columns)
    assert (enrichment["fdr"] >= enrichment["p"] - 1e-12).all()
    modules = pd.read_csv(demo_run / "modules.tsv", sep="\t")
    assert set(modules["gene"]) <= set(bio["gene"])
    evaluation = json.loads((demo_run / "evaluation.json").read_text())
    assert set(evaluation["summary"]) == {"g2vec", "top_t", "cox", "network", "random", "all_genes"}
    assert len(evaluation["folds"]) == 2
    summary = json.loads((demo_run / "summary.json").read_text())
    assert summary["network_read"]["n_corrupt"] == 0
    assert summary["labels"]["poor"] == 99
    assert summary["format"] == "omicsdl.G2VecRun" and summary["format_version"] == 1
    # the folder reads back as a G2VecRun, vectors from vectors.txt (checksummed)
    run = G2VecRun.read(demo_run)
    assert len(run.vectors) == len(kv) == summary["n_genes_in_paths"]
    np.testing.assert_allclose(run.vectors.loc[kv.index_to_key].to_numpy(), kv.vectors, rtol=1e-6, atol=1e-9)


def test_same_seed_same_cli_outputs(demo_run, tmp_path):
    out = tmp_path / "again"
    args = [
        "-q",
        "g2vec",
        "run",
        "demo",
        "--out",
        str(out),
        "--seed",
        "0",
        "--max-epochs",
        "3",
        "--no-evaluate",
        "--null-draws",
        "20",
    ]
    assert main(args) == 0
    assert (out / "biomarkers.tsv").read_text() == (demo_run / "biomarkers.tsv").read_text()
    assert (out / "vectors.txt").read_text() == (demo_run / "vectors.txt").read_text()


def test_same_seed_byte_identical_folders_on_the_authors_formats(tmp_path):
    expression, clinical, network = write_authors_files(tmp_path)
    base = ["-q", "g2vec", "run", "--expression", str(expression), "--labels", str(clinical)]
    base += [
        "--network",
        str(network),
        "--seed",
        "3",
        "--max-epochs",
        "5",
        "--no-evaluate",
        "--null-draws",
        "20",
    ]
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    assert main([*base, "--out", str(tmp_path / "b")]) == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "vectors.kv" in files and "diagnostics.json" in files
    for name in files:  # vectors.kv included: no temp file name or timestamp inside
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["labels"] == {"good": 16, "poor": 16}
    assert summary["match"]["n_edges"] == 30 and summary["variant"] == "reference"
    kv = (tmp_path / "a" / "vectors.kv").read_bytes()
    assert b".part" not in kv and b"datetime" not in kv


def test_learning_curve_command_writes_table_and_figure(tmp_path):
    adata, network = tiny_survival_cohort()
    table = tmp_path / "cohort.tsv"
    frame = pd.DataFrame(np.asarray(adata.X), index=adata.obs_names, columns=adata.var_names)
    frame.insert(0, "os_event", adata.obs["os_event"].to_numpy())
    frame.insert(0, "os_days", adata.obs["os_days"].to_numpy())
    frame.to_csv(table, sep="\t", index_label="patient")
    net = tmp_path / "net.tsv"
    net.write_text("src\tdest\n" + "".join(f"{a}\t{b}\n" for a, b in network.edges()))
    args = ["-q", "g2vec", "learning-curve", "--expression", str(table), "--network", str(net)]
    args += [
        "--sizes",
        "10,all",
        "--n-repeats",
        "2",
        "--n-seeds",
        "0",
        "--max-epochs",
        "2",
        "--n-biomarkers",
        "5",
    ]
    assert main([*args, "--out", str(tmp_path / "lc")]) == 0
    assert (tmp_path / "lc" / "learning_curve.png").is_file()
    curve = pd.read_csv(tmp_path / "lc" / "learning_curve.tsv", sep="\t")
    assert set(curve["size"].astype(str)) == {"10", "all"}
    assert {"auc", "auc_ci_low", "g2vec_minus_auc", "c_index"} <= set(curve.columns)
    assert main([*args, "--sizes", "3", "--out", str(tmp_path / "x")]) == 2  # too few patients per group


def test_example_script_neighbours(demo_run, capsys):
    spec = importlib.util.spec_from_file_location("g2vec_neighbours", REPO_EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(demo_run), "--top", "8", "--clusters", "3"]) == 0
    out = capsys.readouterr().out
    signal = json.loads((demo_run / "diagnostics.json").read_text())["neighbourhood_signal"]
    assert ("carry no neighbourhood signal" in out) is (not signal)  # said before the list
    out = out[out.index("nearest neighbours of ") :]
    rows = [ln for ln in out.splitlines()[2:] if ln.strip()]
    assert len(rows) == 8
    assert all(ln.split()[-1] in {"0", "1", "2"} for ln in rows)


def test_seed_help_states_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["g2vec", "run", "--help"])
    from omicsdl import settings

    out = " ".join(capsys.readouterr().out.split())
    assert f"(default: {settings.seed}; set another with the OMICSDL_SEED environment variable)" in out


def test_cli_bad_inputs_exit_2(tmp_path, capsys, test_data):
    table = tmp_path / "expr.tsv"
    table.write_text("patient\tos_days\tos_event\tG1\tG2\nP1\t100\t1\t1.0\t2.0\nP2\t2000\t0\t1.5\t2.5\n")
    net = tmp_path / "net.tsv"
    net.write_text("X1\tX2\nX2\tX3\n")
    code = main(
        [
            "-q",
            "g2vec",
            "run",
            "--expression",
            str(table),
            "--network",
            str(net),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "group has 1 patients" in capsys.readouterr().err
    code = main(["-q", "g2vec", "run", "--out", str(tmp_path / "o")])
    assert code == 2
    # corrupt rows refused on request, with the line number
    code = main(
        [
            "-q",
            "g2vec",
            "run",
            "--expression",
            str(table),
            "--network",
            str(test_data / "g2vec" / "cheng_corrupt_excerpt.tsv"),
            "--on-corrupt",
            "raise",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "cheng_corrupt_excerpt.tsv:101" in capsys.readouterr().err


@pytest.mark.shared
def test_cli_on_real_table_and_network(shared_data, tmp_path):
    out = tmp_path / "hcc"
    args = [
        "-q", "g2vec", "run",
        "--expression", str(shared_data / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz"),
        "--duration-key", "OStime", "--event-key", "OS",
        "--network", str(shared_data / "networks" / "humannet_v1_top10pct_symbols.tsv"),
        "--gene-sets", str(shared_data / "genesets" / "h.all.v7.0.symbols.gmt"),
        "--max-epochs", "2", "--no-evaluate", "--null-draws", "10", "--seed", "1", "--out", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["labels"] == {"good": 54, "poor": 53, "nan": 43}
    # the reference variant keeps every gene of both network and expression (379 have an edge among them)
    assert summary["match"]["n_genes"] == 608
    assert summary["match"]["n_edges"] == 516
    assert json.loads((out / "evaluation.json").read_text()) == {"skipped": True}
    enrichment = pd.read_csv(out / "enrichment.tsv", sep="\t")
    assert set(enrichment["collection"]) <= {"h.all.v7.0.symbols"}

"""G2VecRun owns its folder: write/read round trip, the vectors files, tampering, no pickle on read."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl.g2vec import G2VecRun, run_g2vec
from tests.g2vec._synthetic import tiny_cohort

FILES = {
    "summary.json",
    "diagnostics.json",
    "biomarkers.tsv",
    "modules.tsv",
    "enrichment.tsv",
    "enrichment_null.tsv",
    "evaluation.json",
    "vectors.txt",
    "vectors.json",
    "vectors.kv",
}


@pytest.fixture(scope="module")
def tiny_run():
    adata, network = tiny_cohort()
    sets = {"TOY": {"first": ["G00", "G01", "G02", "G03"], "second": ["G06", "G07", "G08"]}}
    return run_g2vec(
        adata, network, gene_sets=sets, evaluate=True, n_splits=2, n_repeats=1, rng=0, n_null_draws=20,
        dim=8, n_walks=3, max_length=6, n_biomarkers=5, max_epochs=2, min_group_size=6, min_set_size=2,
    )  # fmt: skip


def test_write_read_round_trip(tiny_run, tmp_path):
    written = tiny_run.write(tmp_path / "run")
    assert set(written) == FILES
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert list(summary)[:3] == ["format", "format_version", "omicsdl_version"]
    assert summary["format"] == "omicsdl.G2VecRun" and summary["labels"] == {"good": 16, "poor": 16}
    back = G2VecRun.read(tmp_path / "run")
    assert back.model is None
    assert back.summary == json.loads(json.dumps(tiny_run.summary))
    assert back.evaluation == json.loads(json.dumps(tiny_run.evaluation))
    pd.testing.assert_frame_equal(back.biomarkers, tiny_run.biomarkers)
    pd.testing.assert_frame_equal(back.modules, tiny_run.modules, check_dtype=False)
    pd.testing.assert_frame_equal(
        back.enrichment, tiny_run.enrichment.reset_index(drop=True), check_dtype=False, rtol=1e-5
    )
    pd.testing.assert_frame_equal(back.vectors, tiny_run.vectors, check_names=False, rtol=1e-6, atol=1e-9)
    assert back.module_edges is None
    assert set(back.sources) == FILES - {"vectors.json", "vectors.kv"}
    # the report's views
    table = back.evaluation_table()
    assert table["feature_set"].tolist() == [
        "g2vec",
        "top_t",
        "network",
        "random",
        "all_genes",
    ]  # no survival
    assert back.diagnostics == tiny_run.diagnostics and back.variant == "reference"
    pd.testing.assert_frame_equal(
        back.enrichment_null, tiny_run.enrichment_null, check_dtype=False, rtol=1e-5
    )
    assert back.n_splits == 2 and back.n_repeats == 1 and "LogisticRegression" in back.classifier
    assert back.match["n_genes"] == tiny_run.model.match_.n_genes
    kv = back.to_keyed_vectors()
    assert kv.index_to_key == back.vectors.index.tolist()
    # writing what was read gives the same tables and JSON (vectors.txt holds 8 significant digits of
    # float32 values, so its text, and vectors.kv, may move by one in the last digit)
    back.write(tmp_path / "again")
    for name in FILES - {"vectors.kv", "vectors.txt", "vectors.json"}:
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "run" / name).read_bytes(), name


def test_not_evaluated_and_optional_parts(tiny_run, tmp_path):
    run = G2VecRun(biomarkers=tiny_run.biomarkers, summary={"n_biomarkers": len(tiny_run.biomarkers)})
    written = run.write(tmp_path / "bare")
    assert set(written) == {"biomarkers.tsv", "evaluation.json", "summary.json"}
    assert json.loads((tmp_path / "bare" / "evaluation.json").read_text()) == {"skipped": True}
    back = G2VecRun.read(tmp_path / "bare")
    assert back.evaluation is None and back.modules is None and back.vectors is None
    assert back.evaluation_table().empty and back.protocol == {}
    assert back.module_figures() == []
    with pytest.raises(InputError, match="no gene vectors"):
        back.to_keyed_vectors()


def test_incomplete_or_foreign_folders_are_refused(tiny_run, tmp_path):
    with pytest.raises(InputError, match="is not a results folder"):
        G2VecRun.read(tmp_path / "nowhere")
    tiny_run.write(tmp_path / "run")
    (tmp_path / "run" / "summary.json").unlink()  # what an interrupted re-run leaves
    with pytest.raises(InputError, match=r"no summary\.json"):
        G2VecRun.read(tmp_path / "run")
    (tmp_path / "run" / "summary.json").write_text(
        json.dumps({"format": "omicsdl.MRSEvaluation", "format_version": 1})
    )
    with pytest.raises(InputError, match=r"expected omicsdl\.G2VecRun results"):
        G2VecRun.read(tmp_path / "run")


def test_vectors_files_roundtrip(g2vec_fitted, tmp_path):
    from gensim.models import KeyedVectors

    run = G2VecRun(biomarkers=g2vec_fitted.biomarkers_, vectors=g2vec_fitted.vectors_)  # every vector
    run.write(tmp_path)
    # the gensim-native copy, for gensim users; the test wrote this file itself a line above
    native = KeyedVectors.load(str(tmp_path / "vectors.kv"))
    safe = G2VecRun.read(tmp_path).to_keyed_vectors()
    nonzero = g2vec_fitted.vectors_[(g2vec_fitted.vectors_.to_numpy() != 0).any(axis=1)]
    genes = nonzero.index.tolist()
    assert len(native) == len(safe) == len(genes) == len(g2vec_fitted.genes_)  # reference: no zero vectors
    np.testing.assert_array_equal(native[genes], nonzero.to_numpy())
    np.testing.assert_allclose(safe[genes], nonzero.to_numpy(), rtol=1e-6, atol=1e-9)
    # tampering and newer formats are refused
    meta = json.loads((tmp_path / "vectors.json").read_text())
    meta["format_version"] = 99
    (tmp_path / "vectors.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="format_version 99"):
        G2VecRun.read(tmp_path)
    meta["format_version"] = 1
    (tmp_path / "vectors.json").write_text(json.dumps(meta))
    with (tmp_path / "vectors.txt").open("a") as fh:
        fh.write("EXTRA 0\n")
    with pytest.raises(ModelFormatError, match="checksum"):
        G2VecRun.read(tmp_path)


def test_all_zero_vectors_are_not_written(tiny_run, tmp_path):
    zero = tiny_run.vectors * 0
    with pytest.raises(InputError, match="every gene vector is zero"):
        G2VecRun(biomarkers=tiny_run.biomarkers, vectors=zero).write(tmp_path / "z")
    assert not (tmp_path / "z" / "summary.json").exists()


class _Trap:
    """Unpickling this creates the file named by its argument (a stand-in for arbitrary code)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_crafted_vectors_kv_is_never_unpickled(tiny_run, tmp_path):
    folder = tmp_path / "run"
    tiny_run.write(folder)
    sentinel = tmp_path / "pwned"
    (folder / "vectors.kv").write_bytes(pickle.dumps(_Trap(str(sentinel))))
    back = G2VecRun.read(folder)
    back.to_keyed_vectors()
    figures = back.module_figures()  # no network, no edges file: the vectors draw the edges
    assert figures and "cosine" in figures[0][2]
    assert not sentinel.exists()


def test_the_library_never_unpickles_vectors():
    import re
    from pathlib import Path

    import omicsdl

    root = Path(omicsdl.__file__).parent
    calls = re.compile(r"KeyedVectors\.load\(|pickle\.loads?\(|joblib\.load\(|torch\.load\(")
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("*.py") if calls.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []

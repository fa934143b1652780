"""The G2Vec report section reads a G2VecRun and never unpickles anything in the results folder."""

from __future__ import annotations

import pickle
import pickletools

from omicsdl.report import build_report
from tests.report.conftest import write_g2vec


class _Trap:
    """Unpickling this creates the file named by its argument (a stand-in for arbitrary code)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_crafted_vectors_kv_is_never_loaded(tmp_path):
    folder = write_g2vec(tmp_path / "g2vec", edges=False)
    sentinel = tmp_path / "pwned"
    payload = pickle.dumps(_Trap(str(sentinel)))
    ops = [op.name for op, _, _ in pickletools.genops(payload)]
    assert "STACK_GLOBAL" in ops and "REDUCE" in ops and str(sentinel).encode() in payload  # a live payload
    (folder / "vectors.kv").write_bytes(payload)
    # vectors.txt present: the fallback edges come from it, read as text
    lines = ["4 3", "G0 1 0 0", "G1 0.9 0.1 0", "G2 0 1 0", "G3 0.1 0.9 0"]
    (folder / "vectors.txt").write_text("\n".join(lines) + "\n")
    html = build_report(g2vec=folder).write(tmp_path / "report").read_text()
    assert not sentinel.exists()
    assert "cosine of G2Vec vectors" in html
    assert "vectors.kv" not in html


def test_section_states_limits_baselines_curve_nulls_and_families(tmp_path):
    """A real (tiny, SYNTHETIC) run folder with a learning curve: what a reader must not miss."""
    import pandas as pd
    from threadpoolctl import threadpool_limits

    import omicsdl as od
    from tests.g2vec._synthetic import tiny_survival_cohort

    adata, network = tiny_survival_cohort()
    adata.uns["omicsdl"] = {"limits": ["SYNTHETIC cohort of 24 genes"]}
    sets = {"TOY": {"first": ["G00", "G01", "G02", "G03"], "second": ["G06", "G07", "G08"]}}
    tiny = {"dim": 8, "n_walks": 3, "max_length": 6, "n_biomarkers": 5, "max_epochs": 3, "min_group_size": 6}
    with threadpool_limits(1):  # tiny fits: thread start-up would cost more than the fits
        run = od.g2vec.run_g2vec(
            adata, network, gene_sets=sets, n_splits=2, n_repeats=1, n_null_draws=20, min_set_size=2, rng=0,
            n_threads=1, **tiny,
        )  # fmt: skip
        curve = od.g2vec.learning_curve(
            adata,
            network,
            sizes=(10, None),
            n_repeats=2,
            n_seeds=0,
            cohort="tiny",
            rng=0,
            n_threads=1,
            **tiny,
        )
    folder = tmp_path / "g2vec"
    run.write(folder)
    curve.write(folder / "learning_curve")
    modules = pd.read_csv(folder / "modules.tsv", sep="\t")
    modules.loc[:, "gene"] = [f"ABL{i}" for i in range(1, len(modules) + 1)]  # one family, as paralogs
    modules.to_csv(folder / "modules.tsv", sep="\t", index=False)
    import json

    summary = json.loads((folder / "summary.json").read_text())
    summary["gene_family_modules"] = {m: sorted(g) for m, g in modules.groupby("module")["gene"]}
    (folder / "summary.json").write_text(json.dumps(summary))
    report = build_report(g2vec=folder)
    html = report.write(tmp_path / "report").read_text()
    section = html.split('<section id="g2vec">')[1].split("</section>")[0]
    assert "Limit of the input: SYNTHETIC cohort of 24 genes" in section
    assert "Learning curve (tiny)" in section and "G2Vec minus them" in section
    assert "Stability" not in section or "Jaccard" in section
    assert "pairs tested and adjusted together" in section and "Random connected gene sets" in section
    assert "mostly one gene family" in section and "Glossary" in section
    assert "univariate Cox genes" in section and "network PageRank genes" in section
    summary_text = html.split('id="summary"')[1].split("</section>")[0]
    assert "limit of the input: SYNTHETIC cohort of 24 genes" in summary_text
    assert "learning curve: with 10 training patients per group" in summary_text

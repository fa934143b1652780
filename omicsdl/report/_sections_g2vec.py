"""Report section for G2Vec gene modules (``omicsdl g2vec run`` results, read as a :class:`G2VecRun`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from omicsdl.report._sections_common import fmt_num, fmt_p, require_dir

if TYPE_CHECKING:
    import os

    import networkx as nx

    from omicsdl.report._builder import Report

__all__ = ["g2vec_section"]

_MAX_MODULE_FIGURES = 4
#: the order in which the section records its inputs (with checksums) in the report's methods
_INPUT_ORDER = ("summary.json", "biomarkers.tsv", "evaluation.json", "modules.tsv", "enrichment.tsv")


def g2vec_section(report: Report, results: str | os.PathLike[str], *, network: nx.Graph | None = None) -> str:
    """Add the G2Vec section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        Folder written by ``omicsdl g2vec run``, read with
        :meth:`omicsdl.g2vec.G2VecRun.read` (``summary.json``, ``biomarkers.tsv``;
        ``modules.tsv``, ``enrichment.tsv``, ``evaluation.json``, ``vectors.txt``
        and ``module_edges.tsv`` when present). ``vectors.kv`` is never opened:
        it is a pickle.
    network
        The interaction network the run used, to draw the modules' real edges;
        without it (and without ``module_edges.tsv``) genes are linked by the
        similarity of their G2Vec vectors, and the caption says so.
    """
    from omicsdl.g2vec._results import G2VecRun

    folder = require_dir(results, "G2Vec", "biomarkers.tsv")
    run = G2VecRun.read(folder)
    for name in _INPUT_ORDER:
        if name in run.sources:
            report.add_input(run.sources[name], label=f"g2vec/{name}")
    sec = report.section("g2vec", "G2Vec prognostic genes and modules")
    sec.add_text(
        "G2Vec (Choi et al., Sci Rep 2018) walks a gene-interaction network, weighting each link by how "
        "strongly the two genes' activity is correlated in good- and in poor-prognosis patients, and learns "
        "a vector per gene that predicts which group a walk came from. Genes with long vectors that also "
        "differ between the groups are the biomarkers; the biomarkers' neighbourhoods on the network are "
        "the modules, tested for enrichment in known gene sets."
    )
    biomarkers = run.biomarkers
    figures = {"biomarkers": str(len(biomarkers))}
    if "l_group" in biomarkers:
        figures |= {
            f"{k} L-group": str(v) for k, v in biomarkers["l_group"].value_counts().sort_index().items()
        }
    sentence = [f"G2Vec: {len(biomarkers)} prognostic biomarker genes"]

    table = run.evaluation_table()
    if len(table):
        table = table.rename(columns={"feature_set": "gene set"})
        g2 = table.set_index("gene set")["auc"]
        figures["held-out AUC (G2Vec genes)"] = fmt_num(g2.get("g2vec"))
        sec.add_key_figures(figures)
        sec.add_table(
            table,
            name="g2vec_evaluation",
            caption=f"Held-out prognosis classification ({run.n_splits or '?'}-fold CV × "
            f"{run.n_repeats or '?'} repeats, {run.classifier or 'logistic regression'}): "
            "G2Vec biomarkers against the same number of top-|t| genes, random genes and all genes.",
        )
        sentence.append(
            f"predict good vs poor prognosis on held-out patients with AUC {fmt_num(g2.get('g2vec'))} "
            f"(top-|t| genes {fmt_num(g2.get('top_t'))}, random genes {fmt_num(g2.get('random'))})"
        )
    else:
        sec.add_key_figures(figures)
        sec.add_callout(
            "No cross-validated evaluation in the results (evaluation.json absent or skipped).",
            kind="warning",
        )
    sec.add_table(
        biomarkers, name="g2vec_biomarkers", caption="Biomarker genes with their L-group and score."
    )

    modules = run.modules
    if modules is not None:
        if len(modules):
            lists = (
                modules.groupby("module", sort=False)["gene"]
                .agg(lambda g: ", ".join(map(str, g)))
                .reset_index(name="genes")
            )
            lists.insert(1, "n_genes", modules.groupby("module", sort=False).size().to_numpy())
            sec.add_table(lists, name="g2vec_modules", caption="Modules and their genes.")
            for module, figure, how in run.module_figures(network=network, limit=_MAX_MODULE_FIGURES):
                sec.add_figure(figure, caption=f"Module {module}: its genes and {how}.")
            sentence.append(f"{lists['module'].nunique()} network modules")
        else:
            sec.add_callout(
                "The biomarkers formed no module of the minimum size on the network.", kind="note"
            )
    else:
        sec.add_callout(
            "No modules.tsv in the results: module lists and figures are skipped.", kind="warning"
        )

    enr = run.enrichment
    if enr is not None:
        cols = [
            c
            for c in ("module", "collection", "term", "overlap", "set_size", "p", "fdr", "genes")
            if c in enr
        ]
        enr = enr[cols].sort_values([c for c in ("fdr", "p") if c in enr]) if len(enr) else enr[cols]
        n_sig = int((enr["fdr"] < 0.05).sum()) if "fdr" in enr and len(enr) else 0
        sec.add_table(
            enr,
            name="g2vec_enrichment",
            caption=f"Gene-set enrichment of the modules (hypergeometric test, Benjamini–Hochberg FDR; "
            f"{n_sig} terms at FDR < 0.05).",
        )
        if n_sig:
            top = enr.iloc[0]
            sentence.append(f"the top enriched term is {top['term']} (FDR {fmt_p(top['fdr'])})")
        else:
            sentence.append("no gene set is enriched at FDR < 0.05")
    else:
        sec.add_callout("No enrichment.tsv in the results: enrichment is skipped.", kind="warning")
    match = run.match
    if match is not None:
        counts = {k.replace("_", " "): v for k, v in match.items() if isinstance(v, int | float)}
        if counts:
            sec.add_text(
                "Genes and edges matched between expression and network: "
                + "; ".join(f"{k} {v}" for k, v in counts.items())
                + "."
            )
    report.add_methods(g2vec_protocol=run.protocol or "not recorded")
    return "; ".join(sentence) + "."

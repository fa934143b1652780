"""Report section for G2Vec gene modules (``omicsdl g2vec run`` results, read as a :class:`G2VecRun`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from omicsdl.report._sections_common import fmt_num, fmt_p, require_dir

if TYPE_CHECKING:
    import os

    import networkx as nx

    from omicsdl.g2vec import G2VecLearningCurve, G2VecRun
    from omicsdl.report._builder import Report, Section

__all__ = ["g2vec_section"]

_MAX_MODULE_FIGURES = 4
#: the order in which the section records its inputs (with checksums) in the report's methods
_INPUT_ORDER = (
    "summary.json",
    "diagnostics.json",
    "biomarkers.tsv",
    "evaluation.json",
    "modules.tsv",
    "enrichment.tsv",
    "learning_curve/learning_curve.json",
)
#: gene sets of the comparison, for people
GENE_SET_NAMES = {
    "g2vec": "G2Vec biomarkers",
    "g2vec_reference": "G2Vec biomarkers (authors' algorithm)",
    "g2vec_omicsdl": "G2Vec biomarkers (omicsdl variant)",
    "top_t": "top-|t| genes",
    "cox": "univariate Cox genes",
    "network": "network PageRank genes (CPR-like)",
    "random": "random genes",
    "all_genes": "all genes",
}
_GLOSSARY = (
    "Glossary — L-group: the genes whose vectors K-means put with the good- or the poor-prognosis "
    "group; score: half the (scaled) vector length plus half the (scaled) |t| within the L-group; "
    "|t|: the t statistic of poor against good patients; AUC: area under the ROC curve of held-out "
    "patients (0.5 = chance); C-index: how well the score orders held-out patients' survival (0.5 = "
    "chance); fdr: Benjamini–Hochberg false discovery rate over every module × gene set tested; "
    "95 % interval: over repeated splits, corrected for their overlapping training patients."
)


def _name(method: str) -> str:
    return GENE_SET_NAMES.get(method, method)


def _limits(sec: Section, run: G2VecRun) -> list[str]:
    for limit in run.input_limits:
        sec.add_callout(f"Limit of the input: {limit}.", kind="warning")
    return run.input_limits


def _evaluation(sec: Section, run: G2VecRun) -> str | None:
    table = run.evaluation_table()
    if not len(table):
        sec.add_callout(
            "No cross-validated evaluation in the results (evaluation.json absent or skipped).",
            kind="warning",
        )
        return None
    auc = table.set_index("feature_set")["auc"]
    shown = table.assign(feature_set=table["feature_set"].map(_name)).rename(
        columns={
            "feature_set": "gene set",
            "n_genes": "genes",
            "accuracy": "accuracy",
            "accuracy_sd": "accuracy (sd over folds)",
            "auc": "AUC",
            "auc_sd": "AUC (sd over folds)",
            "c_index": "C-index",
            "c_index_sd": "C-index (sd over folds)",
        }
    )
    shown = shown.dropna(axis=1, how="all")
    n_splits, n_repeats = run.n_splits or "?", run.n_repeats or "?"
    sec.add_table(
        shown,
        name="g2vec_evaluation",
        caption=f"Held-out prognosis classification ({n_splits}-fold cross-validation × {n_repeats} "
        f"repeat{'s' if n_repeats != 1 else ''}, {run.classifier or 'logistic regression'}): G2Vec "
        "biomarkers against the same number of genes chosen otherwise, and all genes; every gene set "
        "chosen on the training patients of each fold.",
    )
    g2 = auc.get("g2vec")
    others = {k: v for k, v in auc.items() if k != "g2vec" and v == v}
    better = [k for k, v in others.items() if v > g2]
    words = ", ".join(f"{_name(k)} {fmt_num(v)}" for k, v in others.items())
    verdict = (
        "higher than every baseline"
        if not better
        else "below " + ", ".join(_name(k) for k in better)
        if len(better) < len(others)
        else "below every baseline"
    )
    sec.add_text(
        f"In cross-validation the G2Vec biomarkers reach a held-out AUC of {fmt_num(g2)}, {verdict} "
        f"({words}); the folds' spread is in the table."
    )
    return f"predict good vs poor prognosis on held-out patients with AUC {fmt_num(g2)}, {verdict} ({words})"


def _learning_curve(sec: Section, curve: G2VecLearningCurve) -> str:
    proto = curve.protocol
    sizes = curve.sizes
    sec.add_figure(
        curve.figure(),
        caption=f"Learning curve ({proto.get('cohort') or 'this cohort'}): held-out AUC, accuracy and "
        f"C-index against the number of training patients, mean over {proto.get('n_repeats')} random "
        "splits with the same held-out patients for every method, and the authors' G2Vec minus each "
        "method (95 % intervals corrected for overlapping training sets).",
    )
    rows = []
    for size in sizes:
        comp = curve.comparisons(size)
        for _, r in comp.iterrows():
            rows.append(
                {
                    "patients per group": size,
                    "compared with": _name(r["method"]),
                    "G2Vec AUC": r["g2vec"],
                    "their AUC": r["other"],
                    "G2Vec minus them": r["difference"],
                    "95 % interval": f"{r['ci_low']:+.3f} … {r['ci_high']:+.3f}",
                    "G2Vec higher in": f"{r['wins']:.0%} of splits" if r["wins"] == r["wins"] else "n/a",
                    "verdict": r["verdict"],
                }
            )
    sec.add_table(
        pd.DataFrame(rows),
        name="g2vec_learning_curve",
        caption="The authors' G2Vec against each method at each training size (AUC on the same held-out "
        "patients; difference above 0 = G2Vec better). Whole curve: learning_curve/learning_curve.tsv.",
        max_rows=40,
    )
    smallest, largest = sizes[0], sizes[-1]
    parts = []
    for size in dict.fromkeys([smallest, largest]):
        comp = curve.comparisons(size)
        if comp.empty:
            continue
        wins = [_name(m) for m, v in zip(comp["method"], comp["verdict"], strict=True) if v == "G2Vec better"]
        losses = [
            _name(m) for m, v in zip(comp["method"], comp["verdict"], strict=True) if v == "G2Vec worse"
        ]
        g2 = comp["g2vec"].iloc[0]
        best = comp.sort_values("other", ascending=False).iloc[0]
        label = "all training patients" if size == "all" else f"{size} training patients per group"
        if wins or losses:
            clear = "; ".join(
                x
                for x in (
                    f"clearly better than {', '.join(wins)}" if wins else "",
                    f"clearly worse than {', '.join(losses)}" if losses else "",
                )
                if x
            )
            clear += "; the other differences are within their 95 % intervals"
        else:
            clear = "no difference from any method is clear (every 95 % interval includes 0)"
        parts.append(
            f"with {label}, G2Vec's AUC is {fmt_num(g2)} (best other: {_name(best['method'])} "
            f"{fmt_num(best['other'])}): {clear}"
        )
    text = "Learning curve: " + "; ".join(parts) + "."
    sec.add_text(text)
    stab = curve.stability
    if len(stab):
        full = stab[stab["size"].astype(str) == largest].set_index("method")
        if "g2vec_reference" in full.index:
            sec.add_text(
                f"Stability: across {int(full.at['g2vec_reference', 'n_repeats'])} training sets of the "
                f"full size, two G2Vec biomarker sets share on average "
                f"{full.at['g2vec_reference', 'mean_pairwise_jaccard']:.0%} of their genes (Jaccard index; "
                + ", ".join(
                    f"{_name(m)} {full.at[m, 'mean_pairwise_jaccard']:.0%}"
                    for m in full.index
                    if m != "g2vec_reference"
                )
                + ")."
            )
    seeds = curve.seed_stability
    if len(seeds):
        sec.add_text(
            "Same patients, other seeds: "
            + "; ".join(
                f"{_name(r['method'])} sets share {r['mean_pairwise_jaccard']:.0%} of their genes across "
                f"{int(r['n_seeds'])} seeds ({int(r['n_always_chosen'])} genes always chosen)"
                for _, r in seeds.iterrows()
            )
            + "."
        )
    if curve.survival_test:
        ref = next((r for r in curve.survival_test if r.get("method") == "g2vec_reference"), None)
        if ref and ref.get("logrank_p") is not None:
            sec.add_text(
                f"Survival check (first split, all training patients): patients scored above the training "
                f"median risk by the G2Vec classifier against the others, on {ref['n_test']} held-out "
                f"patients: log-rank p = {fmt_p(ref['logrank_p'])} (one split: a valid test; see the "
                "C-index panel for all splits)."
            )
    return text[0].lower() + text[1:-1]


def _diagnostics(sec: Section, run: G2VecRun) -> None:
    diag = run.diagnostics
    if diag is None:
        return
    epochs = (
        f"the supervised CBOW ran {diag.epochs_run} epochs and kept epoch {diag.best_epoch} "
        f"({diag.stop_reason}); "
        if diag.epochs_run is not None
        else ""
    )
    sizes = ", ".join(f"{k} {v}" for k, v in diag.l_group_sizes.items())
    sec.add_text(
        f"What the fit did ({diag.variant} variant): the walks gave "
        f"{diag.n_distinct_paths.get('good', 0)} distinct gene sets in good- and "
        f"{diag.n_distinct_paths.get('poor', 0)} in poor-prognosis patients; {diag.n_common_paths} occurred in "
        f"both and were removed, leaving {diag.n_paths.get('good', 0)} and {diag.n_paths.get('poor', 0)} over "
        f"{diag.n_genes_in_paths} genes; {epochs}L-groups hold {sizes} genes; the vectors' mean pairwise cosine "
        f"is {fmt_num(diag.mean_pairwise_cosine)}."
    )
    for warning in diag.warnings:
        sec.add_callout(f"Check: {warning}.", kind="warning")


def _modules(sec: Section, run: G2VecRun, network: nx.Graph | None) -> str | None:
    modules = run.modules
    if modules is None:
        sec.add_callout(
            "No modules.tsv in the results: module lists and figures are skipped.", kind="warning"
        )
        return None
    if not len(modules):
        sec.add_callout("The biomarkers formed no module of the minimum size on the network.", kind="note")
        return None
    families = run.gene_family_modules
    lists = (
        modules.groupby("module", sort=False)["gene"]
        .agg(lambda g: ", ".join(map(str, g)))
        .reset_index(name="genes")
    )
    lists.insert(1, "genes in module", modules.groupby("module", sort=False).size().to_numpy())
    lists["one gene family?"] = [
        f"yes: {', '.join(families[m])}" if m in families else "no" for m in lists["module"]
    ]
    sec.add_table(
        lists,
        name="g2vec_modules",
        caption="Modules (communities of the biomarkers on the network) and their genes. 'One gene family': "
        "at least half of the module shares a symbol root (e.g. ABL1/ABL2), as paralogs do.",
    )
    if families:
        sec.add_callout(
            f"{len(families)} of {len(lists)} modules are mostly one gene family ("
            + "; ".join(f"{m}: {', '.join(g)}" for m, g in families.items())
            + "). Paralogs share pathways by construction, so those modules' enrichment says little about "
            "prognosis.",
            kind="warning",
        )
    for module, figure, how in run.module_figures(network=network, limit=_MAX_MODULE_FIGURES):
        sec.add_figure(figure, caption=f"Module {module}: its genes and {how}.")
    return f"{lists['module'].nunique()} network modules" + (
        f" ({len(families)} of them mostly one gene family)" if families else ""
    )


def _enrichment(sec: Section, run: G2VecRun) -> str:
    enr = run.enrichment
    if enr is None:
        sec.add_callout("No enrichment.tsv in the results: enrichment is skipped.", kind="warning")
        return ""
    info = run.enrichment_summary
    cols = [
        c for c in ("module", "collection", "term", "overlap", "set_size", "p", "fdr", "genes") if c in enr
    ]
    enr = (
        enr[cols].sort_values([c for c in ("fdr", "p") if c in enr], kind="mergesort")
        if len(enr)
        else enr[cols]
    )
    n_sig = int((enr["fdr"] < 0.05).sum()) if "fdr" in enr and len(enr) else 0
    n_tests = info.get("n_tests")
    tested = (
        f"{n_tests} (module, gene set) pairs tested and adjusted together"
        if n_tests
        else "pairs with at least one module gene"
    )
    sec.add_table(
        enr.rename(columns={"set_size": "set genes among those tested", "genes": "module genes in the set"}),
        name="g2vec_enrichment",
        caption=f"Gene-set enrichment of the modules (hypergeometric test): {tested}; {n_sig} at FDR < 0.05, "
        "shown first.",
    )
    null = info.get("null", {})
    if "connected" in null:
        c = null["connected"]
        perm = null.get("permutation", {})
        sec.add_text(
            f"Is that more than any network neighbourhood would give? Random connected gene sets of the same "
            f"sizes on the same network reach on average {c['n_significant_null_mean']:.1f} pairs at FDR < 0.05 "
            f"(95th percentile {c['n_significant_null_95th']:.0f}; {c['n_draws']} draws), the modules "
            f"{c['n_significant_observed']}: empirical p = {fmt_p(c['empirical_p'])}. Random gene sets that "
            f"ignore the network reach {perm.get('n_significant_null_mean', float('nan')):.1f} (p = "
            f"{fmt_p(perm.get('empirical_p'))}), so the plain hypergeometric test overstates enrichment."
        )
    if n_sig:
        top = enr.iloc[0]
        sentence = f"the top enriched term is {top['term']} (FDR {fmt_p(top['fdr'])}, {tested})"
        if "connected" in null:
            sentence += (
                f"; random connected modules of the same sizes are as enriched (p = "
                f"{fmt_p(null['connected']['empirical_p'])})"
                if null["connected"]["empirical_p"] > 0.05
                else f"; more than random connected modules (p = {fmt_p(null['connected']['empirical_p'])})"
            )
        return sentence
    return f"no gene set is enriched at FDR < 0.05 ({tested})"


def _match(sec: Section, run: G2VecRun) -> None:
    match = run.match
    if not match:
        return
    sec.add_text(
        f"Matching expression and network: {match.get('n_genes', '?')} genes and {match.get('n_edges', '?')} "
        f"edges used; {match.get('n_expression_genes_lost', '?')} of {match.get('n_expression_genes', '?')} "
        f"expressed genes are not in the network (or have no edge there) and "
        f"{match.get('n_network_genes_lost', '?')} network genes are not expressed."
    )


def g2vec_section(report: Report, results: str | os.PathLike[str], *, network: nx.Graph | None = None) -> str:
    """Add the G2Vec section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        Folder written by ``omicsdl g2vec run``, read with
        :meth:`omicsdl.g2vec.G2VecRun.read` (``summary.json``, ``biomarkers.tsv``;
        ``diagnostics.json``, ``modules.tsv``, ``enrichment.tsv``,
        ``evaluation.json``, ``vectors.txt``, ``module_edges.tsv`` and a
        ``learning_curve/`` folder when present). ``vectors.kv`` is never opened:
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
    variant = run.variant
    sec.add_text(
        "G2Vec (Choi et al., Sci Rep 2018) walks a gene-interaction network, weighting each link by how "
        "strongly the two genes' activity is correlated in good- and in poor-prognosis patients, and learns "
        "a vector per gene that predicts which group a walk came from. Genes with long vectors that also "
        "differ between the groups are the biomarkers; the biomarkers' neighbourhoods on the network are "
        "the modules, tested for enrichment in known gene sets."
        + (
            f" This run used the {'authors’ algorithm step by step' if variant == 'reference' else 'omicsdl variant'}"
            f" (variant '{variant}')."
            if variant
            else ""
        )
    )
    limits = _limits(sec, run)
    biomarkers = run.biomarkers
    figures = {"biomarkers": str(len(biomarkers))}
    if "l_group" in biomarkers:
        figures |= {
            f"{k}-prognosis group": str(v)
            for k, v in biomarkers["l_group"].value_counts().sort_index().items()
        }
    table = run.evaluation_table()
    if len(table):
        figures["held-out AUC (G2Vec genes)"] = fmt_num(table.set_index("feature_set")["auc"].get("g2vec"))
    sec.add_key_figures(figures)
    sentence = [f"G2Vec chose {len(biomarkers)} biomarker genes"]
    evaluated = _evaluation(sec, run)
    if evaluated:
        sentence.append(evaluated)
    if run.learning_curve is not None:
        sentence.append(_learning_curve(sec, run.learning_curve))
    _diagnostics(sec, run)
    sec.add_table(
        biomarkers.rename(columns={"gene": "gene", "l_group": "L-group", "score": "score"}),
        name="g2vec_biomarkers",
        caption="Biomarker genes with their L-group (the prognosis group their vector sides with) and score.",
    )
    modules = _modules(sec, run, network)
    if modules:
        sentence.append(modules)
    enriched = _enrichment(sec, run)
    if enriched:
        sentence.append(enriched)
    _match(sec, run)
    if run.diagnostics is not None and not run.diagnostics.neighbourhood_signal:
        sentence.append(
            "the gene vectors carry no neighbourhood signal (nearest genes are not related genes)"
        )
    if limits:
        sentence.append("limit of the input: " + limits[0])
    sec.add_text(_GLOSSARY)
    report.add_methods(g2vec_protocol=run.protocol or "not recorded")
    return "; ".join(sentence) + "."

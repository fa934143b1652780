"""Print the README's G2Vec learning-curve table from learning-curve folders (numbers never copied by hand).

Run the experiment first (see README, "Does G2Vec beat other gene selections"), then:

    python examples/g2vec_learning_curve_summary.py g2vec_demo/learning_curve curve_hcc150 \\
        --run g2vec_demo

Prints one Markdown row per cohort and training size (the smallest and the largest), the
stability of the chosen genes, and the module null of the run folder given with --run.
"""

from __future__ import annotations

import argparse

import omicsdl as od

METHODS = ("top_t", "cox", "network", "random", "all_genes")


def rows(curve: od.g2vec.G2VecLearningCurve) -> list[str]:
    """Markdown rows: cohort, size, G2Vec AUC, each baseline's AUC, G2Vec minus the best baseline."""
    out = []
    table = curve.curve
    cohort = curve.protocol.get("cohort", "")
    for size in dict.fromkeys([curve.sizes[0], curve.sizes[-1]]):
        part = table[table["size"].astype(str) == size].set_index("method")
        ref = part.loc["g2vec_reference"]
        best = max(METHODS, key=lambda m: part.at[m, "auc"])
        low, high = part.at[best, "g2vec_minus_auc_ci_low"], part.at[best, "g2vec_minus_auc_ci_high"]
        label = f"all ({int(part.at['top_t', 'n_train'])} in total)" if size == "all" else size
        cells = [cohort, label, f"{ref['auc']:.3f}", *(f"{part.at[m, 'auc']:.3f}" for m in METHODS)]
        cells.append(f"{part.at[best, 'g2vec_minus_auc']:+.3f} ({low:+.3f} … {high:+.3f}) vs {best}")
        out.append("| " + " | ".join(cells) + " |")
    return out


def stability(curve: od.g2vec.G2VecLearningCurve) -> str:
    """One sentence: Jaccard of the chosen genes across splits and seeds."""
    full = curve.stability[curve.stability["size"].astype(str) == curve.sizes[-1]].set_index("method")
    seeds = curve.seed_stability.set_index("method") if len(curve.seed_stability) else None
    text = (
        f"{curve.protocol.get('cohort')}: two full-size training sets share "
        f"{full.at['g2vec_reference', 'mean_pairwise_jaccard']:.0%} of the reference G2Vec's genes "
        f"(omicsdl variant {full.at['g2vec_omicsdl', 'mean_pairwise_jaccard']:.0%}, top-|t| "
        f"{full.at['top_t', 'mean_pairwise_jaccard']:.0%}, random {full.at['random', 'mean_pairwise_jaccard']:.0%})"
    )
    if seeds is not None and "g2vec_reference" in seeds.index:
        text += (
            f"; on the same patients with {int(seeds.at['g2vec_reference', 'n_seeds'])} seeds, "
            f"{seeds.at['g2vec_reference', 'mean_pairwise_jaccard']:.0%} (omicsdl variant "
            f"{seeds.at['g2vec_omicsdl', 'mean_pairwise_jaccard']:.0%})"
        )
    survival = {r["method"]: r for r in curve.survival_test or []}
    ref = survival.get("g2vec_reference", {})
    if ref.get("logrank_p") is not None:
        text += (
            f"; held-out survival check of the first split (risk above the training median): log-rank "
            f"p = {ref['logrank_p']:.2g} for G2Vec, {survival['top_t']['logrank_p']:.2g} for top-|t|"
        )
    return text + "."


def null(run: od.g2vec.G2VecRun) -> str:
    """One phrase: the module null of a run."""
    info = run.enrichment_summary
    nulls = info.get("null", {})
    c, p = nulls.get("connected"), nulls.get("permutation")
    if not c:
        return "(no module null in this run)"
    return (
        f"{info['n_significant_fdr_0.05']} (module, GO term) pairs at FDR < 0.05 of {info['n_tests']} tested; "
        f"random connected gene sets of the same sizes reach {c['n_significant_null_mean']:.1f} on average "
        f"(empirical p = {c['empirical_p']:.2f}), random gene sets ignoring the network "
        f"{p['n_significant_null_mean']:.1f} (p = {p['empirical_p']:.3f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "curves", nargs="+", help="learning-curve folders (omicsdl g2vec learning-curve --out)"
    )
    parser.add_argument("--run", help="a run folder (omicsdl g2vec run --out) for the module null")
    args = parser.parse_args(argv)
    curves = [od.g2vec.G2VecLearningCurve.read(c) for c in args.curves]
    for curve in curves:
        print("\n".join(rows(curve)))
    print()
    for curve in curves:
        print(stability(curve))
    if args.run:
        print()
        print(null(od.g2vec.G2VecRun.read(args.run)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

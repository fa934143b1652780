"""``omicsdl g2vec run`` and ``omicsdl g2vec learning-curve``: G2Vec biomarkers, modules, and the experiment."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from omicsdl.cli._outputs import Output, add_output

logger = logging.getLogger(__name__)

_RUN_EPILOG = """\
examples:
  omicsdl g2vec run demo --out g2vec_demo
  omicsdl g2vec run --expression ex_EXPRESSION.txt --labels ex_CLINICAL.txt \\
      --network ex_NETWORK.txt --out g2vec_authors        # the authors' own example files
  omicsdl g2vec run --expression hcc.csv.gz --duration-key OStime --event-key OS \\
      --network string.csv --gene-sets h.all.v7.0.symbols.gmt --out g2vec_hcc

outputs in --out (read back with od.g2vec.G2VecRun.read): summary.json, diagnostics.json
(paths, epochs, L-groups, vector checks), biomarkers.tsv (gene, l_group, score), modules.tsv,
enrichment.tsv (module, term, overlap, p, fdr, ...; FDR over all modules x sets), enrichment_null.tsv,
evaluation.json, vectors.txt (word2vec text) + vectors.json (its checksum), and vectors.kv (gensim
KeyedVectors for gensim users; pickle-based, omicsdl never loads it).
"""

_CURVE_EPILOG = """\
examples:
  omicsdl g2vec learning-curve demo --out g2vec_demo/learning_curve
  omicsdl g2vec learning-curve --expression hcc150_1000genes_os.csv.gz --duration-key OStime \\
      --event-key OS --network string_v_unknown_score900_symbols.csv --out curve_hcc150

outputs in --out (read back with od.g2vec.G2VecLearningCurve.read): learning_curve.json (protocol,
held-out log-rank check, seed stability), learning_curve.tsv (per training size and method: mean
accuracy, AUC and C-index with 95 % intervals, and the reference G2Vec minus each method),
learning_curve.png, learning_curve_folds.tsv, learning_curve_selections.tsv,
learning_curve_stability.tsv. Written into <run folder>/learning_curve, the report shows it.
"""


def _add_inputs(parser: argparse.ArgumentParser, output: Output) -> None:
    """The options that say what to read and where to write (shared by both subcommands)."""
    parser.add_argument(
        "source",
        nargs="?",
        choices=["demo"],
        help="`demo`: embedded TCGA-LIHC mRNA (log2 RSEM+1) with the shipped STRING subset",
    )
    add_output(parser, "--out", output=output, required=True, type=Path, help="output folder (created)")
    parser.add_argument(
        "--expression",
        type=Path,
        help=".h5ad, .h5mu cohort, .csv/.tsv patients × genes with survival columns, or the authors' "
        "tab-separated genes × patients file (with --labels)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        help="the authors' clinical file: `PATIENT_BARCODE LABEL` rows under a header, 0 = good, "
        "1 = poor prognosis, matched to the expression's patients by barcode",
    )
    parser.add_argument("--modality", default="rna", help="modality of a .h5mu cohort (default rna)")
    parser.add_argument("--log2", action="store_true", help="apply log2(x+1) to the expression (counts)")
    parser.add_argument(
        "--network",
        type=Path,
        help="network file: the authors' `src dest` TSV, an edge list, STRING CSV, HumanNet TSV, Entrez ids",
    )
    parser.add_argument(
        "--network-format",
        default="auto",
        choices=["auto", "edgelist", "string", "humannet", "entrez"],
        help="network layout (default: auto = guessed from the file)",
    )
    parser.add_argument(
        "--id-map", type=Path, help="two-column `entrez_id symbol` file for Entrez-id networks"
    )
    parser.add_argument(
        "--on-corrupt",
        default="skip",
        choices=["skip", "raise"],
        help="corrupt network rows: skip and count them (default) or stop with an error",
    )
    parser.add_argument(
        "--groupby",
        help="obs column with good/poor labels; default: --labels, else derived from survival (--horizon-days)",
    )
    parser.add_argument(
        "--horizon-days",
        type=float,
        default=1095,
        help="poor = died before T, good = followed beyond T, others excluded (default 1095 = 3 years)",
    )
    parser.add_argument(
        "--duration-key", default="os_days", help="survival time column, days (default: %(default)s)"
    )
    parser.add_argument(
        "--event-key", default="os_event", help="death indicator column, 1 = died (default: %(default)s)"
    )


def _add_g2vec(parser: argparse.ArgumentParser, *, with_variant: bool) -> None:
    """G2Vec's hyperparameters (shared by both subcommands; the learning curve runs both variants)."""
    if with_variant:
        parser.add_argument(
            "--variant",
            default="reference",
            choices=["reference", "omicsdl"],
            help="reference: the authors' algorithm step by step (default); omicsdl: symmetric network, "
            "CBOW mean input + bias, mini-batches, L-groups by path shares, Welch t (README: every "
            "difference)",
        )
    parser.add_argument(
        "--embedder",
        default="cbow",
        choices=["cbow", "skipgram", "word2vec-cbow"],
        help="cbow: published supervised CBOW (torch); skipgram/word2vec-cbow: gensim Word2Vec",
    )
    parser.add_argument(
        "--min-corr",
        type=float,
        default=0.5,
        help="keep edges with |Pearson r| above this (default: %(default)s)",
    )
    parser.add_argument(
        "--n-walks", type=int, default=10, help="walks started from each gene (default: %(default)s)"
    )
    parser.add_argument(
        "--max-length", type=int, default=80, help="most genes in one walk (default: %(default)s)"
    )
    parser.add_argument(
        "--n-biomarkers", type=int, default=50, help="biomarkers per L-group (default: %(default)s)"
    )
    parser.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        help="CBOW epochs at most (default: 500 for reference, 30 for omicsdl; early stopping) or "
        "Word2Vec epochs (default 5)",
    )


def _add_seed(parser: argparse.ArgumentParser) -> None:
    from omicsdl._core._settings import settings

    parser.add_argument(
        "--seed",
        type=int,
        default=settings.seed,
        help="random seed; the same seed gives the same numbers (default: %(default)s; set another with "
        "the OMICSDL_SEED environment variable)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``omicsdl g2vec``."""
    parser = subparsers.add_parser(
        "g2vec",
        help="G2Vec gene-path embeddings and prognostic gene modules",
        description="G2Vec (Choi et al., Sci Rep 2018): gene vectors from correlation-weighted walks "
        "on an interaction network, prognostic biomarkers, modules and their enrichment.",
    )
    sub = parser.add_subparsers(dest="g2vec_command", metavar="SUBCOMMAND")
    run = sub.add_parser(
        "run",
        help="run the whole G2Vec pipeline and write its outputs",
        description="Fit G2Vec, select biomarkers, find modules, test enrichment (with a module null) and "
        "evaluate by repeated cross-validation against top-|t|, univariate Cox, network PageRank, random "
        "and all genes. Give `demo` for the embedded TCGA-LIHC mRNA and the shipped STRING subset, or "
        "--expression and --network (and --labels for the authors' clinical file).",
        epilog=_RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_inputs(run, Output("results", "a G2Vec run", format="omicsdl.G2VecRun", main_file="summary.json"))
    run.add_argument(
        "--gene-sets",
        type=Path,
        action="append",
        help=".gmt collection for module enrichment (repeatable); default: shipped GO BP 2023",
    )
    _add_g2vec(run, with_variant=True)
    run.add_argument("--n-splits", type=int, default=5, help="cross-validation folds (default: %(default)s)")
    run.add_argument(
        "--n-repeats", type=int, default=3, help="cross-validation repeats (default: %(default)s)"
    )
    run.add_argument("--no-evaluate", action="store_true", help="skip the cross-validated evaluation")
    run.add_argument(
        "--null-draws",
        type=int,
        default=200,
        help="random modules per module in the enrichment null (0: none; default: %(default)s)",
    )
    _add_seed(run)
    run.set_defaults(func=_run)

    curve = sub.add_parser(
        "learning-curve",
        help="held-out performance against training size: G2Vec vs baselines, stability, survival",
        description="The experiment G2Vec's claim implies: for training sizes from --sizes patients per "
        "group up to all, repeated stratified splits with the same held-out patients for every method; "
        "G2Vec (reference and omicsdl variants) against top-|t|, univariate Cox, network PageRank "
        "(CPR-like), random and all genes; accuracy, AUC and C-index with paired differences and 95 % "
        "intervals; biomarker stability across repeats and seeds; a held-out log-rank check.",
        epilog=_CURVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_inputs(
        curve,
        Output(
            "results",
            "a G2Vec learning curve",
            format="omicsdl.G2VecLearningCurve",
            main_file="learning_curve.json",
        ),
    )
    _add_g2vec(curve, with_variant=False)
    curve.add_argument(
        "--sizes",
        default="20,30,45,all",
        help="training patients per group, comma-separated; `all` = the whole training pool "
        "(default 20,30,45,all)",
    )
    curve.add_argument("--n-repeats", type=int, default=20, help="random splits (default 20)")
    curve.add_argument(
        "--test-fraction", type=float, default=0.3, help="share of each group held out (default 0.3)"
    )
    curve.add_argument(
        "--n-seeds", type=int, default=5, help="seeds for G2Vec's stability on the whole cohort (default 5)"
    )
    curve.add_argument("--cohort-name", default="", help="the cohort's name in the table and figure")
    _add_seed(curve)
    curve.set_defaults(func=_learning_curve)


def _inputs(args: argparse.Namespace):
    import omicsdl as od

    return od.g2vec.read_g2vec_inputs(
        args.source,
        expression=args.expression,
        network=args.network,
        labels=args.labels,
        variant=getattr(args, "variant", "reference"),  # the curve reads for reference; omicsdl symmetrises
        modality=args.modality,
        log2=args.log2,
        network_format=args.network_format,
        id_map=args.id_map,
        on_corrupt=args.on_corrupt,
        groupby=args.groupby,
        horizon_days=args.horizon_days,
        duration_key=args.duration_key,
        event_key=args.event_key,
        gene_sets=getattr(args, "gene_sets", None),
    )


def _g2vec_kwargs(args: argparse.Namespace) -> dict:
    return {
        "embedder": args.embedder,
        "min_abs_corr": args.min_corr,
        "n_walks": args.n_walks,
        "max_length": args.max_length,
        "n_biomarkers": args.n_biomarkers,
        "max_epochs": args.max_epochs,
    }


def _run(args: argparse.Namespace) -> int:
    import omicsdl as od

    inputs = _inputs(args)
    run = od.g2vec.run_g2vec(
        inputs.adata,
        inputs.network,
        groupby=inputs.groupby,
        duration_key=inputs.duration_key,
        event_key=inputs.event_key,
        gene_sets=inputs.gene_sets,
        evaluate=not args.no_evaluate,
        n_splits=args.n_splits,
        n_repeats=args.n_repeats,
        n_null_draws=args.null_draws,
        rng=args.seed,
        variant=args.variant,
        **_g2vec_kwargs(args),
    )
    written = run.write(args.out)
    logger.info("wrote %s", ", ".join(str(p) for p in written.values()))
    return 0


def _sizes(text: str) -> list[int | None]:
    from omicsdl._core._errors import InputError

    sizes: list[int | None] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part == "all":
            sizes.append(None)
        elif part.isdigit() and int(part) >= 5:
            sizes.append(int(part))
        else:
            msg = f"--sizes takes whole numbers of at least 5 patients per group or `all`, got {part!r}"
            raise InputError(msg, fix="e.g. --sizes 20,30,45,all")
    if not sizes:
        msg = "--sizes is empty"
        raise InputError(msg, fix="e.g. --sizes 20,30,45,all")
    return sizes


def _learning_curve(args: argparse.Namespace) -> int:
    import omicsdl as od

    sizes = _sizes(args.sizes)
    inputs = _inputs(args)
    curve = od.g2vec.learning_curve(
        inputs.adata,
        inputs.network,
        groupby=inputs.groupby,
        duration_key=inputs.duration_key,
        event_key=inputs.event_key,
        sizes=sizes,
        n_repeats=args.n_repeats,
        test_fraction=args.test_fraction,
        n_seeds=args.n_seeds,
        cohort=args.cohort_name or ("embedded TCGA-LIHC demo" if args.source == "demo" else ""),
        rng=args.seed,
        **_g2vec_kwargs(args),
    )
    written = curve.write(args.out)
    logger.info("wrote %s", ", ".join(str(p) for p in written.values()))
    return 0

"""``omicsdl g2vec run``: G2Vec gene embeddings, biomarkers, modules, enrichment, evaluation."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from omicsdl.cli._outputs import Output, add_output

logger = logging.getLogger(__name__)

_EPILOG = """\
examples:
  omicsdl g2vec run demo --out g2vec_demo
  omicsdl g2vec run --expression hcc.csv.gz --duration-key OStime --event-key OS \\
      --network string.csv --gene-sets h.all.v7.0.symbols.gmt --out g2vec_hcc

outputs in --out (read back with od.g2vec.G2VecRun.read): summary.json, biomarkers.tsv
(gene, l_group, score), modules.tsv, enrichment.tsv (module, term, overlap, p, fdr, ...),
evaluation.json, vectors.txt (word2vec text) + vectors.json (its checksum), and
vectors.kv (gensim KeyedVectors for gensim users; pickle-based, omicsdl never loads it).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``omicsdl g2vec``."""
    from omicsdl._core._settings import settings

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
        description="Fit G2Vec, select biomarkers, find modules, test enrichment and evaluate by "
        "repeated cross-validation. Give `demo` for the embedded TCGA-LIHC mRNA and the shipped STRING "
        "subset, or --expression and --network.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "source",
        nargs="?",
        choices=["demo"],
        help="`demo`: embedded TCGA-LIHC mRNA (log2 RSEM+1) with the shipped STRING subset",
    )
    add_output(
        run,
        "--out",
        output=Output("results", "a G2Vec run", format="omicsdl.G2VecRun", main_file="summary.json"),
        required=True,
        type=Path,
        help="output folder (created)",
    )
    run.add_argument(
        "--expression",
        type=Path,
        help=".h5ad, .h5mu cohort or .csv/.tsv table (patients × genes with survival columns)",
    )
    run.add_argument("--modality", default="rna", help="modality of a .h5mu cohort (default rna)")
    run.add_argument("--log2", action="store_true", help="apply log2(x+1) to the expression (counts)")
    run.add_argument(
        "--network", type=Path, help="network file (edge list, STRING CSV, HumanNet TSV, Entrez)"
    )
    run.add_argument(
        "--network-format",
        default="auto",
        choices=["auto", "edgelist", "string", "humannet", "entrez"],
        help="network layout (default: guessed)",
    )
    run.add_argument("--id-map", type=Path, help="two-column `entrez_id symbol` file for Entrez-id networks")
    run.add_argument(
        "--on-corrupt",
        default="skip",
        choices=["skip", "raise"],
        help="corrupt network rows: skip and count them (default) or stop with an error",
    )
    run.add_argument(
        "--groupby",
        help="obs column with good/poor labels; default: derive them from survival with --horizon-days",
    )
    run.add_argument(
        "--horizon-days",
        type=float,
        default=1095,
        help="poor = died before T, good = followed beyond T, others excluded (default 1095 = 3 years)",
    )
    run.add_argument("--duration-key", default="os_days", help="survival time column (days)")
    run.add_argument("--event-key", default="os_event", help="death indicator column (1 = died)")
    run.add_argument(
        "--gene-sets",
        type=Path,
        action="append",
        help=".gmt collection for module enrichment (repeatable); default: shipped GO BP 2023",
    )
    run.add_argument(
        "--embedder",
        default="cbow",
        choices=["cbow", "skipgram", "word2vec-cbow"],
        help="cbow: published supervised CBOW (torch); skipgram/word2vec-cbow: gensim Word2Vec",
    )
    run.add_argument("--min-corr", type=float, default=0.5, help="keep edges with |Pearson r| above this")
    run.add_argument("--n-walks", type=int, default=10, help="walks started from each gene")
    run.add_argument("--max-length", type=int, default=80, help="most genes in one walk")
    run.add_argument("--n-biomarkers", type=int, default=50, help="biomarkers per L-group")
    run.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        help="epochs at most for CBOW (default 30, early stopping) or epochs for Word2Vec (default 5)",
    )
    run.add_argument("--n-splits", type=int, default=5, help="cross-validation folds")
    run.add_argument("--n-repeats", type=int, default=3, help="cross-validation repeats")
    run.add_argument("--no-evaluate", action="store_true", help="skip the cross-validated evaluation")
    run.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"random seed (default: settings.seed, now {settings.seed}; set with OMICSDL_SEED)",
    )
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import omicsdl as od

    inputs = od.g2vec.read_g2vec_inputs(
        args.source,
        expression=args.expression,
        network=args.network,
        modality=args.modality,
        log2=args.log2,
        network_format=args.network_format,
        id_map=args.id_map,
        on_corrupt=args.on_corrupt,
        groupby=args.groupby,
        horizon_days=args.horizon_days,
        duration_key=args.duration_key,
        event_key=args.event_key,
        gene_sets=args.gene_sets,
    )
    run = od.g2vec.run_g2vec(
        inputs.adata,
        inputs.network,
        groupby=inputs.groupby,
        gene_sets=inputs.gene_sets,
        evaluate=not args.no_evaluate,
        n_splits=args.n_splits,
        n_repeats=args.n_repeats,
        rng=args.seed,
        embedder=args.embedder,
        min_abs_corr=args.min_corr,
        n_walks=args.n_walks,
        max_length=args.max_length,
        n_biomarkers=args.n_biomarkers,
        max_epochs=args.max_epochs,
    )
    written = run.write(args.out)
    logger.info("wrote %s", ", ".join(str(p) for p in written.values()))
    return 0

"""``omicsdl demo``: run the workflows on the embedded data and print the report path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run the workflows on the embedded demo data and print the combined report's path",
        description=(
            "Run the omicsdl Snakemake workflows (cohort overview, survival subtypes, G2Vec modules, blood "
            "classifier, liver MRS) on the embedded data with small demo settings, then write one combined report. "
            "Workflows whose omicsdl command is not available are left out, and the report says so. "
            "The last line printed is the path of the report's index.html."
        ),
    )
    parser.add_argument(
        "--out", type=Path, default=Path("omicsdl-demo"), help="output folder (default: %(default)s)"
    )
    parser.add_argument("--cores", type=int, default=2, help="cores Snakemake may use (default: %(default)s)")
    parser.add_argument(
        "--only",
        action="append",
        choices=["lihc_subtypes", "g2vec_modules", "blood_classifier", "mrs_liver"],
        help="run only this analysis workflow (repeatable; default: all available)",
    )
    parser.add_argument(
        "--cohort-only",
        action="store_true",
        help="only write the embedded cohort (cohort.h5mu, cohort.preprocessed.h5mu) into --out and "
        "print its path; used by the cohort_overview workflow",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl._workflows._demo import run_demo, write_demo_cohort

    if args.cohort_only:
        path = write_demo_cohort(args.out)
    else:
        path = run_demo(args.out, cores=args.cores, only=args.only)
    print(path.resolve())
    return 0

"""``omicsdl demo``: run the workflows on the embedded data and print the report path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl.cli._outputs import Output, add_output

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    from omicsdl._workflows._registry import DEMO_WORKFLOWS as WORKFLOWS

    analyses = [name for name, spec in WORKFLOWS.items() if spec.command is not None]
    parser = subparsers.add_parser(
        "demo",
        help="run the workflows on the embedded demo data and print the combined report's path",
        description=(
            "Run the omicsdl Snakemake workflows ("
            + ", ".join(WORKFLOWS)
            + ") on the embedded data with small demo settings, in one Snakemake run, then write one "
            "combined report. A workflow that fails is named in the report with its log; the others still run. "
            "The last line printed is the path of the report's index.html."
        ),
    )
    add_output(
        parser,
        "--out",
        output=Output("results", "an omicsdl demo folder", main_file="config/demo.yaml", header=b""),
        type=Path,
        default=Path("omicsdl-demo"),
        help="output folder (default: %(default)s)",
    )
    parser.add_argument("--cores", type=int, default=2, help="cores Snakemake may use (default: %(default)s)")
    parser.add_argument(
        "--only",
        action="append",
        choices=analyses,
        help="run only this analysis workflow (repeatable; default: all; the cohort overview always runs)",
    )
    parser.add_argument(
        "--cohort-only",
        action="store_true",
        help="only write the embedded cohort (cohort.h5mu, cohort.preprocessed.h5mu) into --out and "
        "print its path; used by the cohort_overview workflow",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import sys

    from omicsdl._workflows import WorkflowFailed, run_demo, write_demo_cohort

    if args.cohort_only:
        path = write_demo_cohort(args.out)
    else:
        try:
            path = run_demo(args.out, cores=args.cores, only=args.only)
        except WorkflowFailed as err:
            print(f"omicsdl demo: error: {err}", file=sys.stderr)
            return 1
    print(path.resolve())
    return 0

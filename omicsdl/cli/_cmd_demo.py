"""``omicsdl demo``: run the main job on the embedded TCGA-LIHC cohort."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run the main job on the embedded TCGA-LIHC demo cohort and print the report path",
        description=(
            "Run the main omicsdl job on the embedded, real TCGA-LIHC demo cohort (360 patients). "
            "The last line printed is the path of the report's index.html."
        ),
    )
    parser.add_argument(
        "--out", type=Path, default=Path("omicsdl-demo"), help="output folder (default: %(default)s)"
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl.report import run_cohort_demo

    path = run_cohort_demo(args.out)
    print(path.resolve())
    return 0

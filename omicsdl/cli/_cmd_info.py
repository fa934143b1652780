"""``omicsdl info``: summarise a cohort file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``info`` subcommand."""
    parser = subparsers.add_parser(
        "info",
        help="summarise a cohort (.h5mu): modalities, patients, events",
        description="Validate a cohort file against the omicsdl schema and print a one-screen summary.",
    )
    parser.add_argument("cohort", help="an .h5mu cohort file, or the word 'demo' for the embedded cohort")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl.io import describe_cohort, load_cohort

    print(describe_cohort(load_cohort(args.cohort)))
    return 0

"""``omicsdl info``: summarise a cohort file (read backed: matrices stay on disk)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``info`` subcommand."""
    parser = subparsers.add_parser(
        "info",
        help="summarise a cohort (.h5mu): modalities, patients, events; optional QC table",
        description="Validate a cohort file against the omicsdl schema and print a one-screen summary. "
        "The matrices are read in row blocks from disk, never loaded whole, so any cohort size works. "
        "With --qc-table, also write the per-modality QC table (TSV); with --min-patients/--min-events, "
        "stop with exit status 2 when the cohort is too small (a workflow's QC gate).",
    )
    parser.add_argument("cohort", help="an .h5mu cohort file, or the word 'demo' for the embedded cohort")
    parser.add_argument("--qc-table", type=Path, help="write the per-modality QC table here (TSV)")
    parser.add_argument(
        "--require-survival", action="store_true", help="refuse a cohort whose patients lack overall survival"
    )
    parser.add_argument(
        "--min-patients", type=int, default=0, help="fewest patients per modality (default 0)"
    )
    parser.add_argument("--min-events", type=int, default=0, help="fewest observed deaths (default 0)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl._core._atomic import atomic_write
    from omicsdl.io import check_cohort_size, cohort_qc, describe_cohort, load_cohort

    mdata = load_cohort(args.cohort, require_survival=args.require_survival, backed=True)
    check_cohort_size(mdata, min_patients=args.min_patients, min_events=args.min_events, source=args.cohort)
    print(describe_cohort(mdata))
    if args.qc_table is not None:
        table = cohort_qc(mdata)
        with atomic_write(args.qc_table) as handle:
            table.to_csv(handle, sep="\t", index=False)
        print(f"omicsdl info: QC table -> {args.qc_table}", file=sys.stderr)
    return 0

"""``omicsdl report``: one self-contained HTML report from whatever results folders exist."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="assemble one self-contained HTML report from results folders",
        description=(
            "Assemble one HTML report (index.html, images embedded, tables as TSV in tables/) from the "
            "results folders given: plain-words summary first, then one section per module. A folder that is "
            "given but lacks its results is an error; parts a module did not write are skipped and the page "
            "says so. The last line printed is the path of index.html."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder for index.html and tables/")
    parser.add_argument("--cohort", help="`demo` or a cohort .h5mu: cohort overview and survival times")
    parser.add_argument(
        "--subtypes", type=Path, help="folder with metrics.json of `omicsdl subtypes evaluate`"
    )
    parser.add_argument("--g2vec", type=Path, help="folder written by `omicsdl g2vec run`")
    parser.add_argument(
        "--g2vec-network", help="`demo` or the network file G2Vec used (draws the modules' real edges)"
    )
    parser.add_argument("--blood", type=Path, help="folder written by `omicsdl blood evaluate`")
    parser.add_argument("--mrs", type=Path, help="folder with metrics.json of the MRS module")
    parser.add_argument(
        "--run-info", type=Path, help="JSON describing the workflow runs (written by `omicsdl demo`)"
    )
    parser.add_argument("--title", default="omicsdl report", help="page title (default: %(default)s)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl.report import build_report

    report = build_report(
        cohort=args.cohort,
        subtypes=args.subtypes,
        g2vec=args.g2vec,
        g2vec_network=args.g2vec_network,
        blood=args.blood,
        mrs=args.mrs,
        run_info=args.run_info,
        title=args.title,
    )
    path = report.write(args.out)
    print(path.resolve())
    return 0

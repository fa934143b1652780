"""The ``omicsdl`` command line: git-style subcommands, one module each.

Every ``omicsdl/cli/_cmd_<name>.py`` module defines ``register(subparsers)``,
which adds its subcommand and sets ``func`` on the parser. Commands only parse
arguments, call one library function and write files; analysis lives in the
package. Bad input (:class:`omicsdl.InputError`, :class:`omicsdl.ModelFormatError`)
and an operating-system error on a user's path (permission, disk full, not a
folder) become a one-paragraph message on stderr and exit status 2, never a
traceback; Ctrl-C exits with 130 and leaves no partial output under a final
name. Output options are registered with :func:`omicsdl.cli._outputs.add_output`
and checked before the command starts (``--force`` relaxes the overwrite check).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)


def _command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("_cmd_"))


def build_parser() -> argparse.ArgumentParser:
    """The ``omicsdl`` argument parser with every registered subcommand."""
    from omicsdl._version import __version__

    parser = argparse.ArgumentParser(
        prog="omicsdl",
        description="Multi-omics biomarker discovery for hepatocellular carcinoma.",
    )
    parser.add_argument("--version", action="version", version=f"omicsdl {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="-v: progress and info logs; -vv: debug logs"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from omicsdl._core._settings import settings

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quiet:
        settings.verbosity = "error"
    elif args.verbose:
        settings.verbosity = "debug" if args.verbose > 1 else "info"
    elif settings.verbosity == "warning":
        settings.verbosity = "info"
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    from omicsdl._core._outputs import forcing
    from omicsdl.cli._outputs import check_outputs

    try:
        check_outputs(args)
        with forcing(bool(getattr(args, "force", False))):
            status = func(args)
    except InputError as err:
        print(f"omicsdl {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"omicsdl {args.command}: error: {_os_error_message(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("omicsdl: interrupted; no partial output was left under a final name", file=sys.stderr)
        return 130
    return int(status or 0)


def _os_error_message(err: OSError) -> str:
    """One line naming the path and what the system said, with a fix where one is obvious."""
    import errno

    where = err.filename if err.filename is not None else "writing the output"
    what = err.strerror or type(err).__name__
    fixes = {
        errno.ENOSPC: "free disk space (or write elsewhere) and run again",
        errno.EACCES: "check the permissions of that path, or write elsewhere",
        errno.EPERM: "check the permissions of that path, or write elsewhere",
        errno.EROFS: "write to a writable disk",
        errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
        errno.EISDIR: "that path is a folder: give a file name",
    }
    fix = fixes.get(err.errno or -1, "check that path and run again")
    return f"{where}: {what}\n  fix: {fix}"

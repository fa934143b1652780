"""What the Snakefiles share: the omicsdl command, the config and input checks, the demo's module glue.

Imported by the Snakefiles only (the checks raise Snakemake's ``WorkflowError``,
imported when raised, so ``omicsdl`` does not need Snakemake).
"""

from __future__ import annotations

import re
import shlex
import string
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._workflows._config import config_errors

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping, MutableMapping

__all__ = [
    "OMICSDL",
    "analysis_targets",
    "config_mismatch",
    "option_words",
    "produced_upstream",
    "require_file",
    "share_shell_names",
]

#: The omicsdl command line of the interpreter running Snakemake, as words: rules write
#: ``{OMICSDL:q}`` and Snakemake shell-quotes each word (an interpreter path with a space works).
OMICSDL = (sys.executable, "-m", "omicsdl")

#: what would let an option string from a config end the omicsdl command or run another one
_SHELL_CONTROL = {
    ";": "ends the command",
    "|": "pipes into another command",
    "&": "runs another command",
    "`": "runs a command",
    "$": "expands a shell variable or runs a command",
    ">": "redirects the output",
    "<": "redirects the input",
    "\n": "starts a new command",
}

#: names Snakemake itself provides when it formats a shell command
_JOB_NAMES = frozenset(
    {
        "input",
        "output",
        "params",
        "wildcards",
        "threads",
        "resources",
        "log",
        "jobid",
        "name",
        "rule",
        "rulename",
        "bench_iteration",
    }
)


def config_mismatch(
    config: Mapping[str, Any], workflow_folder: str | os.PathLike[str], error: Exception
) -> Exception:
    """The ``WorkflowError`` to raise when ``snakemake.utils.validate`` rejected ``config``.

    It lists every bad key with the values it may take (:func:`config_errors`
    on ``<workflow_folder>/schemas/config.schema.yaml``), or Snakemake's own
    ``error`` when that finds nothing.

    Parameters
    ----------
    config
        The workflow configuration Snakemake rejected.
    workflow_folder
        The workflow's ``workflow/`` folder (``workflow.basedir`` in a Snakefile).
    error
        Snakemake's own validation error, shown when the schema check finds nothing.
    """
    from snakemake.exceptions import WorkflowError

    problems = config_errors(config, Path(workflow_folder) / "schemas" / "config.schema.yaml")
    return WorkflowError(
        "the configuration does not match workflow/schemas/config.schema.yaml:\n  - "
        + "\n  - ".join(problems or [str(error)])
        + "\n(every key is documented in config/config.yaml and config/README.md)"
    )


#: files a workflow that uses others as modules will write itself (absolute paths)
_UPSTREAM: set[str] = set()


def produced_upstream(*paths: str | os.PathLike[str]) -> None:
    """Declare files that a rule of the main workflow writes before a module reads them.

    A workflow used as a Snakemake module checks its configured input files
    with :func:`require_file` before the DAG is built; when the main workflow
    produces such a file itself (``tcga_multiomics`` writes the cohort its
    subtype and G2Vec modules read), it declares the path here first, and the
    check lets it pass (the DAG then links the module's rule to the producer).

    Parameters
    ----------
    *paths
        The files, as the module's config names them.
    """
    _UPSTREAM.update(str(Path(p).resolve()) for p in paths)


def require_file(key: str, path: str) -> str:
    """Stop before the DAG runs when a configured input file is missing, naming it; return ``path``.

    A file declared with :func:`produced_upstream` passes: a rule of the main workflow writes it.
    """
    if not Path(path).is_file() and str(Path(path).resolve()) not in _UPSTREAM:
        from snakemake.exceptions import WorkflowError

        raise WorkflowError(
            f"input file not found: config key '{key}' points to {path} "
            f"(working directory {Path.cwd()}); fix the path in the config file"
        )
    return path


def option_words(key: str, value: str | None) -> list[str]:
    """The words of a config value that holds further command-line options, checked for shell syntax.

    ``"--max-epochs 2 --k 2 3"`` gives ``["--max-epochs", "2", "--k", "2", "3"]``
    (split as a shell would, :func:`shlex.split`, so a quoted value with a space
    stays one word). A rule passes them as ``{params.extra:q}``: Snakemake quotes
    each word, so they reach omicsdl as options and never run as a command.
    Shell syntax (``;``, ``|``, ``&``, backticks, ``$``, redirections, new
    lines) is refused outright, so a config cannot look as if it did.

    Parameters
    ----------
    key
        The config key, named in the error (e.g. ``"evaluate.extra"``).
    value
        The option string; ``None`` or ``""`` gives no words.

    Raises
    ------
    snakemake.exceptions.WorkflowError
        When ``value`` holds shell syntax, an unclosed quote or is not a string.
    """
    from snakemake.exceptions import WorkflowError

    if value is None:
        return []
    if not isinstance(value, str):
        msg = f"config key '{key}' = {value!r} must be a string of command-line options, e.g. \"--k 2 3\""
        raise WorkflowError(msg)
    for char, effect in _SHELL_CONTROL.items():
        if char in value:
            shown = "a new line" if char == "\n" else repr(char)
            msg = (
                f"config key '{key}' = {value!r} holds {shown}, which in a shell {effect}: it may hold "
                'omicsdl options only (e.g. "--max-epochs 20 --k 2 3"); remove it from the config file'
            )
            raise WorkflowError(msg)
    try:
        return shlex.split(value)
    except ValueError as err:
        msg = f"config key '{key}' = {value!r} cannot be split into options ({err}); close the quote"
        raise WorkflowError(msg) from None


def analysis_targets(rules: Any, module: str) -> list[str]:
    """What module ``module``'s ``all`` rule asks for, with the module's own HTML report left out.

    A workflow used as a module of the demo (imported as ``<module>_*``) is
    run for its analysis only: the files its ``report`` rule would read take
    the place of that report, because the demo writes one combined report.

    Parameters
    ----------
    rules
        The Snakefile's ``rules`` object.
    module
        The module name (the rules are ``<module>_all``, ``<module>_report``, ...).
    """
    from snakemake.exceptions import WorkflowError
    from snakemake.iocontainers import Wildcards

    try:
        report = getattr(rules, f"{module}_report")
    except (AttributeError, WorkflowError):  # a workflow without its own report
        report = None
    made_by_report = {str(f) for f in report.output} if report is not None else set()
    targets: list[str] = []
    for path in getattr(rules, f"{module}_all").input:
        if str(path) not in made_by_report:
            targets.append(str(path))
            continue
        for item in report.input:
            found = item(Wildcards()) if callable(item) else item
            targets += [str(f) for f in ([found] if isinstance(found, str) else found)]
    return list(dict.fromkeys(targets))


def share_shell_names(rules: Iterable[Any], namespace: MutableMapping[str, Any]) -> None:
    """Make the module-level names that module rules' shell commands use known to the main Snakefile.

    Snakemake runs a module rule's shell command with the module's globals,
    but formats it for its log and its run records with the main Snakefile's
    globals (snakemake/snakemake#2499), which do not have the module's
    ``{RESULTS}``, ``{OMICSDL}``, ... This copies each such name from the
    rule's module into ``namespace`` (the main Snakefile's ``globals()``).

    Parameters
    ----------
    rules
        Snakemake's rules (``workflow.rules``).
    namespace
        The main Snakefile's ``globals()``.

    Raises
    ------
    snakemake.exceptions.WorkflowError
        When two modules (or the main Snakefile) use one name for different values.
    """
    from snakemake.exceptions import WorkflowError

    for rule in rules:
        module = getattr(rule, "module_globals", None)
        if not rule.shellcmd or module is None or module is namespace:
            continue
        for _, field, _, _ in string.Formatter().parse(rule.shellcmd):
            root = re.split(r"[.\[]", field)[0] if field else ""
            if not root or root in _JOB_NAMES or root not in module:
                continue
            value = module[root]
            if root in namespace and namespace[root] is not value and namespace[root] != value:
                msg = (
                    f"rule {rule.name}: its shell command uses {{{root}}} = {value!r}, but another "
                    f"module (or the demo Snakefile) has {root} = {namespace[root]!r}"
                )
                raise WorkflowError(msg)
            namespace[root] = value

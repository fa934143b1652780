"""Run the docstring examples of a package's modules as tests (bundled data only, fast).

Each ``tests/<package>/test_doctests.py`` parametrises over :func:`modules` and
calls :func:`run`; a failing example shows its expected and actual output.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def modules(package: str) -> list[str]:
    """``package`` and every module below it."""
    pkg = importlib.import_module(package)
    return [package, *sorted(m.name for m in pkgutil.walk_packages(pkg.__path__, f"{package}."))]


def run(module_name: str) -> int:
    """Run every example of ``module_name``; fail with the report; return how many ran."""
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in finder.find(module, module_name):
        if test.examples:
            runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
    return result.attempted

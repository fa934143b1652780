"""The import rules of the package layout, checked with ``ast`` over every module of ``omicsdl/``.

Arrows point down only: faces (``cli``, ``report``, ``_workflows``) → systems
(``subtypes``, ``g2vec``, ``blood``, ``mrs``) → shared layers (``io``, ``pp``,
``survival``, ``metrics``, ``enrich``, ``pl``, ``datasets``, ``_core``).

1. No system or shared layer imports a face.
2. No shared layer imports a system.
3. Only ``pl/``, a system's ``_plot.py`` / ``_results.py`` and the faces import
   ``omicsdl.pl`` or matplotlib (compute never draws).
4. Nothing calls ``matplotlib.use`` (or ``pyplot.switch_backend``): the library
   never changes the user's backend.

Every import counts: at module level, inside functions and under
``TYPE_CHECKING``, and ``od.<name>`` attribute use of the package itself (its
namespaces import lazily on first attribute access).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "omicsdl"

FACES = frozenset({"cli", "report", "_workflows"})
SYSTEMS = frozenset({"subtypes", "g2vec", "blood", "mrs"})
SHARED = frozenset({"io", "pp", "survival", "metrics", "enrich", "pl", "datasets", "_core"})
#: the modules of a system that may draw
DRAWING_MODULES = frozenset({"_plot.py", "_results.py"})


@dataclass(frozen=True)
class Use:
    """One import of ``target`` (a dotted module name) at ``line``."""

    target: str
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str | None, level: int, here: str, *, is_package: bool) -> str:
    if level == 0:
        return module or ""
    base = here.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def uses(path: Path) -> list[Use]:
    """Every module ``path`` imports (dotted names), and every ``matplotlib.use``-like call as ``!use``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path)
    package_aliases: set[str] = set()  # names bound to the omicsdl package (import omicsdl as od)
    matplotlib_aliases: set[str] = set()  # names bound to matplotlib or matplotlib.pyplot
    found: list[Use] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Use(alias.name, node.lineno))
                bound = alias.asname or alias.name.split(".")[0]
                if alias.name == "omicsdl" or (alias.asname is None and alias.name.startswith("omicsdl.")):
                    package_aliases.add(bound)
                if alias.name in ("matplotlib", "matplotlib.pyplot") or (
                    alias.asname is None and alias.name.startswith("matplotlib.")
                ):
                    matplotlib_aliases.add(bound)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, here, is_package=path.name == "__init__.py")
            found.append(Use(base, node.lineno))
            for alias in node.names:
                found.append(Use(f"{base}.{alias.name}", node.lineno))  # `from omicsdl import pl`
                if base == "matplotlib" and alias.name == "pyplot":
                    matplotlib_aliases.add(alias.asname or alias.name)
                if base.startswith("matplotlib") and alias.name in ("use", "switch_backend"):
                    found.append(Use("!use", node.lineno))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in package_aliases:
                found.append(Use(f"omicsdl.{node.attr}", node.lineno))
            if node.value.id in matplotlib_aliases and node.attr in ("use", "switch_backend"):
                found.append(Use("!use", node.lineno))
    return found


def _layer(path: Path) -> str:
    """The top folder of ``path`` inside ``omicsdl/`` ("" for the root modules)."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def _top(target: str) -> str | None:
    """``omicsdl.<top>`` of an omicsdl import, else None."""
    parts = target.split(".")
    return parts[1] if parts[0] == "omicsdl" and len(parts) > 1 else None


def violations(path: Path) -> list[str]:
    """Every broken rule in ``path``, one sentence each."""
    layer = _layer(path)
    rel = path.relative_to(ROOT).as_posix()
    may_draw = layer in FACES or layer == "pl" or (layer in SYSTEMS and path.name in DRAWING_MODULES)
    out = []
    for use in uses(path):
        top = _top(use.target)
        where = f"{rel}:{use.line}"
        if use.target == "!use":
            out.append(f"{where} changes the matplotlib backend (matplotlib.use / switch_backend)")
        if (layer in SYSTEMS or layer in SHARED) and top in FACES:
            out.append(f"{where} imports the face {use.target} (faces import systems, not the reverse)")
        if layer in SHARED and top in SYSTEMS:
            out.append(f"{where} imports the system {use.target} (a shared layer is below every system)")
        if not may_draw and layer and (top == "pl" or use.target.split(".")[0] == "matplotlib"):
            out.append(
                f"{where} imports {use.target} (only pl/, a system's _plot.py/_results.py and faces draw)"
            )
    return sorted(set(out))


MODULES = sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("rel", MODULES)
def test_module_follows_the_layering(rel):
    problems = violations(ROOT / rel)
    assert not problems, "\n".join(problems)


def test_the_checker_sees_every_kind_of_import(tmp_path, monkeypatch):
    fake = tmp_path / "omicsdl" / "io" / "_x.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "import matplotlib\n"
        "import omicsdl as od\n"
        "from omicsdl.blood import BloodPanel\n"
        "from .. import report\n"
        "def f():\n"
        "    import matplotlib.pyplot as plt\n"
        "    matplotlib.use('Agg')\n"
        "    return od.pl.km_plot, od._workflows\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "omicsdl")
    found = "\n".join(violations(fake))
    assert "_x.py:1 imports matplotlib" in found
    assert "_x.py:3 imports the system omicsdl.blood" in found
    assert "_x.py:4 imports the face omicsdl.report" in found
    assert "_x.py:6 imports matplotlib.pyplot" in found
    assert "_x.py:7 changes the matplotlib backend" in found
    assert "_x.py:8 imports omicsdl.pl" in found and "_x.py:8 imports the face omicsdl._workflows" in found

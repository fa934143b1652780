"""The workflows' Markdown: tables that render as tables, every workflow and every config key documented."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from omicsdl._workflows import WORKFLOWS
from tests.workflows._helpers import REPO
from tests.workflows._helpers import WORKFLOWS as ROOT

MARKDOWN = sorted(ROOT.rglob("*.md"))
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def cells(row: str) -> list[str]:
    """The cells of a Markdown table row, split as GitHub does: at every ``|`` not escaped as ``\\|``.

    (A ``|`` inside a code span splits a cell too; it must be written ``\\|``.)
    """
    inner = row.strip().removeprefix("|")
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def tables(text: str) -> list[list[tuple[int, str]]]:
    """Every table of a Markdown text (outside code blocks) as its (line number, row) pairs."""
    found: list[list[tuple[int, str]]] = []
    fenced, current = False, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.lstrip().startswith("|"):
            current.append((number, line))
            continue
        if current:
            found.append(current)
        current = []
    return [*found, current] if current else found


def test_the_table_checker_sees_an_unescaped_pipe_and_a_missing_cell():
    text = "| key | meaning |\n|---|---|\n| `a` | \\|r\\| above 0.5 |\n| `b` | |r| above 0.5 |\n| `c` |\n"
    (table,) = tables(text)
    assert [len(cells(row)) for _, row in table] == [2, 2, 2, 4, 1]


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(REPO)))
def test_every_table_row_has_the_header_s_number_of_cells(path):
    for table in tables(path.read_text()):
        (first, header), *rest = table
        assert rest and re.fullmatch(r"\|?(\s*:?-{3,}:?\s*\|)*\s*:?-{3,}:?\s*\|?", rest[0][1].strip()), (
            f"{path.relative_to(REPO)}:{first}: a table needs a |---| row below its header"
        )
        width = len(cells(header))
        for number, row in rest:
            assert len(cells(row)) == width, (
                f"{path.relative_to(REPO)}:{number}: {len(cells(row))} cells, the header has {width} "
                f"(escape a | inside a cell as \\|): {row}"
            )


def test_workflows_readme_lists_every_workflow_with_its_steps_and_results():
    text = (ROOT / "README.md").read_text()
    (table,) = tables(text)
    rows = {cells(row)[0].strip("`"): cells(row) for _, row in table[2:]}
    assert set(rows) == set(WORKFLOWS)
    for name, row in rows.items():
        assert row[2] and WORKFLOWS[name].results in row[3], name  # its steps, its results folder
    assert f"{_NUMBERS[len(WORKFLOWS)].capitalize()} workflows" in text


def _schema_keys(node: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, sub in node.get("properties", {}).items():
        keys.append(prefix + key)
        if sub.get("type") == "object" and "properties" in sub:
            keys += _schema_keys(sub, f"{prefix}{key}.")
    return keys


def _shown(value: Any) -> set[str]:
    """The ways the README tables write a config value (a list with or without quoted strings)."""
    if value is None or isinstance(value, bool | list):
        return {
            json.dumps(value, separators=(",", ":")),
            json.dumps(value, separators=(",", ":")).replace('"', ""),
        }
    return {str(value) if value != "" else '""'}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_config_readme_documents_every_key_with_the_default_of_config_yaml(name):
    folder = ROOT / name
    readme = (folder / "config" / "README.md").read_text()
    schema = yaml.safe_load((folder / "workflow" / "schemas" / "config.schema.yaml").read_text())
    missing = [
        k for k in _schema_keys(schema) if not re.search(rf"[`.]{re.escape(k.rsplit('.', 1)[-1])}\b", readme)
    ]
    assert missing == [], f"{name}: config/README.md does not name {missing}"
    config = yaml.safe_load((folder / "config" / "config.yaml").read_text())
    checked = 0
    for table in tables(readme):
        for _, row in table[2:]:
            keys = re.findall(r"`([^`<*]+)`", cells(row)[0])
            defaults = re.findall(r"`([^`]*)`", cells(row)[-1])
            if not keys or len(keys) != len(defaults):
                continue  # a row of several keys with one shared default, or a default in words
            prefix = keys[0].rpartition(".")[0]
            for key, default in zip(keys, defaults, strict=True):
                value: Any = config
                for part in (key if "." in key or not prefix else f"{prefix}.{key}").split("."):
                    value = value[part]
                assert default.replace(", ", ",") in _shown(value), (
                    f"{name}: {key} = {value!r} in config.yaml"
                )
                checked += 1
    assert checked >= 3, name

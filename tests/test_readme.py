"""Every Python block of the README runs as written, so the README cannot drift.

Each ```python block runs in a fresh interpreter, in its own empty folder (so a block
must make what it reads, as a reader would who pastes it). A block that needs a file the
reader has to download is marked by the line just above its fence,
``<!-- readme-test: skip <reason> -->``; it is still compiled (so it cannot hold a syntax
error) and the reason is shown as the skip reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.conftest import REPO

README = REPO / "README.md"
_SKIP = re.compile(r"<!--\s*readme-test:\s*skip\s+(?P<reason>.+?)\s*-->")


@dataclass(frozen=True)
class Snippet:
    """One ```python block of the README."""

    line: int
    code: str
    skip_reason: str | None


def readme_snippets(text: str) -> list[Snippet]:
    """The ```python blocks of ``text`` with their first line number and skip mark."""
    lines = text.splitlines()
    snippets = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```python":
            mark = _SKIP.search(lines[i - 1]) if i else None
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            code = "\n".join(lines[start:end]) + "\n"
            snippets.append(Snippet(start + 1, code, mark.group("reason") if mark else None))
            i = end
        i += 1
    return snippets


SNIPPETS = readme_snippets(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets_and_the_parser_finds_marks():
    assert len(SNIPPETS) >= 5
    found = readme_snippets("<!-- readme-test: skip needs x -->\n```python\nx = 1\n```\n")
    assert found == [Snippet(3, "x = 1\n", "needs x")]


@pytest.mark.slow
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"README.md:{s.line}" for s in SNIPPETS])
def test_readme_python_snippet_runs_as_written(snippet, tmp_path):
    compile(snippet.code, f"README.md:{snippet.line}", "exec")
    if snippet.skip_reason:
        pytest.skip(snippet.skip_reason)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-c", snippet.code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"README.md:{snippet.line} failed:\n{proc.stderr[-3000:]}"

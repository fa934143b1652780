"""What a person reads: every ``--help`` names its defaults and outputs; progress bars on a terminal only."""

from __future__ import annotations

import argparse
import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from omicsdl.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]


def _options(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, (*path, name))
        else:
            yield parser, path, action


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    return parser._get_formatter()._expand_help(action)


def test_every_option_help_says_its_default_value():
    checked, missing = 0, []
    for parser, path, action in _options(build_parser()):
        if (
            action.help in (None, argparse.SUPPRESS)
            or action.nargs == 0
            or action.default in (None, argparse.SUPPRESS)
        ):
            continue
        text, default = _help(parser, action), action.default
        forms = {str(default)}
        if isinstance(default, float):
            forms.add(f"{default:g}")
        if isinstance(default, list | tuple):
            forms |= {",".join(map(str, default)), " ".join(map(str, default))}
        checked += 1
        if not any(form in text for form in forms):
            missing.append(f"omicsdl {' '.join(path)} {'/'.join(action.option_strings)}: {text}")
        assert "settings.seed" not in text, text  # the value, not the name of a setting
    assert checked > 50
    assert missing == []


def test_blood_evaluate_help_lists_every_file_it_writes(tmp_path):
    parser = build_parser()
    blood = next(a for a in parser._actions if a.dest == "command").choices["blood"]
    evaluate = next(a for a in blood._actions if isinstance(a, argparse._SubParsersAction)).choices[
        "evaluate"
    ]
    text = " ".join(evaluate.format_help().split())
    out = tmp_path / "eval"
    args = ["blood", "evaluate", "--simulate", "--folds", "2", "--repeats", "1", "--methods", "lda,logistic"]
    assert main([*args, "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # not omicsdl's marker
    assert len(written) >= 6
    assert [name for name in written if name not in text] == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "bars"), [(io.StringIO, False), (_Terminal, True)])
def test_progress_bars_go_to_a_terminal_and_never_to_a_log_file(monkeypatch, stream, bars):
    from omicsdl import settings
    from omicsdl._core._logging import progress

    err = stream()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    settings.verbosity = "info"
    assert list(progress(range(5), desc="steps", total=5)) == list(range(5))
    written = err.getvalue()
    assert ("%|" in written and "\r" in written) is bars
    if not bars:
        assert written == ""


def _run_on_a_terminal(args: list[str], timeout: float = 120) -> tuple[int, str]:
    """Run ``python -m omicsdl ARGS`` with stderr on a pseudo-terminal; its exit status and what it showed."""
    env = dict(os.environ, PYTHONPATH=str(REPO), MPLBACKEND="Agg", OMP_NUM_THREADS="1")
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 x 100, as a window
    proc = subprocess.Popen(
        [sys.executable, "-m", "omicsdl", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child_fd,
        env=env,
    )
    os.close(child_fd)
    shown, deadline = bytearray(), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(main_fd, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=max(1.0, deadline - time.monotonic())), shown.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main_fd)


#: two long commands on tiny settings (about 7 s each), and the label of one of their progress bars
LONG_COMMANDS = {
    "mrs": (
        "mrs evaluate --seed 0 --n-test 2 --qcnn-max-steps 3 --ccnn-max-steps 3 --n-cohorts 2 --n-studies 1",
        "qCNN fit",
    ),
    "subtypes": (
        "subtypes evaluate demo --folds 2 --repeats 1 --permutations 0 --max-epochs 2 --no-baselines",
        "autoencoder",
    ),
}


@pytest.mark.parametrize("name", LONG_COMMANDS)
def test_long_commands_show_progress_on_a_terminal(tmp_path, name):
    command, label = LONG_COMMANDS[name]
    status, shown = _run_on_a_terminal([*command.split(), "--out", str(tmp_path / "out")])
    assert status == 0, shown[-3000:]
    assert "%|" in shown and label in shown, shown[-3000:]

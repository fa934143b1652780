from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from omicsdl import __version__
from omicsdl.cli import build_parser, main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"omicsdl {__version__}"


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert "demo" in sub.choices
    for name, command in sub.choices.items():
        text = command.format_help()
        assert len(text) > 40, name


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "usage: omicsdl" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_writes_report_and_prints_its_path_last(tmp_path):
    # The full demo (all five workflows) is the README's first command; each workflow
    # has its own end-to-end test in tests/workflows, so here one light analysis
    # workflow plus the always-run cohort overview keep CI time down.
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "omicsdl", "demo", "--out", str(out), "--only", "blood_classifier"],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert last.endswith("index.html")
    html = (out / "report" / "index.html").read_text()
    assert Path(last).read_text() == html
    assert "360" in html and "124" in html
    assert "Kaplan-Meier" in html
    assert html.count("data:image/png;base64,") >= 1


def test_info_on_demo(capsys):
    assert main(["info", "demo"]) == 0
    out = capsys.readouterr().out
    assert "360 patients" in out
    assert "124 events" in out
    assert "rna: 360 patients x 365 features" in out


def test_bad_input_is_one_clear_message_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "cohort.h5mu"
    bad.write_bytes(b"\x00" * 10)
    assert main(["info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(bad) in err
    assert "fix:" in err

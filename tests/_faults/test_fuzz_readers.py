"""Hypothesis fuzzing of every text reader of issue 13 from small real (or SYNTHETIC-labelled) files.

Each example mutates a valid file (flipped, deleted, inserted or repeated bytes,
truncation, a repeated line) and reads it: the reader must raise
:class:`~omicsdl.InputError` or return a result that passes the reader's check
— never another exception, never a hang (``deadline``). Derandomized with a
fixed seed and a modest ``max_examples`` so CI is fast and reproducible.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from omicsdl import InputError
from tests._faults.corpus import _finite_x, text_targets

TARGETS = {t.name: t for t in text_targets()}
#: a mutated wide table may lose a gene column legitimately; keep only the generic checks there
CHECKS = {"io.read_expression_csv": _finite_x}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "repeat_line", "special"]))
        pos = draw(st.integers(0, max(0, len(out) - 1)))
        if op == "flip" and out:
            out[pos] = draw(st.integers(0, 255))
        elif op == "delete":
            del out[pos : pos + draw(st.integers(1, 40))]
        elif op == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=12))
        elif op == "truncate":
            del out[pos:]
        elif op == "repeat_line":
            lines = bytes(out).split(b"\n")
            k = draw(st.integers(0, max(0, len(lines) - 1)))
            lines.insert(k, lines[k])
            out = bytearray(b"\n".join(lines))
        else:
            token = draw(
                st.sampled_from([b"nan", b"inf", b"-1", b"1e999", b"\t", b",", b'"', b"\r", b"\x00", b"#"])
            )
            out[pos:pos] = token
    return bytes(out)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_file_gives_clear_error_or_valid_result(name):
    target = TARGETS[name]
    check = CHECKS.get(name, target.check)

    @seed(13)
    @settings(
        max_examples=25,
        deadline=5000,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=mutated(target.content))
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / target.filename
            path.write_bytes(data)
            try:
                result = target.call(path)
            except InputError as err:
                if not str(err).strip():
                    raise AssertionError("an InputError without a message") from err
                return
            check(result)

    run()

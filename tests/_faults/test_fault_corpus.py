"""Every fault of the corpus ends in a clear error or a correct result (issue 13).

The corpus is built by code (tests/_faults/corpus.py, cli_faults.py); each case
runs in its own temporary folder with a time limit, so a hang fails the test
instead of stalling CI.
"""

from __future__ import annotations

import pytest

from tests._faults.build import all_faults
from tests._faults.corpus import classify

FAULTS = all_faults()

#: faults of code that another issue owns; they stay in the corpus and are counted (none left)
OWNED_ELSEWHERE: dict[str, str] = {}


def test_corpus_is_large_and_varied():
    targets = {f.target for f in FAULTS}
    assert len(FAULTS) >= 400
    for target in targets:
        kinds = {f.kind for f in FAULTS if f.target == target}
        if not target.startswith("cli:"):
            assert len(kinds) >= 10, target


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_ends_in_a_clear_error_or_a_correct_result(fault, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if fault.id in OWNED_ELSEWHERE:
        pytest.xfail(OWNED_ELSEWHERE[fault.id])
    outcome, detail = classify(fault, tmp_path)
    assert outcome in ("clear_error", "correct"), f"{outcome}: {detail}"

"""The G2Vec report section reads a G2VecRun and never unpickles anything in the results folder."""

from __future__ import annotations

import pickle
import pickletools

from omicsdl.report import build_report
from tests.report.conftest import write_g2vec


class _Trap:
    """Unpickling this creates the file named by its argument (a stand-in for arbitrary code)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_crafted_vectors_kv_is_never_loaded(tmp_path):
    folder = write_g2vec(tmp_path / "g2vec", edges=False)
    sentinel = tmp_path / "pwned"
    payload = pickle.dumps(_Trap(str(sentinel)))
    ops = [op.name for op, _, _ in pickletools.genops(payload)]
    assert "STACK_GLOBAL" in ops and "REDUCE" in ops and str(sentinel).encode() in payload  # a live payload
    (folder / "vectors.kv").write_bytes(payload)
    # vectors.txt present: the fallback edges come from it, read as text
    lines = ["4 3", "G0 1 0 0", "G1 0.9 0.1 0", "G2 0 1 0", "G3 0.1 0.9 0"]
    (folder / "vectors.txt").write_text("\n".join(lines) + "\n")
    html = build_report(g2vec=folder).write(tmp_path / "report").read_text()
    assert not sentinel.exists()
    assert "cosine of G2Vec vectors" in html
    assert "vectors.kv" not in html

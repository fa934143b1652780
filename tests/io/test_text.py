"""The one text opener every reader uses: each everyday fault ends in one clear InputError."""

from __future__ import annotations

import gzip

import pytest

from omicsdl import InputError
from omicsdl.io._text import read_bytes, read_text


def test_plain_and_gzip_by_content_with_newlines_normalised(tmp_path):
    (tmp_path / "a.tsv").write_bytes(b"\xef\xbb\xbfx\ty\r\n1\t2\r3\t4\n")
    assert read_text(tmp_path / "a.tsv") == "x\ty\n1\t2\n3\t4\n"
    # gzip recognised by its magic bytes even without a .gz name
    (tmp_path / "b.tsv").write_bytes(gzip.compress(b"x\ty\n"))
    assert read_text(tmp_path / "b.tsv") == "x\ty\n"


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (gzip.compress(b"x\ty\n" * 1000)[:40], "truncated or corrupt gzip", None),
        (b"\x1f\x8b" + b"not gzip at all", "truncated or corrupt gzip", None),
        (b"", "is empty", None),
        (b"ok\nok\n\xff\xfe\n", "not UTF-8", 3),
        (b"a\nb\x00c\n", "NUL byte", 2),
        (b"a\n" + b"x" * 70 + b"\nb\n", "70 bytes long", 2),
    ],
    ids=["truncated-gzip", "corrupt-gzip", "empty", "not-utf8", "binary", "long-line"],
)
def test_faults_name_the_file_and_line(tmp_path, content, message, line):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_text(path, what="table", max_line_chars=64)
    assert err.value.source == str(path)
    assert err.value.line == line


def test_missing_folder_and_size_limit(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_text(tmp_path / "missing.tsv")
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)
    (tmp_path / "big.gz").write_bytes(gzip.compress(b"0" * 10_000))
    with pytest.raises(InputError, match="decompresses to more than 1,000 bytes"):
        read_bytes(tmp_path / "big.gz", max_bytes=1000)
    (tmp_path / "empty").write_bytes(b"")
    assert read_text(tmp_path / "empty", allow_empty=True) == ""

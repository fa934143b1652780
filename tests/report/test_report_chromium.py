"""The combined report in a real headless Chromium: loads from file://, no console errors, images render."""

from __future__ import annotations

import pytest

from omicsdl.report import build_report
from tests.report._browser import CHROMIUM, render

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module", autouse=True)
def _need_chromium():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent (install the Debian package: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


def test_report_renders_in_headless_chromium(results_dirs, tmp_path):
    report = build_report(
        subtypes=results_dirs["subtypes"], g2vec=results_dirs["g2vec"], blood=results_dirs["blood"],
        mrs=results_dirs["mrs"], survival=results_dirs["survival"], title="Chromium check",
    )  # fmt: skip
    html = report.write(tmp_path / "report")
    shot = tmp_path / "screenshot.png"
    seen = render(html, shot)
    assert seen["title"] == "Chromium check"
    assert seen["errors"] == []
    assert len(seen["images"]) == 6
    for complete, width, height, alt in seen["images"]:
        assert complete and width > 0 and height > 0, alt
    assert all(
        url.startswith(("file://", "data:")) for url in seen["requests"]
    )  # nothing fetched from a network
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

"""Regenerate reports/example/: run `omicsdl demo`, copy its report, screenshot it in headless Chromium.

Run from the repository root:  python reports/make_example.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "reports" / "example"


def main() -> None:
    """Write reports/example/ (index.html, tables/, screenshot.png)."""
    sys.path.insert(0, str(REPO))
    from tests.report._browser import render

    with tempfile.TemporaryDirectory(prefix="omicsdl-example-") as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "omicsdl", "demo", "--out", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        html = Path(proc.stdout.strip().splitlines()[-1])
        shutil.rmtree(EXAMPLE, ignore_errors=True)
        shutil.copytree(html.parent, EXAMPLE)
    seen = render(EXAMPLE / "index.html", EXAMPLE / "screenshot.full.png", width=1100)
    if seen["errors"] or not all(width > 0 for _, width, _, _ in seen["images"]):
        raise SystemExit(f"the example does not render cleanly: {seen['errors']}")
    from PIL import Image

    with Image.open(EXAMPLE / "screenshot.full.png") as image:
        small = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
        small.convert("RGB").quantize(colors=128).save(EXAMPLE / "screenshot.png", optimize=True)
    (EXAMPLE / "screenshot.full.png").unlink()
    size = sum(p.stat().st_size for p in EXAMPLE.rglob("*") if p.is_file())
    print(f"{EXAMPLE}: {len(seen['images'])} images, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

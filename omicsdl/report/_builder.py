"""A small builder for self-contained HTML reports.

A report is a list of sections; each section holds plain-language text, key
figures, images and tables. :meth:`Report.write` renders one ``index.html``
with every image embedded (base64 PNG), no JavaScript and no external
resource, so it opens offline from ``file://``; each table is also written as
a TSV file next to it (``tables/<name>.tsv``) and linked for download.
"""

from __future__ import annotations

import base64
import hashlib
import io
import platform
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._atomic import atomic_path, write_text

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from matplotlib.figure import Figure

__all__ = ["Report", "Section", "file_sha256", "package_versions"]

_VERSIONED = (
    "omicsdl",
    "numpy",
    "pandas",
    "scipy",
    "anndata",
    "mudata",
    "scanpy",
    "torch",
    "lifelines",
    "statsmodels",
    "scikit-learn",
    "gensim",
    "networkx",
    "snakemake",
)


def package_versions(names: tuple[str, ...] = _VERSIONED) -> dict[str, str]:
    """Installed versions of the packages a report depends on."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            if name == "omicsdl":
                from omicsdl._version import __version__

                out[name] = __version__
    return out


def file_sha256(path: str | os.PathLike[str]) -> str:
    """sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Block:
    kind: str
    payload: dict[str, Any]


@dataclass
class Section:
    """One section of a report; add content with its ``add_*`` methods.

    Attributes
    ----------
    id
        Anchor of the section in the page (``#id``).
    title
        Heading.
    blocks
        The content, in order (added by the ``add_*`` methods).
    synthetic
        Built on simulated data: the section carries a SYNTHETIC DATA badge.
    """

    id: str
    title: str
    blocks: list[_Block] = field(default_factory=list)
    synthetic: bool = False

    def add_text(self, text: str) -> Section:
        """A paragraph of plain words (blank lines separate paragraphs)."""
        for para in (p.strip() for p in text.strip().split("\n\n")):
            if para:
                self.blocks.append(_Block("text", {"text": " ".join(para.split())}))
        return self

    def add_callout(self, text: str, *, kind: str = "note") -> Section:
        """A highlighted note; ``kind`` is ``note``, ``warning`` or ``synthetic``."""
        self.blocks.append(_Block("callout", {"text": text, "kind": kind}))
        return self

    def add_key_figures(self, figures: dict[str, str]) -> Section:
        """A row of headline numbers (label → formatted value)."""
        self.blocks.append(_Block("keyfigures", {"items": list(figures.items())}))
        return self

    def add_figure(
        self, fig: Figure | bytes, *, caption: str, alt: str | None = None, dpi: int = 110
    ) -> Section:
        """An image: a matplotlib figure (closed after rendering) or PNG bytes.

        Parameters
        ----------
        fig
            The figure, or PNG bytes.
        caption
            Caption shown below the image.
        alt
            Alternative text (default: the caption).
        dpi
            Resolution a figure is rendered at.
        """
        if isinstance(fig, bytes | bytearray):
            png = bytes(fig)
        else:
            import matplotlib.pyplot as plt

            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
            plt.close(fig)
            png = buf.getvalue()
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        self.blocks.append(_Block("figure", {"uri": uri, "caption": caption, "alt": alt or caption}))
        return self

    def add_table(
        self,
        frame: pd.DataFrame,
        *,
        name: str,
        caption: str,
        max_rows: int = 25,
        float_format: str = "{:.3g}",
        labels: Mapping[str, str] | None = None,
    ) -> Section:
        """A table shown (first ``max_rows`` rows) and saved whole as ``tables/<name>.tsv``.

        Parameters
        ----------
        frame
            The table.
        name
            File name (without ``.tsv``) of the whole table in ``tables/``.
        caption
            Caption shown above the table.
        max_rows
            Rows shown in the page.
        float_format
            Format of floating-point cells in the page.
        labels
            Column → header shown in the page (plain words); the TSV keeps the column names.
        """
        self.blocks.append(
            _Block(
                "table",
                {
                    "frame": frame,
                    "name": name,
                    "caption": caption,
                    "max_rows": max_rows,
                    "fmt": float_format,
                    "labels": dict(labels or {}),
                },
            )
        )
        return self


class Report:
    """A self-contained HTML report.

    Parameters
    ----------
    title
        Page title.
    summary
        The plain-words opening: what was analysed, what was found, how sure we are.

    Examples
    --------
    >>> rep = Report("Demo", summary="Nothing was analysed.")
    >>> sec = rep.section("about", "About").add_text("Plain words first.")
    """

    def __init__(self, title: str, *, summary: str = "") -> None:
        self.title = title
        self.summary = summary
        self.sections: list[Section] = []
        self.methods: dict[str, Any] = {}
        self.inputs: dict[str, str] = {}

    def section(self, id: str, title: str, *, synthetic: bool = False) -> Section:
        """Add and return a new section; ``synthetic`` marks it as built on simulated data.

        Parameters
        ----------
        id
            Anchor of the section in the page.
        title
            Heading.
        synthetic
            Built on simulated data (a SYNTHETIC DATA badge).
        """
        sec = Section(id=id, title=title, synthetic=synthetic)
        self.sections.append(sec)
        return sec

    def add_methods(self, **params: Any) -> None:
        """Record parameters and seeds for the Methods section."""
        self.methods.update(params)

    def add_input(self, path: str | os.PathLike[str], *, label: str | None = None) -> None:
        """Record an input file and its sha256 for the Methods section."""
        self.inputs[label or str(path)] = file_sha256(path)

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Render ``out_dir/index.html`` and ``out_dir/tables/*.tsv`` atomically; return the HTML path."""
        from jinja2 import Environment, select_autoescape

        out = Path(out_dir)
        (out / "tables").mkdir(parents=True, exist_ok=True)
        rendered_sections = []
        for sec in self.sections:
            blocks = []
            for block in sec.blocks:
                if block.kind == "table":
                    payload = dict(block.payload)
                    frame: pd.DataFrame = payload.pop("frame")
                    tsv = out / "tables" / f"{payload['name']}.tsv"
                    with atomic_path(tsv) as tmp:
                        frame.to_csv(tmp, sep="\t", index=False)
                    shown = frame.head(payload["max_rows"])
                    labels = payload.pop("labels", {})
                    payload["columns"] = [str(labels.get(c, c)) for c in shown.columns]
                    payload["rows"] = [
                        [_fmt(v, payload["fmt"]) for v in row] for row in shown.itertuples(index=False)
                    ]
                    payload["n_rows"] = len(frame)
                    payload["href"] = f"tables/{tsv.name}"
                    blocks.append(_Block("table", payload))
                else:
                    blocks.append(block)
            rendered_sections.append(
                {"id": sec.id, "title": sec.title, "synthetic": sec.synthetic, "blocks": blocks}
            )
        env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        template = env.from_string((files("omicsdl.report") / "templates" / "report.html.j2").read_text())
        html = template.render(
            title=self.title,
            summary=[p.strip() for p in self.summary.strip().split("\n\n") if p.strip()],
            sections=rendered_sections,
            methods=self.methods,
            inputs=self.inputs,
            versions=package_versions(),
            generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        )
        return write_text(out / "index.html", html)


def _fmt(value: Any, fmt: str) -> str:
    if isinstance(value, float):
        if pd.isna(value):
            return "–"
        return fmt.format(value)
    if value is None or (isinstance(value, type(pd.NA))):
        return "–"
    return str(value)

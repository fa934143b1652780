"""Self-contained HTML reports for biologists (plain words, figures, downloadable tables)."""

from __future__ import annotations

from omicsdl.report._builder import Report, Section, file_sha256, package_versions
from omicsdl.report._cohort_overview import cohort_overview
from omicsdl.report._combined import build_report

__all__ = [
    "Report",
    "Section",
    "build_report",
    "cohort_overview",
    "file_sha256",
    "package_versions",
]

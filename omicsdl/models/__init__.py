"""torch models: pure ``nn.Module`` definitions plus fitted wrappers (fit, predict, save, load)."""

from __future__ import annotations

from omicsdl.models._blood_mlp import BLOOD_MODEL_FORMAT_VERSION, BloodPanelClassifier
from omicsdl.models._blood_panel import (
    NINE_GENE_PANEL,
    PANEL_ALIASES,
    PanelData,
    binary_labels,
    check_not_ct,
    extract_panel,
    resolve_aliases,
)
from omicsdl.models._blood_threshold import choose_threshold

__all__ = [
    "BLOOD_MODEL_FORMAT_VERSION",
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "BloodPanelClassifier",
    "PanelData",
    "binary_labels",
    "check_not_ct",
    "choose_threshold",
    "extract_panel",
    "resolve_aliases",
]

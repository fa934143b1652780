"""Torch models and fitted classifiers: pure ``nn.Module`` definitions plus wrappers (fit, predict, save, load)."""

from __future__ import annotations

from omicsdl.models._autoencoder import Autoencoder
from omicsdl.models._autoencoder_module import AutoencoderModule
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
from omicsdl.models._subtype_classifier import SubtypeClassifier

__all__ = [
    "BLOOD_MODEL_FORMAT_VERSION",
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "Autoencoder",
    "AutoencoderModule",
    "BloodPanelClassifier",
    "PanelData",
    "SubtypeClassifier",
    "binary_labels",
    "check_not_ct",
    "choose_threshold",
    "extract_panel",
    "resolve_aliases",
]

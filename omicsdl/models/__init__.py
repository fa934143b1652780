"""Torch models and fitted classifiers."""

from __future__ import annotations

from omicsdl.models._autoencoder import Autoencoder
from omicsdl.models._autoencoder_module import AutoencoderModule
from omicsdl.models._subtype_classifier import SubtypeClassifier

__all__ = ["Autoencoder", "AutoencoderModule", "SubtypeClassifier"]

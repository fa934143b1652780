"""Liver 1H MR spectroscopy: spin-system simulation, basis sets, spectra, fitting and CNNs.

After Bae et al., "Deep learning-aided 1H-MR spectroscopy for differentiating between
patients with and without HCC", Magn Reson Med Sci 2025: spectra SIMULATED from a basis
set train a qCNN (amplitudes) and a cCNN (patient groups); a linear-combination fit
(LCModel-like) is the baseline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from omicsdl.mrs._basis import LIVER_METABOLITES, Basis, make_liver_basis, read_lcmodel_basis
from omicsdl.mrs._data import MRSData, fid_to_spectrum, ppm_axis, spectrum_to_fid
from omicsdl.mrs._density import LineList, simulate_lines, transitions
from omicsdl.mrs._evaluate import HCC_FACTORS, PATIENT_LOG_SD, evaluate_mrs
from omicsdl.mrs._fit import FitResult, fit_spectra, fit_spectrum
from omicsdl.mrs._lipids import LIPID_GROUPS, TRIGLYCERIDE_PEAKS
from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN
from omicsdl.mrs._plot import plot_classification_roc, plot_fit
from omicsdl.mrs._readers import (
    read_lcmodel_raw,
    read_mrs,
    read_nifti_mrs,
    read_siemens_rda,
    write_lcmodel_raw,
    write_mrs_npz,
)
from omicsdl.mrs._results import MRSClassification, MRSEvaluation
from omicsdl.mrs._simulate import DEFAULT_MEDIANS, SpectrumPrior, SpectrumStream, simulate_spectra
from omicsdl.mrs._spins import SpinSystem, read_fida_spin_systems, read_vespa_spin_systems
from omicsdl.mrs._tables import amplitude_table, fit_table, probability_table
from omicsdl.mrs._vespa_lines import bin_lines, vespa_line_list

if TYPE_CHECKING:
    from omicsdl.mrs._module import ClassifierCNNModule, QuantifierCNNModule, SpectrumCNNModule

# the torch networks import lazily, so that `import omicsdl.mrs` (and `omicsdl mrs fit`) does not pay for torch
_TORCH_MODULES = frozenset({"ClassifierCNNModule", "QuantifierCNNModule", "SpectrumCNNModule"})


def __getattr__(name: str):
    if name in _TORCH_MODULES:
        return getattr(importlib.import_module("omicsdl.mrs._module"), name)
    msg = f"module 'omicsdl.mrs' has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "DEFAULT_MEDIANS",
    "HCC_FACTORS",
    "LIPID_GROUPS",
    "LIVER_METABOLITES",
    "PATIENT_LOG_SD",
    "TRIGLYCERIDE_PEAKS",
    "Basis",
    "ClassifierCNNModule",
    "FitResult",
    "LineList",
    "MRSClassification",
    "MRSData",
    "MRSEvaluation",
    "QuantifierCNNModule",
    "SpectrumCNNModule",
    "SpectrumClassifierCNN",
    "SpectrumPrior",
    "SpectrumQuantifierCNN",
    "SpectrumStream",
    "SpinSystem",
    "amplitude_table",
    "bin_lines",
    "evaluate_mrs",
    "fid_to_spectrum",
    "fit_spectra",
    "fit_spectrum",
    "fit_table",
    "make_liver_basis",
    "plot_classification_roc",
    "plot_fit",
    "ppm_axis",
    "probability_table",
    "read_fida_spin_systems",
    "read_lcmodel_basis",
    "read_lcmodel_raw",
    "read_mrs",
    "read_nifti_mrs",
    "read_siemens_rda",
    "read_vespa_spin_systems",
    "simulate_lines",
    "simulate_spectra",
    "spectrum_to_fid",
    "transitions",
    "vespa_line_list",
    "write_lcmodel_raw",
    "write_mrs_npz",
]

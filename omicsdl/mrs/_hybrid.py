"""Hybrid quantification: the linear-combination fit with the qCNN's estimates as its prior.

Variable projection solves the amplitudes exactly for given line-shape parameters, so
"starting" the fit from the CNN's amplitudes would change nothing: the fit would return
to its own least-squares solution. The CNN's estimates therefore enter as a Gaussian
prior on the amplitudes (mean: the qCNN's deterministic estimate; sd: that estimate
times the qCNN's own calibrated relative error, ``calibration_log_rmse_``), and the fit
returns the maximum a-posteriori amplitudes. Where the spectrum determines a component
well the data term dominates (the fit's answer); where it does not, the qCNN's estimate
does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.mrs._fit import fit_spectrum

if TYPE_CHECKING:
    from omicsdl.mrs._basis import Basis
    from omicsdl.mrs._data import MRSData
    from omicsdl.mrs._fit import FitResult
    from omicsdl.mrs._model import SpectrumQuantifierCNN

__all__ = ["fit_spectra_from_cnn"]


def fit_spectra_from_cnn(
    data: MRSData, basis: Basis, qcnn: SpectrumQuantifierCNN, **kwargs
) -> list[FitResult]:
    """Fit every spectrum with the qCNN's estimates as a Gaussian prior on the amplitudes.

    Parameters
    ----------
    data
        Spectra of the acquisition the qCNN was fitted for.
    basis
        The basis set the qCNN was fitted on (same components, same order).
    qcnn
        A fitted qCNN that measured its error (``calibration_log_rmse_``; ``n_calibration > 0``).
    **kwargs
        Further options of :func:`~omicsdl.mrs.fit_spectrum` (not ``metabolites``, ``index``
        or the prior).

    Returns
    -------
    One fit per spectrum; its amplitudes are the hybrid estimates.

    Raises
    ------
    InputError
        The qCNN has other components than the basis, or no calibrated error.
    """
    from omicsdl._core._logging import progress

    qcnn.check_fitted()
    if list(qcnn.names_) != list(basis.names):
        msg = f"the qCNN quantifies {', '.join(qcnn.names_)}; the basis holds {', '.join(basis.names)}"
        raise InputError(msg, item="basis", fix="use the basis the qCNN was fitted on")
    rmse = qcnn.calibration_log_rmse_
    if rmse is None:
        msg = "the qCNN has no calibrated error (calibration_log_rmse_), which sets the prior's width"
        raise InputError(msg, item="qcnn", fix="fit it with n_calibration > 0")
    amplitudes = qcnn.predict(data, n_samples=0)[0]
    rel = np.asarray(rmse, float)
    return [
        fit_spectrum(data, basis, index=i, prior_mean=amplitudes[i], prior_sd=amplitudes[i] * rel, **kwargs)
        for i in progress(range(data.n_spectra), desc="hybrid fit (qCNN prior)", total=data.n_spectra)
    ]

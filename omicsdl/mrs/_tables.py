"""Per-spectrum result tables of the fitted qCNN, the cCNN and the linear-combination fit.

One row per spectrum, the first two columns ``spectrum`` (index in the file) and
``synthetic`` (whether the file says its spectra were simulated); values are rounded to
5 decimals, as ``omicsdl mrs quantify / classify / fit`` write them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from omicsdl.mrs._basis import Basis
    from omicsdl.mrs._data import MRSData
    from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN

__all__ = ["amplitude_table", "fit_table", "probability_table"]


def _frame(data: MRSData, columns: list[str], values: list[list[object]]) -> pd.DataFrame:
    import pandas as pd

    synthetic = bool(data.meta.get("synthetic"))
    rows = [[i, synthetic, *row] for i, row in enumerate(values)]
    return pd.DataFrame(rows, columns=["spectrum", "synthetic", *columns])


def amplitude_table(model: SpectrumQuantifierCNN, data: MRSData, *, n_samples: int = 20) -> pd.DataFrame:
    """QCNN amplitudes of each spectrum (one column per component) and their MC-dropout sd (``<name>_sd``).

    Parameters
    ----------
    model
        A fitted qCNN.
    data
        Spectra of the acquisition the model was fitted for.
    n_samples
        Monte-Carlo-dropout passes (``0``: one deterministic pass, sd 0).
    """
    mean, sd = model.predict(data, n_samples=n_samples)
    names = list(model.names_)
    values = [[*mean[i].round(5), *sd[i].round(5)] for i in range(len(mean))]
    return _frame(data, names + [f"{n}_sd" for n in names], values)


def probability_table(model: SpectrumClassifierCNN, data: MRSData, *, n_samples: int = 20) -> pd.DataFrame:
    """CCNN ``predicted`` class and class probabilities (``p_<class>``) of each spectrum.

    Parameters
    ----------
    model
        A fitted cCNN.
    data
        Spectra of the acquisition the model was fitted for.
    n_samples
        Monte-Carlo-dropout passes averaged (``0``: one deterministic pass).
    """
    proba = model.predict_proba(data, n_samples=n_samples)
    classes = list(model.classes_)
    values = [[classes[int(p.argmax())], *p.round(5)] for p in proba]
    return _frame(data, ["predicted"] + [f"p_{c}" for c in classes], values)


def fit_table(data: MRSData, basis: Basis, *, metabolites: Sequence[str] | None = None) -> pd.DataFrame:
    """Linear-combination amplitudes of each spectrum (one column per component) and their CRLBs (``<name>_crlb``).

    Parameters
    ----------
    data
        Spectra to fit.
    basis
        Basis set of the same acquisition.
    metabolites
        Components to fit (default: all of the basis).
    """
    from omicsdl.mrs._fit import fit_spectra

    names = list(metabolites) if metabolites else None
    amp, crlb = fit_spectra(data, basis, metabolites=names)
    names = names or list(basis.names)
    values = [[*np.asarray(amp[i]).round(5), *np.asarray(crlb[i]).round(5)] for i in range(len(amp))]
    return _frame(data, names + [f"{n}_crlb" for n in names], values)

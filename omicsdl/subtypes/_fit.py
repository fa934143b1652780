"""Fit the final subtype model on a whole cohort and describe it (``omicsdl subtypes fit``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from omicsdl.subtypes._results import SubtypesFit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mudata import MuData

    from omicsdl._core._device import Device
    from omicsdl._core._random import RNGLike

__all__ = ["fit_subtypes"]

logger = logging.getLogger(__name__)


def fit_subtypes(
    mdata: MuData,
    *,
    params: Mapping[str, Any] | None = None,
    n_threads: int | None = None,
    device: Device = "auto",
    rng: RNGLike = None,
    source: str = "cohort",
) -> SubtypesFit:
    """Fit :class:`~omicsdl.subtypes.SurvivalSubtypes` on every patient and characterise its subtypes.

    The model is the in-sample one (features and subtypes chosen on these
    patients): use it to assign new patients, and
    :func:`~omicsdl.subtypes.evaluate_subtypes` to measure how well it does.
    ``mdata`` is annotated in place (:meth:`SurvivalSubtypes.annotate`):
    ``obs["subtype"]``, ``obs["subtype_risk"]`` and ``obsm["X_autoencoder"]``
    (``X_pca`` with the PCA embedding).

    Parameters
    ----------
    mdata
        Cohort with overall survival (``os_days``, ``os_event``).
    params
        Keyword arguments for :class:`~omicsdl.subtypes.SurvivalSubtypes`
        (hyperparameters; ``n_threads``, ``device`` and ``rng`` are given here).
    n_threads
        Torch threads (``None``: ``settings.n_threads``).
    device
        Where the autoencoder runs (``"auto"``, ``"cpu"``, ``"cuda"``, ``"mps"``).
    rng
        Seed or generator (``None``: ``settings.seed``).
    source
        Name of the cohort in error messages.

    Returns
    -------
    The fitted model (``.model``, saved with its own ``save``) and its tables
    (``.write(dir)``: per-patient subtypes, clinical association, differential
    features, hazard ratios, choice of k).

    Raises
    ------
    InputError
        As :meth:`SurvivalSubtypes.fit`.
    """
    from omicsdl.subtypes._characterise import characterise_subtypes
    from omicsdl.subtypes._model import SurvivalSubtypes

    model = SurvivalSubtypes(**dict(params or {}), n_threads=n_threads, device=device, rng=rng)
    model.fit(mdata, source=source)
    model.annotate(mdata)
    labels = model.labels_
    sizes = {str(k): int(v) for k, v in labels.value_counts().sort_index().items()}
    logger.info("subtypes fit: k = %d; sizes %s", model.k_, sizes)
    return SubtypesFit(
        k=int(model.k_),
        n_patients=model.n_patients_,
        n_events=model.n_events_,
        subtype_sizes=sizes,
        subtypes=mdata.obs[["subtype", "subtype_risk", "os_days", "os_event"]].copy(),
        characterisation=characterise_subtypes(mdata, labels.to_numpy()),
        hazard_ratios=model.hazard_ratios_,
        k_selection=model.k_selection_,
        model=model,
    )

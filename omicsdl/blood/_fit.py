"""Fit the blood MLP on an AnnData cohort and predict new samples, with documented imputation."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.blood._model import BloodPanelClassifier
from omicsdl.blood._panel import NINE_GENE_PANEL, extract_panel

if TYPE_CHECKING:
    from collections.abc import Sequence

    from anndata import AnnData

    from omicsdl._core._random import RNGLike
    from omicsdl.blood._threshold import ThresholdRule

__all__ = ["fit_blood_classifier", "predict_blood"]

logger = logging.getLogger(__name__)


def fit_blood_classifier(
    adata: AnnData,
    *,
    label_key: str = "condition",
    positive: str | Sequence[str] = "HCC",
    negative: str | Sequence[str] | None = None,
    genes: Sequence[str] = NINE_GENE_PANEL,
    threshold: ThresholdRule = "youden",
    allow_ct_like: bool = False,
    rng: RNGLike = None,
    **params: Any,
) -> BloodPanelClassifier:
    """Fit :class:`~omicsdl.blood.BloodPanelClassifier` on all labelled samples of ``adata``.

    Parameters
    ----------
    adata
        Training cohort (samples × genes, log-scale relative expression).
    label_key, positive, negative
        Label column and the HCC / control values (see :func:`omicsdl.blood.binary_labels`).
    genes
        The gene panel.
    threshold
        ``"youden"`` or a target sensitivity, chosen on the training samples.
    allow_ct_like
        Accept values that look like raw Ct.
    rng
        Seed or generator for the initial weights (``None``: ``settings.seed``).
    **params
        Other hyperparameters of :class:`~omicsdl.blood.BloodPanelClassifier`
        (``hidden_sizes``, ``weight_decay``, ``max_epochs``, ``device`` …).

    Returns
    -------
    The fitted model; ``metadata_`` records the training data (size, synthetic flag,
    alias columns used) and is saved with the model.

    Raises
    ------
    InputError
        Any problem of :func:`~omicsdl.blood.extract_panel` or of fitting (one class only …).
    """
    panel = extract_panel(
        adata,
        genes=genes,
        label_key=label_key,
        positive=positive,
        negative=negative,
        allow_ct_like=allow_ct_like,
        source="training data",
    )
    model = BloodPanelClassifier(genes=tuple(genes), threshold=threshold, rng=rng, **params).fit(
        panel.X, panel.y
    )
    model.metadata_ = {
        "synthetic_training_data": panel.synthetic,
        "label_key": label_key,
        "positive": positive if isinstance(positive, str) else list(positive),
        "columns_used": panel.columns,
        "source_file": str(adata.uns.get("source_file", "")),
    }
    if panel.synthetic:
        model.metadata_["note"] = "fitted on SYNTHETIC data (omicsdl.blood.simulate_blood_cohort)"
    return model


def predict_blood(
    model: BloodPanelClassifier,
    adata: AnnData,
    *,
    impute: Literal["training-median"] | None = None,
    allow_ct_like: bool = False,
) -> pd.DataFrame:
    """HCC probability and label for each sample of ``adata``.

    A sample that lacks a panel gene (absent column or missing value) is refused
    with an :class:`~omicsdl.InputError` unless ``impute="training-median"``: then the
    missing values are replaced by the *training* median of that gene (stored in
    the model), which pulls the prediction towards the middle of the training
    data; ``imputed_genes`` lists what was filled per sample.

    Parameters
    ----------
    model
        A fitted (or loaded) classifier.
    adata
        New samples × genes (log-scale relative expression).
    impute
        ``None`` refuses samples with a missing panel value; ``"training-median"``
        fills them from the training data.
    allow_ct_like
        Accept values that look like raw Ct.

    Returns
    -------
    Table indexed by sample: ``probability_hcc``, ``label`` (``"HCC"``/``"control"``),
    ``threshold``, ``imputed_genes``, ``synthetic`` (``True`` when the input or the
    model's training data are synthetic).

    Raises
    ------
    NotFittedError
        ``model`` is not fitted.
    InputError
        Missing panel values without ``impute``, or Ct-like values.
    """
    model.check_fitted()
    if impute not in (None, "training-median"):
        msg = f"impute must be None or 'training-median', got {impute!r}"
        raise InputError(msg)
    panel = extract_panel(
        adata,
        genes=model.genes,
        missing="error" if impute is None else "keep",
        allow_ct_like=allow_ct_like,
        source="prediction input",
    )
    X = panel.X.copy()
    imputed = pd.Series("", index=X.index, dtype=object)
    if impute is not None:
        absent = [g for g in model.genes if g not in panel.columns]
        if absent:
            logger.warning(
                "panel gene(s) %s absent from the input: every sample gets the training median",
                ", ".join(absent),
            )
        mask = X.isna()
        if mask.to_numpy().any():
            imputed = mask.apply(lambda row: ",".join(row.index[row]), axis=1)
            X = X.fillna(pd.Series(model.median_, index=list(model.genes)))
            logger.info("imputed %d missing panel value(s) with training medians", int(mask.to_numpy().sum()))
    prob = model.predict_proba(X)
    return pd.DataFrame(
        {
            "probability_hcc": prob,
            "label": np.where(prob >= model.threshold_, "HCC", "control"),
            "threshold": model.threshold_,
            "imputed_genes": imputed.to_numpy(),
            "synthetic": panel.synthetic or bool(model.metadata_.get("synthetic_training_data")),
        },
        index=pd.Index(X.index, name="sample"),
    )

"""Every survival model the benchmark compares and ``subtypes fit --model-type`` can fit, in one table.

=====================  ========  ==========================================================
name                   family    model
=====================  ========  ==========================================================
``chaudhary``          deep      the published pipeline: autoencoder → Cox screen → K-means
                                 → classifier (:class:`SurvivalSubtypes`)
``deepprog``           deep      the same with one autoencoder per omic (DeepProg)
``deepprog_ensemble``  deep      bagged DeepProg copies on subsamples, risks averaged
                                 (:class:`SubtypesEnsemble`)
``cox_autoencoder``    deep      autoencoder with a Cox partial-likelihood term, risk from its
                                 Cox head (:class:`CoxAutoencoderModel`)
``chaudhary_pca``      linear    the published pipeline with PCA instead of the autoencoder
                                 (ablation)
``pca_cox``            linear    PCA (60 components) + ridge Cox, early fusion (:class:`PCACox`)
``late_fusion_cox``    linear    PCA (20) + ridge Cox per omic, fused late (:class:`LateFusionCox`)
``stage``              clinical  Cox model on the ordinal stage (:class:`StageCox`)
=====================  ========  ==========================================================

The benchmark also scores ``<model>+stage`` for every omics model: the mean of
the model's risk and the stage model's risk, each standardised with its
training-fold mean and sd (no weight is fitted, so no optimism from training
risks enters); these use clinical data and are labelled so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from omicsdl.subtypes._risk_model import _RiskModel

__all__ = ["BASELINE_MODELS", "DEFAULT_MODELS", "MODEL_TYPES", "ModelType", "load_model", "make_model"]


@dataclass(frozen=True, slots=True)
class ModelType:
    """One benchmarked model: its class (by name), fixed arguments, family and description."""

    class_name: str
    kwargs: Mapping[str, Any]
    family: str
    label: str
    subtypes: bool  # forms subtypes (K-means groups) and takes the pipeline's options


MODEL_TYPES: dict[str, ModelType] = {
    "chaudhary": ModelType(
        "SurvivalSubtypes",
        {},
        "deep",
        "published pipeline: autoencoder, Cox screen, K-means, classifier",
        subtypes=True,
    ),
    "deepprog": ModelType(
        "SurvivalSubtypes",
        {"embedding": "autoencoder_per_omic"},
        "deep",
        "one autoencoder per omic (DeepProg)",
        subtypes=True,
    ),
    "deepprog_ensemble": ModelType(
        "SubtypesEnsemble",
        {},
        "deep",
        "DeepProg ensemble: 5 copies on 80% subsamples, risks averaged",
        subtypes=True,
    ),
    "cox_autoencoder": ModelType(
        "CoxAutoencoderModel",
        {},
        "deep",
        "autoencoder with a Cox partial-likelihood loss (supervised)",
        subtypes=False,
    ),
    "chaudhary_pca": ModelType(
        "SurvivalSubtypes",
        {"embedding": "pca"},
        "linear",
        "published pipeline with PCA (ablation)",
        subtypes=True,
    ),
    "pca_cox": ModelType("PCACox", {}, "linear", "PCA (60) + ridge Cox, early fusion", subtypes=False),
    "late_fusion_cox": ModelType(
        "LateFusionCox", {}, "linear", "PCA (20) + ridge Cox per omic, fused late", subtypes=False
    ),
    "stage": ModelType("StageCox", {}, "clinical", "clinical stage alone (Cox)", subtypes=False),
}
#: models of a default ``subtypes evaluate``
DEFAULT_MODELS: tuple[str, ...] = tuple(MODEL_TYPES)
#: the baselines every model is compared with (the best of them is the reference)
BASELINE_MODELS: tuple[str, ...] = ("pca_cox", "late_fusion_cox", "stage")


def _classes() -> dict[str, type]:
    from omicsdl.subtypes._cox_autoencoder import CoxAutoencoderModel
    from omicsdl.subtypes._ensemble import SubtypesEnsemble
    from omicsdl.subtypes._linear_cox import LateFusionCox, PCACox
    from omicsdl.subtypes._model import SurvivalSubtypes
    from omicsdl.subtypes._stage_cox import StageCox

    return {
        c.__name__: c
        for c in (SurvivalSubtypes, SubtypesEnsemble, CoxAutoencoderModel, PCACox, LateFusionCox, StageCox)
    }


def make_model(
    name: str,
    *,
    pipeline: Mapping[str, Any] | None = None,
    omics: list[str] | None = None,
    extra: Mapping[str, Any] | None = None,
    n_threads: int | None = 1,
    device: str = "auto",
    rng: Any = None,
) -> _RiskModel:
    """A new, unfitted model of type ``name`` (see :data:`MODEL_TYPES`).

    Parameters
    ----------
    name
        A key of :data:`MODEL_TYPES`.
    pipeline
        Options of the subtype pipeline (:class:`SurvivalSubtypes` arguments such as
        ``autoencoder``, ``k``, ``alpha``) for the models that form subtypes.
    omics
        Modalities to use (every omics model).
    extra
        Further keyword arguments of this model's class (e.g. ``{"n_models": 3}`` for
        the ensemble, ``{"autoencoder": {...}}`` for the Cox autoencoder).
    n_threads, device, rng
        Passed to the model (where it takes them).

    Raises
    ------
    InputError
        An unknown model name.
    """
    if name not in MODEL_TYPES:
        msg = f"unknown model type {name!r}"
        raise InputError(msg, item=name, fix=f"choose from {', '.join(MODEL_TYPES)}")
    spec = MODEL_TYPES[name]
    cls = _classes()[spec.class_name]
    kwargs: dict[str, Any] = dict(spec.kwargs)
    if spec.class_name == "SurvivalSubtypes":
        kwargs = {**dict(pipeline or {}), **kwargs}
    elif spec.class_name == "SubtypesEnsemble":
        kwargs["pipeline"] = {k: v for k, v in dict(pipeline or {}).items() if k != "omics"}
        if omics is not None:
            kwargs["pipeline"]["omics"] = omics
    if omics is not None and spec.class_name not in ("StageCox", "SubtypesEnsemble"):
        kwargs["omics"] = omics
    kwargs |= dict(extra or {})
    names = set(cls._param_names())
    kwargs |= {k: v for k, v in {"n_threads": n_threads, "device": device}.items() if k in names}
    return cls(**kwargs, rng=rng)


def load_model(path: str | os.PathLike[str]) -> _RiskModel:
    """Load any model ``subtypes fit --model-type`` saved (its kind is read from ``model.json``).

    Raises
    ------
    ModelFormatError
        Not a saved survival model of this system (the subtype model's own message).
    """
    from omicsdl._core._base import MODEL_FILE

    folder = Path(path)
    meta_path = folder / MODEL_FILE
    kind = None
    if meta_path.is_file():
        try:
            kind = json.loads(meta_path.read_text(encoding="utf-8")).get("format")
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            kind = None
    classes = {f"omicsdl.{n}": c for n, c in _classes().items()}
    if kind not in classes:
        from omicsdl.subtypes._model import SurvivalSubtypes

        return SurvivalSubtypes.load(folder)  # its own, precise error
    return classes[kind].load(folder)

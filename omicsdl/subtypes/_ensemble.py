"""A DeepProg-style ensemble: bagged copies of the subtype pipeline, risks averaged.

Within the training patients, :class:`SubtypesEnsemble` fits ``n_models``
copies of :class:`~omicsdl.subtypes.SurvivalSubtypes` (by default with one
autoencoder per omic, as DeepProg does), each on a random ``subsample`` of the
training patients, and averages their risks (Poirion et al., Genome Med 2021).
A copy whose patients show no survival-associated latent feature forms no
subtypes and is left out (counted in ``n_failed_``); if every copy fails the
ensemble fails the same way.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from omicsdl._core._base import hyperparameters
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.subtypes._risk_model import _RiskModel

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mudata import MuData

    from omicsdl._core._base import BaseEstimator
    from omicsdl._core._device import Device

__all__ = ["SubtypesEnsemble"]

logger = logging.getLogger(__name__)


@hyperparameters
class SubtypesEnsemble(_RiskModel):
    """Bagged :class:`~omicsdl.subtypes.SurvivalSubtypes` fitted on subsamples; risk = mean risk.

    Parameters
    ----------
    n_models
        Copies of the pipeline.
    subsample
        Fraction of the training patients each copy is fitted on (without replacement).
    pipeline
        Keyword arguments of every :class:`~omicsdl.subtypes.SurvivalSubtypes` copy
        (default: ``embedding="autoencoder_per_omic"``).
    n_threads, device, rng
        Passed to the copies (each gets its own seed from ``rng``).
    """

    family: ClassVar[str] = "deep"
    _fitted_attr = "members_"
    _display_name = "omicsdl subtypes ensemble"

    n_models: int = 5
    subsample: float = 0.8
    pipeline: Mapping[str, Any] | None = None
    n_threads: int | None = None
    device: Device = "auto"
    rng: RNGLike = None

    def _member_params(self) -> dict[str, Any]:
        return {"embedding": "autoencoder_per_omic", **dict(self.pipeline or {})}

    def fit(self, mdata: MuData, *, source: str = "cohort") -> Self:
        """Fit every copy on its subsample of ``mdata``'s patients.

        Raises
        ------
        InputError
            No copy formed subtypes.
        """
        from omicsdl.subtypes._model import SurvivalSubtypes

        if not 0 < self.subsample <= 1 or int(self.n_models) < 1:
            msg = f"n_models must be positive and subsample in (0, 1], got {self.n_models}, {self.subsample}"
            raise ValueError(msg)
        gen = as_generator(self.rng)
        n = mdata.n_obs
        size = max(4, round(self.subsample * n))
        members, failed = [], 0
        last: InputError | None = None
        for i in range(int(self.n_models)):
            rows = np.sort(gen.choice(n, size=size, replace=False))
            seed = derive_seed(gen)
            member = SurvivalSubtypes(
                **self._member_params(), n_threads=self.n_threads, device=self.device, rng=seed
            )
            try:
                members.append(member.fit(mdata[mdata.obs_names[rows]], source=source))
            except InputError as err:
                failed += 1
                last = err
                logger.info("ensemble copy %d: no subtypes (%s)", i + 1, err.problem)
        if not members:
            assert last is not None
            raise last
        self.members_ = members
        self.n_failed_ = failed
        self.omics_ = members[0].omics_
        return self

    def predict(self, mdata: MuData) -> pd.DataFrame:
        """Per patient: ``risk`` (mean over the copies) and ``omics_used``."""
        self.check_fitted()
        preds = [m.predict(mdata) for m in self.members_]
        risk = np.mean([p["risk"].to_numpy() for p in preds], axis=0)
        used = preds[0].attrs.get("omics_per_patient") or [""] * mdata.n_obs
        return pd.DataFrame({"risk": risk, "omics_used": used}, index=mdata.obs_names.copy())

    def attributions(self, mdata: MuData) -> pd.DataFrame:
        """Mean over the copies of their attributions (a feature absent from a copy counts 0)."""
        self.check_fitted()
        tables = [m.attributions(mdata) for m in self.members_]
        both = pd.concat(tables, ignore_index=True)
        signed = both.assign(s=np.where(both["direction"].str.startswith("higher value, higher"), 1.0, -1.0))
        signed["s"] *= signed["importance"]
        agg = signed.groupby(["omic", "feature"], sort=False).agg(
            importance=("importance", "sum"), s=("s", "sum")
        )
        agg["importance"] /= len(tables)
        out = agg.reset_index()
        out["direction"] = np.where(out["s"] > 0, "higher value, higher risk", "higher value, lower risk")
        out = out.drop(columns="s").sort_values(
            ["omic", "importance"], ascending=[True, False], kind="stable"
        )
        out["rank"] = out.groupby("omic").cumcount() + 1
        return out.reset_index(drop=True)

    def _children(self) -> dict[str, BaseEstimator]:
        return {f"member_{i}": m for i, m in enumerate(self.members_)}

    def _child_class(self, name: str, kind: str, *, source: Path) -> type[BaseEstimator]:
        from omicsdl.subtypes._model import SurvivalSubtypes

        if not name.startswith("member_") or kind != "SurvivalSubtypes":
            msg = f"unexpected child model {name!r} ({kind}); an ensemble has member_<i>/ folders"
            raise ModelFormatError(msg, source=source)
        return SurvivalSubtypes

    def _set_children(self, children: Mapping[str, BaseEstimator]) -> None:
        self._loaded_children = dict(children)

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {}, {"n_members": len(self.members_), "n_failed": self.n_failed_}

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        children = self.__dict__.pop("_loaded_children", {})
        n = int(state["n_members"])
        names = [f"member_{i}" for i in range(n)]
        if n < 1 or set(children) != set(names):
            msg = f"the ensemble lists {n} members but has sub-models {sorted(children)}"
            raise ModelFormatError(msg, source=source)
        if n + int(state["n_failed"]) != self.n_models:
            msg = f"params.n_models = {self.n_models!r}, but {n} members + {state['n_failed']} failed were saved"
            raise ModelFormatError(msg, source=source, fix="save the model again")
        self.members_ = [children[name] for name in names]
        self.n_failed_ = int(state["n_failed"])
        self.omics_ = self.members_[0].omics_

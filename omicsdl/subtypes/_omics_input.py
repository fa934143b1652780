"""The fitted per-omic preprocessing every survival model of this system shares, for partial cohorts too.

:class:`OmicsInput` fits one :class:`~omicsdl.pp.Preprocessor` per omic on the
training patients (log2 for count-like omics, the
:data:`DEFAULT_MAX_FEATURES` most variable features, protein-coding genes when
the omic records gene types, median imputation, z-scores) and turns any
cohort into the model's input matrix. A patient who lacks an omic gets that
omic's training mean (0 after z-scoring) and the omics each patient had are
reported, so every model predicts from the omics a patient has.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mudata import MuData

    from omicsdl.pp import Preprocessor

__all__ = ["DEFAULT_GENE_TYPES", "DEFAULT_MAX_FEATURES", "OmicsInput", "complete_patients"]

logger = logging.getLogger(__name__)

#: most variable features kept per omic by default (training patients only); full-width STAR
#: (~58,000 genes) and SeSAMe gene-level methylation (~21,000) are cut to this before any model
DEFAULT_MAX_FEATURES = 5000
#: gene types kept when an omic records them (``var["gene_type"]``, e.g. GDC STAR counts)
DEFAULT_GENE_TYPES: tuple[str, ...] = ("protein_coding",)


def preprocessor_params(omic: str, preprocess: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments of the :class:`~omicsdl.pp.Preprocessor` of ``omic`` (defaults, then ``preprocess``)."""
    from omicsdl.pp import DEFAULT_LOG_TRANSFORM

    return {
        "log_transform": DEFAULT_LOG_TRANSFORM.get(omic, False),
        "max_features": DEFAULT_MAX_FEATURES,
        "gene_types": DEFAULT_GENE_TYPES,
        **dict(preprocess or {}),
    }


def complete_patients(mdata: MuData, omics: Sequence[str], *, source: str) -> tuple[MuData, list[str]]:
    """``mdata`` restricted to patients with every omic of ``omics``, and who was left out.

    Raises
    ------
    InputError
        An omic is not in the cohort, or no patient has all of them.
    """
    for omic in omics:
        if omic not in mdata.mod:
            msg = f"the cohort has no {omic!r} modality"
            raise InputError(msg, source=source, item=omic, fix=f"choose from {list(mdata.mod)}")
    keep = mdata.obs_names
    for omic in omics:
        keep = keep.intersection(mdata.mod[omic].obs_names, sort=False)
    left_out = [str(p) for p in mdata.obs_names if p not in set(keep)]
    if left_out:
        lacking = {p: [o for o in omics if p not in set(mdata.mod[o].obs_names)] for p in left_out[:3]}
        logger.warning(
            "%d patient(s) lack one of %s and are left out of fitting (e.g. %s)",
            len(left_out),
            list(omics),
            "; ".join(f"{p}: no {', '.join(o)}" for p, o in lacking.items()),
        )
    if len(keep) == 0:
        msg = f"no patient has all of {list(omics)}"
        raise InputError(msg, source=source, fix="choose fewer omics with --omics")
    return (mdata[keep] if len(keep) < mdata.n_obs else mdata), left_out


class OmicsInput:
    """Fitted per-omic preprocessing (not an estimator of its own: its owner saves its JSON).

    Parameters
    ----------
    omics
        The omics, in column order.
    preprocess
        Extra keyword arguments for every omic's :class:`~omicsdl.pp.Preprocessor`.
    """

    def __init__(self, omics: Sequence[str], preprocess: Mapping[str, Any] | None = None) -> None:
        self.omics = list(omics)
        self.preprocess = dict(preprocess or {})
        self.preprocessors: dict[str, Preprocessor] = {}

    def fit(self, mdata: MuData) -> dict[str, np.ndarray]:
        """Fit on ``mdata`` (patients having every omic); return the preprocessed blocks."""
        from omicsdl.pp import Preprocessor

        blocks = {}
        for omic in self.omics:
            adata = mdata.mod[omic][mdata.obs_names]
            pp = Preprocessor(**preprocessor_params(omic, self.preprocess)).fit(adata)
            self.preprocessors[omic] = pp
            blocks[omic] = np.asarray(pp.transform(adata).X, dtype=np.float32)
        return blocks

    @property
    def block_sizes(self) -> list[int]:
        """Features per omic after preprocessing."""
        return [len(self.preprocessors[o].features_) for o in self.omics]

    def features(self) -> pd.DataFrame:
        """``omic`` and ``feature`` of every input column, in order."""
        from omicsdl.io import unprefixed

        return pd.DataFrame(  # plain symbols (ACAT1): the omic is its own column
            [(o, unprefixed(f, o)) for o in self.omics for f in self.preprocessors[o].features_],
            columns=["omic", "feature"],
        )

    def transform(self, mdata: MuData) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
        """Blocks for every patient of ``mdata`` and which omics each patient had.

        A patient without an omic gets zeros there (the training mean after
        z-scoring). Returns the blocks and a boolean table patients × omics.

        Raises
        ------
        InputError
            A patient has none of the model's omics.
        """
        blocks: dict[str, np.ndarray] = {}
        has = pd.DataFrame(
            np.zeros((mdata.n_obs, len(self.omics)), dtype=bool),
            index=mdata.obs_names.copy(),
            columns=self.omics,
        )
        for omic in self.omics:
            pp = self.preprocessors[omic]
            out = np.zeros((mdata.n_obs, len(pp.features_)), dtype=np.float32)
            if omic in mdata.mod:
                patients = mdata.obs_names.intersection(mdata.mod[omic].obs_names, sort=False)
                if len(patients):
                    rows = mdata.obs_names.get_indexer(patients)
                    out[rows] = np.asarray(pp.transform(mdata.mod[omic][patients]).X, dtype=np.float32)
                    has.loc[patients, omic] = True
            blocks[omic] = out
        none = ~has.any(axis=1)
        if none.any():
            msg = f"{int(none.sum())} patient(s) have none of the model's omics {self.omics}"
            raise InputError(msg, item=str(has.index[none][0]), fix="give at least one of these omics")
        return blocks, has

    def to_dict(self) -> dict[str, Any]:
        """JSON state: the omics and every fitted preprocessor."""
        return {
            "omics": self.omics,
            "preprocessors": {o: self.preprocessors[o].to_dict() for o in self.omics},
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any], preprocess: Mapping[str, Any] | None = None) -> OmicsInput:
        """Rebuild from :meth:`to_dict` output."""
        from omicsdl.pp import Preprocessor

        out = cls([str(o) for o in state["omics"]], preprocess)
        if set(state["preprocessors"]) != set(out.omics) or not out.omics:
            msg = f"the preprocessors {sorted(state['preprocessors'])} do not match the omics {out.omics}"
            raise ValueError(msg)
        out.preprocessors = {o: Preprocessor.from_dict(state["preprocessors"][o]) for o in out.omics}
        return out


def omics_used(has: pd.DataFrame) -> list[str]:
    """Per patient, the omics used (comma-separated)."""
    return [",".join(c for c, v in row.items() if v) for _, row in has.iterrows()]

"""From samples/aliquots to patients: keep chosen sample types, one sample per patient."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import SAMPLE_TYPES, choose_one_aliquot, parse_barcode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from anndata import AnnData

__all__ = ["choose_samples", "select_samples", "to_patients"]

logger = logging.getLogger(__name__)

#: default: primary solid tumours only
PRIMARY = ("01",)


def choose_samples(
    names: Sequence[str],
    *,
    sample_types: Sequence[str] | None,
    duplicates: Literal["choose", "error"],
    step: str,
) -> tuple[list[str], list[dict[str, str]]]:
    """The barcodes to keep (one per patient, in order of first appearance) and those dropped.

    Works on barcodes alone, so a reader can choose before it reads any data
    file. Patient-level ids (no sample part) are always kept.

    Parameters
    ----------
    names
        TCGA barcodes (any level).
    sample_types
        Two-digit sample-type codes to keep; ``None`` keeps all.
    duplicates
        ``"choose"`` (the rule of :func:`omicsdl.io.choose_one_aliquot`) or ``"error"``.
    step
        Names the step in the dropped records and in errors.

    Returns
    -------
    The kept barcodes, and one record per dropped barcode (``step``, ``id``,
    ``patient``, ``reason``).
    """
    dropped: list[dict[str, str]] = []
    codes = [parse_barcode(name, source=step) for name in names]
    if sample_types is not None:
        unknown = set(sample_types) - set(SAMPLE_TYPES)
        if unknown:
            msg = f"unknown sample-type code(s) {sorted(unknown)}"
            raise InputError(
                msg,
                fix=f"use two-digit TCGA codes: {', '.join(f'{k} {v}' for k, v in SAMPLE_TYPES.items())}",
            )
    keep = []
    for name, code in zip(names, codes, strict=True):
        if code.sample is None:
            # patient-level ids: the source says nothing about the sample type
            keep.append(name)
        elif sample_types is not None and code.sample not in sample_types:
            dropped.append(
                {
                    "step": step,
                    "id": name,
                    "patient": code.patient,
                    "reason": f"sample type {code.sample} ({code.sample_type}) not kept",
                }
            )
        else:
            keep.append(name)
    by_patient: dict[str, list[str]] = {}
    for name in keep:
        by_patient.setdefault(parse_barcode(name).patient, []).append(name)
    chosen = choose_one_aliquot(keep)
    for patient, group in by_patient.items():
        if len(group) == 1:
            continue
        if duplicates == "error":
            msg = f"patient {patient} has {len(group)} samples: {', '.join(group)}"
            raise InputError(
                msg,
                source=step,
                item=patient,
                fix="keep one per patient (duplicates='choose' applies the documented rule "
                "of omicsdl.io.choose_one_aliquot)",
            )
        for name in group:
            if name != chosen[patient]:
                dropped.append(
                    {
                        "step": step,
                        "id": name,
                        "patient": patient,
                        "reason": f"duplicate sample of the patient; kept {chosen[patient]}",
                    }
                )
    return [chosen[p] for p in by_patient], dropped


def to_patients(adata: AnnData, *, inplace: bool = False) -> AnnData:
    """Rows named by patient barcode, the sample kept in ``obs["sample_barcode"]`` (one row per patient)."""
    out = adata if inplace else adata.copy()
    names = list(out.obs_names)
    out.obs["sample_barcode"] = [str(parse_barcode(n)) for n in names]
    out.obs_names = pd.Index([parse_barcode(n).patient for n in names], name="patient")
    if "patient" in out.obs.columns:
        out.obs = out.obs.drop(columns="patient")
    return out


def _select(
    adata: AnnData,
    *,
    sample_types: Sequence[str] | None,
    duplicates: Literal["choose", "error"],
    step: str,
) -> tuple[AnnData, list[dict[str, str]]]:
    """Patients × features and the list of dropped samples (``step``, ``id``, ``patient``, ``reason``)."""
    order, dropped = choose_samples(
        list(adata.obs_names), sample_types=sample_types, duplicates=duplicates, step=step
    )
    return to_patients(adata[order].copy(), inplace=True), dropped


def select_samples(
    adata: AnnData,
    *,
    sample_types: Sequence[str] | None = PRIMARY,
    duplicates: Literal["choose", "error"] = "choose",
) -> AnnData:
    """Keep the chosen TCGA sample types and one sample per patient.

    Parameters
    ----------
    adata
        Samples or aliquots × features; ``obs_names`` are TCGA barcodes (dots or
        dashes, any level).
    sample_types
        Two-digit sample-type codes to keep (``"01"`` primary solid tumour,
        ``"02"`` recurrent, ``"06"`` metastatic, ``"11"`` solid-tissue normal);
        ``None`` keeps all. Patient-level ids (no sample part) are always kept.
    duplicates
        A patient with several kept samples: ``"choose"`` keeps one by the
        rule of :func:`omicsdl.io.choose_one_aliquot` (primary first, lowest
        vial, lowest portion, R/D analyte, most recent plate) and logs the
        others; ``"error"`` refuses.

    Returns
    -------
    A new AnnData, patients × features (``obs_names`` = 12-character patient
    barcodes), with ``obs["sample_barcode"]`` naming the sample kept.
    """
    out, dropped = _select(adata, sample_types=sample_types, duplicates=duplicates, step="select_samples")
    for record in dropped:
        logger.info("dropped %s: %s", record["id"], record["reason"])
    if dropped:
        logger.warning("select_samples: %d sample(s) dropped (see log at info level)", len(dropped))
    return out

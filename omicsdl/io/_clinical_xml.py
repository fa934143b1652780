"""TCGA BCR clinical XML (``nationwidechildrens.org_clinical.TCGA-XX-XXXX.xml``) → clinical table.

Overall survival rule
---------------------
A BCR record has the patient block (the state at enrolment) and, later,
``follow_up`` blocks (``<lihc:follow_ups><follow_up_v4.0:follow_up sequence=…>``).
The patient block alone misses deaths recorded at follow-up, so every block is
read:

- if any block records a death (``vital_status`` ``Dead`` or a
  ``days_to_death``), ``os_event`` is ``True`` and ``os_days`` is the largest
  ``days_to_death`` of all blocks;
- otherwise ``os_event`` is ``False`` and ``os_days`` is the largest
  ``days_to_last_followup`` of all blocks (the latest contact);
- with neither, ``os_days`` is missing (``NaN``) — never ``0``.

``os_source`` names the block the value came from.
"""

from __future__ import annotations

import logging
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import parse_barcode
from omicsdl.io._clinical_values import clinical_frame, normalise_grade, normalise_sex, normalise_stage
from omicsdl.io._text import read_bytes

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["read_tcga_clinical_xml"]

logger = logging.getLogger(__name__)

#: 120 years: no follow-up or death since diagnosis is longer
MAX_DAYS = 120 * 365.25
#: a BCR clinical XML is ~100 kB; 64 MiB is far above any real one
_MAX_XML_BYTES = 64 * 2**20


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(block: ET.Element, name: str) -> str | None:
    for child in block:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _number(text: str | None, path: Path, field: str, patient: str) -> float:
    if text is None:
        return float("nan")
    try:
        value = float(text)
    except ValueError as err:
        msg = f"{field} {text!r} is not a number"
        raise InputError(msg, source=path, item=patient, fix="correct the XML") from err
    if not np.isfinite(value) or value < 0 or value > MAX_DAYS:
        msg = f"{field} {text!r} is impossible (days since diagnosis lie in 0 to {MAX_DAYS:g})"
        raise InputError(msg, source=path, item=patient, fix="correct the XML, or leave the field empty")
    return value


def _xml_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    found: list[Path] = []
    for item in items:
        item = Path(item)
        if item.is_dir():
            found.extend(sorted(p for p in item.rglob("*.xml") if not p.name.startswith(".")))
        elif item.is_file():
            found.append(item)
        else:
            msg = "file not found"
            raise InputError(msg, source=item, fix="check the path")
    if not found:
        msg = "no .xml file found"
        raise InputError(msg, source=", ".join(map(str, items[:3])), fix="check the folder")
    return found


def _parse_one(path: Path, project: str | None) -> tuple[str, str, dict[str, object]]:
    data = read_bytes(path, what="BCR clinical XML", max_bytes=_MAX_XML_BYTES)
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        msg = "XML with a DOCTYPE or entity declarations (BCR clinical files have none)"
        raise InputError(msg, source=path, fix="pass the BCR clinical XML as GDC ships it")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        msg = f"corrupt XML ({err})"
        raise InputError(
            msg,
            source=path,
            line=err.position[0],
            fix="download the file again (omicsdl fetch verifies md5 and size)",
        ) from err
    admin = next((e for e in root if _local(e.tag) == "admin"), None)
    patient_block = next((e for e in root if _local(e.tag) == "patient"), None)
    if admin is None or patient_block is None:
        msg = "not a TCGA BCR clinical XML (no admin or patient block)"
        raise InputError(
            msg,
            source=path,
            fix="pass nationwidechildrens.org_clinical.TCGA-XX-XXXX.xml files",
        )
    file_project = f"{_child_text(admin, 'project_code') or ''}-{_child_text(admin, 'disease_code') or ''}"
    if project is not None and file_project.upper() != project.upper():
        msg = f"record of project {file_project}, expected {project}"
        raise InputError(
            msg,
            source=path,
            fix=f"remove files of other projects, or pass project={file_project!r}",
        )
    raw_barcode = _child_text(patient_block, "bcr_patient_barcode")
    if raw_barcode is None:
        msg = "no bcr_patient_barcode"
        raise InputError(msg, source=path, fix="pass an intact BCR clinical XML")
    patient = parse_barcode(raw_barcode, source=str(path)).patient

    blocks = [("patient", patient_block)]
    for element in patient_block.iter():
        if _local(element.tag) == "follow_up":
            label = f"follow_up v{element.get('version', '?')} #{element.get('sequence', '?')}"
            blocks.append((label, element))
    # (days, block order, label): on equal days the later block is named
    deaths: list[tuple[float, int, str]] = []
    contacts: list[tuple[float, int, str]] = []
    for index, (label, block) in enumerate(blocks):
        status = (_child_text(block, "vital_status") or "").lower()
        death = _number(_child_text(block, "days_to_death"), path, "days_to_death", patient)
        contact = _number(_child_text(block, "days_to_last_followup"), path, "days_to_last_followup", patient)
        if status in ("dead", "deceased") or not np.isnan(death):
            deaths.append((death, index, label))
        if not np.isnan(contact):
            contacts.append((contact, index, label))
    if deaths:
        known = [d for d in deaths if not np.isnan(d[0])]
        os_days, _, source = max(known) if known else (float("nan"), 0, deaths[0][2])
        event = True
        later = [c for c in contacts if not np.isnan(os_days) and c[0] > os_days]
        if later:
            logger.warning(
                "%s: last follow-up (%g days) after death (%g days); death kept", path, later[0][0], os_days
            )
    elif contacts:
        os_days, _, source = max(contacts)
        event = False
    else:
        os_days, source, event = float("nan"), "none", False
    age = _number(_child_text(patient_block, "age_at_initial_pathologic_diagnosis"), path, "age", patient)
    if np.isnan(age):
        age = -_number(_child_text(patient_block, "days_to_birth"), path, "days_to_birth", patient) / 365.25
    stage = None
    for element in patient_block.iter():
        if _local(element.tag) == "pathologic_stage":
            stage = normalise_stage(element.text)
            break
    record = {
        "os_days": os_days,
        "os_event": event if not (np.isnan(os_days) and source == "none") else pd.NA,
        "stage": stage,
        "grade": normalise_grade(_child_text(patient_block, "neoplasm_histologic_grade")),
        "age": age,
        "sex": normalise_sex(_child_text(patient_block, "gender")),
        "os_source": source,
        "n_follow_ups": len(blocks) - 1,
        "project": file_project,
    }
    return patient, file_project, record


def read_tcga_clinical_xml(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    project: str | None = None,
) -> pd.DataFrame:
    """Read TCGA BCR clinical XML files into a patient-indexed clinical table.

    Overall survival uses the **latest** follow-up, not only the patient
    block (see the module docstring for the rule).

    Parameters
    ----------
    paths
        XML files, or folders searched recursively for ``*.xml`` (GDC client layout).
    project
        Expected project, e.g. ``"TCGA-LIHC"``. ``None`` requires all files to
        share one project, whichever it is.

    Returns
    -------
    Indexed by 12-character patient barcode: ``os_days``, ``os_event``
    (``<NA>`` when the record has no survival at all), ``stage``, ``grade``,
    ``age``, ``sex``, and ``os_source`` (block used), ``n_follow_ups``, ``project``.

    Raises
    ------
    InputError
        Corrupt XML, a file of another project, not a BCR clinical file, or
        one patient in two files.
    """
    records: dict[str, dict[str, object]] = {}
    origin: dict[str, Path] = {}
    first_project: tuple[str, Path] | None = None
    for path in _xml_paths(paths):
        patient, file_project, record = _parse_one(path, project)
        if first_project is None:
            first_project = (file_project, path)
        elif project is None and file_project != first_project[0]:
            msg = f"record of project {file_project}, but {first_project[1].name} is {first_project[0]}"
            raise InputError(
                msg,
                source=path,
                fix="read one project at a time, or pass project= to say which one is expected",
            )
        if patient in records:
            msg = f"patient also described by {origin[patient]}"
            raise InputError(
                msg,
                source=path,
                item=patient,
                fix="keep one clinical XML per patient",
            )
        records[patient] = record
        origin[patient] = path
    frame = clinical_frame(records)
    frame["n_follow_ups"] = frame["n_follow_ups"].astype("int64")
    logger.info("read %d clinical XML files (%d deaths)", len(frame), int(frame["os_event"].sum()))
    return frame

"""GDC file metadata: which aliquot (barcode) each downloaded file belongs to.

GDC data files do not carry their sample's barcode. It comes from one of

- the **cart metadata JSON** (``metadata.cart.*.json``, or the ``files``
  endpoint's ``hits``): a list of file records with ``file_id``, ``file_name``,
  ``md5sum``, ``file_size`` and ``associated_entities[].entity_submitter_id``;
- the **sample sheet** (``gdc_sample_sheet.*.tsv``): columns ``File ID``,
  ``File Name``, ``Project ID``, ``Case ID``, ``Sample ID``, ``Sample Type``.

:func:`read_gdc_metadata` reads either into one table indexed by ``file_id``.
:func:`locate_gdc_files` turns "a download folder or a list of files" into the
data files to read, each matched to its metadata row.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import parse_barcode
from omicsdl.io._text import read_text, text_stream

__all__ = ["gdc_obs", "locate_gdc_files", "read_gdc_metadata"]

logger = logging.getLogger(__name__)

#: files the GDC client writes beside the data; never data themselves
ANNOTATION_NAMES = frozenset({"annotations.txt"})
_SIDECAR_SUFFIXES = (".log", ".parcel", ".part", ".md5")
#: cart metadata JSON is written on one line by the GDC portal: no line limit below the file size
MAX_METADATA_BYTES = 1 << 30

PathsLike = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def read_gdc_metadata(path: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Read GDC file metadata (cart JSON, ``files`` endpoint hits or sample sheet).

    Parameters
    ----------
    path
        A ``metadata.*.json`` file, a GDC sample sheet (``.tsv``), or a table
        already read by this function (returned unchanged).

    Returns
    -------
    Table indexed by ``file_id`` with columns ``file_name``, ``barcode`` (the
    aliquot or sample barcode), ``md5sum``, ``file_size`` and ``project``
    (missing values where the source does not say).

    Raises
    ------
    InputError
        If the file is neither format, or a file lists no or several barcodes.
    """
    if isinstance(path, pd.DataFrame):
        return path
    path = Path(path)
    if not path.is_file():
        msg = "metadata file not found"
        raise InputError(msg, source=path, fix="check the path")
    text = read_text(path, what="GDC metadata file", max_line_chars=MAX_METADATA_BYTES)
    if text.lstrip().startswith(("[", "{")):
        table = _from_json(text, path)
    else:
        table = _from_sample_sheet(text, path)
    if table.index.has_duplicates:
        dup = table.index[table.index.duplicated()][0]
        msg = "file id listed twice in the metadata"
        raise InputError(msg, source=path, item=dup, fix="remove one entry")
    return table


def _from_json(text: str, path: Path) -> pd.DataFrame:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"not valid JSON ({err.msg})"
        raise InputError(msg, source=path, line=err.lineno, fix="re-download the metadata") from err
    if isinstance(data, dict):  # a raw `files` endpoint response
        data = data.get("data", {}).get("hits", data.get("hits"))
    if not isinstance(data, list):
        msg = "expected a list of GDC file records"
        raise InputError(
            msg,
            source=path,
            fix="pass the cart metadata JSON (metadata.cart.*.json) or a GDC sample sheet",
        )
    rows = []
    for number, record in enumerate(data):
        file_id = record.get("file_id") or record.get("id") if isinstance(record, dict) else None
        if not isinstance(file_id, str) or not isinstance(record.get("file_name"), str):
            msg = f"record {number} has no file_id/file_name"
            raise InputError(
                msg,
                source=path,
                fix="pass the cart metadata JSON (metadata.cart.*.json) or a GDC sample sheet",
            )
        listed = record.get("associated_entities") or []
        entities = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
        barcodes = sorted({str(e["entity_submitter_id"]) for e in entities if e.get("entity_submitter_id")})
        if len(barcodes) > 1:
            msg = f"file is associated with {len(barcodes)} samples ({', '.join(barcodes)})"
            raise InputError(
                msg,
                source=path,
                item=file_id,
                fix="omicsdl reads single-sample files only; drop this file from the download",
            )
        cases = record.get("cases") or []
        project = None
        if isinstance(cases, list) and cases and isinstance(cases[0], dict):
            found = cases[0].get("project")
            project = found.get("project_id") if isinstance(found, dict) else None
        rows.append(
            {
                "file_id": file_id,
                "file_name": record["file_name"],
                "barcode": barcodes[0] if barcodes else None,
                "md5sum": record.get("md5sum"),
                "file_size": record.get("file_size"),
                "project": project,
            }
        )
    return pd.DataFrame(
        rows, columns=["file_id", "file_name", "barcode", "md5sum", "file_size", "project"]
    ).set_index("file_id")


def _from_sample_sheet(text: str, path: Path) -> pd.DataFrame:
    try:
        sheet = pd.read_csv(io.StringIO(text), sep="\t", dtype=str)
    except pd.errors.ParserError as err:
        msg = f"not a GDC sample sheet ({err})"
        raise InputError(
            msg, source=path, fix="pass the cart metadata JSON or the sample sheet of this download"
        ) from err
    needed = {"File ID", "File Name", "Sample ID"}
    if not needed.issubset(sheet.columns):
        msg = f"not a GDC sample sheet: columns {sorted(needed - set(sheet.columns))} are missing"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix="pass the cart metadata JSON or the sample sheet downloaded with the same cart",
        )
    multi = sheet["Sample ID"].str.contains(",", na=False)
    if multi.any():
        row = int(multi.to_numpy().argmax())
        msg = "file is associated with several samples"
        raise InputError(
            msg,
            source=path,
            line=row + 2,
            item=sheet["File ID"].iloc[row],
            fix="omicsdl reads single-sample files only; drop this file from the download",
        )
    return pd.DataFrame(
        {
            "file_name": sheet["File Name"].to_numpy(),
            "barcode": sheet["Sample ID"].to_numpy(),
            "md5sum": None,
            "file_size": None,
            "project": sheet["Project ID"].to_numpy() if "Project ID" in sheet else None,
        },
        index=pd.Index(sheet["File ID"].to_numpy(), name="file_id"),
    )


def _expand(files: PathsLike, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Path]]:
    """Split a folder (searched recursively) or a list into data and annotation files."""
    items = [files] if isinstance(files, str | os.PathLike) else list(files)
    data: list[Path] = []
    annotations: list[Path] = []
    for item in items:
        item = Path(item)
        if item.is_dir():
            for root, dirs, names in os.walk(item):
                dirs.sort()
                for name in sorted(names):
                    found = Path(root) / name
                    if name.startswith("."):
                        continue
                    if name in ANNOTATION_NAMES:
                        annotations.append(found)
                    elif name.endswith(suffixes):
                        data.append(found)
                    elif not name.endswith(_SIDECAR_SUFFIXES):
                        logger.info("skipping %s: not a %s file", found, "/".join(suffixes))
        elif item.name in ANNOTATION_NAMES:
            msg = "this is a GDC annotation file, not a data file"
            raise InputError(
                msg,
                source=item,
                fix="pass the data files or their folder; annotations beside them are read automatically",
            )
        elif item.is_file():
            data.append(item)
        else:
            msg = "file not found"
            raise InputError(msg, source=item, fix="check the path")
    if not data:
        msg = f"no data file ending in {' or '.join(suffixes)} was found"
        raise InputError(
            msg,
            source=", ".join(str(i) for i in items[:3]),
            fix="pass the folder the GDC client wrote (<file_id>/<file_name>) or the files themselves",
        )
    return data, annotations


def _annotation_notes(annotations: list[Path]) -> dict[str, str]:
    """Folder (file id) → ``category`` values of its GDC ``annotations.txt``."""
    notes = {}
    for path in annotations:
        try:
            table = pd.read_csv(text_stream(path, what="GDC annotation file"), sep="\t", dtype=str)
        except (InputError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            logger.warning("%s: unreadable GDC annotation file ignored (%s)", path, err)
            continue
        if "category" in table.columns:
            notes[path.parent.name] = "; ".join(sorted(set(table["category"].dropna())))
    return notes


def locate_gdc_files(
    files: PathsLike,
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
    *,
    suffixes: tuple[str, ...],
    on_unknown: Literal["error", "skip"] = "error",
) -> pd.DataFrame:
    """Match data files to their GDC metadata (barcode, project).

    Files are matched by name, else by their folder name (the file id, as the
    GDC client lays files out: ``<file_id>/<file_name>``). GDC
    ``annotations.txt`` files beside the data are never read as data; their
    categories go to the ``gdc_annotations`` column.

    Parameters
    ----------
    files
        A download folder (searched recursively), a file, or a list of files.
    metadata
        Cart metadata JSON or sample sheet (see :func:`read_gdc_metadata`);
        ``None`` only when each file's barcode is in its name.
    suffixes
        File-name endings of the data files.
    on_unknown
        ``"error"`` (default) stops when a file is not in the metadata;
        ``"skip"`` leaves such files out, with a warning.

    Returns
    -------
    One row per data file: ``path``, ``file_id``, ``file_name``, ``barcode``,
    ``project``, ``gdc_annotations``; in file order.
    """
    data, annotations = _expand(files, suffixes)
    notes = _annotation_notes(annotations)
    if annotations:
        logger.info("%d GDC annotation file(s) beside the data were not read as data", len(annotations))
    rows = []
    unknown: list[Path] = []
    if metadata is None:
        for path in data:
            try:
                barcode = str(parse_barcode(path.name.split(".")[0].split("_")[0]))
            except InputError:
                unknown.append(path)
                continue
            rows.append((path, path.parent.name, path.name, barcode, None))
    else:
        meta = read_gdc_metadata(metadata)
        names = meta["file_name"].tolist()
        ids = meta.index.tolist()
        repeated = {n for n in names if names.count(n) > 1} if len(set(names)) < len(names) else set()
        by_name = {n: i for n, i in zip(names, ids, strict=True) if n not in repeated}
        barcode_of = dict(zip(ids, meta["barcode"].tolist(), strict=True))
        project_of = dict(zip(ids, meta["project"].tolist(), strict=True))
        for path in data:
            file_id = by_name.get(path.name)
            if file_id is None and path.parent.name in barcode_of:
                file_id = path.parent.name
            if file_id is None or pd.isna(barcode_of[file_id]):
                unknown.append(path)
                continue
            rows.append((path, file_id, path.name, barcode_of[file_id], project_of[file_id]))
    if unknown:
        listed = "\n    ".join(str(p) for p in unknown[:10]) + ("\n    ..." if len(unknown) > 10 else "")
        if on_unknown == "error":
            msg = f"{len(unknown)} file(s) have no barcode in the metadata:\n    {listed}"
            raise InputError(
                msg,
                source=str(metadata) if not isinstance(metadata, pd.DataFrame) else "metadata table",
                fix="pass the metadata of this download, or skip them (on_unknown='skip')",
            )
        logger.warning("skipping %d file(s) without a barcode in the metadata", len(unknown))
    table = pd.DataFrame(rows, columns=["path", "file_id", "file_name", "barcode", "project"])
    if table.empty:
        msg = "no data file could be matched to the metadata"
        raise InputError(msg, fix="check the metadata file")
    for barcode in table["barcode"]:
        parse_barcode(barcode, source="metadata")
    table["gdc_annotations"] = [notes.get(p.parent.name, "") for p in table["path"]]
    return table


def gdc_obs(located: pd.DataFrame) -> pd.DataFrame:
    """Per-file ``.obs`` (index: barcode) from :func:`locate_gdc_files`; one row per aliquot.

    Raises
    ------
    InputError
        If two files carry the same aliquot barcode.
    """
    barcodes = located["barcode"].map(lambda b: str(parse_barcode(b)))
    dup = barcodes.duplicated(keep=False)
    if dup.any():
        first = barcodes[dup].iloc[0]
        paths = [str(p) for p in located.loc[barcodes == first, "path"]]
        msg = f"aliquot {first} is measured by {len(paths)} files: {', '.join(paths)}"
        raise InputError(
            msg,
            item=first,
            fix="keep one file per aliquot (remove the older download) and read again",
        )
    codes = [parse_barcode(b) for b in barcodes]
    obs = pd.DataFrame(
        {
            "patient": [c.patient for c in codes],
            "sample_type_code": [c.sample for c in codes],
            "file_id": located["file_id"].to_numpy(),
            "file_name": located["file_name"].to_numpy(),
            "project": located["project"].astype(object).where(located["project"].notna(), "").to_numpy(),
            "gdc_annotations": located["gdc_annotations"].to_numpy(),
        },
        index=pd.Index(barcodes.to_numpy(), name="barcode"),
    )
    obs["sample_type_code"] = (
        obs["sample_type_code"].astype(object).where(obs["sample_type_code"].notna(), "")
    )
    return obs

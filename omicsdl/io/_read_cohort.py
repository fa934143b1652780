"""Build a cohort (MuData) from any mix of GDC files, mirror matrices and clinical sources.

Every patient left out on the way is recorded with the step and the reason in
``mdata.uns["omicsdl_dropped"]`` (columns ``step``, ``id``, ``patient``,
``reason``; :func:`dropped_table` returns it as a DataFrame) and summarised in
the log.

Steps, per omic
    1. read (GDC folder → the matching GDC reader; file → :func:`read_matrix`)
    2. sample selection: keep ``sample_types`` (primary tumour ``01`` by
       default) and one sample per patient (:func:`omicsdl.io.select_samples`)
    3. clinical join: patients without a clinical record are dropped
Clinical
    4. with ``require_survival``: patients without overall survival are dropped
    5. patients with clinical data but no omic are reported (not in the cohort)
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import all_barcodes, parse_barcode
from omicsdl.io._select_samples import PRIMARY, _select, choose_samples, to_patients

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from anndata import AnnData
    from mudata import MuData

__all__ = ["dropped_table", "ingest_summary", "read_clinical", "read_cohort"]

logger = logging.getLogger(__name__)

_REPORT_KEY = "omicsdl_dropped"
#: modality → file-name endings of its GDC reader
_GDC_SUFFIXES = {
    "mirna": (".mirnas.quantification.txt", ".mirnas.quantification.txt.gz"),
    "rna": (".augmented_star_gene_counts.tsv", ".augmented_star_gene_counts.tsv.gz"),
    "methylation": (".level3betas.txt", ".level3betas.txt.gz"),
}


@dataclass(frozen=True)
class _GdcSource:
    """A modality given as GDC files: where they are and the metadata mapping them to barcodes."""

    files: str | os.PathLike[str] | list[Path]
    metadata: str | os.PathLike[str] | pd.DataFrame
    folder: Path


def _gdc_source(
    name: str,
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
) -> _GdcSource | None:
    """The GDC files of ``source`` (a folder or a list of files), or ``None`` for a matrix file."""
    files: str | os.PathLike[str] | list[Path]
    if isinstance(source, list | tuple):  # the files of a manifest: read as GDC files
        files = [Path(p) for p in source]
        if not files:
            msg = f"{name}: empty list of files"
            raise InputError(msg, fix="pass a folder, a matrix file or at least one GDC file")
        path = files[0].parent.parent
    else:
        path = Path(source)
        files = path
        if not path.is_dir():
            return None
    meta = metadata
    if meta is None and (path / "metadata.json").is_file():
        meta = path / "metadata.json"  # written by `omicsdl fetch`
    if meta is None:
        msg = f"{name}: a GDC download folder needs its metadata (file -> barcode)"
        raise InputError(msg, source=path, fix="pass metadata= (cart JSON or sample sheet) or fetch it")
    if name not in _GDC_SUFFIXES:
        msg = f"no GDC reader for modality {name!r}"
        raise InputError(msg, source=path, fix="pass a matrix file or an AnnData for this modality")
    return _GdcSource(files, meta, path)


def _read_gdc(
    name: str,
    gdc: _GdcSource,
    patients: pd.Index,
    *,
    probe_map: str | os.PathLike[str] | pd.DataFrame | None,
    sample_types: Sequence[str] | None,
    duplicates: Literal["choose", "error"],
    dropped: list[dict[str, str]],
    require_survival: bool,
) -> AnnData:
    """Choose one sample per patient from the metadata, then read only those files (no copies)."""
    from omicsdl.io._gdc_metadata import locate_gdc_files
    from omicsdl.io._gdc_methylation import read_gdc_methylation
    from omicsdl.io._gdc_mirna import read_gdc_mirna
    from omicsdl.io._gdc_star import read_gdc_star_counts

    located = locate_gdc_files(gdc.files, gdc.metadata, suffixes=_GDC_SUFFIXES[name])
    barcodes = [str(parse_barcode(b)) for b in located["barcode"]]
    kept, lost = choose_samples(
        barcodes, sample_types=sample_types, duplicates=duplicates, step=f"{name}: sample selection"
    )
    dropped.extend(lost)
    no_clinical = [b for b in kept if parse_barcode(b).patient not in patients]
    _record(
        dropped,
        f"{name}: clinical join",
        no_clinical,
        "no clinical record" if not require_survival else "no clinical record with overall survival",
    )
    if len(no_clinical) == len(kept):
        msg = f"modality {name!r} has no patient in common with the clinical data"
        raise InputError(
            msg,
            item=f"first ids: {[parse_barcode(b).patient for b in kept[:3]]} vs {list(patients[:3])}",
            fix="check that both describe the same cohort (12-character TCGA patient barcodes)",
        )
    wanted = set(kept) - set(no_clinical)
    row_of = {b: k for k, b in enumerate(barcodes)}
    paths = [located["path"].iloc[row_of[b]] for b in kept if b in wanted]
    if name == "mirna":
        adata = read_gdc_mirna(paths, metadata=gdc.metadata)
    elif name == "rna":
        adata = read_gdc_star_counts(paths, metadata=gdc.metadata)
    else:
        adata = read_gdc_methylation(paths, metadata=gdc.metadata, probe_map=probe_map)
    return to_patients(adata, inplace=True)


def read_clinical(
    sources: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str] | pd.DataFrame],
    *,
    project: str | None = None,
) -> pd.DataFrame:
    """Clinical table from BCR XML (files or folders) and/or survival tables, merged.

    With several sources, the first one that knows a value wins, column by
    column (e.g. XML survival first, then Xena for recurrence-free survival).
    """
    from omicsdl.io._clinical_tables import read_survival
    from omicsdl.io._clinical_values import clinical_frame
    from omicsdl.io._clinical_xml import read_tcga_clinical_xml

    items = [sources] if isinstance(sources, str | os.PathLike | pd.DataFrame) else list(sources)
    tables = []
    xml: list[Path] = []
    for item in items:
        if isinstance(item, pd.DataFrame):
            tables.append(item)
            continue
        path = Path(item)
        if path.is_dir() or path.suffix.lower() == ".xml":
            xml.append(path)
        else:
            tables.append(read_survival(path))
    if xml:
        tables.insert(0, read_tcga_clinical_xml(xml, project=project))
    merged = tables[0]
    for table in tables[1:]:
        merged = merged.combine_first(table)
    return clinical_frame(merged)


def _known(name: str) -> str | None:
    return name if name in ("rna", "mirna", "methylation") else None


def _record(dropped: list[dict[str, str]], step: str, ids: Sequence[str], reason: str) -> None:
    for value in ids:
        patient = str(value)
        try:
            patient = parse_barcode(patient).patient
        except InputError:
            pass
        dropped.append({"step": step, "id": str(value), "patient": patient, "reason": reason})


def read_cohort(
    modalities: Mapping[str, str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | AnnData],
    clinical: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str] | pd.DataFrame],
    *,
    metadata: Mapping[str, str | os.PathLike[str] | pd.DataFrame] | None = None,
    probe_map: str | os.PathLike[str] | pd.DataFrame | None = None,
    sample_types: Sequence[str] | None = PRIMARY,
    duplicates: Literal["choose", "error"] = "choose",
    require_survival: bool = True,
    project: str | None = None,
    name: str = "cohort",
    manifests: Mapping[str, str | os.PathLike[str]] | None = None,
    skip_missing: bool = False,
) -> MuData:
    """Read omics and clinical data, keep primary tumours, join them into a cohort.

    Parameters
    ----------
    modalities
        Modality name (``rna``, ``mirna``, ``methylation``, …) → a GDC download
        folder (GDC reader of that omic; its ``metadata.json`` is used when
        present), a list of GDC files (e.g. from
        :func:`omicsdl.io.check_manifest_files`), a matrix file
        (:func:`omicsdl.io.read_matrix`), or an AnnData already read (samples
        or patients × features).
    clinical
        BCR XML folder/files (:func:`omicsdl.io.read_tcga_clinical_xml`),
        survival/clinical tables (:func:`omicsdl.io.read_survival`), a
        patient-indexed DataFrame, or a list of these (merged: first wins).
    metadata
        Per-modality GDC metadata (cart JSON or sample sheet) for GDC folders.
    probe_map
        Probe → gene table for GDC methylation (gene-level means).
    sample_types
        TCGA sample types kept (default primary tumour ``"01"``); ``None`` keeps all.
    duplicates
        Several kept samples of one patient: ``"choose"`` one by the
        documented rule, or ``"error"``.
    require_survival
        Drop patients without ``os_days``/``os_event`` (recorded).
    project
        Expected project of BCR XML files, e.g. ``"TCGA-LIHC"``.
    name
        Cohort name stored in ``uns["omicsdl"]``.
    manifests
        Modality → GDC manifest: read exactly the manifest's files from that
        modality's download folder (:func:`omicsdl.io.check_manifest_files`).
    skip_missing
        With ``manifests``: go on without manifest files absent from the folder
        (logged) instead of stopping with the list of them.

    Returns
    -------
    The cohort (schema: :mod:`omicsdl.io._cohort`); every dropped sample or
    patient, with the step and reason, in ``uns["omicsdl_dropped"]``
    (see :func:`dropped_table`).

    Raises
    ------
    InputError
        Bad input in any source, or no patient left after the joins.

    Examples
    --------
    >>> mdata = od.io.read_cohort(  # doctest: +SKIP
    ...     {"mirna": "gdc_mirna/", "rna": "rna.csv.gz"},
    ...     ["gdc_clinical_xml/", "xena_LIHC_clinicalMatrix.tsv.gz"],
    ...     metadata={"mirna": "metadata.LIHC.json"},
    ... )
    """
    from anndata import AnnData

    from omicsdl.io._cohort import make_cohort
    from omicsdl.io._matrix import read_matrix

    if not modalities:
        msg = "no modality given"
        raise InputError(msg, fix="pass at least one of rna, mirna, methylation")
    if manifests:
        from omicsdl.io._fetch_manifest import check_manifest_files

        unknown = sorted(set(manifests) - set(modalities))
        if unknown:
            msg = f"a manifest is given for {', '.join(unknown)}, which is not among the modalities"
            raise InputError(msg, item=", ".join(unknown), fix=f"give it for one of {', '.join(modalities)}")
        modalities = {
            mod: check_manifest_files(Path(manifests[mod]), source, skip_missing=skip_missing)
            if mod in manifests
            else source
            for mod, source in modalities.items()
        }
    dropped: list[dict[str, str]] = []
    clin = read_clinical(clinical, project=project)
    if require_survival:
        lacking = (
            clin.index[clin["os_days"].isna() | clin["os_event"].isna()] if "os_days" in clin else clin.index
        )
        _record(dropped, "clinical: survival", list(lacking), "no overall survival (days or event missing)")
        clin = clin.drop(index=lacking)
    mods: dict[str, AnnData] = {}
    for mod_name, source in modalities.items():
        meta = (metadata or {}).get(mod_name)
        gdc = None if isinstance(source, AnnData) else _gdc_source(mod_name, source, meta)
        if gdc is not None:
            mods[mod_name] = _read_gdc(
                mod_name,
                gdc,
                clin.index,
                probe_map=probe_map,
                sample_types=sample_types,
                duplicates=duplicates,
                dropped=dropped,
                require_survival=require_survival,
            )
            continue
        adata = (
            source if isinstance(source, AnnData) else read_matrix(Path(source), modality=_known(mod_name))
        )
        if all_barcodes(adata.obs_names):
            adata, lost = _select(
                adata, sample_types=sample_types, duplicates=duplicates, step=f"{mod_name}: sample selection"
            )
            dropped.extend(lost)
        else:
            adata = adata.copy()
            adata.obs["sample_barcode"] = adata.obs_names.astype(str)
        no_clinical = adata.obs_names.difference(clin.index, sort=False)
        _record(
            dropped,
            f"{mod_name}: clinical join",
            list(no_clinical),
            "no clinical record" if not require_survival else "no clinical record with overall survival",
        )
        if len(no_clinical) == adata.n_obs:
            msg = f"modality {mod_name!r} has no patient in common with the clinical data"
            raise InputError(
                msg,
                item=f"first ids: {list(adata.obs_names[:3])} vs {list(clin.index[:3])}",
                fix="check that both describe the same cohort (12-character TCGA patient barcodes)",
            )
        mods[mod_name] = adata[adata.obs_names.isin(clin.index)].copy() if len(no_clinical) else adata
    with_omics = set().union(*(set(a.obs_names) for a in mods.values()))
    clinical_only = [p for p in clin.index if p not in with_omics]
    _record(dropped, "clinical: no omics", clinical_only, "clinical record but no kept omics sample")
    source = "; ".join(f"{k}: {v if not hasattr(v, 'n_obs') else 'AnnData'}" for k, v in modalities.items())
    mdata = make_cohort(mods, clin.loc[sorted(with_omics)], name=name, source=source)
    report = pd.DataFrame(dropped, columns=["step", "id", "patient", "reason"])
    mdata.uns[_REPORT_KEY] = {c: report[c].to_numpy(dtype=str) for c in report.columns}
    for step, count in report.groupby("step", sort=False).size().items():
        logger.warning("%s: %d dropped", step, count)
    logger.info(
        "cohort %s: %d patients (%s)",
        name,
        mdata.n_obs,
        ", ".join(f"{k} {v.n_obs}" for k, v in mdata.mod.items()),
    )
    return mdata


def ingest_summary(
    mdata: MuData, *, manifests: Mapping[str, str | os.PathLike[str]] | None = None
) -> dict[str, object]:
    """What an ingest kept and dropped, as the run description ``omicsdl report --run-info`` shows.

    Parameters
    ----------
    mdata
        A cohort built by :func:`read_cohort`.
    manifests
        Modality → the GDC manifest its files came from (listed with file count and sha256).

    Returns
    -------
    ``{"modules": {"cohort": {...}}, "notes": [...]}``: patients per omic, drops per
    step and reason, and the manifests (a run is reproducible from them).
    """
    import hashlib

    name = mdata.uns.get("omicsdl", {}).get("name", "cohort")
    kept = ", ".join(f"{k} {v.n_obs}" for k, v in mdata.mod.items())
    notes = [f"Cohort {name}: {mdata.n_obs} patients kept ({kept})."]
    dropped = dropped_table(mdata)
    if len(dropped):
        reasons = dropped.assign(reason=dropped["reason"].str.replace(r"; kept .*$", "", regex=True))
        counts = reasons.groupby(["step", "reason"], sort=False).size()
        listed = "; ".join(f"{step}: {n} ({reason})" for (step, reason), n in counts.items())
        notes.append(f"Left out at ingest, {len(dropped)} samples or patients: {listed}.")
    for modality, path in (manifests or {}).items():
        data = Path(path).read_bytes()
        n_files = max(0, data.count(b"\n") - 1)
        digest = hashlib.sha256(data).hexdigest()[:16]
        notes.append(
            f"{modality}: {n_files} files from the GDC manifest {Path(path).name} (sha256 {digest}…)."
        )
    settings = f"{len(mdata.mod)} omics; {mdata.n_obs} patients"
    return {
        "modules": {"cohort": {"workflow": "omicsdl ingest", "status": "ran", "settings": settings}},
        "notes": notes,
    }


def dropped_table(mdata: MuData) -> pd.DataFrame:
    """Return what :func:`read_cohort` left out: ``step``, ``id``, ``patient``, ``reason``."""
    record = mdata.uns.get(_REPORT_KEY)
    if record is None:
        return pd.DataFrame(columns=["step", "id", "patient", "reason"])
    return pd.DataFrame({k: np.asarray(v, dtype=str) for k, v in record.items()})

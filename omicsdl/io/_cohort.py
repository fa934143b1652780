"""The omicsdl cohort: one :class:`mudata.MuData` per multi-omics cohort.

This module is the single place where the cohort schema is defined; every
reader builds, and every tool expects, a cohort of this shape.

Schema (version 1)
------------------
Modalities (``mdata.mod``)
    Any subset of ``rna``, ``mirna``, ``methylation`` (other names are allowed
    and carried through, e.g. ``metabolites``). Each is an AnnData
    ``patients × features``:

    ``rna``          mRNA expression, non-negative (counts, RSEM, TPM or FPKM;
                     ``uns["omicsdl"]["units"]`` says which).
    ``mirna``        miRNA expression, non-negative (reads per million).
    ``methylation``  DNA-methylation beta values in [0, 1] (gene- or probe-level).

    Feature names are those of the omic (gene symbols, miRNA names). ``rna``
    and ``methylation`` are both gene-level, so a symbol may name a feature in
    both; MuData then warns that ``var_names`` are not unique across the
    cohort, which is expected here: select a modality (``mdata["rna"]``)
    before indexing by gene.

    Missing values are ``NaN``. Raw counts, when known, sit in ``layers["counts"]``.
    Each modality's ``.obs["sample_barcode"]`` keeps the sample (or aliquot)
    barcode the measurement came from.
Observations (``mdata.obs_names``)
    Patients. For TCGA, the 12-character patient barcode (``TCGA-2V-A95S``);
    other cohorts use their own unique ids (``A17``).
Patient-level clinical data (``mdata.obs``)
    =============  ========  ===================================================
    column         dtype     meaning
    =============  ========  ===================================================
    ``os_days``    float     overall survival: days to death or last follow-up
    ``os_event``   bool      ``True`` if death was observed
    ``rfs_days``   float     recurrence-free survival days (where known)
    ``rfs_event``  boolean   ``True`` if recurrence or death was observed
    ``stage``      category  AJCC pathologic stage, ``I`` … ``IV`` (sub-stages folded)
    ``grade``      category  histologic grade ``G1`` … ``G4``
    ``age``        float     age at diagnosis, years
    ``sex``        category  ``female`` / ``male``
    =============  ========  ===================================================

    Only ``os_days`` and ``os_event`` are required for survival analyses; the
    rest are filled where known (``NaN``/``<NA>`` otherwise).
``mdata.uns["omicsdl"]``
    ``{"schema_version": 1, "name": ..., "source": ...}``.

Files are ``.h5mu`` (:func:`write_h5mu` writes atomically, :func:`read_h5mu`
validates on load).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._atomic import atomic_path
from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Mapping

    import pandas as pd
    from anndata import AnnData
    from mudata import MuData

__all__ = [
    "CLINICAL_COLUMNS",
    "KNOWN_MODALITIES",
    "SCHEMA_VERSION",
    "describe_cohort",
    "load_cohort",
    "make_cohort",
    "new_mudata",
    "read_h5mu",
    "validate_cohort",
    "write_h5mu",
]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
KNOWN_MODALITIES = ("rna", "mirna", "methylation")
#: clinical column → pandas dtype used in ``mdata.obs``
CLINICAL_COLUMNS: dict[str, str] = {
    "os_days": "float64",
    "os_event": "bool",
    "rfs_days": "float64",
    "rfs_event": "boolean",
    "stage": "category",
    "grade": "category",
    "age": "float64",
    "sex": "category",
}


def _check_values(name: str, adata: AnnData, source: str) -> None:
    values = np.asarray(adata.X, dtype=float)
    if np.isinf(values).any():
        row, col = np.argwhere(np.isinf(values))[0]
        raise InputError(
            f"modality {name!r} holds an infinite value",
            source=source,
            item=f"{adata.obs_names[row]} / {adata.var_names[col]}",
            fix="replace inf by NaN (missing) or a finite value before building the cohort",
        )
    finite = values[np.isfinite(values)]
    if name in ("rna", "mirna") and finite.size and finite.min() < 0:
        row, col = np.argwhere(values < 0)[0]
        raise InputError(
            f"modality {name!r} holds a negative expression value ({values[row, col]:g})",
            source=source,
            item=f"{adata.obs_names[row]} / {adata.var_names[col]}",
            fix="pass raw or normalised (not log-ratio or z-scored) expression for rna/mirna",
        )
    if name == "methylation" and finite.size and (finite.min() < 0 or finite.max() > 1):
        bad = (values < 0) | (values > 1)
        row, col = np.argwhere(bad)[0]
        raise InputError(
            f"methylation beta value {values[row, col]:g} is outside [0, 1]",
            source=source,
            item=f"{adata.obs_names[row]} / {adata.var_names[col]}",
            fix="methylation must be beta values; convert M-values with beta = 2^M / (1 + 2^M)",
        )


def _adopt_mudata_defaults() -> None:
    """Opt in to MuData's announced default (0.4): ``update()`` no longer pulls modality columns.

    omicsdl keeps clinical data in the global ``.obs`` and per-modality data in
    each modality; pulling columns would duplicate them. Setting this once at
    import also silences MuData's transition ``FutureWarning``.
    """
    import mudata as md

    md.set_options(pull_on_update=False)


_adopt_mudata_defaults()


@contextlib.contextmanager
def _quiet_mudata() -> Iterator[None]:
    """Adopt MuData's future no-pull behaviour; shared gene names across omics are expected."""
    import mudata as md

    with md.set_options(pull_on_update=False), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Cannot join columns with the same name")
        warnings.filterwarnings("ignore", message=".*var_names are not unique")
        yield


def new_mudata(modalities: Mapping[str, AnnData]) -> MuData:
    """A :class:`mudata.MuData` from modalities, without MuData's transition warnings.

    Gene symbols may repeat across modalities (``rna`` and ``methylation`` are
    both gene-level): that is expected in a cohort, so MuData's warning about
    intersecting ``var_names`` is silenced here.
    """
    import mudata as md

    with _quiet_mudata():
        return md.MuData(dict(modalities))


def make_cohort(
    modalities: Mapping[str, AnnData],
    clinical: pd.DataFrame,
    *,
    name: str = "cohort",
    source: str = "",
) -> MuData:
    """Build a validated cohort from per-omic AnnData objects and a clinical table.

    Patients are the union of the modalities' observations that also appear in
    ``clinical``; a patient missing from a modality has no row there (MuData
    keeps the modalities' own patient sets).

    Parameters
    ----------
    modalities
        Modality name → AnnData, patients × features, ``obs_names`` = patient ids.
    clinical
        Patient-indexed table with at least ``os_days`` and ``os_event``; the
        other :data:`CLINICAL_COLUMNS` are used where present.
    name
        Cohort name stored in ``uns["omicsdl"]``.
    source
        Free-text provenance stored in ``uns["omicsdl"]``.

    Returns
    -------
    The cohort (see the module docstring for its schema).

    Raises
    ------
    InputError
        If a modality has duplicate patients, no patient in common with
        ``clinical``, infinite values, negative expression or betas outside [0, 1].
    """
    if not modalities:
        raise InputError("no modality given", fix="pass at least one of rna, mirna, methylation")
    clinical = _normalise_clinical(clinical, source=source or "clinical table")
    mods: dict[str, AnnData] = {}
    for mod_name, adata in modalities.items():
        where = f"{source or name}:{mod_name}"
        if adata.obs_names.has_duplicates:
            dup = adata.obs_names[adata.obs_names.duplicated()][0]
            raise InputError(
                f"modality {mod_name!r} lists patient {dup} more than once",
                source=where,
                item=dup,
                fix="keep one sample per patient (see omicsdl.io.choose_one_aliquot)",
            )
        _check_values(mod_name, adata, where)
        shared = adata.obs_names.intersection(clinical.index)
        if len(shared) == 0:
            raise InputError(
                f"modality {mod_name!r} has no patient in common with the clinical table",
                source=where,
                item=f"first ids: {list(adata.obs_names[:3])} vs {list(clinical.index[:3])}",
                fix="use the same patient ids in both (12-character TCGA patient barcodes)",
            )
        dropped = adata.n_obs - len(shared)
        if dropped:
            logger.warning("%s: %d patient(s) have no clinical row and are dropped", mod_name, dropped)
        mods[mod_name] = adata[shared].copy()
    mdata = new_mudata(mods)
    patients = mdata.obs_names
    clin = clinical.reindex(patients)
    for column in clin.columns:
        mdata.obs[column] = clin[column].array
    _restore_dtypes(mdata.obs)
    mdata.uns["omicsdl"] = {"schema_version": SCHEMA_VERSION, "name": name, "source": source}
    validate_cohort(mdata, source=name)
    return mdata


def _normalise_clinical(clinical: pd.DataFrame, *, source: str) -> pd.DataFrame:
    if clinical.index.has_duplicates:
        dup = clinical.index[clinical.index.duplicated()][0]
        raise InputError(
            f"the clinical table lists patient {dup} more than once",
            source=source,
            item=str(dup),
            fix="keep one row per patient",
        )
    clinical = clinical.copy()
    _restore_dtypes(clinical)
    return clinical


def _restore_dtypes(frame: pd.DataFrame) -> None:
    for column, dtype in CLINICAL_COLUMNS.items():
        if column not in frame.columns:
            continue
        if dtype == "bool":
            if frame[column].isna().any():
                continue  # validate_cohort says which patient
            frame[column] = frame[column].astype(bool)
        elif dtype == "boolean":
            frame[column] = frame[column].astype("boolean")
        else:
            frame[column] = frame[column].astype(dtype)


def validate_cohort(mdata: MuData, *, require_survival: bool = False, source: str = "cohort") -> None:
    """Check that ``mdata`` follows the cohort schema; raise a clear error if not.

    Parameters
    ----------
    mdata
        The cohort.
    require_survival
        Also require ``os_days``/``os_event`` for every patient.
    source
        Name used in error messages (usually the file path).

    Raises
    ------
    InputError
        Naming the first problem found and how to fix it.
    """
    if len(mdata.mod) == 0:
        raise InputError("the cohort has no modality", source=source, fix="add rna, mirna or methylation")
    if mdata.obs_names.has_duplicates:
        dup = mdata.obs_names[mdata.obs_names.duplicated()][0]
        raise InputError("duplicate patient id", source=source, item=dup, fix="keep one row per patient")
    if require_survival:
        for column in ("os_days", "os_event"):
            if column not in mdata.obs.columns:
                raise InputError(
                    f"the cohort has no {column!r} column",
                    source=source,
                    fix="add overall survival (os_days, os_event) to .obs; see omicsdl.io.read_survival",
                )
        missing = mdata.obs["os_days"].isna() | mdata.obs["os_event"].isna()
        if missing.any():
            raise InputError(
                f"{int(missing.sum())} patient(s) lack overall survival",
                source=source,
                item=str(mdata.obs_names[missing.to_numpy()][0]),
                fix="drop patients without survival before the analysis, or complete the table (omicsdl.io.read_survival)",
            )
        days = mdata.obs["os_days"].to_numpy(dtype=float)
        if (days < 0).any():
            bad = mdata.obs_names[days < 0][0]
            raise InputError("negative survival time", source=source, item=bad, fix="check os_days")


def describe_cohort(mdata: MuData) -> str:
    """A short plain-text summary: modalities, patients, events, clinical coverage.

    Examples
    --------
    >>> import omicsdl as od
    >>> print(od.io.describe_cohort(od.datasets.tcga_lihc_demo()))
    cohort tcga_lihc_demo: 360 patients
      rna: 360 patients x 365 features, 0.0% missing
      mirna: 360 patients x 365 features, 0.0% missing
      methylation: 360 patients x 365 features, 0.0% missing
      overall survival: 124 events, median follow-up 586 days
      clinical: rfs_days (307 known), ...
    """
    lines = [f"cohort {mdata.uns.get('omicsdl', {}).get('name', '(unnamed)')}: {mdata.n_obs} patients"]
    for name, adata in mdata.mod.items():
        X = np.asarray(adata.X, dtype=float)
        lines.append(
            f"  {name}: {adata.n_obs} patients x {adata.n_vars} features, {np.isnan(X).mean():.1%} missing"
        )
    obs = mdata.obs
    if "os_event" in obs:
        lines.append(
            f"  overall survival: {int(obs['os_event'].sum())} events, median follow-up "
            f"{obs['os_days'].median():.0f} days"
        )
    known = [c for c in CLINICAL_COLUMNS if c in obs and c not in ("os_days", "os_event")]
    if known:
        lines.append("  clinical: " + ", ".join(f"{c} ({int(obs[c].notna().sum())} known)" for c in known))
    return "\n".join(lines)


def write_h5mu(mdata: MuData, path: str | os.PathLike[str]) -> Path:
    """Write a cohort to ``.h5mu`` atomically (temporary file, then rename).

    Parameters
    ----------
    mdata
        The cohort (see :func:`validate_cohort`).
    path
        The ``.h5mu`` file to write.

    Returns
    -------
    ``path``.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> import omicsdl as od
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = od.io.write_h5mu(od.datasets.tcga_lihc_demo(), folder / "lihc.h5mu")
    >>> od.io.read_h5mu(path, require_survival=True).n_obs
    360
    >>> shutil.rmtree(folder)
    """
    with atomic_path(path) as tmp, _quiet_mudata():
        mdata.write_h5mu(tmp)
    return Path(path)


def read_h5mu(path: str | os.PathLike[str], *, require_survival: bool = False) -> MuData:
    """Read and validate a cohort saved with :func:`write_h5mu`.

    Raises
    ------
    InputError
        If the file is missing, not an HDF5/MuData file, or breaks the schema.
    """
    import mudata as md

    path = Path(path)
    if not path.is_file():
        raise InputError(
            "file not found", source=path, fix="check the path; build a cohort with `omicsdl ingest`"
        )
    try:
        with _quiet_mudata():
            mdata = md.read_h5mu(path)
    except (OSError, KeyError, ValueError) as err:
        raise InputError(
            f"not a readable .h5mu cohort ({type(err).__name__}: {err})",
            source=path,
            fix="the file may be truncated or of another format; rebuild it with `omicsdl ingest`",
        ) from err
    _restore_dtypes(mdata.obs)
    validate_cohort(mdata, require_survival=require_survival, source=str(path))
    return mdata


def load_cohort(cohort: str | os.PathLike[str], *, require_survival: bool = False) -> MuData:
    """The embedded TCGA-LIHC demo cohort for ``"demo"``, else the cohort ``.h5mu`` file (validated).

    Parameters
    ----------
    cohort
        ``"demo"`` or the path of an ``.h5mu`` written by :func:`write_h5mu`
        (``omicsdl ingest``).
    require_survival
        Refuse a file whose patients lack overall survival.

    Raises
    ------
    InputError
        If the file does not exist or is not a valid cohort.

    Examples
    --------
    >>> import omicsdl as od
    >>> od.io.load_cohort("demo").n_obs
    360
    >>> od.io.load_cohort("nowhere.h5mu")
    Traceback (most recent call last):
    ...
    omicsdl._core._errors.InputError: nowhere.h5mu: the cohort file does not exist ...
    """
    if str(cohort) == "demo":
        from omicsdl.datasets import tcga_lihc_demo

        return tcga_lihc_demo()
    path = Path(cohort)
    if not path.is_file():
        raise InputError(
            "the cohort file does not exist",
            source=path,
            fix="give `demo` for the embedded cohort, or the .h5mu written by `omicsdl ingest`",
        )
    return read_h5mu(path, require_survival=require_survival)

"""The omicsdl cohort: one :class:`mudata.MuData` per multi-omics cohort.

This module is the single place where the cohort schema is defined; every
reader builds, and every tool expects, a cohort of this shape.

Schema (version 2)
------------------
Modalities (``mdata.mod``)
    Any subset of ``rna``, ``mirna``, ``methylation`` (other names are allowed
    and carried through, e.g. ``metabolites``). Each is an AnnData
    ``patients × features``:

    ``rna``          mRNA expression, non-negative (counts, RSEM, TPM or FPKM;
                     ``uns["omicsdl"]["units"]`` says which).
    ``mirna``        miRNA expression, non-negative (reads per million).
    ``methylation``  DNA-methylation beta values in [0, 1] (gene- or probe-level).

    Feature names (``var_names``) are ``"<modality>:<symbol>"`` (``rna:ACAT1``,
    ``methylation:ACAT1``, ``mirna:hsa-mir-21``), unique across the cohort:
    ``rna`` and ``methylation`` are both gene-level, so a gene symbol alone may
    name a feature in both. The plain symbol (gene symbol, miRNA name) is in
    ``.var["symbol"]`` and the modality in ``.var["modality"]``
    (:mod:`omicsdl.io._features`). A cohort written by omicsdl before schema
    version 2 (plain names) is given the prefix on read.

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
    ``{"schema_version": 2, "name": ..., "source": ...}``.

Files are ``.h5mu`` (:func:`write_h5mu` writes atomically, :func:`read_h5mu`
validates on load).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl._core._atomic import atomic_path
from omicsdl._core._errors import InputError
from omicsdl.io._features import FEATURE_SEP, prefix_features

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

#: 2: feature names carry their modality (``rna:ACAT1``); 1: plain symbols
SCHEMA_VERSION = 2
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


#: rows of a matrix checked at once (bounds the temporary copies of a backed or float32 matrix)
_BLOCK_ROWS = 64
#: longest survival accepted: 100 years (a longer one is a unit or entry error)
MAX_SURVIVAL_DAYS = 36_525.0


def _blocks(matrix: Any, n_rows: int) -> Iterator[tuple[int, np.ndarray]]:
    """Row blocks of a dense, sparse or on-disk (h5py) matrix as float64 arrays."""
    for start in range(0, n_rows, _BLOCK_ROWS):
        block = matrix[start : start + _BLOCK_ROWS]
        if hasattr(block, "toarray"):
            block = block.toarray()
        yield start, np.asarray(block, dtype=np.float64)


def _check_values(name: str, adata: AnnData, source: str) -> None:
    """Finite expression (NaN = missing), non-negative rna/mirna and counts, betas in [0, 1]."""
    layers = [("X", adata.X)] + [(f"layers[{key!r}]", adata.layers[key]) for key in adata.layers]
    for label, matrix in layers:
        for start, block in _blocks(matrix, adata.n_obs):
            problem, fix = None, None
            if np.isinf(block).any():
                bad = np.isinf(block)
                problem = f"modality {name!r} {label} holds an infinite value"
                fix = "replace inf by NaN (missing) or a finite value before building the cohort"
            elif (label != "X" or name in ("rna", "mirna")) and (block < 0).any():
                bad = block < 0
                what = "count" if label != "X" else "expression value"
                problem = f"modality {name!r} {label} holds a negative {what}"
                fix = "pass raw or normalised (not log-ratio or z-scored) expression for rna/mirna; counts are >= 0"
            elif label == "X" and name == "methylation" and ((block < 0) | (block > 1)).any():
                bad = (block < 0) | (block > 1)
                problem = "methylation beta value outside [0, 1]"
                fix = "methylation must be beta values; convert M-values with beta = 2^M / (1 + 2^M)"
            if problem is not None:
                row, col = np.argwhere(bad)[0]
                raise InputError(
                    f"{problem} ({block[row, col]:g})",
                    source=source,
                    item=f"{adata.obs_names[start + row]} / {adata.var_names[col]}",
                    fix=fix,
                )


def _show(value: Any) -> str:
    """A cell for a message: numbers as ``%g`` (``inf``, ``-3``, ``2``), anything else quoted."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return repr(value)


def _check_survival(obs: pd.DataFrame, source: str) -> None:
    """Survival times finite, >= 0 and below 100 years; events 0/1 (True/False); NaN is missing."""
    import pandas as pd

    for days_key, event_key in (("os_days", "os_event"), ("rfs_days", "rfs_event")):
        if days_key in obs.columns:
            days = pd.to_numeric(obs[days_key], errors="coerce").to_numpy(dtype=float)
            text = obs[days_key].astype(object)
            unparsed = np.isnan(days) & text.notna().to_numpy() & ~text.isin(["nan", "NaN", ""]).to_numpy()
            bad = unparsed | np.isinf(days) | (days < 0) | (days > MAX_SURVIVAL_DAYS)
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"{days_key} = {_show(obs[days_key].iloc[k])} is not a survival time in days "
                    f"(finite, 0 to {MAX_SURVIVAL_DAYS:,.0f})",
                    source=source,
                    item=str(obs.index[k]),
                    fix=f"correct {days_key} (days to death or last follow-up; missing = NaN)",
                )
        if event_key in obs.columns:
            values = obs[event_key].astype(object)
            known = values.notna().to_numpy()
            good = values.isin([True, False, 0, 1, 0.0, 1.0]).to_numpy()
            if (known & ~good).any():
                k = int(np.flatnonzero(known & ~good)[0])
                raise InputError(
                    f"{event_key} = {_show(values.iloc[k])} is not an event indicator (0/1, True/False)",
                    source=source,
                    item=str(obs.index[k]),
                    fix=f"{event_key} is 1 (True) when the event was observed, 0 (False) when censored",
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
    """Adopt MuData's future no-pull behaviour (a no-op once :func:`_adopt_mudata_defaults` ran)."""
    import mudata as md

    with md.set_options(pull_on_update=False):
        yield


def _with_prefix(adata: AnnData, modality: str) -> AnnData:
    """``adata`` with prefixed feature names; a new AnnData sharing the matrices, never the input changed."""
    import anndata as ad

    head = f"{modality}{FEATURE_SEP}"
    if "symbol" in adata.var.columns and all(str(n).startswith(head) for n in adata.var_names):
        if "modality" in adata.var.columns:
            return adata
    if adata.is_view:
        return prefix_features(adata.copy(), modality)
    shallow = ad.AnnData(
        X=adata.X,
        obs=adata.obs.copy(),
        var=adata.var.copy(),
        uns=dict(adata.uns),
        obsm=dict(adata.obsm),
        varm=dict(adata.varm),
        obsp=dict(adata.obsp),
        varp=dict(adata.varp),
        layers=dict(adata.layers),
    )
    return prefix_features(shallow, modality)


def new_mudata(modalities: Mapping[str, AnnData]) -> MuData:
    """A :class:`mudata.MuData` from modalities, feature names prefixed by their modality.

    ``var_names`` become ``"<modality>:<symbol>"`` (the plain symbol kept in
    ``.var["symbol"]``, see :func:`omicsdl.io.prefix_features`), so they are
    unique across modalities and MuData has nothing to warn about. The given
    AnnData objects are not changed (the new ones share their matrices).

    Parameters
    ----------
    modalities
        Modality name → AnnData, patients × features.

    Returns
    -------
    The MuData.
    """
    import mudata as md

    mods = {name: _with_prefix(adata, name) for name, adata in modalities.items()}
    with _quiet_mudata():
        return md.MuData(mods)


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
        shared = adata.obs_names.intersection(clinical.index, sort=False)
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
            adata = adata[shared].copy()
        mods[mod_name] = adata  # no copy when every patient has a clinical row (memory at full width)
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
    _check_survival(clinical, source)
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


def validate_cohort(
    mdata: MuData, *, require_survival: bool = False, source: str = "cohort", values: bool = True
) -> None:
    """Check that ``mdata`` follows the cohort schema; raise a clear error if not.

    Checked: at least one modality, unique patients; survival times finite,
    non-negative and below 100 years, events 0/1 (where present; for every
    patient with ``require_survival``); and, with ``values``, every matrix
    (``X`` and layers, in row blocks, so a backed cohort is never loaded whole):
    no infinite value, non-negative rna/mirna expression and counts, betas in [0, 1].

    Parameters
    ----------
    mdata
        The cohort (in memory or backed).
    require_survival
        Also require ``os_days``/``os_event`` for every patient.
    source
        Name used in error messages (usually the file path).
    values
        Also check the values of every matrix.

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
    _check_survival(mdata.obs, source)
    if values:
        for name, adata in mdata.mod.items():
            _check_values(name, adata, f"{source}:{name}")


def describe_cohort(mdata: MuData) -> str:
    """A short plain-text summary: modalities, patients, events, clinical coverage.

    Works on a backed cohort (:func:`read_h5mu` with ``backed=True``): the
    matrices are read in row blocks, never whole.

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
        n_missing = sum(int(np.isnan(block).sum()) for _, block in _blocks(adata.X, adata.n_obs))
        share = n_missing / max(1, adata.n_obs * adata.n_vars)
        lines.append(f"  {name}: {adata.n_obs} patients x {adata.n_vars} features, {share:.1%} missing")
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


#: how :func:`write_h5mu` compresses every array (gzip is readable everywhere HDF5 is)
COMPRESSION = {"compression": "gzip", "compression_opts": 1}


def write_h5mu(mdata: MuData, path: str | os.PathLike[str], *, compress: bool = True) -> Path:
    """Write a cohort to ``.h5mu`` atomically (temporary file, then rename), gzip-compressed.

    Parameters
    ----------
    mdata
        The cohort (see :func:`validate_cohort`).
    path
        The ``.h5mu`` file to write.
    compress
        Compress every array with gzip (level 1: nearly the size of level 9 for these
        float32 matrices at a fraction of the time; any HDF5 reader can read it).

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
        mdata.write_h5mu(tmp, **(COMPRESSION if compress else {}))
    return Path(path)


def read_h5mu(
    path: str | os.PathLike[str], *, require_survival: bool = False, backed: bool = False
) -> MuData:
    """Read and validate a cohort saved with :func:`write_h5mu`.

    Parameters
    ----------
    path
        The ``.h5mu`` file.
    require_survival
        Refuse a cohort whose patients lack overall survival.
    backed
        Leave the matrices on disk (read-only; rows are read when used): for
        tools that show a summary (``omicsdl info``), at any cohort size.

    Raises
    ------
    InputError
        If the file is missing, not an HDF5/MuData file, or breaks the schema
        (see :func:`validate_cohort`; values are checked in row blocks).
    """
    import mudata as md

    path = Path(path)
    if not path.is_file():
        raise InputError(
            "file not found", source=path, fix="check the path; build a cohort with `omicsdl ingest`"
        )
    try:
        with _quiet_mudata(), warnings.catch_warnings():
            # MuData converts obs dtypes on load; an inf survival time warns there and is refused below
            warnings.filterwarnings("ignore", "invalid value encountered in cast", RuntimeWarning)
            # a cohort of schema version 1 repeats gene symbols across omics: prefixed just below
            warnings.filterwarnings("ignore", ".*var_names are not unique", UserWarning)
            warnings.filterwarnings("ignore", "Cannot join columns with the same name", UserWarning)
            mdata = md.read_h5mu(path, backed="r" if backed else None)
            _upgrade_feature_names(mdata, path)
    except (OSError, KeyError, ValueError, TypeError) as err:
        raise InputError(
            f"not a readable .h5mu cohort ({type(err).__name__}: {err})",
            source=path,
            fix="the file may be truncated or of another format; rebuild it with `omicsdl ingest`",
        ) from err
    _check_survival(mdata.obs, str(path))  # before dtypes are restored (2 would become True)
    _restore_dtypes(mdata.obs)
    validate_cohort(mdata, require_survival=require_survival, source=str(path))
    return mdata


def _upgrade_feature_names(mdata: MuData, path: Path) -> None:
    """Give a cohort written before schema version 2 its modality-prefixed feature names."""
    renamed = []
    for name, adata in mdata.mod.items():
        head = f"{name}{FEATURE_SEP}"
        if "symbol" not in adata.var.columns or not all(str(n).startswith(head) for n in adata.var_names):
            prefix_features(adata, name)
            renamed.append(name)
    if renamed:
        import pandas as pd

        # the old global index repeated symbols; start it afresh so MuData maps each name to one omic
        names = np.concatenate([np.asarray(a.var_names, dtype=object) for a in mdata.mod.values()])
        mdata._var = pd.DataFrame(index=pd.Index(names))
        mdata.update()
        meta = mdata.uns.get("omicsdl")
        if isinstance(meta, dict):
            meta["schema_version"] = SCHEMA_VERSION
        logger.info(
            "%s: written by an older omicsdl; feature names of %s now carry the modality (rna:ACAT1)",
            path,
            ", ".join(renamed),
        )


def load_cohort(
    cohort: str | os.PathLike[str], *, require_survival: bool = False, backed: bool = False
) -> MuData:
    """The embedded TCGA-LIHC demo cohort for ``"demo"``, else the cohort ``.h5mu`` file (validated).

    Parameters
    ----------
    cohort
        ``"demo"`` or the path of an ``.h5mu`` written by :func:`write_h5mu`
        (``omicsdl ingest``).
    require_survival
        Refuse a file whose patients lack overall survival.
    backed
        Leave a file's matrices on disk (see :func:`read_h5mu`).

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
    return read_h5mu(path, require_survival=require_survival, backed=backed)

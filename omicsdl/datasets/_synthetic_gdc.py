"""SYNTHETIC GDC project files at any width, in the exact GDC formats, for tests and benchmarks.

:func:`write_synthetic_gdc` writes, in the GDC client's layout ``<file_id>/<file_name>``,
one file per aliquot (or patient) of

- ``rna``: STAR - Counts (``*.rna_seq.augmented_star_gene_counts.tsv``: the
  ``# gene-model`` line, the 9-column header, the four ``N_*`` rows, one row per gene);
- ``mirna``: BCGSC miRNA quantification (``*.mirbase21.mirnas.quantification.txt``);
- ``methylation``: SeSAMe level-3 betas (``*.methylation_array.sesame.level3betas.txt``,
  headerless ``probe<TAB>beta`` with ``NA``);
- ``clinical``: BCR clinical XML (``nationwidechildrens.org_clinical.TCGA-XX-XXXX.xml``)
  with the elements :func:`omicsdl.io.read_tcga_clinical_xml` reads,

and the ``files`` endpoint record of each (file id, name, md5, size, data type,
workflow, project, aliquot barcode) — what a GDC-like test server serves.
**Every value is simulated**: every file name starts with ``SYNTHETIC``, every
record carries ``"synthetic": true``, and the XML says so in a comment. Patient
barcodes are made up (``TCGA-S0-0001``); they are not TCGA participants.

The simulation (documented so tests can check what was planted): each patient
belongs to one of three subtypes with log-hazard ``-0.7, 0, 0.9`` (plus
N(0, 0.3²) noise); overall survival is exponential with that hazard (median
about 600 days in the middle subtype), censored uniformly in 30–3,000 days.
``modules`` (gene-symbol lists) share one latent factor each: the factor of the
first module is the patient's log-hazard plus N(0, 1) noise, the others are pure
noise, loaded at 0.9 on log2 expression, so the first module is prognostic and
correlated within prognosis groups. miRNAs 0–9 and the first probes carry the same
factor (methylation with the opposite sign). Counts are Poisson; TPM, FPKM and RPM
are computed from them exactly as their definitions say, so the readers' unit
checks hold.

Text is formatted with NumPy (fixed-width digits joined as bytes), so a
full-width project (366 patients × 60,660 genes + 485,577 probes) is written in
a few minutes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["SyntheticGdc", "write_probe_map", "write_records", "write_synthetic_gdc"]

DATA_TYPES = ("rna", "mirna", "methylation", "clinical")

#: per data type: file-name ending and barcode parts (the query fields come from omicsdl.io.GDC_QUERIES)
_FILES: dict[str, dict[str, str]] = {
    "rna": {
        "suffix": ".rna_seq.augmented_star_gene_counts.tsv",
        "data_format": "TSV",
        "experimental_strategy": "RNA-Seq",
        "analyte": "R",
        "center": "07",
    },
    "mirna": {
        "suffix": ".mirbase21.mirnas.quantification.txt",
        "data_format": "TXT",
        "experimental_strategy": "miRNA-Seq",
        "analyte": "R",
        "center": "13",
    },
    "methylation": {
        "suffix": ".methylation_array.sesame.level3betas.txt",
        "data_format": "TXT",
        "experimental_strategy": "Methylation Array",
        "analyte": "D",
        "center": "05",
    },
    "clinical": {"suffix": ".xml", "data_format": "BCR XML"},
}


def _spec(data_type: str) -> dict[str, str]:
    from omicsdl.io._fetch_query import GDC_QUERIES

    return {**GDC_QUERIES[data_type], **_FILES[data_type]}


_STAR_HEADER = (
    "gene_id\tgene_name\tgene_type\tunstranded\tstranded_first\tstranded_second\t"
    "tpm_unstranded\tfpkm_unstranded\tfpkm_uq_unstranded"
)
_SUBTYPE_HAZARD = np.array([-0.7, 0.0, 0.9])


@dataclass
class SyntheticGdc:
    """What :func:`write_synthetic_gdc` wrote (SYNTHETIC data).

    Attributes
    ----------
    folder
        The files, in the GDC client layout ``<file_id>/<file_name>``.
    records
        The ``files`` endpoint record of every file (``file_id``, ``file_name``,
        ``md5sum``, ``file_size``, ``data_type``, ``analysis.workflow_type``,
        ``cases[0].project.project_id``, ``associated_entities`` …).
    patients
        Per patient: ``subtype``, ``log_hazard``, ``os_days``, ``os_event`` (the truth).
    modules
        The planted gene modules (gene symbols); the first is prognostic.
    """

    folder: Path
    records: list[dict[str, Any]]
    patients: pd.DataFrame
    modules: list[list[str]] = field(default_factory=list)

    def path(self, record: dict[str, Any]) -> Path:
        """Where the file of ``record`` is."""
        return self.folder / record["file_id"] / record["file_name"]

    def of_type(self, data_type: str) -> list[dict[str, Any]]:
        """The records of one omicsdl data type (``rna``, ``mirna``, ``methylation``, ``clinical``)."""
        return [r for r in self.records if r["omicsdl_data_type"] == data_type]


# -- fast fixed-width text -------------------------------------------------------------------------


def _uint_chars(values: np.ndarray) -> np.ndarray:
    """Decimal digits of non-negative integers, right-aligned, NUL-padded: (n, width) uint8."""
    v = np.asarray(values, dtype=np.int64)
    width = max(1, len(str(int(v.max())))) if v.size else 1
    digits = (v[:, None] // (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))) % 10
    chars = (digits + 48).astype(np.uint8)
    seen = np.maximum.accumulate(digits != 0, axis=1)
    seen[:, -1] = True
    chars[~seen] = 0
    return chars


def _fixed_chars(values: np.ndarray, decimals: int) -> np.ndarray:
    """``values`` (>= 0) with exactly ``decimals`` decimals: (n, width) uint8, NUL-padded."""
    scaled = np.rint(np.asarray(values, dtype=np.float64) * 10**decimals).astype(np.int64)
    whole = _uint_chars(scaled // 10**decimals)
    frac = scaled % 10**decimals
    frac_digits = (frac[:, None] // (10 ** np.arange(decimals - 1, -1, -1, dtype=np.int64))) % 10
    dot = np.full((len(scaled), 1), ord("."), dtype=np.uint8)
    return np.hstack([whole, dot, (frac_digits + 48).astype(np.uint8)])


def _text_chars(texts: Sequence[str]) -> np.ndarray:
    """Strings as a NUL-padded (n, width) uint8 array."""
    encoded = np.array([t.encode() for t in texts], dtype=bytes)
    width = max(1, encoded.dtype.itemsize)
    return encoded.astype(f"S{width}").view(np.uint8).reshape(len(texts), width)


def _rows(columns: Sequence[np.ndarray]) -> bytes:
    """Tab-separated rows from per-column (n, width) uint8 arrays; NUL padding removed."""
    n = len(columns[0])
    tab = np.full((n, 1), 9, dtype=np.uint8)
    newline = np.full((n, 1), 10, dtype=np.uint8)
    parts: list[np.ndarray] = []
    for k, column in enumerate(columns):
        parts.append(column)
        parts.append(tab if k < len(columns) - 1 else newline)
    return np.hstack(parts).tobytes().replace(b"\x00", b"")


# -- the simulation ----------------------------------------------------------------------------------


def _patients(project: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    subtype = rng.choice(3, size=n, p=[0.4, 0.35, 0.25])
    log_hazard = _SUBTYPE_HAZARD[subtype] + rng.normal(0, 0.3, size=n)
    rate = np.log(2) / 1500 * np.exp(log_hazard)
    death = rng.exponential(1 / rate)
    censor = rng.uniform(30, 3000, size=n)
    os_days = np.maximum(1, np.rint(np.minimum(death, censor))).astype(int)
    tss = [f"S{k % 10}" for k in range(n)]
    ids = [f"TCGA-{t}-{k + 1:04d}" for k, t in enumerate(tss)]
    return pd.DataFrame(
        {
            "subtype": subtype,
            "log_hazard": log_hazard,
            "os_days": os_days,
            "os_event": death <= censor,
            "age": rng.integers(25, 86, size=n),
            "sex": rng.choice(["MALE", "FEMALE"], size=n, p=[0.68, 0.32]),
            "stage": rng.choice(["Stage I", "Stage II", "Stage IIIA", "Stage IV"], size=n),
            "grade": rng.choice(["G1", "G2", "G3", "G4"], size=n),
            "project": project,
        },
        index=pd.Index(ids, name="patient"),
    )


def _factors(patients: pd.DataFrame, n_modules: int, rng: np.random.Generator) -> np.ndarray:
    """Patients × modules latent factors; the first follows the log-hazard."""
    n = len(patients)
    factors = rng.normal(0, 1, size=(n, max(1, n_modules)))
    hazard = patients["log_hazard"].to_numpy()
    factors[:, 0] = (hazard - hazard.mean()) / (hazard.std() + 1e-12) + rng.normal(0, 1, size=n)
    return factors


def _star_bytes(genes: pd.DataFrame, log_expr: np.ndarray, depth: float, rng: np.random.Generator) -> bytes:
    lengths = genes["length_kb"].to_numpy()
    share = np.exp2(log_expr) * lengths
    counts = rng.poisson(share / share.sum() * depth)
    first = rng.binomial(counts, 0.5)
    rate = counts / lengths
    total_rate = rate.sum()
    tpm = rate / total_rate * 1e6 if total_rate else np.zeros_like(rate)
    fpkm = counts / lengths / max(counts.sum(), 1) * 1e6
    upper = np.quantile(counts[counts > 0], 0.75) if (counts > 0).any() else 1.0
    fpkm_uq = counts / lengths / max(upper, 1.0) * 1e3
    summary = rng.integers(100_000, 5_000_000, size=(4, 3))
    lines = ["# gene-model: GENCODE v36", _STAR_HEADER]
    for label, row in zip(
        ("N_unmapped", "N_multimapping", "N_noFeature", "N_ambiguous"), summary, strict=True
    ):
        lines.append(f"{label}\t\t\t" + "\t".join(str(int(v)) for v in row) + "\t\t\t")
    head = ("\n".join(lines) + "\n").encode()
    body = _rows(
        [
            genes.attrs["prefix"],
            _uint_chars(counts),
            _uint_chars(first),
            _uint_chars(counts - first),
            _fixed_chars(tpm, 4),
            _fixed_chars(fpkm, 4),
            _fixed_chars(fpkm_uq, 4),
        ]
    )
    return head + body


def _mirna_bytes(ids: np.ndarray, cross: np.ndarray, log_expr: np.ndarray, rng: np.random.Generator) -> bytes:
    counts = rng.poisson(np.exp2(log_expr))
    total = max(int(counts.sum()), 1)
    rpm = counts / total * 1e6
    body = _rows([ids, _uint_chars(counts), _fixed_chars(rpm, 6), cross])
    return b"miRNA_ID\tread_count\treads_per_million_miRNA_mapped\tcross-mapped\n" + body


def _sesame_bytes(probes: np.ndarray, beta: np.ndarray, masked: np.ndarray) -> bytes:
    values = _fixed_chars(np.clip(beta, 0, 1), 6)
    values[masked] = 0
    values[masked, 0] = ord("N")
    values[masked, 1] = ord("A")
    return _rows([probes, values])


def _xml_bytes(patient: str, row: pd.Series, disease: str) -> bytes:
    code = disease.lower()
    tss, participant = patient.split("-")[1:3]
    died = bool(row["os_event"])
    death = f"{int(row['os_days'])}" if died else ""
    contact = "" if died else f"{int(row['os_days'])}"
    status = "Dead" if died else "Alive"
    # the patient block states enrolment; the follow-up has the latest status (as in real records)
    enrol_contact = max(1, int(row["os_days"]) // 3)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC record written by omicsdl.datasets.write_synthetic_gdc: not a TCGA participant -->
<{code}:tcga_bcr xmlns:{code}="http://tcga.nci/bcr/xml/clinical/{code}/2.7" xmlns:admin="http://tcga.nci/bcr/xml/administration/2.7" xmlns:shared="http://tcga.nci/bcr/xml/shared/2.7" xmlns:clin_shared="http://tcga.nci/bcr/xml/clinical/shared/2.7" xmlns:shared_stage="http://tcga.nci/bcr/xml/clinical/shared/stage/2.7" xmlns:follow_up_v4.0="http://tcga.nci/bcr/xml/clinical/{code}/followup/2.7/4.0" schemaVersion="2.7">
    <admin:admin>
        <admin:bcr xsd_ver="1.17">Nationwide Children's Hospital</admin:bcr>
        <admin:project_code xsd_ver="2.7">TCGA</admin:project_code>
        <admin:disease_code xsd_ver="2.6">{disease}</admin:disease_code>
    </admin:admin>
    <{code}:patient>
        <shared:tissue_source_site>{tss}</shared:tissue_source_site>
        <shared:patient_id>{participant}</shared:patient_id>
        <shared:bcr_patient_barcode>{patient}</shared:bcr_patient_barcode>
        <shared:gender>{row["sex"]}</shared:gender>
        <clin_shared:vital_status>Alive</clin_shared:vital_status>
        <clin_shared:days_to_last_followup>{enrol_contact}</clin_shared:days_to_last_followup>
        <clin_shared:days_to_death/>
        <shared:neoplasm_histologic_grade>{row["grade"]}</shared:neoplasm_histologic_grade>
        <shared_stage:stage_event system="AJCC">
            <shared_stage:pathologic_stage>{row["stage"]}</shared_stage:pathologic_stage>
        </shared_stage:stage_event>
        <clin_shared:age_at_initial_pathologic_diagnosis>{int(row["age"])}</clin_shared:age_at_initial_pathologic_diagnosis>
        <{code}:follow_ups>
            <follow_up_v4.0:follow_up version="4.0" sequence="1">
                <clin_shared:vital_status>{status}</clin_shared:vital_status>
                <clin_shared:days_to_last_followup>{contact}</clin_shared:days_to_last_followup>
                <clin_shared:days_to_death>{death}</clin_shared:days_to_death>
            </follow_up_v4.0:follow_up>
        </{code}:follow_ups>
    </{code}:patient>
</{code}:tcga_bcr>
"""
    return text.encode()


def _aliquots(
    patients: pd.Index, data_type: str, rng: np.random.Generator, *, n_normals: int, n_duplicates: int
) -> list[tuple[str, str]]:
    """(patient, aliquot barcode) per file: one primary tumour each, some normals and duplicates."""
    spec = _spec(data_type)
    plate = {"rna": "A39D", "mirna": "A39E", "methylation": "A39F"}[data_type]
    tail = f"{spec['analyte']}-{plate}-{spec['center']}"
    out = [(p, f"{p}-01A-11{tail}") for p in patients]
    normals = patients[: min(n_normals, len(patients))]
    out += [(p, f"{p}-11A-11{tail}") for p in normals]
    dups = patients[len(patients) - min(n_duplicates, len(patients)) :]
    out += [(p, f"{p}-01B-21{tail}") for p in dups]
    return out


def write_synthetic_gdc(
    out: str | os.PathLike[str],
    *,
    project: str = "TCGA-LIHC",
    n_patients: int = 40,
    n_genes: int = 2_000,
    n_probes: int = 3_000,
    n_mirnas: int = 300,
    data_types: Sequence[str] = DATA_TYPES,
    gene_symbols: Sequence[str] | None = None,
    mirna_ids: Sequence[str] | None = None,
    modules: Sequence[Sequence[str]] | None = None,
    n_normals: int = 2,
    n_duplicates: int = 1,
    real_patients: Sequence[str] = (),
    rng: int | np.random.Generator | None = 0,
) -> SyntheticGdc:
    """Write a SYNTHETIC GDC project (see the module docstring for formats and the simulation).

    Parameters
    ----------
    out
        Folder for the files (GDC client layout; created).
    project
        GDC project id, ``TCGA-<DISEASE>``; goes into the records, barcodes' XML and the query fields.
    n_patients
        Patients with a primary tumour in every data type and a clinical record.
    n_genes, n_probes, n_mirnas
        Rows of the STAR, SeSAMe and miRNA files (full width: 60,660, 485,577 and 1,881).
    data_types
        Which of ``rna``, ``mirna``, ``methylation``, ``clinical`` to write.
    gene_symbols
        Symbols of the first genes (e.g. a network's genes, so G2Vec can map them);
        the rest are named ``SYNTH<k>``.
    mirna_ids
        miRNA ids (e.g. the 1,881 of real GDC files, so real and synthetic files
        can be read together); by default ``hsa-mir-synth-<k>``.
    modules
        Planted gene modules (symbols among the genes); by default two modules
        of 15 consecutive genes. The first is prognostic.
    n_normals
        Patients that also have a solid-tissue normal sample (``11A``) per omic.
    n_duplicates
        Patients that also have a second primary aliquot (``01B``) per omic.
    real_patients
        Barcodes of patients whose miRNA and clinical files are real and served
        beside these (e.g. the committed TCGA fixtures): they get SYNTHETIC rna and
        methylation files only, and no simulated survival.
    rng
        Seed or generator (``None``: ``omicsdl.settings.seed``).

    Returns
    -------
    The folder, the ``files`` records, the patients' planted truth and the modules.
    """
    from omicsdl._core._random import as_generator

    generator = as_generator(rng)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    disease = project.split("-", 1)[1] if "-" in project else project
    unknown = sorted(set(data_types) - set(DATA_TYPES))
    if unknown:
        msg = f"unknown data type(s) {unknown}; choose from {', '.join(DATA_TYPES)}"
        raise ValueError(msg)
    patients = _patients(project, n_patients, generator)
    real = pd.DataFrame(index=pd.Index(list(real_patients), name="patient"))
    genes = _genes(n_genes, gene_symbols, generator)
    if modules is None:
        start = min(len(gene_symbols or ()), max(0, n_genes - 30))
        modules = [list(genes.index[start : start + 15]), list(genes.index[start + 15 : start + 30])]
    modules = [[g for g in m if g in genes.index] for m in modules]
    factors = _factors(pd.concat([patients, real]).fillna({"log_hazard": 0.0}), len(modules), generator)
    everyone = patients.index.append(real.index)
    writer = _Writer(folder, project, generator)
    for data_type in data_types:
        if data_type == "clinical":
            for patient, row in patients.iterrows():
                name = f"SYNTHETIC.nationwidechildrens.org_clinical.{patient}.xml"
                writer.write("clinical", patient, None, name, _xml_bytes(str(patient), row, disease))
            continue
        owners = everyone if data_type in ("rna", "methylation") else patients.index
        for patient, barcode in _aliquots(
            owners, data_type, generator, n_normals=n_normals, n_duplicates=n_duplicates
        ):
            k = everyone.get_loc(patient)
            writer.write_omic(
                data_type, patient, barcode, factors[k], genes, modules, n_probes, n_mirnas, mirna_ids
            )
    return SyntheticGdc(folder=folder, records=writer.records, patients=patients, modules=modules)


def _genes(n_genes: int, symbols: Sequence[str] | None, rng: np.random.Generator) -> pd.DataFrame:
    known = list(dict.fromkeys(symbols or ()))[:n_genes]
    names = known + [f"SYNTH{k}" for k in range(n_genes - len(known))]
    ids = [f"ENSG9{k:010d}.{1 + k % 7}" for k in range(n_genes)]
    gene_type = np.where(rng.uniform(size=n_genes) < 0.35, "protein_coding", "lncRNA")
    gene_type[: len(known)] = "protein_coding"
    # a third of the genes (non-coding mostly) are barely expressed, as in real STAR files
    base = np.where(
        gene_type == "protein_coding", rng.normal(3.0, 2.0, n_genes), rng.normal(-3.0, 2.0, n_genes)
    )
    table = pd.DataFrame(
        {
            "gene_id": ids,
            "gene_type": gene_type,
            "length_kb": rng.uniform(0.5, 8.0, size=n_genes),
            "base": base,
        },
        index=pd.Index(names, name="gene_name"),
    )
    table.attrs["prefix"] = _text_chars(
        [f"{i}\t{n}\t{t}" for i, n, t in zip(ids, names, gene_type, strict=True)]
    )
    return table


class _Writer:
    """Writes files in GDC layout and collects their ``files`` records."""

    def __init__(self, folder: Path, project: str, rng: np.random.Generator) -> None:
        self.folder = folder
        self.project = project
        self.rng = rng
        self.records: list[dict[str, Any]] = []
        self._probes: np.ndarray | None = None
        self._mirna: tuple[np.ndarray, np.ndarray] | None = None
        self._mirna_base: np.ndarray | None = None
        self._probe_base: np.ndarray | None = None

    def _uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def write(self, data_type: str, patient: str, barcode: str | None, name: str, data: bytes) -> None:
        file_id = self._uuid()
        path = self.folder / file_id / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        spec = _spec(data_type)
        record: dict[str, Any] = {
            "file_id": file_id,
            "file_name": name,
            "md5sum": hashlib.md5(data, usedforsecurity=False).hexdigest(),
            "file_size": len(data),
            "state": "released",
            "access": "open",
            "data_category": spec["data_category"],
            "data_type": spec["data_type"],
            "data_format": spec["data_format"],
            "cases": [{"submitter_id": patient, "project": {"project_id": self.project}}],
            "associated_entities": [
                {
                    "entity_submitter_id": barcode or patient,
                    "entity_type": "aliquot" if barcode else "case",
                    "case_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"omicsdl-synthetic/{patient}")),
                }
            ],
            "synthetic": True,
            "omicsdl_data_type": data_type,
        }
        for key in ("experimental_strategy", "platform"):
            if key in spec:
                record[key] = spec[key]
        if "workflow_type" in spec:
            record["analysis"] = {"workflow_type": spec["workflow_type"]}
        self.records.append(record)

    def write_omic(
        self,
        data_type: str,
        patient: str,
        barcode: str,
        factor: np.ndarray,
        genes: pd.DataFrame,
        modules: Sequence[Sequence[str]],
        n_probes: int,
        n_mirnas: int,
        mirna_ids: Sequence[str] | None,
    ) -> None:
        rng = self.rng
        name = f"SYNTHETIC-{self._uuid()}{_FILES[data_type]['suffix']}"
        if data_type == "rna":
            log_expr = genes["base"].to_numpy() + rng.normal(0, 0.5, size=len(genes))
            for k, module in enumerate(modules):
                rows = genes.index.get_indexer(module)
                log_expr[rows] += 0.9 * factor[k] + rng.normal(0, 0.2, size=len(rows))
            data = _star_bytes(genes, log_expr, depth=float(rng.uniform(2e7, 6e7)), rng=rng)
        elif data_type == "mirna":
            ids, cross = self._mirnas(n_mirnas, mirna_ids)
            log_expr = self._mirna_base + rng.normal(0, 0.5, size=len(ids))
            log_expr[:10] += 0.9 * factor[0]
            data = _mirna_bytes(ids, cross, log_expr, rng)
        else:
            probes = self._probe_ids(n_probes)
            logit = self._probe_base + rng.normal(0, 0.4, size=len(self._probe_base))
            linked = min(50, len(logit))
            logit[:linked] -= 0.9 * factor[0]
            beta = 1 / (1 + np.exp(-logit))
            data = _sesame_bytes(probes, beta, rng.uniform(size=len(beta)) < 0.01)
        self.write(data_type, patient, barcode, name, data)

    def _mirnas(self, n: int, given: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
        if self._mirna is None:
            ids = list(given) if given is not None else [f"hsa-mir-synth-{k + 1}" for k in range(n)]
            cross = np.where(self.rng.uniform(size=len(ids)) < 0.02, "Y", "N")
            self._mirna = (_text_chars(ids), _text_chars(list(cross)))
            self._mirna_base = self.rng.normal(6.0, 3.0, size=len(ids))
        return self._mirna

    def _probe_ids(self, n: int) -> np.ndarray:
        if self._probes is None:
            numbers = np.sort(self.rng.choice(28_000_000, size=n, replace=False))
            self._probes = _text_chars([f"cg{k:08d}" for k in numbers])
            # bimodal methylation: most probes low or high, as on 450k arrays
            self._probe_base = np.where(
                self.rng.uniform(size=n) < 0.5, self.rng.normal(-2.2, 0.6, n), self.rng.normal(2.0, 0.6, n)
            )
        return self._probes


def write_records(synthetic: SyntheticGdc, path: str | os.PathLike[str]) -> Path:
    """Write the ``files`` records as JSON (what a test server loads)."""
    target = Path(path)
    target.write_text(json.dumps(synthetic.records))
    return target


def write_probe_map(
    path: str | os.PathLike[str],
    probes: Sequence[str],
    genes: Sequence[str],
    *,
    mapped: float = 0.55,
    rng: int | np.random.Generator | None = 0,
) -> Path:
    """A SYNTHETIC probe → gene table (``probe_id<TAB>gene``) for the probes of synthetic SeSAMe files.

    ``mapped`` of the probes (as a promoter map keeps about half the 450k
    probes) are assigned to genes at random, a few probes per gene; the first
    50 probes (those carrying the planted factor) go to the first gene.

    Parameters
    ----------
    path
        The table to write.
    probes
        Probe ids (e.g. the first column of a synthetic SeSAMe file).
    genes
        Gene symbols to map to.
    mapped
        Share of the probes that map to a gene.
    rng
        Seed or generator.
    """
    from omicsdl._core._random import as_generator

    generator = as_generator(rng)
    probes = list(probes)
    chosen = np.flatnonzero(generator.uniform(size=len(probes)) < mapped)
    gene_of = generator.integers(0, len(genes), size=len(chosen))
    rows = [f"{probes[k]}\t{genes[0] if k < 50 else genes[g]}" for k, g in zip(chosen, gene_of, strict=True)]
    target = Path(path)
    target.write_text("probe_id\tgene\n" + "\n".join(rows) + "\n")
    return target

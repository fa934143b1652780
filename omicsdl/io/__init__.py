"""Readers and writers: TCGA barcodes, cohorts as MuData ``.h5mu``."""

from __future__ import annotations

from omicsdl.io._barcodes import (
    SAMPLE_TYPES,
    Barcode,
    choose_one_aliquot,
    parse_barcode,
    patient_barcode,
    sample_type_code,
)
from omicsdl.io._cohort import (
    CLINICAL_COLUMNS,
    KNOWN_MODALITIES,
    SCHEMA_VERSION,
    make_cohort,
    new_mudata,
    read_h5mu,
    validate_cohort,
    write_h5mu,
)
from omicsdl.io._network import NetworkReadReport, read_id_map, read_network

__all__ = [
    "CLINICAL_COLUMNS",
    "KNOWN_MODALITIES",
    "SAMPLE_TYPES",
    "SCHEMA_VERSION",
    "Barcode",
    "NetworkReadReport",
    "choose_one_aliquot",
    "make_cohort",
    "new_mudata",
    "parse_barcode",
    "patient_barcode",
    "read_h5mu",
    "read_id_map",
    "read_network",
    "sample_type_code",
    "validate_cohort",
    "write_h5mu",
]

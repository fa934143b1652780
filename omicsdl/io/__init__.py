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

__all__ = [
    "CLINICAL_COLUMNS",
    "KNOWN_MODALITIES",
    "SAMPLE_TYPES",
    "SCHEMA_VERSION",
    "Barcode",
    "choose_one_aliquot",
    "make_cohort",
    "new_mudata",
    "parse_barcode",
    "patient_barcode",
    "read_h5mu",
    "sample_type_code",
    "validate_cohort",
    "write_h5mu",
]

from omicsdl.io._geo import collapse_probes, read_geo_platform, read_geo_series_matrix

__all__ += ["collapse_probes", "read_geo_platform", "read_geo_series_matrix"]

from omicsdl.io._qpcr import read_expression_csv, read_qpcr_table  # noqa: E402

__all__ += ["read_expression_csv", "read_qpcr_table"]

from omicsdl.io._blood_input import BLOOD_INPUT_FORMATS, attach_labels, read_blood_expression  # noqa: E402

__all__ += ["BLOOD_INPUT_FORMATS", "attach_labels", "read_blood_expression"]

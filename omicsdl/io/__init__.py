"""Readers and writers: TCGA/GDC files, GEO and qPCR tables, networks, cohorts as MuData ``.h5mu``.

Every reader turns bad input into one :class:`omicsdl.InputError` naming the
file, the line or sample, and the fix. Readers never import a model.
"""

from __future__ import annotations

from omicsdl.io._barcodes import (
    SAMPLE_TYPES,
    Barcode,
    choose_one_aliquot,
    parse_barcode,
    patient_barcode,
    sample_type_code,
)
from omicsdl.io._clinical_tables import read_survival
from omicsdl.io._clinical_xml import read_tcga_clinical_xml
from omicsdl.io._cohort import (
    CLINICAL_COLUMNS,
    KNOWN_MODALITIES,
    SCHEMA_VERSION,
    describe_cohort,
    load_cohort,
    make_cohort,
    new_mudata,
    read_h5mu,
    validate_cohort,
    write_h5mu,
)
from omicsdl.io._cohort_qc import check_cohort_size, cohort_qc
from omicsdl.io._ct import check_not_ct
from omicsdl.io._features import (
    FEATURE_SEP,
    feature_symbols,
    index_by_symbol,
    match_features,
    prefix_features,
    unprefixed,
)
from omicsdl.io._fetch_gdc import DEFAULT_GDC_URL, FetchResult, fetch_gdc, fetch_gdc_metadata
from omicsdl.io._fetch_manifest import (
    ManifestChange,
    ManifestEntry,
    check_manifest_files,
    read_gdc_manifest,
    update_gdc_manifest,
    write_gdc_manifest,
)
from omicsdl.io._fetch_query import (
    GDC_QUERIES,
    GdcQueryRun,
    fetch_gdc_query,
    query_gdc_manifest,
    read_gdc_query,
)
from omicsdl.io._gdc_metadata import read_gdc_metadata
from omicsdl.io._gdc_methylation import aggregate_probes, read_gdc_methylation, read_probe_map
from omicsdl.io._gdc_mirna import read_gdc_mirna
from omicsdl.io._gdc_star import read_gdc_star_counts
from omicsdl.io._geo import collapse_probes, read_geo_platform, read_geo_series_matrix
from omicsdl.io._matrix import read_matrix
from omicsdl.io._network import NetworkReadReport, read_id_map, read_network
from omicsdl.io._qpcr import read_expression_csv, read_qpcr_table
from omicsdl.io._read_cohort import dropped_table, ingest_summary, read_clinical, read_cohort
from omicsdl.io._select_samples import select_samples

__all__ = [
    "CLINICAL_COLUMNS",
    "DEFAULT_GDC_URL",
    "FEATURE_SEP",
    "GDC_QUERIES",
    "KNOWN_MODALITIES",
    "SAMPLE_TYPES",
    "SCHEMA_VERSION",
    "Barcode",
    "FetchResult",
    "GdcQueryRun",
    "ManifestChange",
    "ManifestEntry",
    "NetworkReadReport",
    "aggregate_probes",
    "check_cohort_size",
    "check_manifest_files",
    "check_not_ct",
    "choose_one_aliquot",
    "cohort_qc",
    "collapse_probes",
    "describe_cohort",
    "dropped_table",
    "feature_symbols",
    "fetch_gdc",
    "fetch_gdc_metadata",
    "fetch_gdc_query",
    "index_by_symbol",
    "ingest_summary",
    "load_cohort",
    "make_cohort",
    "match_features",
    "new_mudata",
    "parse_barcode",
    "patient_barcode",
    "prefix_features",
    "query_gdc_manifest",
    "read_clinical",
    "read_cohort",
    "read_expression_csv",
    "read_gdc_manifest",
    "read_gdc_metadata",
    "read_gdc_methylation",
    "read_gdc_mirna",
    "read_gdc_query",
    "read_gdc_star_counts",
    "read_geo_platform",
    "read_geo_series_matrix",
    "read_h5mu",
    "read_id_map",
    "read_matrix",
    "read_network",
    "read_probe_map",
    "read_qpcr_table",
    "read_survival",
    "read_tcga_clinical_xml",
    "sample_type_code",
    "select_samples",
    "unprefixed",
    "update_gdc_manifest",
    "validate_cohort",
    "write_gdc_manifest",
    "write_h5mu",
]

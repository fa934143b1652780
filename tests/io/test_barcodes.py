from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omicsdl import InputError
from omicsdl.io import choose_one_aliquot, parse_barcode, patient_barcode, sample_type_code

ALNUM = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=1)


def test_parse_full_aliquot():
    code = parse_barcode("TCGA-CC-A5UE-01A-11R-A28Z-13")
    assert code.patient == "TCGA-CC-A5UE"
    assert code.sample == "01"
    assert code.vial == "A"
    assert code.portion == "11"
    assert code.analyte == "R"
    assert code.plate == "A28Z"
    assert code.center == "13"
    assert code.level == "aliquot"
    assert code.sample_type == "Primary Solid Tumor"
    assert str(code) == "TCGA-CC-A5UE-01A-11R-A28Z-13"


@pytest.mark.parametrize(
    ("text", "patient", "sample", "level"),
    [
        ("TCGA.2V.A95S.01", "TCGA-2V-A95S", "01", "sample"),
        ("tcga-2v-a95s-11A", "TCGA-2V-A95S", "11", "sample"),
        ("TCGA-2V-A95S", "TCGA-2V-A95S", None, "patient"),
        ("TCGA-DD-AADB-06A-11R", "TCGA-DD-AADB", "06", "portion"),
    ],
)
def test_dots_dashes_and_levels(text, patient, sample, level):
    code = parse_barcode(text)
    assert code.patient == patient
    assert code.sample == sample
    assert code.level == level


@pytest.mark.parametrize("bad", ["", "TCGA-2V", "A17", "TCGA-2V-A95S-1", "GTEX-1117F-0003"])
def test_bad_barcode_names_the_id_and_the_fix(bad):
    with pytest.raises(InputError, match="not a TCGA barcode") as info:
        parse_barcode(bad, source="matrix.tsv")
    assert "matrix.tsv" in str(info.value)
    assert "fix:" in str(info.value)


@given(
    tss=st.tuples(ALNUM, ALNUM),
    part=st.tuples(ALNUM, ALNUM, ALNUM, ALNUM),
    sample=st.sampled_from(["01", "02", "06", "11"]),
    vial=st.sampled_from("ABCD"),
    sep=st.sampled_from("-."),
)
def test_barcode_roundtrip_property(tss, part, sample, vial, sep):
    text = sep.join(["TCGA", "".join(tss), "".join(part), sample + vial])
    code = parse_barcode(text)
    assert code.patient == f"TCGA-{''.join(tss)}-{''.join(part)}"
    assert len(code.patient) == 12
    assert parse_barcode(str(code)) == code
    assert patient_barcode(text) == code.patient
    assert sample_type_code(text) == sample


def test_choose_one_aliquot_prefers_primary_then_vial_then_latest_plate():
    chosen = choose_one_aliquot(
        [
            "TCGA-AA-0001-11A-01R-A001-13",
            "TCGA-AA-0001-01B-01R-A001-13",
            "TCGA-AA-0001-01A-01R-A001-13",
            "TCGA-AA-0001-01A-01R-A0ZZ-13",
            "TCGA-AA-0002-02A-01R-A001-13",
        ]
    )
    assert chosen == {
        "TCGA-AA-0001": "TCGA-AA-0001-01A-01R-A0ZZ-13",
        "TCGA-AA-0002": "TCGA-AA-0002-02A-01R-A001-13",
    }


@given(st.permutations(["TCGA-AA-0001-11A", "TCGA-AA-0001-01B", "TCGA-AA-0001-01A", "TCGA-AA-0001-06A"]))
def test_choose_one_aliquot_is_order_independent(order):
    assert choose_one_aliquot(order) == {"TCGA-AA-0001": "TCGA-AA-0001-01A"}

"""BCR clinical XML: OS from the latest follow-up; agreement with matched/survival.tsv."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io._clinical_xml import read_tcga_clinical_xml


@pytest.fixture
def xml_dir(test_data):
    return test_data / "io" / "gdc_clinical_xml"


def test_death_recorded_only_in_a_follow_up_is_found(xml_dir):
    clinical = read_tcga_clinical_xml(xml_dir, project="TCGA-LIHC")
    assert list(clinical.index) == ["TCGA-EP-A2KA", "TCGA-BC-A10Q"]
    # TCGA-EP-A2KA: patient block "Alive, 111 days"; follow-up #1 "Alive, 357"; follow-up #2 "Dead, 627"
    row = clinical.loc["TCGA-EP-A2KA"]
    assert row["os_event"]
    assert row["os_days"] == 627
    assert row["os_source"] == "follow_up v4.0 #2"
    assert row["n_follow_ups"] == 2
    row = clinical.loc["TCGA-BC-A10Q"]
    assert row["os_event"]
    assert row["os_days"] == 1135
    # stage and grade are empty elements in this record: missing, not guessed
    assert pd.isna(row["stage"])
    assert pd.isna(row["grade"])
    assert (row["sex"], row["age"]) == ("female", 72)
    row = clinical.loc["TCGA-EP-A2KA"]
    assert (row["stage"], row["grade"], row["sex"], row["age"]) == ("III", "G3", "female", 52)


def test_60_xmls_agree_with_matched_survival(shared_data):
    lihc = shared_data / "tcga_lihc"
    clinical = read_tcga_clinical_xml(lihc / "gdc_clinical_xml", project="TCGA-LIHC")
    assert len(clinical) == 60
    surv = pd.read_csv(lihc / "matched" / "survival.tsv", sep="\t")
    surv.index = surv["Samples"].str.replace(".", "-").str[:12]
    both = clinical.join(surv, how="inner")
    assert len(both) == 60
    same = (both["os_days"] == both["days"]) & (both["os_event"].astype("float") == both["event"])
    assert int(same.sum()) == 59
    # the one disagreement: the XML records no follow-up time at all; DeepProg wrote 0 days
    (odd,) = both.index[~same.to_numpy()]
    assert odd == "TCGA-2V-A95S"
    assert np.isnan(clinical.loc[odd, "os_days"])
    assert both.loc[odd, "days"] == 0
    # the patient block alone would miss deaths recorded at follow-up
    from_follow_up = clinical["os_event"].fillna(False).astype(bool) & clinical["os_source"].str.startswith(
        "follow_up"
    )
    assert int(from_follow_up.sum()) >= 5


def test_corrupt_xml_is_refused_with_line(tmp_path, xml_dir):
    path = next(xml_dir.rglob("*.xml"))
    broken = tmp_path / path.name
    text = path.read_text().splitlines()
    broken.write_text("\n".join(text[: len(text) // 2]))
    with pytest.raises(InputError, match=r"\.xml:\d+: corrupt XML"):
        read_tcga_clinical_xml([broken])


def test_xml_of_another_project_is_refused(tmp_path, xml_dir):
    for n, path in enumerate(sorted(xml_dir.rglob("*.xml"))):
        text = path.read_text()
        if n == 1:
            text = text.replace(">LIHC</admin:disease_code>", ">BRCA</admin:disease_code>")
        (tmp_path / path.name).write_text(text)
    with pytest.raises(InputError, match=r"record of project TCGA-\w+, but .* is TCGA-\w+"):
        read_tcga_clinical_xml(tmp_path)
    with pytest.raises(InputError, match="record of project TCGA-BRCA, expected TCGA-LIHC"):
        read_tcga_clinical_xml(tmp_path, project="TCGA-LIHC")


def test_same_patient_twice_and_not_a_bcr_file(tmp_path, xml_dir):
    path = next(xml_dir.rglob("*.xml"))
    shutil.copy(path, tmp_path / "a.xml")
    shutil.copy(path, tmp_path / "b.xml")
    with pytest.raises(InputError, match="patient also described by"):
        read_tcga_clinical_xml(tmp_path)
    other = tmp_path / "other.xml"
    other.write_text("<root><x/></root>")
    with pytest.raises(InputError, match="not a TCGA BCR clinical XML"):
        read_tcga_clinical_xml([other])

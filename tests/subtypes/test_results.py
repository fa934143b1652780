"""SubtypesEvaluation and SubtypesFit own their files: write(dir) / read(dir) round trips."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl import InputError
from omicsdl.subtypes import SubtypesEvaluation, SubtypesFit
from tests.subtypes.conftest import TINY_AE


@pytest.fixture(scope="module")
def evaluation(evaluation_and_fits):
    """The tiny evaluation of every model (conftest), with the external 40-patient mRNA fixture."""
    return evaluation_and_fits[0]


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=a.index.name is None),
        b.reset_index(drop=b.index.name is None),
        check_dtype=False,
        check_categorical=False,
        check_index_type=False,
        check_exact=True,  # floats are written in full and read back round-trip exact
    )


def test_evaluation_round_trip(evaluation, tmp_path):
    ev = evaluation
    written = ev.write(tmp_path / "ev")
    assert {
        "metrics.json",
        "heldout_predictions.tsv",
        "tables/subtypes_in_sample.tsv",
        "tables/models.tsv",
        "tables/fold_metrics.tsv",
        "tables/folds.tsv",
        "tables/feature_stability.tsv",
        "tables/top_features.tsv",
        "tables/permutation_null.tsv",
        "tables/per_repeat.tsv",
        "tables/k_selection.tsv",
        "tables/hazard_ratios.tsv",
        "tables/clinical_association.tsv",
        "tables/differential_features.tsv",
        "tables/external_predictions.tsv",
        "tables/km_in_sample.png",
        "tables/km_heldout.png",
    } <= set(written)
    back = SubtypesEvaluation.read(tmp_path / "ev")
    # every typed number survives (dataclass equality covers the scores, sizes, params ...)
    assert back == ev.__class__(**{**_fields(ev), "omicsdl_version": back.omicsdl_version})
    assert back.omicsdl_version == od.__version__
    assert back.to_dict() == ev.to_dict()
    assert back.baseline("pca_cox") == ev.baseline("pca_cox") and back.baseline("pca_cox") is not None
    assert back.recommendation == ev.recommendation and back.permutation == ev.permutation
    np.testing.assert_array_equal(back.permutation.null, ev.permutation.null)
    for attr in ("in_sample_subtypes", "heldout_predictions", "models", "fold_metrics", "folds", "per_repeat",
                 "feature_stability", "top_features", "k_selection"):  # fmt: skip
        _same_frame(getattr(back, attr), getattr(ev, attr))
    _same_frame(back.hazard_ratios, ev.hazard_ratios)
    _same_frame(back.characterisation.clinical, ev.characterisation.clinical)
    _same_frame(back.characterisation.features, ev.characterisation.features)
    _same_frame(back.external.predictions, ev.external.predictions)
    assert back.external.n_shared_features == ev.external.n_shared_features == 120
    assert back.model is None and set(back.files) >= {
        "metrics",
        "heldout_predictions",
        "external.predictions",
    }
    # writing what was read gives the same files
    back.write(tmp_path / "again")
    for name in written:
        if name.endswith(".tsv"):
            assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "ev" / name).read_bytes(), name
    first = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    second = json.loads((tmp_path / "again" / "metrics.json").read_text())
    assert first == second


def _fields(ev: SubtypesEvaluation) -> dict:
    import dataclasses

    return {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}


def test_metrics_json_keeps_the_contract(evaluation, tmp_path):
    evaluation.write(tmp_path)
    m = json.loads((tmp_path / "metrics.json").read_text())
    assert (m["format"], m["format_version"]) == ("omicsdl.SubtypesEvaluation", 2)
    assert list(m)[3:12] == [
        "in_sample_logrank_p",
        "in_sample_cindex",
        "in_sample_classifier_cindex",
        "heldout_cindex_mean",
        "heldout_cindex_sd",
        "heldout_logrank_p",
        "heldout_logrank_p_method",
        "heldout_cindex_per_repeat",
        "heldout_failed_folds",
    ]
    assert {
        "pca_cox_heldout_cindex_mean",
        "late_fusion_cox_heldout_cindex_mean",
        "stage_heldout_cindex_mean",
        "chaudhary+stage_heldout_cindex_mean",
        "models",
        "recommended_model",
        "permutation_p",
        "n_permutations",
        "statement",
        "external_cindex",
        "external_subtype_sizes",
        "k_selection",
        "subtype_sizes",
        "risk_score",
        "params",
        "seed",
        "n_left_out",
    } <= set(m)
    assert m["heldout_cindex_mean"] == evaluation.heldout.cindex_mean
    assert len(m["heldout_cindex_per_repeat"]) == 1
    assert m["seed"] == 0 and m["params"]["rng"] is not None


def test_a_partial_or_foreign_folder(tmp_path):
    with pytest.raises(InputError, match="not a results folder"):
        SubtypesEvaluation.read(tmp_path / "absent")
    with pytest.raises(InputError, match=r"no metrics\.json"):
        SubtypesEvaluation.read(tmp_path)
    (tmp_path / "metrics.json").write_text(
        json.dumps({"format": "omicsdl.BloodComparison", "format_version": 1})
    )
    with pytest.raises(InputError, match=r"expected omicsdl\.SubtypesEvaluation results"):
        SubtypesEvaluation.read(tmp_path)
    (tmp_path / "metrics.json").write_text(json.dumps({"heldout_cindex_mean": "high"}))
    with pytest.raises(InputError, match="heldout_cindex_mean is not a number"):
        SubtypesEvaluation.read(tmp_path)
    # a headerless metrics.json of an older run, without tables, still reads
    (tmp_path / "metrics.json").write_text(
        json.dumps({"heldout_cindex_mean": 0.6, "pca_heldout_cindex_mean": 0.55})
    )
    ev = SubtypesEvaluation.read(tmp_path)
    assert ev.heldout.cindex_mean == 0.6 and ev.baseline("pca").cindex_mean == 0.55
    assert ev.in_sample_subtypes is None and ev.characterisation is None and ev.external is None


def test_fit_tables_round_trip(cohort, tmp_path):
    from omicsdl.subtypes import fit_subtypes

    fit = fit_subtypes(cohort, params={"autoencoder": TINY_AE, "k": 2, "alpha": 0.3}, n_threads=1, rng=0)
    assert "subtype" in cohort.obs and "X_autoencoder" in cohort.obsm  # annotated in place
    written = fit.write(tmp_path)
    assert set(written) == {
        "summary.json",
        "subtypes.tsv",
        "clinical_association.tsv",
        "differential_features.tsv",
        "hazard_ratios.tsv",
        "k_selection.tsv",
        "top_features.tsv",
    }
    back = SubtypesFit.read(tmp_path)
    assert back == SubtypesFit(
        k=fit.k,
        n_patients=360,
        n_events=124,
        subtype_sizes=fit.subtype_sizes,
        model_type="chaudhary",
        n_left_out=0,
    )
    assert sum(back.subtype_sizes.values()) == 360
    _same_frame(back.subtypes, fit.subtypes.astype({"subtype": str}))
    _same_frame(back.k_selection, fit.k_selection)
    _same_frame(back.characterisation.features, fit.characterisation.features)
    assert np.isfinite(back.subtypes["subtype_risk"]).all()

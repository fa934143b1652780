"""Results folders in the contract formats of the analysis commands, for report tests.

The numbers and subtype labels are SYNTHETIC (made up here, seeded); the patients and their
survival are the real embedded TCGA-LIHC cohort's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

if TYPE_CHECKING:
    from pathlib import Path


def write_subtypes(folder: Path, obs: pd.DataFrame, *, tables: bool = True) -> Path:
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    metrics = {
        "in_sample_logrank_p": 3.2e-6, "in_sample_cindex": 0.68, "heldout_cindex_mean": 0.61,
        "heldout_cindex_sd": 0.02, "heldout_logrank_p": 0.004, "pca_heldout_cindex_mean": 0.58,
        "pca_heldout_cindex_sd": 0.03, "stage_heldout_cindex_mean": 0.62, "n_patients": len(obs),
        "n_events": int(obs["os_event"].sum()), "k": 2, "seed": 0, "n_folds": 5, "n_repeats": 1,
        "omicsdl_version": "0.1.0",
    }  # fmt: skip
    (folder / "metrics.json").write_text(json.dumps(metrics))
    if tables:
        short = obs["os_days"].to_numpy() < np.nanmedian(obs["os_days"])
        subtype = np.where(short ^ (rng.random(len(obs)) < 0.25), "S2", "S1")
        t = folder / "tables"
        t.mkdir()
        pd.DataFrame({"patient": obs.index, "subtype": subtype}).to_csv(
            t / "subtypes_in_sample.tsv", sep="\t", index=False
        )
        held = pd.DataFrame(
            {"method": "autoencoder", "repeat": 0, "fold": np.arange(len(obs)) % 5, "patient": obs.index,
             "subtype": np.where(rng.random(len(obs)) < 0.7, subtype, "S1"), "risk": rng.normal(size=len(obs))}
        )  # fmt: skip
        held.to_csv(t / "heldout_predictions.tsv", sep="\t", index=False)
        pd.DataFrame(
            {"method": ["autoencoder", "pca", "stage_only"], "cindex_mean": [0.61, 0.58, 0.62],
             "cindex_sd": [0.02, 0.03, 0.0]}
        ).to_csv(t / "baselines.tsv", sep="\t", index=False)  # fmt: skip
        pd.DataFrame(
            {"variable": ["stage", "grade", "age", "sex"], "test": ["chi2", "chi2", "kruskal", "chi2"],
             "p": [0.01, 0.2, 0.5, 0.9], "fdr": [0.04, 0.4, 0.67, 0.9]}
        ).to_csv(t / "clinical_association.tsv", sep="\t", index=False)  # fmt: skip
        pd.DataFrame(
            {"omic": ["rna", "mirna", "methylation"], "feature": ["AFP", "hsa-mir-21", "GPC3"],
             "log2fc": [1.2, -0.5, 0.3], "p": [1e-8, 1e-4, 0.01], "fdr": [1e-6, 1e-3, 0.04]}
        ).to_csv(t / "differential_features.tsv", sep="\t", index=False)  # fmt: skip
    return folder


def write_g2vec(folder: Path, *, edges: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    genes = [f"G{i}" for i in range(12)]
    pd.DataFrame(
        {"gene": genes, "l_group": ["good"] * 6 + ["poor"] * 6, "score": np.linspace(1, 0.1, 12)}
    ).to_csv(folder / "biomarkers.tsv", sep="\t", index=False)
    pd.DataFrame(
        {"module": ["M1"] * 5 + ["M2"] * 4, "gene": genes[:5] + genes[6:10], "l_group": ["good"] * 5 + ["poor"] * 4,
         "score": np.linspace(1, 0.2, 9), "degree": [2] * 9}
    ).to_csv(folder / "modules.tsv", sep="\t", index=False)  # fmt: skip
    pd.DataFrame(
        {"module": ["M1", "M2"], "collection": "GO_BP", "term": ["cell cycle", "bile acid metabolism"],
         "overlap": [3, 2], "set_size": [40, 12], "n_query": [5, 4], "n_background": [300, 300],
         "p": [1e-5, 0.2], "fdr": [2e-4, 0.4], "genes": ["G0,G1,G2", "G6,G7"]}
    ).to_csv(folder / "enrichment.tsv", sep="\t", index=False)  # fmt: skip
    summary = {
        name: {"accuracy_mean": acc, "accuracy_sd": 0.03, "auc_mean": auc, "auc_sd": 0.04, "n_genes_mean": n}
        for name, acc, auc, n in [("g2vec", 0.66, 0.71, 12), ("top_t", 0.64, 0.69, 12), ("random", 0.55, 0.57, 12),
                                  ("all_genes", 0.63, 0.68, 300)]
    }  # fmt: skip
    evaluation = {
        "protocol": {"n_splits": 5, "n_repeats": 1, "classifier": "logistic regression"},
        "summary": summary,
    }
    (folder / "evaluation.json").write_text(json.dumps(evaluation))
    (folder / "summary.json").write_text(json.dumps({"format": "omicsdl.G2VecRun", "format_version": 1}))
    if edges:
        pd.DataFrame({"a": ["G0", "G1", "G2", "G6", "G7"], "b": ["G1", "G2", "G3", "G7", "G8"]}).to_csv(
            folder / "module_edges.tsv", sep="\t", index=False
        )
    return folder


def write_blood(folder: Path, *, roc: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"synthetic": True, "bayes_auc": 0.95, "methods": ["mlp", "logistic", "lda", "tree"]}
    curves = {}
    for i, method in enumerate(doc["methods"]):
        auc = 0.94 - 0.03 * i
        doc[method] = {
            "auc": auc, "auc_ci_low": auc - 0.04, "auc_ci_high": min(auc + 0.03, 1.0), "sensitivity": 0.9 - 0.02 * i,
            "specificity": 0.85 - 0.03 * i, "threshold": 0.5,
            "cv": {"confusion": {"tp": 93.0 - i, "fn": 10.0 + i, "tn": 46.0 - i, "fp": 8.0 + i}},
        }  # fmt: skip
        fpr = np.linspace(0, 1, 21)
        curves[method] = {"cv": {"fpr": fpr.tolist(), "tpr": (fpr ** (0.15 + 0.1 * i)).tolist()}}
    (folder / "metrics.json").write_text(json.dumps(doc))
    if roc:
        (folder / "roc.json").write_text(json.dumps(curves))
    return folder


def write_mrs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"synthetic": True, "qcnn_mape": {"fat": 4.1, "water": 2.0}, "fit_mape": {"fat": 6.3, "water": 1.5},
           "paired_p": {"fat": 0.003, "water": 0.4}, "qcnn_better": ["fat"],
           "classification": {"sensitivity": 0.8, "specificity": 0.9, "p_hcc": [0.1, 0.9]}}  # fmt: skip
    (folder / "metrics.json").write_text(json.dumps(doc))
    return folder


@pytest.fixture
def results_dirs(tmp_path, demo_cohort):
    """SYNTHETIC results of every module (real patients' survival), and the survival table."""
    obs = demo_cohort.obs[["os_days", "os_event"]]
    return {
        "subtypes": write_subtypes(tmp_path / "subtypes", obs),
        "g2vec": write_g2vec(tmp_path / "g2vec"),
        "blood": write_blood(tmp_path / "blood"),
        "mrs": write_mrs(tmp_path / "mrs"),
        "survival": obs,
    }

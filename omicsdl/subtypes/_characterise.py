"""Characterise subtypes: clinical association and top differential features per omic.

These p-values are **descriptive**: the subtypes were built from these very
omics (and chosen for their survival differences), so features and clinical
variables are tested between groups that were formed to differ; the tables
say so in their ``note`` column. Sparse contingency tables (an expected count
below 5) use exact tests: Fisher's for 2 × 2 tables, otherwise a Monte-Carlo
permutation test of the chi-square statistic (10,000 label permutations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, derive_seed

if TYPE_CHECKING:
    from mudata import MuData
    from numpy.typing import ArrayLike

__all__ = ["DESCRIPTIVE_CLINICAL", "DESCRIPTIVE_FEATURES", "SubtypeCharacterisation", "characterise_subtypes"]

#: how the p-values of the characterisation tables are to be read
DESCRIPTIVE_FEATURES = "descriptive: these omics built the subtypes, so differences are expected"
DESCRIPTIVE_CLINICAL = "descriptive: the subtypes were chosen for their survival differences"


def _table_test(
    table: np.ndarray, lab: np.ndarray, values: np.ndarray, rng: RNGLike
) -> tuple[str, float, float]:
    """Chi-square test of a contingency table; exact (Fisher or Monte-Carlo) when it is sparse.

    The Monte-Carlo test permutes the subtype labels 10,000 times; both margins stay
    fixed, so the expected counts do too and every permuted chi-square is computed at once.
    """
    from scipy.stats import chi2_contingency, fisher_exact

    res = chi2_contingency(table)
    if (res.expected_freq >= 5).all():
        return "chi-square", float(res.statistic), float(res.pvalue)
    if table.shape == (2, 2):
        fe = fisher_exact(table)
        return "Fisher exact (sparse table)", float(fe.statistic), float(fe.pvalue)
    rows = pd.factorize(lab, sort=True)[0]
    cols = pd.factorize(values, sort=True)[0]
    n_r, n_c = rows.max() + 1, cols.max() + 1
    expected = np.outer(np.bincount(rows, minlength=n_r), np.bincount(cols, minlength=n_c)) / len(rows)

    def chi2(r: np.ndarray) -> np.ndarray:
        cells = r * n_c + cols  # r: resamples × patients
        offsets = np.arange(r.shape[0])[:, None] * (n_r * n_c)
        counts = np.bincount((cells + offsets).ravel(), minlength=r.shape[0] * n_r * n_c)
        observed = counts.reshape(r.shape[0], n_r * n_c)
        return (((observed - expected.ravel()) ** 2) / expected.ravel()).sum(axis=1)

    gen = np.random.default_rng(derive_seed(rng))
    stat = float(chi2(rows[None, :])[0])
    null = np.concatenate([chi2(gen.permuted(np.tile(rows, (1000, 1)), axis=1)) for _ in range(10)])
    p = float((1 + np.sum(null >= stat - 1e-9 * max(1.0, stat))) / (1 + null.size))
    return "chi-square, Monte-Carlo exact (sparse table)", stat, p


@dataclass(frozen=True, slots=True)
class SubtypeCharacterisation:
    """Tables describing subtypes, ready for a report.

    Attributes
    ----------
    clinical
        One row per clinical variable: ``variable``, ``test``, ``statistic``,
        ``p_value``, ``n`` (patients with a value) and ``summary`` (per-subtype
        counts or medians as text).
    features
        Top differential features per omic: ``omic``, ``feature``, ``statistic``,
        ``p_value``, ``fdr`` (Benjamini-Hochberg within the omic),
        ``higher_in`` (subtype with the highest mean), and the per-subtype means.
    """

    clinical: pd.DataFrame
    features: pd.DataFrame


def characterise_subtypes(
    mdata: MuData,
    subtypes: ArrayLike,
    *,
    clinical: tuple[str, ...] = ("stage", "grade", "sex", "age"),
    n_top: int = 20,
    rng: RNGLike = None,
) -> SubtypeCharacterisation:
    """Associate subtypes with clinical variables and find differential features.

    Categorical variables (stage, grade, sex) are tested with a chi-square test
    of the contingency table; numeric ones (age) with Mann-Whitney U (two
    subtypes) or Kruskal-Wallis (more). Features of each omic are compared on
    ``log2(x + 1)`` for rna/mirna and raw values otherwise, with the same
    rank tests, Benjamini-Hochberg FDR within the omic.

    Parameters
    ----------
    mdata
        The cohort.
    subtypes
        Subtype per patient of ``mdata`` (e.g. ``mdata.obs["subtype"]``).
    clinical
        Columns of ``mdata.obs`` to test (missing columns are skipped).
    n_top
        Features reported per omic (smallest p first).
    rng
        Seed of the Monte-Carlo exact test of sparse tables (``None``: ``settings.seed``).

    Raises
    ------
    InputError
        If the subtypes do not match the patients or there is only one subtype.
    """
    from scipy.stats import kruskal, mannwhitneyu
    from statsmodels.stats.multitest import multipletests

    from omicsdl.io import feature_symbols
    from omicsdl.pp import DEFAULT_LOG_TRANSFORM

    labels = pd.Series(np.asarray(subtypes).astype(str), index=mdata.obs_names)
    if len(labels) != mdata.n_obs:
        msg = f"{len(labels)} subtype labels for {mdata.n_obs} patients"
        raise InputError(msg)
    groups = sorted(labels.unique())
    if len(groups) < 2:
        msg = "characterisation needs at least two subtypes"
        raise InputError(msg, item=f"subtypes: {groups}")

    def rank_test(values: np.ndarray, lab: np.ndarray) -> tuple[str, float, float]:
        samples = [values[lab == g] for g in groups if (lab == g).sum() > 0]
        if len(samples) < 2 or any(len(s) == 0 for s in samples):
            return "none", np.nan, np.nan
        if np.ptp(values) == 0:
            return "constant", np.nan, np.nan
        if len(samples) == 2:
            res = mannwhitneyu(*samples, alternative="two-sided")
            return "Mann-Whitney U", float(res.statistic), float(res.pvalue)
        res = kruskal(*samples)
        return "Kruskal-Wallis", float(res.statistic), float(res.pvalue)

    rows = []
    for column in clinical:
        if column not in mdata.obs.columns:
            continue
        values = mdata.obs[column]
        ok = values.notna().to_numpy()
        lab = labels.to_numpy()[ok]
        if pd.api.types.is_numeric_dtype(values) and not isinstance(values.dtype, pd.CategoricalDtype):
            v = values.to_numpy(dtype=float)[ok]
            test, stat, p = rank_test(v, lab)
            summary = "; ".join(
                f"{g}: median {np.median(v[lab == g]):.1f}" for g in groups if (lab == g).any()
            )
        else:
            table = pd.crosstab(lab, values.astype(str).to_numpy()[ok])
            if table.shape[0] < 2 or table.shape[1] < 2:
                test, stat, p = "none", np.nan, np.nan
            else:
                test, stat, p = _table_test(table.to_numpy(), lab, values.astype(str).to_numpy()[ok], rng)
            summary = "; ".join(
                f"{g}: " + ", ".join(f"{c}={int(table.loc[g, c])}" for c in table.columns)
                for g in table.index
            )
        rows.append(
            {
                "variable": column,
                "test": test,
                "statistic": stat,
                "p_value": p,
                "n": int(ok.sum()),
                "summary": summary,
                "note": DESCRIPTIVE_CLINICAL,
            }
        )
    clinical_table = pd.DataFrame(
        rows, columns=["variable", "test", "statistic", "p_value", "n", "summary", "note"]
    )

    frames = []
    for omic, adata in mdata.mod.items():
        patients = mdata.obs_names.intersection(adata.obs_names, sort=False)
        lab = labels.loc[patients].to_numpy()
        X = adata[patients].X
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
        if DEFAULT_LOG_TRANSFORM.get(omic, False):
            X = np.log2(np.clip(X, 0, None) + 1.0)
        symbols = feature_symbols(adata)  # the table has an "omic" column: plain symbols (ACAT1)
        stats = []
        # columns without gaps are tested in one vectorised call (same test, same numbers)
        whole = np.isfinite(X).all(axis=0) & (np.ptp(X, axis=0) > 0)
        present = [g for g in groups if (lab == g).any()]
        fast: dict[int, tuple[str, float, float]] = {}
        if whole.any() and len(present) >= 2:
            samples = [X[lab == g][:, whole] for g in present]
            if len(present) == 2:
                res = mannwhitneyu(*samples, alternative="two-sided", axis=0)
                name = "Mann-Whitney U"
            else:
                res = kruskal(*samples, axis=0)
                name = "Kruskal-Wallis"
            for j, st, pv in zip(np.flatnonzero(whole), res.statistic, res.pvalue, strict=True):
                fast[int(j)] = (name, float(st), float(pv))
        for j in range(X.shape[1]):
            col = X[:, j]
            ok = np.isfinite(col)
            test, stat, p = fast[j] if j in fast else rank_test(col[ok], lab[ok])
            means = {
                f"mean_{g}": float(np.mean(col[ok][lab[ok] == g])) if (lab[ok] == g).any() else np.nan
                for g in groups
            }
            best = max(groups, key=lambda g: -np.inf if np.isnan(means[f"mean_{g}"]) else means[f"mean_{g}"])
            stats.append(
                {
                    "omic": omic,
                    "feature": str(symbols[j]),
                    "test": test,
                    "statistic": stat,
                    "p_value": p,
                    "higher_in": best,
                    **means,
                }
            )
        table = pd.DataFrame(stats)
        valid = table["p_value"].notna().to_numpy()
        table["fdr"] = np.nan
        if valid.any():
            table.loc[valid, "fdr"] = multipletests(table.loc[valid, "p_value"], method="fdr_bh")[1]
        table["note"] = DESCRIPTIVE_FEATURES
        frames.append(table.sort_values("p_value", kind="stable").head(n_top))
    features = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return SubtypeCharacterisation(clinical=clinical_table, features=features)

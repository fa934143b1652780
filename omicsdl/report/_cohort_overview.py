"""Report sections describing a cohort: its omics, QC, preprocessing and survival."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl.survival import logrank

if TYPE_CHECKING:
    from mudata import MuData

    from omicsdl.pp import Preprocessor
    from omicsdl.report._builder import Report

__all__ = ["cohort_overview"]


def _qc_table(mdata: MuData) -> pd.DataFrame:
    rows = []
    for name, adata in mdata.mod.items():
        X = np.asarray(adata.X, dtype=float)
        finite = X[np.isfinite(X)]
        rows.append(
            {
                "omic": name,
                "patients": adata.n_obs,
                "features": adata.n_vars,
                "missing values (%)": 100 * float(np.isnan(X).mean()),
                "zeros (%)": 100 * float((X == 0).mean()),
                "min": float(finite.min()) if finite.size else np.nan,
                "median": float(np.median(finite)) if finite.size else np.nan,
                "max": float(finite.max()) if finite.size else np.nan,
                "units": adata.uns.get("omicsdl", {}).get("units", "not recorded"),
            }
        )
    return pd.DataFrame(rows)


def _clinical_table(obs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for column in ("stage", "grade", "sex"):
        if column in obs:
            counts = obs[column].astype("object").fillna("unknown").value_counts().sort_index()
            rows += [{"variable": column, "value": str(k), "patients": int(v)} for k, v in counts.items()]
    if "age" in obs:
        age = obs["age"].astype(float)
        rows.append(
            {
                "variable": "age",
                "value": f"median {age.median():.0f} (IQR {age.quantile(0.25):.0f}–{age.quantile(0.75):.0f})",
                "patients": int(age.notna().sum()),
            }
        )
    return pd.DataFrame(rows)


def cohort_overview(
    mdata: MuData, report: Report, *, preprocessors: dict[str, Preprocessor] | None = None
) -> Report:
    """Add cohort, QC, preprocessing and survival-overview sections to ``report``.

    Parameters
    ----------
    mdata
        The (raw) cohort.
    report
        The report to extend.
    preprocessors
        Fitted preprocessors by modality (from :func:`omicsdl.pp.preprocess_cohort`),
        to report what was dropped and why.

    Returns
    -------
    The same report, for chaining.
    """
    from omicsdl.pl import km_plot

    obs = mdata.obs
    n_events = int(obs["os_event"].sum()) if "os_event" in obs else 0
    sec = report.section("cohort", "The cohort")
    sec.add_key_figures(
        {
            "patients": f"{mdata.n_obs}",
            "deaths observed": f"{n_events}",
            "omics": ", ".join(mdata.mod),
            "median follow-up": f"{obs['os_days'].median():.0f} days" if "os_days" in obs else "n/a",
        }
    )
    source = mdata.uns.get("omicsdl", {}).get("source", "")
    if source:
        sec.add_text(f"Data source: {source}.")
    sec.add_table(
        _qc_table(mdata), name="omics_qc", caption="Each omic: size, missing values and value range."
    )
    sec.add_table(_clinical_table(obs), name="clinical_summary", caption="Clinical characteristics.")

    if preprocessors:
        pre = report.section("preprocessing", "Preprocessing")
        pre.add_text(
            "Each omic was filtered, log-transformed where count-like, imputed and scaled as in "
            "Chaudhary et al. (2018): features missing or zero in more than 20% of patients and "
            "patients missing more than 20% of features are dropped. The fitted settings are kept "
            "so that new patients are transformed the same way."
        )
        rows = []
        dropped = []
        for name, pp in preprocessors.items():
            rep = pp.report_
            rows.append(
                {
                    "omic": name,
                    "features kept": rep.n_features_in - len(rep.dropped_features),
                    "features dropped": len(rep.dropped_features),
                    "patients dropped": len(rep.dropped_patients),
                    "values imputed": rep.n_imputed_values,
                    "log2(x+1)": "yes" if pp.log_transform else "no",
                    "scaling": pp.scale,
                }
            )
            dropped += [
                {"omic": name, "feature": f, "reason": why} for f, why in rep.dropped_features.items()
            ]
            dropped += [
                {"omic": name, "patient": p, "reason": why} for p, why in rep.dropped_patients.items()
            ]
        pre.add_table(
            pd.DataFrame(rows), name="preprocessing", caption="What preprocessing kept and dropped."
        )
        if dropped:
            pre.add_table(
                pd.DataFrame(dropped), name="dropped", caption="Every dropped feature or patient, and why."
            )

    if {"os_days", "os_event"} <= set(obs.columns):
        surv = report.section("survival", "Overall survival")
        days = obs["os_days"].to_numpy(dtype=float)
        event = obs["os_event"].to_numpy(dtype=bool)
        surv.add_text(
            f"{n_events} of {mdata.n_obs} patients died during follow-up. The curve shows the fraction "
            "still alive over time; shaded bands are 95% confidence intervals and the table under the "
            "plot counts the patients still followed."
        )
        surv.add_figure(
            km_plot(days, event, title="Overall survival, whole cohort"),
            caption="Kaplan-Meier estimate of overall survival for the whole cohort.",
        )
        if "stage" in obs and obs["stage"].notna().sum() > 0:
            stage = obs["stage"].astype("object").fillna("unknown").astype(str).to_numpy()
            res = logrank(days, event, stage)
            surv.add_text(
                "By tumour stage (AJCC): later stages die sooner "
                f"(log-rank test across stages, p = {res.p_value:.2g}). Stage is the clinical yardstick "
                "any molecular subtype has to beat."
            )
            surv.add_figure(
                km_plot(days, event, groups=stage, title="Overall survival by stage"),
                caption="Kaplan-Meier estimates by AJCC stage with the number of patients at risk.",
            )
    return report

"""From per-fold scores to a model table, paired differences and a recommended model.

* Harrell's C of a model is computed on the pooled held-out risks of each
  repeat (every patient held out once), then averaged over repeats (sd over
  repeats; none with one repeat); its per-fold values are kept as well.
* Uno's C, AUC(1, 3, 5 years) and the integrated Brier score are means over
  folds (each fold's censoring weights from its training patients).
* Every model is compared with the **reference**, the best of the baselines
  (:data:`~omicsdl.subtypes._model_types.BASELINE_MODELS`) by held-out C: the
  mean per-fold difference in Harrell's C with the corrected resampled t
  interval (:func:`omicsdl.survival.paired_cv_difference`).
* The recommended model is the one with the best held-out C; the statement
  says whether the deep models beat, match (within the paired interval) or
  lose to the linear ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from omicsdl.subtypes._benchmark import BenchmarkRun

__all__ = ["Recommendation", "compare_models", "feature_stability"]

METRICS = ("harrell_c", "uno_c", "auc_1y", "auc_3y", "auc_5y", "ibs")


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The recommended model and how the model families compare.

    Attributes
    ----------
    model, cindex, uses_clinical
        The model with the best held-out Harrell's C, its C and whether it uses clinical data.
    reference
        The best baseline (what every paired difference is against).
    difference, ci_low, ci_high
        Recommended minus reference (the runner-up baseline when the
        recommended model is the reference itself), with the corrected 95 % interval.
    compared_with
        The model ``difference`` is against.
    best_deep, best_linear
        The best model of each family (omics only).
    deep_vs_linear, deep_vs_linear_ci
        Their paired difference and interval.
    statement
        One plain sentence on whether the deep models beat the linear ones.
    """

    model: str
    cindex: float | None
    uses_clinical: bool
    reference: str | None
    compared_with: str | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    best_deep: str | None
    best_linear: str | None
    deep_vs_linear: float | None
    deep_vs_linear_ci: tuple[float | None, float | None]
    statement: str


def _pooled_c(predictions: pd.DataFrame, t: pd.Series, e: pd.Series) -> pd.DataFrame:
    from omicsdl.survival import concordance_index

    rows = []
    for (model, r), g in predictions.groupby(["model", "repeat"], sort=False):
        rows.append(
            {
                "model": model,
                "repeat": r,
                "harrell_c": concordance_index(
                    t.loc[g["patient"]], e.loc[g["patient"]], g["risk"].to_numpy()
                ),
            }
        )
    return pd.DataFrame(rows)


def _paired(fm: pd.DataFrame, a: str, b: str) -> tuple[float, float, float] | None:
    from omicsdl._core._errors import InputError
    from omicsdl.survival import paired_cv_difference

    x = fm[fm["model"] == a].set_index(["repeat", "fold"])
    y = fm[fm["model"] == b].set_index(["repeat", "fold"])
    joined = x[["harrell_c", "n_train", "n_test"]].join(y[["harrell_c"]], rsuffix="_ref", how="inner")
    try:
        d = paired_cv_difference(
            joined["harrell_c"] - joined["harrell_c_ref"],
            n_train=float(joined["n_train"].mean()),
            n_test=float(joined["n_test"].mean()),
        )
    except InputError:
        return None
    return d.mean, d.ci_low, d.ci_high


def _num(v: Any) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def compare_models(
    run: BenchmarkRun,
    durations: pd.Series,
    events: pd.Series,
    *,
    families: dict[str, str],
    labels: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame, Recommendation]:
    """The model table, the per-repeat pooled C and the recommendation (see the module docstring).

    Parameters
    ----------
    run
        What :func:`~omicsdl.subtypes._benchmark.run_benchmark` measured.
    durations, events
        Survival indexed by patient.
    families, labels
        Family (``deep``/``linear``/``clinical``) and description of every base model.
    """
    from omicsdl.subtypes._model_types import BASELINE_MODELS

    fm = run.fold_metrics
    per_repeat = _pooled_c(run.predictions, durations, events.astype(bool))
    order = list(dict.fromkeys(fm["model"]))
    rows = []
    for model in order:
        f = fm[fm["model"] == model]
        pr = per_repeat[per_repeat["model"] == model]["harrell_c"]
        base = model.split("+")[0]
        rows.append(
            {
                "model": model,
                "family": "clinical"
                if model == "stage"
                else families.get(base, "deep") + ("+clinical" if "+" in model else ""),
                "uses_clinical": bool(f["uses_clinical"].iloc[0]),
                "description": labels.get(base, base) + (" + stage (clinical)" if "+" in model else ""),
                "harrell_c": float(pr.mean()),
                "harrell_c_sd": float(pr.std(ddof=1)) if len(pr) > 1 else np.nan,
                "n_repeats": len(pr),
                "harrell_c_fold_mean": float(f["harrell_c"].mean()),
                "harrell_c_fold_sd": float(f["harrell_c"].std(ddof=1)) if len(f) > 1 else np.nan,
                **{m: float(f[m].mean()) for m in METRICS[1:]},
                "seconds_per_fold": float(f["seconds"].mean()),
                "n_folds": len(f),
                "n_failed_folds": int(f["failed"].sum()),
            }
        )
    table = pd.DataFrame(rows)
    score = table.set_index("model")["harrell_c"]
    baselines = [m for m in BASELINE_MODELS if m in score.index]
    reference = max(baselines, key=lambda m: score[m]) if baselines else None
    diffs = [(_paired(fm, m, reference) if reference and m != reference else None) for m in table["model"]]
    table["reference"] = reference
    table["diff_vs_reference"] = [d[0] if d else np.nan for d in diffs]
    table["diff_ci_low"] = [d[1] if d else np.nan for d in diffs]
    table["diff_ci_high"] = [d[2] if d else np.nan for d in diffs]

    best = str(score.idxmax())
    compared = reference
    if best == reference:
        others = [m for m in baselines if m != best]
        compared = max(others, key=lambda m: score[m]) if others else None
    d = _paired(fm, best, compared) if compared else None
    fam = table.set_index("model")["family"]
    deep = [m for m in score.index if fam[m] == "deep"]
    linear = [m for m in score.index if fam[m] == "linear"]
    best_deep = max(deep, key=lambda m: score[m]) if deep else None
    best_linear = max(linear, key=lambda m: score[m]) if linear else None
    dl = _paired(fm, best_deep, best_linear) if best_deep and best_linear else None
    statement = _statement(best, score, best_deep, best_linear, dl, table)
    rec = Recommendation(
        model=best,
        cindex=_num(score[best]),
        uses_clinical=bool(table.set_index("model").loc[best, "uses_clinical"]),
        reference=reference,
        compared_with=compared,
        difference=_num(d[0]) if d else None,
        ci_low=_num(d[1]) if d else None,
        ci_high=_num(d[2]) if d else None,
        best_deep=best_deep,
        best_linear=best_linear,
        deep_vs_linear=_num(dl[0]) if dl else None,
        deep_vs_linear_ci=(_num(dl[1]), _num(dl[2])) if dl else (None, None),
        statement=statement,
    )
    return table, per_repeat, rec


def _statement(
    best: str,
    score: pd.Series,
    best_deep: str | None,
    best_linear: str | None,
    dl: tuple[float, float, float] | None,
    table: pd.DataFrame,
) -> str:
    clinical = bool(table.set_index("model").loc[best, "uses_clinical"])
    head = f"The best held-out C is {score[best]:.3f} ({best}{', which uses clinical stage' if clinical else ''})."
    if not (best_deep and best_linear):
        return head
    if dl is None:
        return (
            head
            + f" Best deep model {best_deep} ({score[best_deep]:.3f}), best linear {best_linear} ({score[best_linear]:.3f})."
        )
    diff, lo, hi = dl
    pair = (
        f"the best deep model ({best_deep}, C = {score[best_deep]:.3f}) minus the best linear model "
        f"({best_linear}, C = {score[best_linear]:.3f}) is {diff:+.3f} (95% CI {lo:+.3f} to {hi:+.3f})"
    )
    if lo > 0:
        verdict = f" The deep models beat the linear ones: {pair}."
    elif hi < 0:
        verdict = f" The deep models do not beat the linear ones; they lose: {pair}."
    else:
        verdict = f" The deep models do not beat the linear ones; they match them within the paired interval: {pair}."
    return head + verdict


def feature_stability(top: pd.DataFrame, n_fits: pd.Series) -> pd.DataFrame:
    """How often each feature is among a model's top features across its CV fits.

    Parameters
    ----------
    top
        ``model, repeat, fold, omic, feature, rank, direction`` of every fit.
    n_fits
        Successful fits per model.

    Returns
    -------
    ``model, omic, feature, n_fits_in_top, fraction_of_fits, mean_rank, direction`` (the
    direction seen most often), most stable first within each model and omic.
    """
    if top.empty:
        return pd.DataFrame(
            columns=[
                "model",
                "omic",
                "feature",
                "n_fits_in_top",
                "fraction_of_fits",
                "mean_rank",
                "direction",
            ]
        )
    g = top.groupby(["model", "omic", "feature"], sort=False)
    out = g.agg(
        n_fits_in_top=("rank", "size"),
        mean_rank=("rank", "mean"),
        direction=("direction", lambda s: s.value_counts().index[0]),
    ).reset_index()
    out["fraction_of_fits"] = out["n_fits_in_top"] / out["model"].map(n_fits).astype(float)
    out = out.sort_values(
        ["model", "omic", "n_fits_in_top", "mean_rank"], ascending=[True, True, False, True]
    )
    return out[
        ["model", "omic", "feature", "n_fits_in_top", "fraction_of_fits", "mean_rank", "direction"]
    ].reset_index(drop=True)

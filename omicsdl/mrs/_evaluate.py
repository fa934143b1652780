"""One-run evaluation on SIMULATED spectra: qCNN vs linear-combination fit, and the cCNN.

SIMULATION assumptions (not biology): class medians differ by the factors in
:data:`HCC_FACTORS`; each simulated patient has a profile drawn around the class medians
(log-sd :data:`PATIENT_LOG_SD`); each spectrum varies around its patient's profile
(log-sd 0.1) with random linewidth, shift, phase, water, baseline and SNR.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import wilcoxon

from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.mrs._basis import Basis, make_liver_basis
from omicsdl.mrs._fit import FitResult, fit_each
from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN
from omicsdl.mrs._simulate import SpectrumPrior, simulate_spectra

if TYPE_CHECKING:
    import os

__all__ = ["HCC_FACTORS", "PATIENT_LOG_SD", "evaluate_mrs", "write_mrs_evaluation"]

# SIMULATION assumption: HCC vs non-HCC (cirrhotic) liver medians (choline compounds up,
# glycogen/glucose and fat down, lactate up); chosen to make a learnable, imperfect task
HCC_FACTORS: dict[str, float] = {
    "Cho": 1.6,
    "GPC": 1.5,
    "PCh": 1.6,
    "Glc": 0.65,
    "Lac": 1.3,
    "Lip09": 0.8,
    "Lip13": 0.8,
    "Lip21": 0.8,
    "Lip42": 0.8,
    "Lip53": 0.8,
}
PATIENT_LOG_SD = 0.25


def _patients(
    prior: SpectrumPrior, names: list[str], n: int, rng: np.random.Generator
) -> list[SpectrumPrior]:
    out = []
    for _ in range(n):
        med = {k: prior.medians[k] * float(np.exp(PATIENT_LOG_SD * rng.standard_normal())) for k in names}
        out.append(SpectrumPrior(medians=med, default_log_sd=0.1))
    return out


def _one_per_patient(basis: Basis, patients: list[SpectrumPrior], rng: np.random.Generator):
    fids, amps = [], []
    for p in patients:
        d, a, _ = simulate_spectra(basis, 1, prior=p, rng=rng)
        fids.append(d.fid[0])
        amps.append(a[0])
    d.fid = np.array(fids)
    return d, np.array(amps)


def evaluate_mrs(
    *,
    basis: Basis | None = None,
    n_test: int = 40,
    qcnn_steps: int = 800,
    ccnn_steps: int = 150,
    batch_size: int = 64,
    n_pilot: int = 10,
    n_test_patients: tuple[int, int] = (7, 10),
    rng: RNGLike = 0,
) -> tuple[dict, FitResult, dict]:
    """Evaluate quantification and classification on SIMULATED liver spectra.

    1. qCNN fitted on spectra streamed from the default prior; on ``n_test`` held-out
       spectra its per-metabolite mean absolute percentage error (MAPE) is compared with the
       linear-combination fit's (paired Wilcoxon signed-rank test on the absolute errors).
    2. ``n_pilot`` pilot patients per class (their spectra quantified by the qCNN) give the
       class priors, as Bae et al. used their first 10 patients per group; the cCNN is fitted
       on spectra simulated from those priors and tested on ``n_test_patients`` (HCC,
       non-HCC) new simulated patients, one spectrum each, never used for fitting.

    Returns
    -------
    metrics
        ``qcnn_mape``, ``fit_mape``, ``paired_p``, ``classification``, ``synthetic: True``,
        timings and the assumptions. ``classification`` holds sensitivity, specificity and
        accuracy (HCC = positive, predicted class = most probable), the ROC ``auc``
        (scikit-learn) with its curve (``roc``), and per held-out patient the ids
        (``patients``), ``true_class``, ``p_hcc`` and ``predicted``.
    example
        The fit of the first test spectrum (for the figure).
    models
        The fitted ``qcnn`` and ``ccnn``.
    """
    from sklearn.metrics import roc_auc_score, roc_curve  # heavy: only when evaluating

    gen = as_generator(rng)
    t0 = time.perf_counter()
    basis = basis or make_liver_basis()
    names = basis.names
    prior = SpectrumPrior()
    qcnn = SpectrumQuantifierCNN(
        n_steps=qcnn_steps, batch_size=batch_size, lr=3e-3, rng=derive_seed(gen)
    ).fit(basis, prior=prior)
    t_q = time.perf_counter()
    test, truth, _ = simulate_spectra(basis, n_test, prior=prior, rng=derive_seed(gen))
    q_amp, q_sd = qcnn.predict(test, rng=derive_seed(gen))
    t_pred = time.perf_counter()
    fits = fit_each(test, basis)
    f_amp = np.array([r.amplitudes for r in fits])
    f_crlb = np.array([r.crlb for r in fits])
    t_fit = time.perf_counter()
    q_err = np.abs(q_amp - truth) / truth * 100
    f_err = np.abs(f_amp - truth) / truth * 100
    q_mape, f_mape = q_err.mean(0), f_err.mean(0)
    paired = {}
    for j, n in enumerate(names):
        diff = q_err[:, j] - f_err[:, j]
        paired[n] = 1.0 if np.allclose(diff, 0) else float(wilcoxon(q_err[:, j], f_err[:, j]).pvalue)

    # classification
    hcc_prior = prior.scaled(HCC_FACTORS)
    class_priors = {"non-HCC": prior, "HCC": hcc_prior}
    est = {}
    for label, p in class_priors.items():
        pilots = _patients(p, names, n_pilot, gen)
        d, _ = _one_per_patient(basis, pilots, gen)
        est[label] = SpectrumPrior.from_amplitudes(qcnn.predict(d, n_samples=0)[0], names)
    ccnn = SpectrumClassifierCNN(
        n_steps=ccnn_steps, batch_size=batch_size, lr=3e-3, rng=derive_seed(gen)
    ).fit(basis, est)
    n_hcc, n_non = n_test_patients
    pats = _patients(hcc_prior, names, n_hcc, gen) + _patients(prior, names, n_non, gen)
    d, _ = _one_per_patient(basis, pats, gen)
    y_true = np.array(["HCC"] * n_hcc + ["non-HCC"] * n_non)
    proba = ccnn.predict_proba(d, rng=derive_seed(gen))
    y_pred = np.array(ccnn.classes_)[proba.argmax(1)]
    p_hcc = proba[:, ccnn.classes_.index("HCC")].round(6)  # as written out: the AUC is reproducible
    is_hcc = (y_true == "HCC").astype(int)
    fpr, tpr, _ = roc_curve(is_hcc, p_hcc)
    patients = [f"SIM-HCC-{i + 1:02d}" for i in range(n_hcc)] + [
        f"SIM-nonHCC-{i + 1:02d}" for i in range(n_non)
    ]
    tp = int(((y_pred == "HCC") & (y_true == "HCC")).sum())
    tn = int(((y_pred == "non-HCC") & (y_true == "non-HCC")).sum())
    t_end = time.perf_counter()

    metrics = {
        "synthetic": True,
        "note": (
            "All spectra, patients and class differences are SIMULATED (see assumptions); "
            "not clinical results."
        ),
        "metabolites": names,
        "qcnn_mape": dict(zip(names, q_mape.round(3).tolist(), strict=True)),
        "fit_mape": dict(zip(names, f_mape.round(3).tolist(), strict=True)),
        "paired_p": paired,
        "paired_test": "two-sided Wilcoxon signed-rank on per-spectrum absolute percentage errors",
        "qcnn_better": [n for n, q, f in zip(names, q_mape, f_mape, strict=True) if q < f],
        "qcnn_mc_dropout_sd_median": dict(
            zip(names, np.median(q_sd / q_amp * 100, 0).round(2).tolist(), strict=True)
        ),
        "fit_crlb_percent_median": dict(
            zip(names, np.median(f_crlb / np.maximum(f_amp, 1e-9) * 100, 0).round(2).tolist(), strict=True)
        ),
        "n_test_spectra": n_test,
        "classification": {
            "sensitivity": tp / n_hcc,
            "specificity": tn / n_non,
            "accuracy": (tp + tn) / (n_hcc + n_non),
            "n_hcc": n_hcc,
            "n_non_hcc": n_non,
            "true_positive": tp,
            "true_negative": tn,
            "auc": float(roc_auc_score(is_hcc, p_hcc)),
            "p_hcc": p_hcc.tolist(),
            "patients": patients,
            "true_class": y_true.tolist(),
            "predicted": y_pred.tolist(),
            "roc": {"fpr": fpr.round(6).tolist(), "tpr": tpr.round(6).tolist()},
        },
        "seconds": {
            "qcnn_fit": round(t_q - t0, 2),
            "qcnn_predict": round(t_pred - t_q, 3),
            "lc_fit": round(t_fit - t_pred, 2),
            "total": round(t_end - t0, 2),
        },
        "assumptions": {
            "hcc_factors": HCC_FACTORS,
            "patient_log_sd": PATIENT_LOG_SD,
            "spectrum_prior": (
                "omicsdl.mrs.SpectrumPrior defaults (3 T, PRESS TE 30 ms, 8-20 Hz Lorentz, 5-20 Hz Gauss)"
            ),
            "glucose": "Glc (alpha/beta glucose) stands in for glycogen/glucose",
        },
    }
    return metrics, fits[0], {"qcnn": qcnn, "ccnn": ccnn}


def write_mrs_evaluation(
    out: str | os.PathLike[str], metrics: dict, example: FitResult, models: dict | None = None
) -> dict[str, Path]:
    """Write the output of :func:`evaluate_mrs` into the folder ``out`` (each file atomically).

    ``fit_example.png`` (the example fit), ``classification_scores.tsv`` (patient, true class,
    P(HCC), predicted class), ``roc.png``, ``models/qcnn`` and ``models/ccnn`` when ``models``
    is given, and ``metrics.json`` last, so its presence means the folder is complete.

    Returns
    -------
    File kind -> path written.
    """
    from omicsdl._core._atomic import write_json
    from omicsdl.mrs._files import write_tsv
    from omicsdl.mrs._plot import plot_classification_roc, plot_fit
    from omicsdl.pl import save_figure

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {
        "fit_png": save_figure(
            plot_fit(example, title="SIMULATED liver spectrum: linear-combination fit"),
            out / "fit_example.png",
            dpi=110,
        )
    }
    cls = metrics["classification"]
    written["scores_tsv"] = write_tsv(
        out / "classification_scores.tsv",
        ["patient", "true_class", "probability", "predicted"],
        zip(cls["patients"], cls["true_class"], cls["p_hcc"], cls["predicted"], strict=True),
    )
    scores = {
        c: [p for p, t in zip(cls["p_hcc"], cls["true_class"], strict=True) if t == c]
        for c in ("HCC", "non-HCC")
    }
    written["roc_png"] = save_figure(
        plot_classification_roc(cls["roc"]["fpr"], cls["roc"]["tpr"], auc=cls["auc"], scores=scores),
        out / "roc.png",
        dpi=110,
    )
    for name, model in (models or {}).items():
        written[name] = model.save(out / "models" / name)
    written["metrics_json"] = write_json(out / "metrics.json", metrics)
    return written

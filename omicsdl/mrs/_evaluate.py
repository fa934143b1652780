"""One-run evaluation on SIMULATED spectra: qCNN, hybrid and linear-combination fit; the cCNN.

SIMULATION assumptions (not biology): class medians differ by the factors in
:data:`HCC_FACTORS`; each simulated patient has a profile drawn around the class medians
(log-sd :data:`PATIENT_LOG_SD`); each spectrum varies around its patient's profile
(log-sd 0.1) with random linewidth, shift, phase, water, baseline and SNR.

:func:`evaluate_mrs` returns an :class:`~omicsdl.mrs.MRSEvaluation`; its ``write`` method
(``omicsdl/mrs/_results.py``) owns the files and draws the figures.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy.stats import wilcoxon

from omicsdl._core._logging import progress
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.metrics import bootstrap_auc_ci, clopper_pearson, holm_adjust
from omicsdl.mrs._basis import NOT_MODELLED, Basis, make_liver_basis
from omicsdl.mrs._fit import DEFAULT_MAX_EVALUATIONS, fit_each
from omicsdl.mrs._hybrid import fit_spectra_from_cnn
from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN
from omicsdl.mrs._results import CohortSpread, MRSClassification, MRSEvaluation
from omicsdl.mrs._simulate import SpectrumPrior, simulate_spectra

if TYPE_CHECKING:
    from omicsdl.mrs._fit import FitResult

__all__ = ["HCC_FACTORS", "PATIENT_LOG_SD", "evaluate_mrs"]

logger = logging.getLogger(__name__)

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
_PAIRED_TEST = "two-sided Wilcoxon signed-rank on per-spectrum absolute percentage errors"
_CI_LEVEL = 0.95


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


def _paired_p(a_err: np.ndarray, b_err: np.ndarray, names: list[str]) -> dict[str, float]:
    """Per component: p of the paired test of two methods' per-spectrum errors."""
    out = {}
    for j, n in enumerate(names):
        same = np.allclose(a_err[:, j] - b_err[:, j], 0)
        out[n] = 1.0 if same else float(wilcoxon(a_err[:, j], b_err[:, j]).pvalue)
    return out


def _per_name(names: list[str], values: np.ndarray, digits: int) -> dict[str, float]:
    return dict(zip(names, np.round(values, digits).tolist(), strict=True))


def _convergence(fits: list[FitResult], cap: int) -> dict[str, float | int]:
    n_eval = np.array([f.n_evaluations for f in fits])
    converged = int(sum(f.converged for f in fits))
    return {
        "n_spectra": len(fits),
        "converged": converged,
        "rate": round(converged / len(fits), 4),
        "max_evaluations": int(cap),
        "evaluations_median": float(np.median(n_eval)),
        "evaluations_max": int(n_eval.max()),
    }


def _cohort(
    ccnn: SpectrumClassifierCNN,
    basis: Basis,
    class_priors: dict[str, SpectrumPrior],
    n_test_patients: tuple[int, int],
    gen: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One simulated test cohort: true classes, P(HCC) (rounded as written out) and predicted classes."""
    names = basis.names
    n_hcc, n_non = n_test_patients
    pats = _patients(class_priors["HCC"], names, n_hcc, gen) + _patients(
        class_priors["non-HCC"], names, n_non, gen
    )
    d, _ = _one_per_patient(basis, pats, gen)
    y_true = np.array(["HCC"] * n_hcc + ["non-HCC"] * n_non)
    proba = ccnn.predict_proba(d)
    y_pred = np.array(ccnn.classes_)[proba.argmax(1)]
    p_hcc = proba[:, ccnn.classes_.index("HCC")].round(6)  # as written out: the AUC is reproducible
    return y_true, p_hcc, y_pred


def _cohort_metrics(y_true: np.ndarray, p_hcc: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    pos = y_true == "HCC"
    hit = y_pred == y_true
    return {
        "sensitivity": float(hit[pos].mean()),
        "specificity": float(hit[~pos].mean()),
        "accuracy": float(hit.mean()),
        "auc": float(roc_auc_score(pos.astype(int), p_hcc)),
    }


def _fit_ccnn(
    qcnn: SpectrumQuantifierCNN,
    basis: Basis,
    class_priors: dict[str, SpectrumPrior],
    *,
    n_pilot: int,
    max_steps: int,
    batch_size: int,
    gen: np.random.Generator,
) -> SpectrumClassifierCNN:
    """Pilot patients per class → their qCNN amplitudes → class priors → a fitted cCNN."""
    est = {}
    for label in ("non-HCC", "HCC"):
        pilots = _patients(class_priors[label], basis.names, n_pilot, gen)
        d, _ = _one_per_patient(basis, pilots, gen)
        est[label] = SpectrumPrior.from_amplitudes(qcnn.predict(d, n_samples=0)[0], basis.names)
    return SpectrumClassifierCNN(
        max_steps=max_steps, batch_size=batch_size, learning_rate=3e-3, rng=derive_seed(gen)
    ).fit(basis, est)


def evaluate_mrs(
    *,
    basis: Basis | None = None,
    n_test: int = 200,
    qcnn_max_steps: int = 800,
    qcnn_channels: int = 8,
    qcnn_loss_weighting: Literal["uniform", "balanced"] = "uniform",
    ccnn_max_steps: int = 150,
    batch_size: int = 64,
    n_pilot: int = 10,
    n_test_patients: tuple[int, int] = (7, 10),
    n_cohorts: int = 200,
    n_studies: int = 20,
    n_boot: int = 2000,
    hybrid: bool = True,
    fit_max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
    rng: RNGLike = None,
) -> MRSEvaluation:
    """Evaluate quantification and classification on SIMULATED liver spectra.

    1. qCNN fitted on spectra streamed from the default prior; on ``n_test`` held-out
       spectra its per-metabolite mean absolute percentage error (MAPE) is compared with the
       linear-combination fit's (paired Wilcoxon signed-rank test on the absolute errors,
       Holm-adjusted over the components), and so is the hybrid's (the fit with the qCNN's
       estimates as prior, :func:`~omicsdl.mrs.fit_spectra_from_cnn`).
    2. ``n_pilot`` pilot patients per class (their spectra quantified by the qCNN) give the
       class priors, as Bae et al. used their first 10 patients per group; the cCNN is fitted
       on spectra simulated from those priors and tested on ``n_test_patients`` (HCC,
       non-HCC) new simulated patients, one spectrum each, never used for fitting. Exact
       (Clopper–Pearson) intervals for sensitivity, specificity and accuracy and a
       bootstrap interval for the AUC go with it.
    3. So that one lucky draw is not the result: the same cCNN on ``n_cohorts`` further
       simulated test cohorts of the same size (``cohort_spread``), and ``n_studies``
       whole replicate studies — new pilots, a new cCNN, a new test cohort
       (``study_spread``).

    Parameters
    ----------
    basis
        Basis set of the simulated spectra (default :func:`~omicsdl.mrs.make_liver_basis`).
    n_test
        Held-out simulated spectra for the error table.
    qcnn_max_steps, qcnn_channels, qcnn_loss_weighting
        ``max_steps``, ``channels`` and ``loss_weighting`` of the
        :class:`~omicsdl.mrs.SpectrumQuantifierCNN`.
    ccnn_max_steps
        Optimiser steps of the cCNN (``max_steps`` of :class:`~omicsdl.mrs.SpectrumClassifierCNN`).
    batch_size
        Simulated spectra per optimiser step, for both networks.
    n_pilot
        Pilot patients per class whose qCNN amplitudes give the class priors of the cCNN.
    n_test_patients
        Held-out simulated (HCC, non-HCC) patients of the classification (and of each cohort).
    n_cohorts
        Further simulated test cohorts for ``cohort_spread`` (0: none).
    n_studies
        Replicate studies (pilots, cCNN and test cohort drawn anew) for ``study_spread`` (0: none).
    n_boot
        Bootstrap replicates of the AUC interval.
    hybrid
        Also evaluate the hybrid (fit with the qCNN's prior).
    fit_max_evaluations
        Cap on the model evaluations of each fit's nonlinear search (its convergence rate is reported).
    rng
        Seed or generator (``None``: ``settings.seed``) of every simulation and every network.

    Returns
    -------
    The evaluation: per-metabolite MAPEs and paired p-values (raw and Holm-adjusted), the
    fit's convergence, the cCNN's :class:`~omicsdl.mrs.MRSClassification` on the held-out
    patients (HCC = positive, predicted class = most probable) with its intervals, the
    cohort and study spreads, timings, the settings and assumptions, the fit of the first
    test spectrum (``example``, for the figure) and the fitted ``qcnn`` and ``ccnn``.
    Write it with :meth:`MRSEvaluation.write`.
    """
    from sklearn.metrics import roc_curve  # heavy: only when evaluating

    gen = as_generator(rng)
    t0 = time.perf_counter()
    basis = basis or make_liver_basis()
    names = basis.names
    prior = SpectrumPrior()
    qcnn = SpectrumQuantifierCNN(
        max_steps=qcnn_max_steps,
        batch_size=batch_size,
        learning_rate=3e-3,
        channels=qcnn_channels,
        loss_weighting=qcnn_loss_weighting,
        rng=derive_seed(gen),
    ).fit(basis, prior=prior)
    t_q = time.perf_counter()
    test, truth, _ = simulate_spectra(basis, n_test, prior=prior, rng=derive_seed(gen))
    # this draw seeded the MC dropout before the networks took it from their own rng; it is
    # still drawn so that the pilots, the cCNN and the test patients stay those of earlier runs
    derive_seed(gen)
    q_amp, q_sd = qcnn.predict(test)
    t_pred = time.perf_counter()
    logger.info("linear-combination fit of %d held-out simulated spectra", n_test)
    fits = fit_each(test, basis, max_evaluations=fit_max_evaluations)
    f_amp = np.array([r.amplitudes for r in fits])
    f_crlb = np.array([r.crlb for r in fits])
    t_fit = time.perf_counter()
    q_err = np.abs(q_amp - truth) / truth * 100
    f_err = np.abs(f_amp - truth) / truth * 100
    q_mape, f_mape = q_err.mean(0), f_err.mean(0)
    paired = _paired_p(q_err, f_err, names)
    hybrid_fields: dict = {}
    if hybrid:
        logger.info("hybrid fit (qCNN prior) of %d held-out simulated spectra", n_test)
        h_fits = fit_spectra_from_cnn(test, basis, qcnn, max_evaluations=fit_max_evaluations)
        h_err = np.abs(np.array([r.amplitudes for r in h_fits]) - truth) / truth * 100
        h_paired = _paired_p(h_err, f_err, names)
        hybrid_fields = {
            "hybrid_mape": _per_name(names, h_err.mean(0), 3),
            "hybrid_paired_p": h_paired,
            "hybrid_paired_p_adjusted": holm_adjust(h_paired),
            "hybrid_better": [n for n, h, f in zip(names, h_err.mean(0), f_mape, strict=True) if h < f],
            "hybrid_convergence": _convergence(h_fits, fit_max_evaluations),
        }
    t_hybrid = time.perf_counter()

    # classification: one study as in the paper (its draws are those of earlier omicsdl runs)
    class_priors = {"non-HCC": prior, "HCC": prior.scaled(HCC_FACTORS)}
    ccnn_kwargs = {"n_pilot": n_pilot, "max_steps": ccnn_max_steps, "batch_size": batch_size}
    ccnn = _fit_ccnn(qcnn, basis, class_priors, gen=gen, **ccnn_kwargs)
    n_hcc, n_non = n_test_patients
    y_true, p_hcc, y_pred = _cohort(ccnn, basis, class_priors, n_test_patients, gen)
    is_hcc = (y_true == "HCC").astype(int)
    fpr, tpr, _ = roc_curve(is_hcc, p_hcc)
    patients = [f"SIM-HCC-{i + 1:02d}" for i in range(n_hcc)] + [
        f"SIM-nonHCC-{i + 1:02d}" for i in range(n_non)
    ]
    tp = int(((y_pred == "HCC") & (y_true == "HCC")).sum())
    tn = int(((y_pred == "non-HCC") & (y_true == "non-HCC")).sum())
    metrics = _cohort_metrics(y_true, p_hcc, y_pred)
    classification = MRSClassification(
        sensitivity=tp / n_hcc,
        specificity=tn / n_non,
        accuracy=(tp + tn) / (n_hcc + n_non),
        n_hcc=n_hcc,
        n_non_hcc=n_non,
        true_positive=tp,
        true_negative=tn,
        auc=metrics["auc"],
        p_hcc=p_hcc.tolist(),
        patients=patients,
        true_class=y_true.tolist(),
        predicted=y_pred.tolist(),
        fpr=fpr.round(6).tolist(),
        tpr=tpr.round(6).tolist(),
        ci_level=_CI_LEVEL,
        sensitivity_ci=clopper_pearson(tp, n_hcc, _CI_LEVEL),
        specificity_ci=clopper_pearson(tn, n_non, _CI_LEVEL),
        accuracy_ci=clopper_pearson(tp + tn, n_hcc + n_non, _CI_LEVEL),
        auc_ci=bootstrap_auc_ci(is_hcc, p_hcc, n_boot=n_boot, rng=derive_seed(gen), level=_CI_LEVEL),
        ci_methods={
            "sensitivity, specificity, accuracy": "exact binomial (Clopper-Pearson)",
            "auc": f"percentile bootstrap, {n_boot} resamples within each class",
        },
    )
    t_cls = time.perf_counter()
    cohorts = [
        _cohort_metrics(*_cohort(ccnn, basis, class_priors, n_test_patients, gen))
        for _ in progress(range(n_cohorts), desc="simulated test cohorts", total=n_cohorts)
    ]
    t_cohorts = time.perf_counter()
    studies = []
    for _ in progress(range(n_studies), desc="replicate studies (pilots, cCNN, cohort)", total=n_studies):
        study_ccnn = _fit_ccnn(qcnn, basis, class_priors, gen=gen, **ccnn_kwargs)
        studies.append(_cohort_metrics(*_cohort(study_ccnn, basis, class_priors, n_test_patients, gen)))
    t_end = time.perf_counter()

    return MRSEvaluation(
        metabolites=list(names),
        qcnn_mape=_per_name(names, q_mape, 3),
        fit_mape=_per_name(names, f_mape, 3),
        paired_p=paired,
        paired_p_adjusted=holm_adjust(paired),
        paired_test=_PAIRED_TEST,
        p_adjustment=f"Holm over the {len(names)} components (family-wise error rate)",
        qcnn_better=[n for n, q, f in zip(names, q_mape, f_mape, strict=True) if q < f],
        qcnn_mc_dropout_sd_median=_per_name(names, np.median(q_sd / q_amp * 100, 0), 2),
        fit_crlb_percent_median=_per_name(names, np.median(f_crlb / np.maximum(f_amp, 1e-9) * 100, 0), 2),
        fit_convergence=_convergence(fits, fit_max_evaluations),
        n_test_spectra=n_test,
        **hybrid_fields,
        classification=classification,
        cohort_spread=CohortSpread.of(
            cohorts,
            description=(
                f"the same cCNN on {n_cohorts} further simulated test cohorts of {n_hcc} HCC and "
                f"{n_non} non-HCC patients"
            ),
        ),
        study_spread=CohortSpread.of(
            studies,
            description=(
                f"{n_studies} replicate studies: new pilot patients, a new cCNN and a new test cohort "
                f"of {n_hcc} + {n_non} simulated patients each (the qCNN fixed)"
            ),
        ),
        seconds={
            "qcnn_fit": round(t_q - t0, 2),
            "qcnn_predict": round(t_pred - t_q, 3),
            "lc_fit": round(t_fit - t_pred, 2),
            "hybrid_fit": round(t_hybrid - t_fit, 2),
            "classification": round(t_cls - t_hybrid, 2),
            "cohorts": round(t_cohorts - t_cls, 2),
            "studies": round(t_end - t_cohorts, 2),
            "total": round(t_end - t0, 2),
        },
        settings={
            "n_test": n_test,
            "qcnn_max_steps": qcnn_max_steps,
            "qcnn_channels": qcnn_channels,
            "qcnn_loss_weighting": qcnn_loss_weighting,
            "ccnn_max_steps": ccnn_max_steps,
            "batch_size": batch_size,
            "n_pilot": n_pilot,
            "n_test_patients": list(n_test_patients),
            "n_cohorts": n_cohorts,
            "n_studies": n_studies,
            "n_boot": n_boot,
            "hybrid": hybrid,
            "fit_max_evaluations": fit_max_evaluations,
        },
        assumptions={
            "hcc_factors": HCC_FACTORS,
            "patient_log_sd": PATIENT_LOG_SD,
            "spectrum_prior": (
                "omicsdl.mrs.SpectrumPrior defaults (3 T, PRESS TE 30 ms, 8-20 Hz Lorentz, 5-20 Hz Gauss)"
            ),
            "glucose": "Glc (alpha/beta glucose) stands in for glycogen/glucose",
            "not_modelled": dict(NOT_MODELLED),
        },
        example=fits[0],
        qcnn=qcnn,
        ccnn=ccnn,
    )

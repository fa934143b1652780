"""One-run evaluation on SIMULATED spectra: qCNN vs linear-combination fit, and the cCNN (compute only).

SIMULATION assumptions (not biology): class medians differ by the factors in
:data:`HCC_FACTORS`; each simulated patient has a profile drawn around the class medians
(log-sd :data:`PATIENT_LOG_SD`); each spectrum varies around its patient's profile
(log-sd 0.1) with random linewidth, shift, phase, water, baseline and SNR.

:func:`evaluate_mrs` returns an :class:`~omicsdl.mrs.MRSEvaluation`; its ``write`` method
(``omicsdl/mrs/_results.py``) owns the files and draws the figures.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.stats import wilcoxon

from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.mrs._basis import Basis, make_liver_basis
from omicsdl.mrs._fit import fit_each
from omicsdl.mrs._model import SpectrumClassifierCNN, SpectrumQuantifierCNN
from omicsdl.mrs._results import MRSClassification, MRSEvaluation
from omicsdl.mrs._simulate import SpectrumPrior, simulate_spectra

__all__ = ["HCC_FACTORS", "PATIENT_LOG_SD", "evaluate_mrs"]

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
    qcnn_max_steps: int = 800,
    ccnn_max_steps: int = 150,
    batch_size: int = 64,
    n_pilot: int = 10,
    n_test_patients: tuple[int, int] = (7, 10),
    rng: RNGLike = None,
) -> MRSEvaluation:
    """Evaluate quantification and classification on SIMULATED liver spectra.

    1. qCNN fitted on spectra streamed from the default prior; on ``n_test`` held-out
       spectra its per-metabolite mean absolute percentage error (MAPE) is compared with the
       linear-combination fit's (paired Wilcoxon signed-rank test on the absolute errors).
    2. ``n_pilot`` pilot patients per class (their spectra quantified by the qCNN) give the
       class priors, as Bae et al. used their first 10 patients per group; the cCNN is fitted
       on spectra simulated from those priors and tested on ``n_test_patients`` (HCC,
       non-HCC) new simulated patients, one spectrum each, never used for fitting.

    Parameters
    ----------
    basis
        Basis set of the simulated spectra (default :func:`~omicsdl.mrs.make_liver_basis`).
    n_test
        Held-out simulated spectra for the error table.
    qcnn_max_steps
        Optimiser steps of the qCNN (``max_steps`` of :class:`~omicsdl.mrs.SpectrumQuantifierCNN`).
    ccnn_max_steps
        Optimiser steps of the cCNN (``max_steps`` of :class:`~omicsdl.mrs.SpectrumClassifierCNN`).
    batch_size
        Simulated spectra per optimiser step, for both networks.
    n_pilot
        Pilot patients per class whose qCNN amplitudes give the class priors of the cCNN.
    n_test_patients
        Held-out simulated (HCC, non-HCC) patients of the classification.
    rng
        Seed or generator (``None``: ``settings.seed``) of every simulation and both networks.

    Returns
    -------
    The evaluation: per-metabolite MAPEs and paired p-values, the cCNN's
    :class:`~omicsdl.mrs.MRSClassification` on the held-out patients (HCC = positive,
    predicted class = most probable), timings, the assumptions, the fit of the first test
    spectrum (``example``, for the figure) and the fitted ``qcnn`` and ``ccnn``. Write it
    with :meth:`MRSEvaluation.write`.
    """
    from sklearn.metrics import roc_auc_score, roc_curve  # heavy: only when evaluating

    gen = as_generator(rng)
    t0 = time.perf_counter()
    basis = basis or make_liver_basis()
    names = basis.names
    prior = SpectrumPrior()
    qcnn = SpectrumQuantifierCNN(
        max_steps=qcnn_max_steps, batch_size=batch_size, learning_rate=3e-3, rng=derive_seed(gen)
    ).fit(basis, prior=prior)
    t_q = time.perf_counter()
    test, truth, _ = simulate_spectra(basis, n_test, prior=prior, rng=derive_seed(gen))
    # this draw seeded the MC dropout before the networks took it from their own rng; it is
    # still drawn so that the pilots, the cCNN and the test patients stay those of earlier runs
    derive_seed(gen)
    q_amp, q_sd = qcnn.predict(test)
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
        max_steps=ccnn_max_steps, batch_size=batch_size, learning_rate=3e-3, rng=derive_seed(gen)
    ).fit(basis, est)
    n_hcc, n_non = n_test_patients
    pats = _patients(hcc_prior, names, n_hcc, gen) + _patients(prior, names, n_non, gen)
    d, _ = _one_per_patient(basis, pats, gen)
    y_true = np.array(["HCC"] * n_hcc + ["non-HCC"] * n_non)
    proba = ccnn.predict_proba(d)
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

    classification = MRSClassification(
        sensitivity=tp / n_hcc,
        specificity=tn / n_non,
        accuracy=(tp + tn) / (n_hcc + n_non),
        n_hcc=n_hcc,
        n_non_hcc=n_non,
        true_positive=tp,
        true_negative=tn,
        auc=float(roc_auc_score(is_hcc, p_hcc)),
        p_hcc=p_hcc.tolist(),
        patients=patients,
        true_class=y_true.tolist(),
        predicted=y_pred.tolist(),
        fpr=fpr.round(6).tolist(),
        tpr=tpr.round(6).tolist(),
    )
    return MRSEvaluation(
        metabolites=list(names),
        qcnn_mape=dict(zip(names, q_mape.round(3).tolist(), strict=True)),
        fit_mape=dict(zip(names, f_mape.round(3).tolist(), strict=True)),
        paired_p=paired,
        paired_test="two-sided Wilcoxon signed-rank on per-spectrum absolute percentage errors",
        qcnn_better=[n for n, q, f in zip(names, q_mape, f_mape, strict=True) if q < f],
        qcnn_mc_dropout_sd_median=dict(
            zip(names, np.median(q_sd / q_amp * 100, 0).round(2).tolist(), strict=True)
        ),
        fit_crlb_percent_median=dict(
            zip(names, np.median(f_crlb / np.maximum(f_amp, 1e-9) * 100, 0).round(2).tolist(), strict=True)
        ),
        n_test_spectra=n_test,
        classification=classification,
        seconds={
            "qcnn_fit": round(t_q - t0, 2),
            "qcnn_predict": round(t_pred - t_q, 3),
            "lc_fit": round(t_fit - t_pred, 2),
            "total": round(t_end - t0, 2),
        },
        assumptions={
            "hcc_factors": HCC_FACTORS,
            "patient_log_sd": PATIENT_LOG_SD,
            "spectrum_prior": (
                "omicsdl.mrs.SpectrumPrior defaults (3 T, PRESS TE 30 ms, 8-20 Hz Lorentz, 5-20 Hz Gauss)"
            ),
            "glucose": "Glc (alpha/beta glucose) stands in for glycogen/glucose",
        },
        example=fits[0],
        qcnn=qcnn,
        ccnn=ccnn,
    )

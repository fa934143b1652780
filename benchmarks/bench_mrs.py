"""Benchmark: qCNN inference vs linear-combination fitting on SYNTHETIC liver spectra.

qCNN inference is timed on 10,000 simulated spectra; the fit on a subset of 50 spectra,
extrapolated per spectrum to 10,000 (fitting all would take hours). Both run in this
process on the same machine (1 torch thread).
"""

from __future__ import annotations

import time

import numpy as np
import torch
from _harness import measure, table, write_section

import omicsdl.mrs as mrs

N_INFER = 10_000
N_FIT = 50


def main() -> None:
    torch.set_num_threads(1)
    basis = mrs.make_liver_basis()
    qcnn = mrs.SpectrumQuantifierCNN(max_steps=30, batch_size=64, n_threads=1, rng=0).fit(basis)
    chunks = [mrs.simulate_spectra(basis, 1000, rng=k)[0] for k in range(N_INFER // 1000)]

    def infer(n_samples: int) -> int:
        return sum(qcnn.predict(c, n_samples=n_samples)[0].shape[0] for c in chunks)

    det = measure(lambda: infer(0), repeats=2)
    mc = measure(lambda: infer(10), repeats=1)
    subset, _, _ = mrs.simulate_spectra(basis, N_FIT, rng=123)
    t0 = time.perf_counter()
    mrs.fit_spectra(subset, basis)
    per_fit = (time.perf_counter() - t0) / N_FIT
    fit_total = per_fit * N_INFER
    rows = [
        [
            "linear-combination fit (baseline)",
            f"{per_fit * 1e3:.1f}",
            f"{fit_total:.0f} (extrapolated from {N_FIT})",
            "1.0",
        ],
        [
            "qCNN, 1 deterministic pass",
            f"{det.seconds / N_INFER * 1e3:.3f}",
            f"{det.seconds:.2f}",
            f"{fit_total / det.seconds:.0f}",
        ],
        [
            "qCNN, MC-dropout 10 passes",
            f"{mc.seconds / N_INFER * 1e3:.3f}",
            f"{mc.seconds:.2f}",
            f"{fit_total / mc.seconds:.0f}",
        ],
    ]
    body = (
        "SYNTHETIC spectra (17 liver components, 1024 points, 3 T PRESS TE 30 ms basis). qCNN inference is "
        f"measured on {N_INFER:,} spectra; the fit on {N_FIT} spectra and extrapolated linearly per spectrum "
        f"to {N_INFER:,}. One torch thread.\n\n"
        + table(["method", "ms / spectrum", f"seconds for {N_INFER:,}", "speed-up vs fit"], rows)
        + f"\n\nqCNN peak memory above start (deterministic pass): {det.peak_mib:.0f} MiB.\n"
    )
    path = write_section("mrs", "MRS: qCNN inference vs linear-combination fitting", body)
    print(
        f"wrote {path}; speed-up {fit_total / det.seconds:.0f}x (1 pass), "
        f"{fit_total / mc.seconds:.0f}x (MC 10)"
    )
    assert np.isfinite(per_fit)


if __name__ == "__main__":
    main()

"""Foundation benchmarks: loading the embedded cohort and preprocessing it.

Baselines measured in the same run: reading the three omics with plain
``pandas.read_csv`` (no validation, no AnnData), and scikit-learn's
``StandardScaler`` on the same log-transformed matrices.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import measure, table, write_section

import omicsdl as od


def main() -> None:
    pkg = files("omicsdl.datasets._data.tcga_lihc_demo")

    def plain_read() -> list[pd.DataFrame]:
        return [
            pd.read_csv(pkg / f"{m}.tsv.gz", sep="\t", index_col=0) for m in ("rna", "mirna", "methylation")
        ]

    base = measure(plain_read, repeats=3)
    load = measure(od.datasets.tcga_lihc_demo, repeats=3)
    mdata = load.result

    from sklearn.preprocessing import StandardScaler

    logged = [np.log2(np.asarray(mdata[m].X, dtype=float) + 1) for m in ("rna", "mirna")]
    logged.append(np.asarray(mdata["methylation"].X, dtype=float))

    def sklearn_scale() -> list[np.ndarray]:
        return [StandardScaler().fit_transform(x) for x in logged]

    sk = measure(sklearn_scale, repeats=5)
    pp = measure(lambda: od.pp.preprocess_cohort(mdata), repeats=5)
    rows = [
        [
            "load demo cohort (validated MuData)",
            f"{load.seconds:.2f}",
            f"{load.peak_mib:.0f}",
            f"{load.seconds / base.seconds:.2f}× plain pandas.read_csv of the 3 files ({base.seconds:.2f} s)",
        ],
        [
            "preprocess 3 omics (filter, log2, impute, z-score)",
            f"{pp.seconds:.3f}",
            f"{pp.peak_mib:.0f}",
            f"{pp.seconds / sk.seconds:.1f}× log2 + sklearn StandardScaler on the 3 omics ({sk.seconds:.3f} s)",
        ],
    ]
    body = table(["step", "seconds (best)", "peak MiB", "ratio to baseline in the same run"], rows)
    body += (
        "\n\nThe cohort loader also checks sha256 of every file and validates the schema; "
        "preprocessing also filters and records what it drops."
    )
    write_section("foundation", "Foundation: embedded cohort and preprocessing", body)


if __name__ == "__main__":
    main()

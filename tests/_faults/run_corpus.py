"""Run the fault corpus and count its outcomes: ``python -m tests._faults.run_corpus [--json OUT] [--only PREFIX]``.

Prints one table (target × outcome) and the faults that did not end in a
clear error or a correct result. Used for the before/after counts of issue 13
(run it against another checkout with ``PYTHONPATH=<checkout>``).
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="write every outcome here")
    parser.add_argument("--only", default="", help="run only targets starting with this")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    import omicsdl
    from tests._faults.build import all_faults
    from tests._faults.corpus import OUTCOMES, classify

    faults = [f for f in all_faults() if f.target.startswith(args.only)]
    rows = []
    for fault in faults:
        with tempfile.TemporaryDirectory() as tmp:
            outcome, detail = classify(fault, Path(tmp))
        rows.append({"target": fault.target, "kind": fault.kind, "outcome": outcome, "detail": detail})
    per = collections.defaultdict(collections.Counter)
    for row in rows:
        per[row["target"]][row["outcome"]] += 1
    print(f"omicsdl {omicsdl.__version__} from {Path(omicsdl.__file__).parent}")
    print("| target | faults | " + " | ".join(OUTCOMES) + " |")
    print("|---|---:|" + "---:|" * len(OUTCOMES))
    total = collections.Counter()
    for target in sorted(per):
        c = per[target]
        total.update(c)
        print(f"| {target} | {sum(c.values())} | " + " | ".join(str(c[o]) for o in OUTCOMES) + " |")
    print(f"| **all** | {sum(total.values())} | " + " | ".join(str(total[o]) for o in OUTCOMES) + " |")
    bad = [r for r in rows if r["outcome"] not in ("clear_error", "correct")]
    for r in bad:
        print(f"  {r['outcome']:13s} {r['target']}:{r['kind']}  {r['detail'][:160]!r}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

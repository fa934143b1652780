"""Benchmark harness: time and peak memory of callables, results into reports/benchmarks.md.

Every figure is reported as a ratio against a baseline measured in the same
process, so numbers stay comparable across machines. Each benchmark script
owns one section of ``reports/benchmarks.md`` (between ``<!-- section:NAME -->``
markers) and rewrites only that section.
"""

from __future__ import annotations

import gc
import os
import platform
import re
import resource
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "reports" / "benchmarks.md"
SHARED = Path(os.environ.get("OMICSDL_SHARED_DATA", REPO.parent / "shared" / "data"))


@dataclass
class Measurement:
    """Best wall time over repeats and peak memory of one callable."""

    seconds: float
    peak_mib: float
    result: Any = None


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:  # noqa: PTH123
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(func: Callable[[], Any], *, repeats: int = 3, trace_python_memory: bool = False) -> Measurement:
    """Run ``func`` ``repeats`` times; best wall time and peak memory above the start.

    Peak memory is the peak resident set size sampled every 5 ms (covers numpy,
    torch and C allocations) or, with ``trace_python_memory``, tracemalloc's peak.
    """
    best = float("inf")
    peak = 0.0
    result = None
    for _ in range(repeats):
        gc.collect()
        start_rss = _rss_mib()
        samples = [start_rss]
        stop = threading.Event()

        def sampler(samples: list[float] = samples, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                samples.append(_rss_mib())
                time.sleep(0.005)

        thread = threading.Thread(target=sampler, daemon=True)
        if trace_python_memory:
            tracemalloc.start()
        thread.start()
        t0 = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - t0
        stop.set()
        thread.join()
        if trace_python_memory:
            peak = max(peak, tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        else:
            peak = max(peak, max(samples) - start_rss)
        best = min(best, elapsed)
    return Measurement(best, peak, result)


def machine_line() -> str:
    """One line describing the machine and the main library versions."""
    import numpy as np

    versions = [f"python {platform.python_version()}", f"numpy {np.__version__}"]
    for name in ("torch", "pandas", "gensim", "scipy"):
        module = sys.modules.get(name)
        if module is not None:
            versions.append(f"{name} {module.__version__}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()} {platform.release()}; "
        + ", ".join(versions)
        + f"; process max RSS {maxrss:.0f} MiB"
    )


def write_section(name: str, title: str, body: str) -> Path:
    """Replace (or add) section ``name`` of reports/benchmarks.md with ``body``."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n\nRun `make bench` to refresh.\n"
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    block = (
        f"<!-- section:{name} -->\n## {title}\n\n_Measured {stamp} on {machine_line()}._\n\n"
        f"{body.strip()}\n<!-- /section:{name} -->\n"
    )
    pattern = re.compile(rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->\n", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    tmp = REPORT.with_suffix(".md.part")
    tmp.write_text(text)
    tmp.replace(REPORT)
    return REPORT


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)

"""Fit many models side by side without the thread count changing any number.

:func:`run_tasks` runs independent fits in ``n_workers`` Python threads while
:func:`single_threaded_numerics` pins torch, BLAS and OpenMP to one thread
each: every fit then computes exactly what it would compute alone, so the
results are bit-identical whatever the number of workers (torch, NumPy and
scikit-learn release the GIL in their heavy loops, so two workers use two
cores). Each task draws its seed from its own identity (repeat, fold, model),
never from the order in which tasks finish.

:func:`quiet` (:func:`omicsdl.survival._quiet.quiet_in_main_thread`) silences
third-party convergence chatter in the main thread only: :class:`warnings.catch_warnings` is not thread-safe in Python 3.11, so
worker threads rely on the filters :func:`single_threaded_numerics` sets once.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import TYPE_CHECKING, TypeVar

from omicsdl.survival._quiet import quiet_in_main_thread as quiet

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

__all__ = ["quiet", "run_tasks", "single_threaded_numerics"]

_T = TypeVar("_T")


@contextlib.contextmanager
def single_threaded_numerics() -> Iterator[None]:
    """One torch thread, one BLAS/OpenMP thread, convergence warnings ignored; restored afterwards."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.filterwarnings("ignore", message=".*converge.*")
            warnings.filterwarnings("ignore", category=UserWarning, module="sksurv")
            yield
    finally:
        torch.set_num_threads(before)


def run_tasks(tasks: Sequence[Callable[[], _T]], *, n_workers: int = 1, desc: str = "fits") -> list[_T]:
    """Results of ``tasks`` in their order, computed by ``n_workers`` threads (1: in this thread).

    Parameters
    ----------
    tasks
        Independent callables.
    n_workers
        Threads running them.
    desc
        Label of the progress bar.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from omicsdl._core._logging import progress

    if n_workers <= 1 or len(tasks) <= 1:
        return [task() for task in progress(tasks, desc=desc, total=len(tasks))]
    with ThreadPoolExecutor(max_workers=int(n_workers)) as pool:
        futures = [pool.submit(task) for task in tasks]
        for _ in progress(as_completed(futures), desc=desc, total=len(futures)):
            pass
        return [f.result() for f in futures]

"""Independent work spread over processes, with results exactly as one process computes them.

`map_chunks(fn, items, workers)` applies `fn` (a module-level function from a list of items
to a list of results, one each, in order) to consecutive chunks of `items` and returns the
results in the order of `items`. `Background(fn, args)` runs `fn(*args)` in one worker
process while the caller goes on with other work. Nothing about the result
depends on the number of workers or on which worker finished first: a caller that keeps to
pure functions gets the same bytes from 1 or N processes (`tests/test_parallel_scan.py`
scans a fleet both ways).

Workers are started with `forkserver` (Python 3.14's default): a clean server process
imports the modules once and forks each worker from it, so no worker inherits the caller's
threads or its (possibly large) heap; items and results travel pickled. Each worker keeps
numpy's BLAS to one thread, as the scan's analysis does (small products, busy cores).

As with any `spawn`/`forkserver` pool, each worker first imports the program's main module
as `__mp_main__`: a script that calls the scan must do so under
`if __name__ == "__main__":` (the `migrate` command does). When a worker dies (an unguarded
script, memory), the work is done in this process instead: slower, same result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 8  # small enough to balance uneven chunks, large enough to amortise


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_LIMITS: list[object] = []  # a worker's BLAS limit, held for the worker's life


def _one_blas_thread() -> None:
    from threadpoolctl import threadpool_limits

    _LIMITS.append(threadpool_limits(limits=1, user_api="blas"))


def map_chunks(
    fn: Callable[[list[T]], list[R]], items: Sequence[T], workers: int,
    *, preload: Sequence[str] = (),
) -> list[R]:
    """`fn` over `items` in chunks, in `workers` processes (1: in this process).
    `preload`: modules the worker server imports once (e.g. the one defining `fn`)."""
    if workers <= 1 or len(items) < 2:
        return fn(list(items))
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    out: list[R] = []
    try:
        with _pool(min(workers, len(chunks)), preload) as pool:
            for part in pool.map(fn, chunks):
                out.extend(part)
    except BrokenProcessPool:
        return fn(list(items))
    if len(out) != len(items):
        raise RuntimeError(f"{fn.__name__}: {len(out)} results for {len(items)} items")
    return out



class Background:
    """`fn(*args)` in one worker process, started now while this process goes on; `done()`
    waits for it and says whether it ran to the end (False: it raised or died, and the
    caller does the work itself). `fn` should catch what it expects and exit with a code."""

    def __init__(self, fn: Callable[..., None], args: tuple[object, ...],
                 *, preload: Sequence[str] = ()) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        self._process = context.Process(target=fn, args=args, daemon=True)
        self._process.start()

    def done(self) -> bool:
        self._process.join()
        return self._process.exitcode == 0

def _pool(workers: int, preload: Sequence[str]) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_one_blas_thread)

"""Fleet-sized heaps: no full garbage collection while a scan builds and writes them.

A scan of 100,000 jobs keeps millions of small objects alive (jobs, sources, schedules,
findings) from reading the inputs until the outputs are written. Python's cyclic collector
walks every tracked object on each *full* collection, and starts one whenever the objects
that survived since the last grew by a quarter: while a fleet is read that is ~10 walks of
the growing heap (1.6-2.8 s of a 7-9 s read at 100,000 distinct jobs), and writing the
outputs costs one or two more (1-2 s each). `no_full_collections` keeps the collector's
young generations (they only walk objects allocated since, ~0.15 s over such a read, and
free the reference cycles some readers leave, e.g. the whenever and Python evaluators) and
holds back the full ones for the block. Objects that outlive two young collections and then
become cyclic garbage wait for the first full collection after the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 1 << 30  # young-generation collections before a full one: never, in practice


@contextmanager
def no_full_collections() -> Iterator[None]:
    """Inside the block the collector runs its young generations only (the thresholds are
    restored after, so blocks nest)."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)

"""Fleet-sized heaps: the cyclic garbage collector paused while a scan builds them.

A scan of 100,000 jobs keeps millions of small objects alive (jobs, sources, schedules,
findings) from reading the inputs until the outputs are written. Python's cyclic collector
walks every tracked object on each full collection, and it starts one whenever the objects
that survived since the last grew by a quarter: while a fleet is read that is ~10 full
walks (2.8 s of a 9 s read at 100,000 distinct jobs), and writing the outputs of such a
heap costs one or two more (1-2 s each). The scan creates no garbage cycles of note (its
values are trees: dataclasses, tuples, lists, dicts, strings), and reference counting frees
everything else at once, so the collector is paused over those stages (`gc_paused`); any
cycle left over is collected after, by the next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off inside the block (as it was after it: nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

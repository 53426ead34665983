"""`parallel.stream_in_worker`: results in the order of the items, whatever the worker does."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from migrate.parallel import stream_in_worker


def square(n: int) -> int:
    return n * n


def square_or_die(n: int) -> int:
    """Kills the worker process it runs in at item 5 (in this process: squares)."""
    if n == 5 and multiprocessing.parent_process() is not None:
        os._exit(3)
    return n * n


@pytest.mark.parametrize("ahead", [0, 1, 3])
def test_results_come_in_the_order_of_the_items(ahead: int) -> None:
    items = iter(range(40))  # a stream, taken as the worker goes
    assert list(stream_in_worker(square, items, ahead=ahead,
                                 preload=[__name__])) == [n * n for n in range(40)]


def test_a_dead_worker_leaves_the_rest_to_this_process() -> None:
    assert list(stream_in_worker(square_or_die, range(20), preload=[__name__])) == [
        n * n for n in range(20)]


def test_an_empty_stream_gives_nothing() -> None:
    assert list(stream_in_worker(square, [], preload=[__name__])) == []

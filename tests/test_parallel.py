"""`parallel.Background`: a function run in a worker process, and whether it ran to the end."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from migrate.parallel import Background


def write_squares(path: str, n: int) -> None:
    Path(path).write_text(" ".join(str(i * i) for i in range(n)))


def fail_quietly(path: str) -> None:
    Path(path).write_text("started")
    sys.exit(1)


def die(path: str) -> None:
    Path(path).write_text("started")
    os._exit(3)


def test_the_function_runs_in_another_process(tmp_path: Path) -> None:
    out = tmp_path / "squares"
    worker = Background(write_squares, (str(out), 5), preload=[__name__])
    assert worker.done()
    assert out.read_text() == "0 1 4 9 16"


def test_a_failed_or_dead_worker_is_not_done(tmp_path: Path) -> None:
    for fn in (fail_quietly, die):
        out = tmp_path / fn.__name__
        assert not Background(fn, (str(out),), preload=[__name__]).done()
        assert out.read_text() == "started"

"""Progress of a long scan on a terminal: one line on stderr, rewritten in place.

The library only calls a `Progress` callback (`sources.base.Progress`: stage, done, total);
this module is the CLI edge that draws it. Nothing is drawn when stderr is not a terminal
(pipes, CI logs, `CliRunner`): `terminal_progress` then returns None and the library skips
the calls. Redraws are throttled to one per `interval` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

_WORDS = {"read": "read {done:,} files", "convert": "converted {done:,} of {total:,} jobs",
          "analyse": "analysing {done:,} jobs", "write": "writing the catalog and report"}


class TerminalProgress:
    """A `Progress` callback drawing `migrate: read 1,234 files` on `stream`."""

    def __init__(self, stream: TextIO, interval: float = 0.1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._last = -interval
        self._width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = self.clock()
        final = total is not None and done >= total
        if now - self._last < self.interval and not final and stage not in ("analyse", "write"):
            return
        self._last = now
        text = "migrate: " + _WORDS.get(stage, stage + " {done:,}").format(
            done=done, total=total or 0)
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def finish(self) -> None:
        """Clear the line, so the summary that follows starts clean."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def terminal_progress(stream: TextIO) -> TerminalProgress | None:
    """A progress line for `stream` if it is a terminal, else None (nothing extra)."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        tty = False
    return TerminalProgress(stream) if tty else None

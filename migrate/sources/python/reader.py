"""The thin edge for Python schedule files: which files are ours, and text -> `ParsedFile`.

A file is claimed by content: it must use one of the schedulers' names
(`looks_like_python_schedule`) and parse as Python. A `.py` file without them is left to the
walk (which skips it by name); a file with another name (`celeryconfig`, a settings file
without the suffix) is claimed when its content qualifies, so a crontab is never taken
(cron lines are not Python). Every line is accounted for as `job` (an entry starts there),
`error` (a diagnostic's line), `blank` or `comment` (code that is not an entry).
"""

from __future__ import annotations

import ast
import os
import stat
import warnings
from dataclasses import replace

from migrate.sources.base import LineKind, LineRecord, ParsedFile, ReadRequest, SourceReader
from migrate.sources.python import looks_like_python_schedule, read_python_schedules

KIND = "python"
PROBE = 1 << 20  # bytes read to decide whether a file is ours


def claims(path: str) -> bool:
    """Only a regular file is opened (opening a FIFO would wait for a writer)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            data = handle.read(PROBE)
    except OSError:
        return False
    if b"\x00" in data:
        return False
    return claims_text(data.decode("utf-8-sig", errors="replace"), path.endswith(".py"))


def claims_text(text: str, named_py: bool) -> bool:
    """Schedulers' names, and Python: the `.py` suffix, or a text Python's parser accepts
    (it only parses; nothing runs)."""
    if not looks_like_python_schedule(text):
        return False
    if named_py:
        return True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def read(request: ReadRequest) -> ParsedFile:
    result = read_python_schedules(request.text, request.path, timezone=request.timezone)
    parsed = ParsedFile(request.path, KIND, host=request.host, user=request.user,
                        timezone=request.timezone)
    parsed.jobs = result.jobs
    parsed.diagnostics = result.diagnostics
    kinds: dict[int, LineKind] = {}
    for job in result.jobs:
        job.sources[0] = replace(job.sources[0], host=request.host, user=request.user)
        kinds[job.source.line] = "job"
    for diagnostic in result.diagnostics:
        kinds.setdefault(diagnostic.line, "error")
    for number, raw in enumerate(request.text.splitlines(), start=1):
        kind: LineKind = kinds.get(number, "blank" if not raw.strip() else "comment")
        parsed.records.append(LineRecord(number, kind, raw.rstrip("\r")))
    return parsed


PYTHON = SourceReader(KIND, claims, read)

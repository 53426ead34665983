"""Data-folder cases for the crontab parser: adding a case means adding files.

`tests/data/crontab/valid/NAME.crontab` + `NAME.expected.json`:
    {"options": {"path": ..., "fmt": ..., "timezone": ..., "host": ..., "user": ...},
     "format": "user", "summary": "...", "env": [[line, name, value], ...],
     "jobs": [{line, active, cron, timezone, timezone_from, user, host, whenever_block,
               shell, stdin, env, findings: [codes]}, ...],
     "diagnostics": ["path:line:col: reason", ...]}
  Every option is optional (path defaults to the file name, timezone to Asia/Tokyo).

`tests/data/crontab/invalid/NAME.crontab` + `NAME.expected`: the exact diagnostics, one per
line; an optional first line `format: system|user` sets the format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from migrate.sources.base import ParsedFile
from migrate.sources.crontab.format import CrontabFormat
from migrate.sources.crontab.parse import parse_crontab

DATA = Path(__file__).resolve().parents[2] / "data" / "crontab"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
DEFAULT_ZONE = "Asia/Tokyo"


def read_text(path: Path) -> str:
    # Bytes, not text mode: universal newlines would hide CR LF endings.
    return path.read_bytes().decode("utf-8")


def parse_case(path: Path, options: dict[str, Any]) -> ParsedFile:
    fmt: CrontabFormat | None = options.get("fmt")
    return parse_crontab(
        read_text(path),
        options.get("path", path.name),
        fmt=fmt,
        timezone=options.get("timezone", DEFAULT_ZONE),
        host=options.get("host"),
        user=options.get("user"),
    )


def view(parsed: ParsedFile) -> dict[str, Any]:
    """The parts of a ParsedFile a case file pins down, as plain JSON data."""
    jobs = []
    for job in parsed.jobs:
        source = job.source
        jobs.append(
            {
                "line": source.line,
                "active": job.active,
                "cron": job.schedule.cron,
                "timezone": job.schedule.timezone,
                "timezone_from": job.schedule.timezone_from,
                "user": source.user,
                "host": source.host,
                "whenever_block": source.whenever_block,
                "shell": job.command.shell,
                "stdin": job.command.stdin,
                "env": dict(job.command.env),
                "findings": [f.code for f in job.findings],
            }
        )
    return {
        "format": parsed.format,
        "summary": parsed.summary(),
        "env": [[e.line, e.name, e.value] for e in parsed.env],
        "jobs": jobs,
        "diagnostics": [str(d) for d in parsed.diagnostics],
    }


def load_expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def valid_cases() -> list[Path]:
    return sorted(VALID.glob("*.crontab"))


def invalid_cases() -> list[Path]:
    return sorted(INVALID.glob("*.crontab"))


def invalid_expectation(path: Path) -> tuple[CrontabFormat | None, list[str]]:
    lines = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    fmt: CrontabFormat | None = None
    if lines and lines[0].startswith("format: "):
        value = lines.pop(0).removeprefix("format: ").strip()
        fmt = "system" if value == "system" else "user"
    return fmt, [line for line in lines if line]

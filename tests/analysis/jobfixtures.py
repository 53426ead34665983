"""Fixture files for the analysis rules: `tests/data/analysis/<code>/{good,bad}/*.yaml`.

A file lists jobs (and optionally `horizon:` and `options:`). Each job:

    command: rsync -a /srv/x/ deploy@203.0.113.10:/backups/   # required
    cron: "0 2 * * *"      # default "17 3 * * *"
    tz: UTC                # default UTC
    host: web1             # default host1
    user: root             # default root
    path: /etc/crontab     # default /etc/cron.d/app
    env: {MAILTO: ops@example.com}
    extra: {max_runtime: 2h}
    active: true
    repeat: 25             # expand into 25 jobs; {i} in host/command/path is the copy number
    expect:                # bad files: findings this job must get
      - {code: fixed-ip, evidence: 203.0.113.10, message: public, severity: warning}

In a `bad/` file every `expect` must be met and jobs without `expect` must get no finding of
the folder's code; in a `good/` file no job may get it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from migrate.analysis.runner import AnalysisOptions
from migrate.model import Command, Job, Schedule, Source
from migrate.schedule.cron import parse_cron

DATA = Path(__file__).resolve().parent.parent / "data" / "analysis"
HORIZON = (date(2027, 1, 1), date(2028, 1, 1))


def make_job(
    command: str,
    cron: str = "17 3 * * *",
    tz: str = "UTC",
    host: str | None = "host1",
    user: str | None = "root",
    path: str = "/etc/cron.d/app",
    line: int = 1,
    env: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    active: bool = True,
    name: str | None = None,
) -> Job:
    digest = hashlib.sha256(f"{host}|{user}|{cron}|{tz}|{command}|{line}".encode()).hexdigest()
    return Job(
        id=digest[:12],
        name=name or f"job-{digest[:8]}",
        description=cron,
        active=active,
        sources=[Source("crontab", path, line, f"{cron} {command}", host, user)],
        schedule=Schedule(cron=cron, timezone=tz, parsed=parse_cron(cron)),
        command=Command(command, env=dict(env or {})),
        extra=dict(extra or {}),
    )


def load_fixture(path: Path) -> tuple[list[Job], list[list[dict[str, Any]]], AnalysisOptions]:
    data = yaml.safe_load(path.read_text())
    horizon = HORIZON
    if "horizon" in data:
        a, b = str(data["horizon"]).split(":")
        horizon = (date.fromisoformat(a), date.fromisoformat(b))
    options = AnalysisOptions(horizon=horizon, **(data.get("options") or {}))
    jobs: list[Job] = []
    expects: list[list[dict[str, Any]]] = []
    line = 0
    for spec in data["jobs"]:
        for i in range(int(spec.get("repeat", 1))):
            line += 1

            def fmt(v: Any, i: int = i) -> Any:
                return v.replace("{i}", str(i)) if isinstance(v, str) else v

            jobs.append(make_job(
                command=fmt(spec["command"]),
                cron=fmt(spec.get("cron", "17 3 * * *")),
                tz=spec.get("tz", "UTC"),
                host=fmt(spec.get("host", "host1")),
                user=spec.get("user", "root"),
                path=fmt(spec.get("path", "/etc/cron.d/app")),
                line=line,
                env=spec.get("env"),
                extra=spec.get("extra"),
                active=spec.get("active", True),
                name=fmt(spec.get("name")),
            ))
            expects.append(list(spec.get("expect") or []))
    return jobs, expects, options


def fixture_files(kind: str) -> list[Path]:
    return sorted(DATA.glob(f"*/{kind}/*.yaml"))

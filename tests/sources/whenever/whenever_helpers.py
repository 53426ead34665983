"""Shared helpers for the whenever tests: emulate a schedule text, run the real whenever."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.emulate import Emulation, emulate, parse_set

NOW = datetime(2026, 3, 14, 9, 26)
APP = AppFacts("/srv/app")
BATCH = Path(__file__).with_name("whenever_batch.rb")
# The environment real whenever runs in for the comparisons (and what ENV holds for us).
RUN_ENV = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "HOME": "/tmp", "LANG": "C.UTF-8"}


def run(
    source: str,
    *,
    app: AppFacts = APP,
    set_: str = "",
    env: dict[str, str] | None = None,
    now: datetime = NOW,
) -> Emulation:
    return emulate(
        source, file_label="config/schedule.rb", app=app, now=now, pre_set=parse_set(set_), env=env
    )


def cron(source: str, **kwargs: object) -> str:
    """The crontab text whenever prints for `source` (without its message lines)."""
    em = run(source, **kwargs)  # type: ignore[arg-type]
    assert not em.fails, (em.evaluation.fatal, em.crontab.error)
    return em.crontab.text


def lines(source: str, **kwargs: object) -> list[str]:
    return [line for line in cron(source, **kwargs).split("\n") if line]


def whenever_available() -> bool:
    return shutil.which("whenever") is not None and shutil.which("ruby") is not None


def require_whenever() -> None:
    """Skip without the real whenever, except on CI, where its absence is a failure."""
    import pytest

    if whenever_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("the real whenever is required on CI (apt-get install -y ruby-whenever)")
    pytest.skip("the real whenever (Debian ruby-whenever) is not installed")


@dataclass
class RealResult:
    ok: bool
    stdout: str
    error: str | None


def make_app(
    root: Path,
    schedule: str,
    *,
    gemfile: bool = False,
    bin_rails: bool = False,
    script_rails: bool = False,
) -> AppFacts:
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "config" / "schedule.rb").write_text(schedule, encoding="utf-8")
    if gemfile:
        (root / "Gemfile").write_text("source 'https://rubygems.org'\n")
    if bin_rails:
        (root / "bin").mkdir(exist_ok=True)
        (root / "bin" / "rails").write_text("#!/usr/bin/env ruby\n")
    if script_rails:
        (root / "script").mkdir(exist_ok=True)
        (root / "script" / "rails").write_text("#!/usr/bin/env ruby\n")
    return AppFacts(str(root), gemfile=gemfile, bin_rails=bin_rails, script_rails=script_rails)


def real_cli(root: Path, set_: str = "", roles: str | None = None) -> RealResult:
    """`whenever -f config/schedule.rb` run from the application root, as a user would."""
    args = ["whenever", "-f", "config/schedule.rb"] + (["--set", set_] if set_ else [])
    args += ["--roles", roles] if roles is not None else []
    done = subprocess.run(
        args, cwd=root, capture_output=True, text=True, env=RUN_ENV, timeout=120, check=False
    )
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()
        return RealResult(False, done.stdout, last[0] if last else f"exit {done.returncode}")
    return RealResult(True, done.stdout, None)


def real_batch(items: list[tuple[Path, str]]) -> list[RealResult]:
    """Many schedules in one Ruby process (`whenever_batch.rb`, same code path as the CLI)."""
    payload = [
        {"root": str(root), "file": "config/schedule.rb", "set": set_ or None}
        for root, set_ in items
    ]
    done = subprocess.run(
        ["ruby", str(BATCH)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=RUN_ENV,
        timeout=600,
        check=True,
    )
    return [RealResult(r["ok"], r["stdout"], r["error"]) for r in json.loads(done.stdout)]


# ------------------------------------------------------------ job comparison


def fire_key(job: object) -> tuple[object, ...]:
    """The local fire instants of a job over 2027 (day mask x minute mask), its zone, and
    its command: equal keys mean the same fires and the same command."""
    from datetime import date

    from migrate.model import Job
    from migrate.schedule.calendar import calendar
    from migrate.schedule.verify import source_day_mask, source_minute_mask

    assert isinstance(job, Job)
    parsed = job.schedule.parsed
    assert parsed is not None
    cal = calendar(date(2027, 1, 1), date(2027, 12, 31))
    if parsed.reboot:
        fires: tuple[object, ...] = ("@reboot",)
    else:
        fires = (source_day_mask(parsed, cal).tobytes(), source_minute_mask(parsed).tobytes())
    return (*fires, job.schedule.timezone, job.command.shell, job.command.stdin)


def crontab_part(whenever_stdout: str) -> str:
    """whenever's stdout without its `## [message]` lines (and text printed before)."""
    return "".join(
        line
        for line in whenever_stdout.splitlines(keepends=True)
        if not line.startswith("## [message]")
    )


def compare_jobs(
    schedule_path: str,
    schedule_text: str,
    app: AppFacts,
    real_stdout: str,
    now: datetime,
    set_: str = "",
) -> tuple[list[object], list[object]]:
    """Jobs scanned from schedule.rb vs jobs scanned from real whenever's crontab: the fire
    keys only one side has (both lists empty when they agree)."""
    from collections import Counter

    from migrate.sources.crontab.parse import parse_crontab
    from migrate.sources.whenever.reader import WheneverOptions, parse_schedule

    ours = parse_schedule(
        schedule_text,
        schedule_path,
        timezone="UTC",
        app=app,
        options=WheneverOptions(env=RUN_ENV, now=now, settings=parse_set(set_)),
    )
    theirs = parse_crontab(crontab_part(real_stdout), "whenever-output", fmt="user", timezone="UTC")
    a = Counter(fire_key(j) for j in ours.jobs)
    b = Counter(fire_key(j) for j in theirs.jobs)
    return list((a - b).elements()), list((b - a).elements())

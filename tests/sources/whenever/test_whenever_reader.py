"""schedule.rb -> catalog jobs, by data folders: `tests/data/whenever/valid/X.rb` with the
jobs expected in `X.expected.yaml`; `invalid/X.rb` with the diagnostics expected in
`X.expected` (one `path:line: reason` per line). The application root is /srv/app (no
Gemfile, no bin/rails). Set UPDATE_EXPECTED=1 to rewrite the expected files (then review
the diff). Plus the registry hook and the app-root rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrate.model import Job
from migrate.sources.base import ParsedFile
from migrate.sources.registry import reader_for
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.reader import app_root_of, file_label_of, parse_schedule

DATA = Path(__file__).resolve().parents[2] / "data" / "whenever"
VALID = sorted((DATA / "valid").glob("*.rb"))
INVALID = sorted((DATA / "invalid").glob("*.rb"))
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"


def scan(path: Path) -> ParsedFile:
    return parse_schedule(
        path.read_text(encoding="utf-8"), path.name, timezone="Asia/Tokyo", app=AppFacts("/srv/app")
    )


def summary(job: Job) -> dict[str, Any]:
    return {
        "lines": [s.line for s in job.sources],
        "cron": job.schedule.cron,
        "shell": job.command.shell,
        "argv": list(job.command.argv or ()),
        "env": dict(job.command.env),
        "job_type": job.extra["job_type"],
        "task": job.extra["task"],
        "roles": job.extra["roles"],
        "findings": [f.code for f in job.findings],
    }


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid(path: Path) -> None:
    parsed = scan(path)
    got = {
        "jobs": [summary(j) for j in parsed.jobs],
        "diagnostics": [str(d) for d in parsed.diagnostics],
    }
    expected_path = path.with_suffix(".expected.yaml")
    if UPDATE:
        expected_path.write_text(yaml.safe_dump(got, sort_keys=False, allow_unicode=True))
    assert got == yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    assert all(
        j.source.kind == "whenever" and j.schedule.timezone == "Asia/Tokyo" for j in parsed.jobs
    )


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid(path: Path) -> None:
    got = "".join(f"{d}\n" for d in scan(path).diagnostics)
    expected_path = path.with_suffix(".expected")
    if UPDATE:
        expected_path.write_text(got)
    assert got and got == expected_path.read_text(encoding="utf-8")


def test_registry_hands_schedule_rb_to_the_whenever_reader(tmp_path: Path) -> None:
    assert reader_for("/x/config/schedule.rb").kind == "whenever"
    other = tmp_path / "jobs.rb"
    other.write_text("every :day do\n  rake 'x'\nend\n")
    plain = tmp_path / "model.rb"
    plain.write_text("class Model\nend\n")
    assert reader_for(str(other)).kind == "whenever"
    assert reader_for(str(plain)).kind == "crontab"


def test_app_root_is_the_directory_above_config() -> None:
    assert app_root_of("/srv/shop/config/schedule.rb") == "/srv/shop"
    assert app_root_of("/srv/shop/schedule.rb") == "/srv/shop"
    assert file_label_of("/srv/shop/config/schedule.rb", "/srv/shop") == "config/schedule.rb"


def test_defaults_follow_the_files_of_the_application(tmp_path: Path) -> None:
    from migrate.sources.reader import read_inputs

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "schedule.rb").write_text("every :day do\n  runner 'A.b'\nend\n")
    (tmp_path / "Gemfile").write_text("")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "rails").write_text("")
    [parsed] = read_inputs([str(tmp_path / "config" / "schedule.rb")], fmt=None, timezone="UTC")
    assert parsed.jobs[0].command.shell == (
        f"/bin/bash -l -c 'cd {tmp_path} && bundle exec bin/rails runner -e production "
        "'\\''A.b'\\'''"
    )

"""The Python reader at the edge: claimed by content, read in directory scans, every line
accounted for, django-crontab hashes as django-crontab computes them."""

from __future__ import annotations

import ast
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from migrate.scan import ScanOptions, parse_horizon, scan_paths
from migrate.sources.python import read_python_schedules
from migrate.sources.python.django_crontab import job_hash
from migrate.sources.python.reader import claims, claims_text
from migrate.sources.reader import read_inputs
from migrate.sources.registry import reader_for

SETTINGS = '''from celery.schedules import crontab
TIME_ZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "nightly": {"task": "app.tasks.nightly", "schedule": crontab(minute=0, hour=2)},
}
CRONJOBS = [("*/5 * * * *", "app.cron.tick")]
'''
CRONTAB = "# CRONJOBS are in settings.py\nMAILTO=ops\n*/5 * * * * /usr/bin/true\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(SETTINGS)
    (tmp_path / "app" / "models.py").write_text("class Order:\n    pass\n")
    (tmp_path / "celeryconfig").write_text(
        "beat_schedule = {'t': {'task': 'x.y', 'schedule': 300}}\n")
    (tmp_path / "crontab").write_text(CRONTAB)
    return tmp_path


def test_claims_by_content(project: Path) -> None:
    assert claims(str(project / "app" / "settings.py"))
    assert claims(str(project / "celeryconfig"))  # no suffix: Python and a marker
    assert not claims(str(project / "app" / "models.py"))  # Python, no scheduler in it
    assert not claims(str(project / "crontab"))  # mentions CRONJOBS, but is not Python
    assert reader_for(str(project / "app" / "settings.py")).kind == "python"
    assert reader_for(str(project / "crontab")).kind == "crontab"


def test_claims_never_opens_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "settings.py"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    assert not claims(str(fifo))
    assert not claims(str(tmp_path))
    assert not claims(str(tmp_path / "missing.py"))


def test_claims_text_needs_python_for_other_names() -> None:
    assert claims_text("CRONJOBS = []\n", named_py=False)
    assert not claims_text("*/5 * * * * run CRONJOBS\n", named_py=False)
    assert not claims_text("x = 1\n", named_py=True)


def test_directory_scan_finds_python_schedules(project: Path) -> None:
    files = {Path(f.path).name: f for f in read_inputs([str(project)], fmt=None,
                                                      timezone="UTC")}
    assert files["settings.py"].kind == "python"
    assert files["celeryconfig"].kind == "python"
    assert files["models.py"].skipped == "not a crontab (by its name)"
    assert files["crontab"].kind == "crontab"
    kinds = sorted(j.source.kind for j in files["settings.py"].jobs)
    assert kinds == ["celery", "django-crontab"]


def test_every_line_is_accounted_for(project: Path) -> None:
    (parsed,) = read_inputs([str(project / "app" / "settings.py")], fmt=None, timezone="UTC")
    assert [r.line for r in parsed.records] == list(range(1, SETTINGS.count("\n") + 1))
    assert {r.line for r in parsed.records if r.kind == "job"} == {4, 6}
    assert parsed.summary() == "6 lines: 2 jobs (0 disabled), 0 env, 4 comments/blank, 0 errors"


def test_scan_converts_python_jobs(project: Path) -> None:
    options = ScanOptions(timezone="Asia/Tokyo", horizon=parse_horizon("2027-01-01:2028-01-01"),
                          now=datetime(2026, 11, 23, tzinfo=UTC))
    result = scan_paths([str(project / "app" / "settings.py")], options)
    by_kind = {j.source.kind: j for j in result.jobs}
    nightly = by_kind["celery"]
    assert nightly.name == "celery-nightly"
    assert nightly.schedule.timezone == "UTC" and nightly.schedule.aws == ("cron(0 2 * * ? *)",)
    assert nightly.schedule.exact
    tick = by_kind["django-crontab"]
    assert tick.schedule.timezone == "Asia/Tokyo" and tick.schedule.exact


def test_a_file_that_is_not_python_is_one_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "settings.py"
    path.write_text("CRONJOBS = [\n  ('* * * * *', 'a.b'\n")
    (parsed,) = read_inputs([str(path)], fmt=None, timezone="UTC")
    assert parsed.jobs == []
    assert [str(d) for d in parsed.diagnostics] == [
        f"{path}:2:3: not valid Python: '(' was never closed"]
    assert [r.kind for r in parsed.records] == ["comment", "error"]


def test_django_crontab_hash_is_md5_of_sorted_json() -> None:
    # django-crontab 0.7.1 crontab.py `__hash_job`: md5(JSONEncoder(sort_keys=True).encode(job))
    entry = ("0   0 * * 0", "django.core.management.call_command", ["dumpdata", "auth"],
             {"indent": 4, "b": [1, 2]}, "> /home/john/backups/last_sunday_auth_backup.json")
    text = f"CRONJOBS = [{entry!r}]\n"
    (job,) = read_python_schedules(text, "settings.py", timezone="UTC").jobs
    literal = ast.literal_eval(text.split("=", 1)[1].strip())[0]
    expected = hashlib.md5(json.dumps(literal, sort_keys=True).encode()).hexdigest()
    assert job.extra["django_crontab_hash"] == expected == job_hash(literal)
    assert job.command.argv == ("python", "manage.py", "crontab", "run", expected)

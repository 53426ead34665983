"""near-duplicate-job: same command, stdin, schedule and zone; only the environment differs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from migrate.analysis.near_duplicates import _effect, check
from migrate.model import Command
from migrate.scan import ScanOptions, scan_paths
from tests.analysis.jobfixtures import make_job

OPTS = ScanOptions(horizon=(date(2027, 1, 1), date(2028, 1, 1)))
HEADER = "SHELL=/bin/sh\n"
JOB = "17 3 * * *\troot\t/usr/local/bin/rotate-reports --keep 7\n"


def _host(root: Path, name: str, crontab: str) -> None:
    (root / name / "etc").mkdir(parents=True)
    (root / name / "etc" / "timezone").write_text("Asia/Tokyo\n")
    (root / name / "etc" / "crontab").write_text(crontab)


def _near(job):  # type: ignore[no-untyped-def]
    return [f for f in job.findings if f.code == "near-duplicate-job"]


def test_fleet_snapshot_two_hosts_through_the_scan(tmp_path: Path) -> None:
    _host(tmp_path, "web1", HEADER + "PATH=/usr/local/bin:/usr/bin:/bin\n" + JOB)
    _host(tmp_path, "web2", HEADER + JOB)
    result = scan_paths([str(tmp_path)], OPTS)
    jobs = sorted(result.jobs, key=lambda j: j.source.host or "")
    assert [j.source.host for j in jobs] == ["web1", "web2"]  # kept apart
    for job, other in zip(jobs, ("web2", "web1"), strict=True):
        [f] = _near(job)
        assert f.severity == "warning"
        assert f"on 1 other host ({other})" in f.message
        assert "PATH (here " in f.message and "SHELL" not in f.message
        assert "The difference cannot change what runs" in f.message
        assert f.evidence.startswith(f"{other}:")
        assert not [g for g in job.findings if g.code == "duplicate-job"]
    first = _near(jobs[0])[0].message
    assert "PATH (here '/usr/local/bin:/usr/bin:/bin', elsewhere unset)" in first


def test_merged_copies_and_the_odd_one_name_each_other(tmp_path: Path) -> None:
    path = "PATH=/usr/bin:/bin\n"
    _host(tmp_path, "web1", HEADER + path + JOB)
    _host(tmp_path, "web2", HEADER + JOB)
    _host(tmp_path, "web3", HEADER + path + JOB)
    result = scan_paths([str(tmp_path)], OPTS)
    assert len(result.jobs) == 2
    merged = next(j for j in result.jobs if len(j.sources) == 2)
    odd = next(j for j in result.jobs if len(j.sources) == 1)
    assert "duplicate-job" in {f.code for f in merged.findings}
    assert "on 1 other host (web2)" in _near(merged)[0].message
    assert "on 2 other hosts (web1, web3)" in _near(odd)[0].message


def test_no_merge_keeps_every_copy_flagged(tmp_path: Path) -> None:
    _host(tmp_path, "a", HEADER + "HOME=/root\n" + JOB)
    _host(tmp_path, "b", HEADER + "HOME=/root\n" + JOB)
    _host(tmp_path, "c", HEADER + "HOME=/home/ops\n" + JOB)
    result = scan_paths([str(tmp_path)], ScanOptions(horizon=OPTS.horizon, merge=False))
    assert len(result.jobs) == 3
    for job in result.jobs:
        [f] = _near(job)
        assert "HOME: may matter" in f.message
        assert "The difference can matter (HOME)" in f.message


def test_copies_in_one_host_without_host_names_name_places() -> None:
    a = make_job("/opt/x", host=None, path="/etc/cron.d/a", env={"LANG": "C"})
    b = make_job("/opt/x", host=None, path="/etc/cron.d/b", env={"LANG": "C.UTF-8"})
    found = check([a, b])
    assert "at /etc/cron.d/b:1" in found[0].message
    assert "at /etc/cron.d/a:1" in found[1].message


def test_other_differences_are_not_near_duplicates() -> None:
    base = make_job("/opt/x --all", env={"PATH": "/bin"})
    others = [
        make_job("/opt/x --all", host="h2", cron="18 3 * * *"),
        make_job("/opt/x --none", host="h3"),
        make_job("/opt/x --all", host="h4", tz="+09:00"),
        make_job("/opt/x --all", host="h5", active=False),
    ]
    assert check([base, *others]) == {}
    same = make_job("/opt/x --all", host="h6", env={"PATH": "/bin", "MAILTO": "a@b"})
    assert check([base, same]) == {}  # only MAILTO: duplicate-job merges them


def _cmd(shell: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    job = make_job(shell)
    job.command = Command(shell, stdin=stdin)
    return job


@pytest.mark.parametrize(("shell", "stdin", "matters"), [
    ("/usr/local/bin/rotate --keep 7", None, False),
    ("cd /srv/app && /usr/bin/make all > /var/log/x.log 2>&1", None, False),
    ("/usr/bin/flock -n /tmp/l /usr/bin/nice -n 5 /opt/run", None, False),
    ("/bin/sh -c '/opt/a; /opt/b'", None, False),
    ("/bin/sh -c 'tar czf /tmp/x /srv'", None, True),  # nested program by name
    ("rotate --keep 7", None, True),
    ("/usr/bin/env python3 /opt/job.py", None, True),  # env looks python3 up
    ("nice /opt/run", None, True),  # the wrapper itself is looked up
    ("/opt/run $(date +%F)", None, True),
    ("/usr/bin/find /tmp -mtime +7 -exec rm {} ;", None, True),
    ("$TOOL --all", None, True),
    ("/bin/sh", "tar czf /tmp/x /srv\n", True),  # a script on stdin
])
def test_path_matters_unless_every_program_is_absolute(
    shell: str, stdin: str | None, matters: bool
) -> None:
    can, why = _effect("PATH", _cmd(shell, stdin))
    assert can is matters, why


def test_shell_mail_random_delay_and_named_variables() -> None:
    assert _effect("SHELL", _cmd("/opt/run --all"))[0] is False
    assert _effect("SHELL", _cmd("/opt/run | /usr/bin/logger"))[0] is True
    assert _effect("MAILFROM", _cmd("/opt/run"))[0] is False
    assert _effect("MAILTO", _cmd("/opt/run"))[0] is False
    assert _effect("RANDOM_DELAY", _cmd("/opt/run"))[0] is True
    assert _effect("LANG", _cmd("/opt/run"))[0] is True
    assert _effect("PATH", _cmd("/opt/run --path ${PATH}"))[1] == "the command reads $PATH"
    assert _effect("HOME", _cmd("/opt/run $HOME/x"))[1] == "the command reads $HOME"
    assert _effect("HOME", _cmd("/opt/run $HOMEDIR/x"))[1].startswith("may matter")

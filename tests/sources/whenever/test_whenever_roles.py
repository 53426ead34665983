"""whenever roles: `migrate scan --roles a,b` keeps what `whenever --roles a,b` installs.

whenever 1.0: `JobList#cron_jobs_of_time` skips a job unless `roles.empty? || roles.any? {
|r| job.has_role?(r) }`, and `Job#has_role?` is `roles.empty? || roles.include?(role)`, with
the command line's roles made Symbols (`bin/whenever`). So a job without roles is on every
server, a String role never matches, and jobs are left out before lines are combined.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from whenever_helpers import RUN_ENV, make_app, real_cli, require_whenever

from migrate.cli import cli
from migrate.scan import ScanOptions, scan_paths
from migrate.sources.whenever.emulate import emulate, parse_roles

SCHEDULE = """\
every 1.day, at: '4:30 am' do
  runner 'Db.vacuum', roles: [:db]
end
every 1.day, at: '4:30 am' do
  command '/opt/app/bin/sweep'
end
every 1.hour do
  command '/opt/app/bin/ping', roles: [:app, :web]
  command '/opt/app/bin/warm', roles: :app
  command '/opt/app/bin/strings', roles: ['app']
end
every 1.day, at: '5:00 am' do
  rake 'reports:mail', roles: [:worker]
end
every 1.day, at: '6:00 am' do
  command '/opt/app/bin/a', roles: [:db]
end
every 1.day, at: '7:00 am' do
  command '/opt/app/bin/a', roles: [:app]
end
"""
ROLES = [None, "app", "db", "app,db", "web,worker", "", "nope", "app,", " app"]


@pytest.mark.parametrize("roles", ROLES, ids=lambda r: "none" if r is None else repr(r))
def test_roles_agree_with_real_whenever(roles: str | None, tmp_path: Path) -> None:
    require_whenever()
    app = make_app(tmp_path / "app", SCHEDULE)
    real = real_cli(tmp_path / "app", roles=roles)
    assert real.ok, real.error
    now = datetime.now().replace(second=0, microsecond=0)
    em = emulate(SCHEDULE, file_label="config/schedule.rb", app=app, now=now, env=RUN_ENV,
                 roles=parse_roles(roles or ""))
    assert em.whenever_output() == real.stdout


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "app" / "config" / "schedule.rb"
    path.parent.mkdir(parents=True)
    path.write_text("set :path, '/srv/app'\n" + SCHEDULE)
    return path


def _commands(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {j.command.argv[-1] if j.command.argv else "" for j in result.jobs}


def test_scan_with_roles_leaves_other_roles_out_and_lists_them(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = scan_paths([str(path)], ScanOptions(whenever_roles=("app",)))
    commands = " ".join(j.command.shell for j in result.jobs)
    assert "/opt/app/bin/sweep" in commands  # no roles: on every server
    assert "/opt/app/bin/ping" in commands and "/opt/app/bin/warm" in commands
    assert "Db.vacuum" not in commands and "reports:mail" not in commands
    assert "/opt/app/bin/strings" not in commands  # a String role never matches
    left = [s for s in result.catalog.skipped if "left out" in s]
    assert len(left) == 4 and all("none of --roles app" in s for s in left)
    assert any(f"{path}:3: left out: `runner 'Db.vacuum', roles: [:db]` is for roles :db" in s
               for s in left)
    assert not [f for j in result.jobs for f in j.findings if f.code == "whenever-roles"]


def test_scan_without_roles_keeps_all_and_names_the_roles(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = scan_paths([str(path)], ScanOptions())
    by_text = {j.source.text: j for j in result.jobs for _ in [0]}
    vacuum = next(j for t, j in by_text.items() if "Db.vacuum" in t)
    [f] = [f for f in vacuum.findings if f.code == "whenever-roles"]
    assert "only on servers with the role :db" in f.message and f.severity == "warning"
    sweep = next(j for t, j in by_text.items() if "sweep" in t)
    assert "whenever-roles" not in {f.code for f in sweep.findings}
    assert not result.catalog.skipped


def test_cli_roles_option(tmp_path: Path) -> None:
    path = _write(tmp_path)
    out = tmp_path / "out"
    done = CliRunner().invoke(cli, ["scan", str(path), "--roles", "db", "-o", str(out)])
    assert done.exit_code in (0, 1), done.output
    text = (out / "catalog.yaml").read_text()
    assert "Db.vacuum" in text.split("skipped:")[0] and "/opt/app/bin/ping" not in \
        text.split("skipped:")[0]


def test_same_whenever_block_on_two_hosts_runs_once_per_server(tmp_path: Path) -> None:
    block = ("# Begin Whenever generated tasks for: /srv/app/config/schedule.rb at: 2026\n"
             "30 4 * * * /bin/bash -l -c 'cd /srv/app && /opt/app/bin/sweep'\n"
             "# End Whenever generated tasks for: /srv/app/config/schedule.rb at: 2026\n")
    for host in ("app1", "app2"):
        spool = tmp_path / host / "var" / "spool" / "cron" / "crontabs"
        spool.mkdir(parents=True)
        (spool / "deploy").write_text(block)
    [job] = scan_paths([str(tmp_path)], ScanOptions()).jobs
    [f] = [f for f in job.findings if f.code == "duplicate-job"]
    assert "the same job on 2 hosts (app1, app2)" in f.message
    assert "so it ran once per server" in f.message

"""The periodic folders (/etc/cron.{hourly,daily,weekly,monthly}), anacron, and `scan /etc`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from migrate.emit.report import render_report
from migrate.scan import ScanOptions, parse_horizon, scan_paths
from migrate.sources.periodic import runs_by_name
from migrate.sources.reader import read_inputs

OPTIONS = dict(horizon=parse_horizon("2027-01-01:2028-01-01"),
               now=datetime(2026, 11, 23, tzinfo=UTC))
DEBIAN_CRONTAB = """\
# /etc/crontab: system-wide crontab
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

# m h dom mon dow user\tcommand
17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly
25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }
47 6\t* * 7\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }
52 6\t1 * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }
#
"""
DEBIAN_ANACRONTAB = """\
SHELL=/bin/sh
HOME=/root
LOGNAME=root

# These replace cron's entries
1\t5\tcron.daily\trun-parts --report /etc/cron.daily
7\t10\tcron.weekly\trun-parts --report /etc/cron.weekly
@monthly\t15\tcron.monthly\trun-parts --report /etc/cron.monthly
"""


def put(path: Path, text: str, executable: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if executable:
        path.chmod(0o755)


def debian_etc(root: Path, anacron: bool) -> Path:
    """A host root whose etc/ resembles a stock Debian image: cron's files among hundreds
    of files that are not crontabs."""
    etc = root / "etc"
    put(etc / "crontab", DEBIAN_CRONTAB)
    if anacron:
        put(etc / "anacrontab", DEBIAN_ANACRONTAB)
    put(etc / "cron.d" / "e2scrub_all",
        "10 3 * * * root test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r\n")
    put(etc / "cron.d" / ".placeholder", "# DO NOT EDIT OR REMOVE\n")
    for name in ("logrotate", "man-db", "apt-compat", "dpkg"):
        put(etc / "cron.daily" / name, f"#!/bin/sh\n# {name} (package)\nexit 0\n", True)
    put(etc / "cron.daily" / "app-export", "#!/bin/sh\nset -e\n/opt/app/bin/export --all\n", True)
    put(etc / "cron.daily" / "backup.sh", "#!/bin/sh\n/opt/backup\n", True)
    put(etc / "cron.daily" / "notes", "#!/bin/sh\n/opt/notes\n")  # not executable
    put(etc / "cron.daily" / ".placeholder", "# DO NOT EDIT OR REMOVE\n")
    put(etc / "cron.weekly" / "report", "#!/bin/sh\n/opt/report\n", True)
    put(etc / "cron.hourly" / ".placeholder", "# DO NOT EDIT OR REMOVE\n")
    put(etc / "cron.monthly" / ".placeholder", "# DO NOT EDIT OR REMOVE\n")
    (etc / "cron.weekly" / "subdir").mkdir()
    for i in range(120):  # files cron does not read: none of them may become an error
        put(etc / "ssh" / f"sshd_config.d{i}", f"Port 22\nPermitRootLogin no # {i}\n")
        put(etc / "apt" / "apt.conf.d" / f"{i:02d}apt", 'APT::Periodic::Update "1";\n')
        put(etc / "systemd" / "system" / f"unit{i}.service", "[Unit]\nDescription=x\n")
        put(etc / "pam.d" / f"svc{i}", "auth required pam_unix.so\n")
    put(etc / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    put(etc / "fstab", "UUID=abc / ext4 defaults 0 1\n")
    put(etc / "debian_version", "12.5\n")
    put(etc / "default" / "cron", 'EXTRA_OPTS="-L 15"\n')
    os.symlink("/usr/share/zoneinfo/Asia/Tokyo", etc / "localtime")
    return etc


def jobs_by_command(result: object) -> dict[str, tuple[str, bool, list[str]]]:
    return {j.command.shell: (j.schedule.cron, j.schedule.exact, [f.code for f in j.findings])
            for j in result.jobs}  # type: ignore[attr-defined]


def test_scan_etc_reads_what_cron_reads_there_and_nothing_else(tmp_path: Path) -> None:
    etc = debian_etc(tmp_path / "deb12", anacron=False)
    result = scan_paths([str(etc)], ScanOptions(**OPTIONS))  # type: ignore[arg-type]
    assert result.catalog.diagnostics == []  # 480 other files, zero errors
    read = sorted(Path(f.path).relative_to(etc).as_posix() for f in result.files
                  if not f.skipped)
    assert read == ["cron.d/e2scrub_all", "cron.daily/app-export", "cron.daily/apt-compat",
                    "cron.daily/dpkg", "cron.daily/logrotate", "cron.daily/man-db",
                    "cron.weekly/report", "crontab"]
    skipped = {Path(f.path).relative_to(etc).as_posix(): f.skipped for f in result.files
               if f.skipped}
    assert skipped["cron.daily/backup.sh"].startswith("Debian's run-parts runs only names")
    assert skipped["cron.daily/notes"].startswith("not executable")
    assert skipped["cron.weekly/subdir"].startswith("a directory")
    assert ".placeholder" in Path(next(iter(k for k in skipped if "placeholder" in k))).name
    # the host root and its etc/ read the same
    again = scan_paths([str(etc.parent)], ScanOptions(**OPTIONS))  # type: ignore[arg-type]
    assert jobs_by_command(again) == jobs_by_command(result)
    assert result.summary_line.endswith("; zone Asia/Tokyo from /etc/localtime")


def test_without_anacron_the_scripts_take_the_crontab_lines_schedule(tmp_path: Path) -> None:
    etc = debian_etc(tmp_path / "deb12", anacron=False)
    jobs = jobs_by_command(scan_paths([str(etc)], ScanOptions(**OPTIONS)))  # type: ignore[arg-type]
    assert jobs["/etc/cron.daily/app-export"] == (
        "25 6 * * *", True, ["anacron-guard", "periodic-script"])
    assert jobs["/etc/cron.weekly/report"][:2] == ("47 6 * * 7", True)
    # package-owned scripts look after the host
    for name in ("logrotate", "man-db", "apt-compat", "dpkg"):
        assert "host-maintenance" in jobs[f"/etc/cron.daily/{name}"][2], name
    assert "host-maintenance" not in jobs["/etc/cron.daily/app-export"][2]


def test_with_anacron_the_scripts_follow_anacrontab_and_are_never_exact(tmp_path: Path) -> None:
    etc = debian_etc(tmp_path / "deb12", anacron=True)
    result = scan_paths([str(etc)], ScanOptions(**OPTIONS))  # type: ignore[arg-type]
    jobs = jobs_by_command(result)
    assert jobs["/etc/cron.daily/app-export"] == (
        "5 0 * * *", False, ["anacron", "periodic-script"])
    assert jobs["/etc/cron.weekly/report"][:2] == ("10 0 * * 0", False)
    # the guarded cron line does nothing where anacron is installed: said so
    guarded = [codes for command, (_, _, codes) in jobs.items()
               if command.startswith("test -x /usr/sbin/anacron")]
    assert len(guarded) == 3 and all("anacron-guard" in codes for codes in guarded)
    # hourly is cron's (no anacron line for it)
    assert jobs["cd / && run-parts --report /etc/cron.hourly"][:2] == ("17 * * * *", True)
    report = render_report(result.catalog, "", result.analysis)
    assert "- #!/bin/sh\n- set -e\n- /opt/app/bin/export --all" in report


def test_red_hat_layout_run_parts_rules_and_jobs_deny(tmp_path: Path) -> None:
    root = tmp_path / "rhel9"
    etc = root / "etc"
    put(etc / "redhat-release", "Red Hat Enterprise Linux release 9.3\n")
    put(etc / "cron.d" / "0hourly", "SHELL=/bin/bash\n01 * * * * root run-parts /etc/cron.hourly\n")
    put(etc / "anacrontab", (Path(__file__).parents[1] / "data" / "anacron" /
                             "redhat.anacrontab").read_text())
    put(etc / "cron.hourly" / "0anacron", "#!/bin/sh\n/usr/sbin/anacron -s\n", True)
    for name in ("backup.sh", "app.rpmnew", "app~", "old,v", "denied", "mlocate"):
        put(etc / "cron.daily" / name, "#!/bin/sh\ntrue\n", True)
    put(etc / "cron.daily" / "jobs.deny", "denied\n")
    put(etc / "cron.weekly" / "a", "#!/bin/sh\n", True)
    put(etc / "cron.weekly" / "b", "#!/bin/sh\n", True)
    put(etc / "cron.weekly" / "jobs.allow", "a\n")
    parsed = read_inputs([str(root)], fmt=None, timezone="UTC")
    scripts = sorted(j.command.shell for p in parsed for j in p.jobs if p.kind == "run-parts")
    assert scripts == ["/etc/cron.daily/backup.sh", "/etc/cron.daily/mlocate",
                       "/etc/cron.hourly/0anacron", "/etc/cron.weekly/a"]
    skipped = {Path(p.path).name: p.skipped for p in parsed if p.skipped}
    assert skipped["app.rpmnew"] == "Red Hat's run-parts skips names ending with '.rpmnew'"
    assert skipped["app~"] == "Red Hat's run-parts skips names ending with '~'"
    assert skipped["old,v"] == "Red Hat's run-parts skips names ending with ',v'"
    assert skipped["denied"] == "listed in jobs.deny"
    assert skipped["b"] == "not listed in jobs.allow"
    cron = {j.command.shell: j.schedule.cron for p in parsed for j in p.jobs}
    assert cron["/etc/cron.hourly/0anacron"] == "01 * * * *"
    assert cron["/etc/cron.daily/mlocate"] == "5 3 * * *"  # anacron: hours 3-22, delay 5


def test_a_folder_no_line_runs_is_listed_as_skipped(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    put(root / "etc" / "cron.daily" / "job", "#!/bin/sh\n", True)
    [parsed] = read_inputs([str(root)], fmt=None, timezone="UTC")
    assert parsed.skipped == ("no line of /etc/crontab, /etc/cron.d or /etc/anacrontab runs "
                              "/etc/cron.daily")


def test_debian_run_parts_names() -> None:
    assert runs_by_name("logrotate", False, None, set()) is None
    assert runs_by_name("my_job-2", False, None, set()) is None
    for name in ("backup.sh", ".placeholder", "job~", "a.dpkg-old"):
        assert runs_by_name(name, False, None, set()) is not None, name
    assert runs_by_name("backup.sh", True, None, set()) is None


def test_an_etc_without_cron_files_reads_nothing_not_everything(tmp_path: Path) -> None:
    etc = tmp_path / "img" / "etc"
    put(etc / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    put(etc / "ssh" / "sshd_config", "Port 22\n")
    assert read_inputs([str(etc)], fmt=None, timezone="UTC") == []

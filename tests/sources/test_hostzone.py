"""The scanned host's own zone (issue 13, item 0): found as that host's cron finds it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from migrate.scan import ScanOptions, parse_horizon, scan_paths
from migrate.sources import hostzone
from migrate.sources.reader import read_inputs

OPTIONS = dict(
    horizon=parse_horizon("2027-01-01:2028-01-01"), now=datetime(2026, 11, 23, tzinfo=UTC)
)
CRONTAB = "SHELL=/bin/sh\n0 9 * * * root /usr/local/bin/report\n"


def host(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A host root with etc/crontab and `files` (host paths such as `etc/timezone`)."""
    for name, content in {"etc/crontab": CRONTAB, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def tzif(zone: str) -> bytes:
    return Path(hostzone._zoneinfo_dirs()[0], zone).read_bytes()


def scan_one(path: Path, tz: str | None = None) -> tuple[str, str, tuple[str, ...], list[str]]:
    result = scan_paths([str(path)], ScanOptions(timezone=tz, **OPTIONS))  # type: ignore[arg-type]
    [job] = result.jobs
    s = job.schedule
    return s.timezone, s.timezone_from, s.aws, [f.code for f in job.findings]


def link_localtime(root: Path, target: str) -> None:
    (root / "etc").mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / "etc" / "localtime")


def test_a_lone_etc_crontab_takes_its_hosts_localtime_symlink(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1")
    link_localtime(root, "../usr/share/zoneinfo/Asia/Tokyo")  # dangling in the snapshot
    # 09:00 in Tokyo is 00:00 UTC: the AWS expression shifts by nine hours
    assert scan_one(root / "etc" / "crontab") == (
        "Asia/Tokyo",
        "host:/etc/localtime",
        ("cron(0 0 * * ? *)",),
        [],
    )


def test_an_absolute_posix_symlink(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1")
    link_localtime(root, "/usr/share/zoneinfo/posix/America/New_York")
    zone, origin, aws, _ = scan_one(root / "etc" / "crontab")
    assert (zone, origin) == ("America/New_York", "host:/etc/localtime")
    assert aws  # converted for New York, with its DST findings


@pytest.mark.parametrize(
    ("copied", "named"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Japan", "Asia/Tokyo"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Etc/UTC", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_a_copied_tzif_file_is_named_by_its_bytes(tmp_path: Path, copied: str, named: str) -> None:
    root = host(tmp_path / "srv1", {"etc/localtime": tzif(copied)})
    zone, origin, _, codes = scan_one(root / "etc" / "crontab")
    assert (zone, origin) == (named, "host:/etc/localtime")
    assert "timezone-unknown" not in codes


def test_etc_timezone_when_there_is_no_localtime(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1", {"etc/timezone": "# set by debconf\nAsia/Kolkata\n"})
    assert scan_one(root / "etc" / "crontab")[:3] == (
        "Asia/Kolkata",
        "host:/etc/timezone",
        ("cron(30 3 * * ? *)",),
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("etc__default__cron", 'EXTRA_OPTS="-L 15"\nTZ=Asia/Tokyo\n'),
        ("etc__sysconfig__crond", "CRONDARGS=\nexport TZ=':Asia/Tokyo'\n"),
    ],
)
def test_tz_in_the_cron_daemons_environment_file(tmp_path: Path, name: str, text: str) -> None:
    root = host(tmp_path / "srv1", {name.replace("__", "/"): text})
    assert scan_one(root / "etc" / "crontab")[:3] == (
        "Asia/Tokyo",
        "host:/" + name.replace("__", "/"),
        ("cron(0 0 * * ? *)",),
    )


def test_the_daemons_tz_wins_over_localtime_as_in_glibc(tmp_path: Path) -> None:
    root = host(
        tmp_path / "srv1", {"etc/default/cron": "TZ=Asia/Tokyo\n", "etc/timezone": "Europe/Paris\n"}
    )
    link_localtime(root, "/usr/share/zoneinfo/Europe/Paris")
    assert scan_one(root / "etc" / "crontab")[:2] == ("Asia/Tokyo", "host:/etc/default/cron")


def test_no_zone_anywhere_is_utc_with_a_warning_on_every_job(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1", {"etc/cron.d/app": "0 1 * * * www /a\n*/5 * * * * www /b\n"})
    result = scan_paths([str(root)], ScanOptions(**OPTIONS))  # type: ignore[arg-type]
    assert len(result.jobs) == 3
    for job in result.jobs:
        assert (job.schedule.timezone, job.schedule.timezone_from) == ("UTC", "host:unknown")
        finding = next(f for f in job.findings if f.code == "timezone-unknown")
        assert finding.severity == "warning" and "--tz" in finding.recommendation
    assert result.summary_line.endswith("; zone UTC (unknown: no --tz, no host zone file)")


def test_tz_option_overrides_the_host(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1", {"etc/timezone": "Asia/Tokyo\n"})
    link_localtime(root, "/usr/share/zoneinfo/Asia/Tokyo")
    assert scan_one(root / "etc" / "crontab", tz="Europe/London")[:2] == (
        "Europe/London",
        "host:--tz",
    )


def test_cron_tz_lines_still_decide_their_jobs(tmp_path: Path) -> None:
    root = host(tmp_path / "srv1", {"etc/crontab": "CRON_TZ=America/New_York\n0 9 * * * root /x\n"})
    link_localtime(root, "/usr/share/zoneinfo/Asia/Tokyo")
    assert scan_one(root / "etc" / "crontab")[:2] == ("America/New_York", "CRON_TZ")


def test_a_host_file_zone_keeps_the_host_dst_model(tmp_path: Path) -> None:
    """`host:/etc/localtime` is still `host` for cronie's DST rules: the same job gives the
    same verdict and expressions as with --tz."""
    text = "30 2 * * * root /x\n"  # 02:30 is skipped once a year in Berlin
    root = host(tmp_path / "srv1", {"etc/crontab": text})
    link_localtime(root, "/usr/share/zoneinfo/Europe/Berlin")
    from_file = scan_paths([str(root)], ScanOptions(**OPTIONS))  # type: ignore[arg-type]
    from_option = scan_paths([str(root)], ScanOptions(timezone="Europe/Berlin", **OPTIONS))  # type: ignore[arg-type]
    [a], [b] = from_file.jobs, from_option.jobs
    assert a.schedule.timezone_from == "host:/etc/localtime"
    assert (a.schedule.aws, a.schedule.exact, a.schedule.verification) == (
        b.schedule.aws,
        b.schedule.exact,
        b.schedule.verification,
    )
    assert [f.code for f in a.findings] == [f.code for f in b.findings]


def test_a_misleading_localtime_falls_back_and_is_reported_once(tmp_path: Path) -> None:
    root = host(
        tmp_path / "srv1",
        {
            "etc/localtime": "not a zone file\n",
            "etc/timezone": "Asia/Seoul\n",
            "etc/cron.d/a": "0 1 * * * root /a\n",
        },
    )
    parsed = read_inputs([str(root)], fmt=None, timezone=None)
    assert {(p.timezone, p.timezone_from) for p in parsed if p.jobs} == {
        ("Asia/Seoul", "host:/etc/timezone")
    }
    assert [str(d) for p in parsed for d in p.diagnostics] == [
        f"{root / 'etc' / 'localtime'}:0: not a TZif zone file; looking at /etc/timezone"
    ]


def test_every_host_of_a_fleet_has_its_own_zone(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    for name, zone in (("web1", "Asia/Tokyo"), ("web2", "Europe/London"), ("web3", None)):
        root = host(fleet / name)
        if zone is not None:
            link_localtime(root, f"/usr/share/zoneinfo/{zone}")
    parsed = read_inputs([str(fleet)], fmt=None, timezone=None)
    assert sorted((p.host, p.timezone, p.timezone_from) for p in parsed) == [
        ("web1", "Asia/Tokyo", "host:/etc/localtime"),
        ("web2", "Europe/London", "host:/etc/localtime"),
        ("web3", "UTC", "host:unknown"),
    ]


def test_files_of_one_host_named_one_by_one_share_its_zone(tmp_path: Path) -> None:
    root = host(
        tmp_path / "srv1",
        {"etc/cron.d/a": "0 1 * * * root /a\n", "var/spool/cron/crontabs/bob": "0 2 * * * /b\n"},
    )
    link_localtime(root, "../usr/share/zoneinfo/Asia/Tokyo")
    paths = [root / "etc" / "cron.d" / "a", root / "var" / "spool" / "cron" / "crontabs" / "bob"]
    parsed = read_inputs([str(p) for p in paths], fmt=None, timezone=None)
    assert [(p.timezone, p.timezone_from) for p in parsed] == [
        ("Asia/Tokyo", "host:/etc/localtime")
    ] * 2


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("/etc/crontab", "/"),
        ("/etc/cron.d/php", "/"),
        ("etc/crontab", "."),
        ("snap/web1/etc/cron.daily/logrotate", "snap/web1"),
        ("snap/web1/var/spool/cron/crontabs/bob", "snap/web1"),
        ("/var/spool/cron/alice", "/"),
    ],
)
def test_host_root_of(path: str, root: str) -> None:
    assert hostzone.host_root_of(path) == root


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        (":Asia/Tokyo", "Asia/Tokyo"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        ("../usr/share/zoneinfo/right/Europe/Paris", "Europe/Paris"),
        ("Etc/UTC", "UTC"),
        ("Mars/Base", None),
        ("", None),
        ("localtime", None),
    ],
)
def test_zone_name(text: str, zone: str | None) -> None:
    assert hostzone.zone_name(text) == zone


SYSTEM_ZONEINFO = Path("/usr/share/zoneinfo")


@pytest.mark.skipif(not (SYSTEM_ZONEINFO / "Europe" / "Berlin").is_file(),
                    reason="needs the system's zoneinfo (a build other than the tzdata package's)")
@pytest.mark.parametrize("zone", ["Europe/Berlin", "Europe/Paris", "America/New_York",
                                  "Asia/Tokyo", "America/Sao_Paulo"])
def test_a_tzif_file_of_another_tzdata_build_is_named_by_its_offsets(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    """The host's /etc/localtime comes from its own tzdata release (often a `fat` build):
    its bytes match no file here, so it is matched by rule and offsets since 1970."""
    monkeypatch.setattr(hostzone, "_ZONEINFO_DIRS", ())  # index the tzdata package only
    hostzone._tzif_index.cache_clear()
    try:
        data = (SYSTEM_ZONEINFO / zone).read_bytes()
        assert data != tzif(zone)
        assert hostzone.zone_of_tzif(data) == zone
        assert hostzone.zone_of_tzif(data[:-5] + b"XX99\n") is None  # an unknown rule
    finally:
        hostzone._tzif_index.cache_clear()

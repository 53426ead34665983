"""The pipeline: every job converted, verified, named; exactness only when proven."""

from __future__ import annotations

from datetime import UTC, date, datetime

from migrate.scan import ScanOptions, default_horizon, exit_code, scan_files
from migrate.sources.crontab.parse import parse_crontab

OPTS = ScanOptions(timezone="Asia/Tokyo", horizon=(date(2027, 1, 1), date(2028, 1, 1)))


def _scan(text: str, *, fmt: str = "user", tz: str = "Asia/Tokyo"):  # type: ignore[no-untyped-def]
    parsed = parse_crontab(text, "tab", fmt=fmt, timezone=tz)  # type: ignore[arg-type]
    return scan_files([parsed], OPTS)


def test_default_horizon_is_the_next_calendar_year() -> None:
    assert default_horizon(datetime(2026, 11, 23, tzinfo=UTC)) == (date(2027, 1, 1),
                                                                    date(2028, 1, 1))


def test_exact_job_gets_aws_expression_verification_name_and_description() -> None:
    [job] = _scan("30 2 * * * /usr/local/bin/backup --full\n").jobs
    assert job.schedule.aws == ("cron(30 17 * * ? *)",)
    assert job.schedule.exact and job.schedule.verification is not None
    assert job.schedule.verification.source_fires == 365
    assert job.name == "backup"  # options are left out of names
    assert job.description == "At 02:30, every day, Asia/Tokyo"
    assert job.id.startswith("j-") and len(job.id) == 14


def test_ids_are_stable_and_independent_of_line_numbers() -> None:
    a = _scan("0 1 * * * /a\n0 2 * * * /b\n").jobs
    b = _scan("# moved\n0 2 * * * /b\n\n0 1 * * * /a\n").jobs
    assert {j.id for j in a} == {j.id for j in b}


def test_identical_lines_get_distinct_ids_and_names() -> None:
    # The scan merges the copies (duplicate-job); kept apart they stay distinct.
    parsed = parse_crontab("0 1 * * * /a\n0 1 * * * /a\n", "tab", fmt="user",
                           timezone="Asia/Tokyo")
    jobs = scan_files([parsed], ScanOptions(timezone="Asia/Tokyo", merge=False,
                                            horizon=OPTS.horizon)).jobs
    assert len({j.id for j in jobs}) == 2 and len({j.name for j in jobs}) == 2


def test_reboot_is_kept_never_exact_and_has_no_rule() -> None:
    result = _scan("@reboot /start\n")
    [job] = result.jobs
    assert job.schedule.aws == () and not job.schedule.exact
    assert [f.code for f in job.findings] == ["reboot"]
    assert exit_code(result) == 1


def test_dst_zone_gets_drift_finding_with_counts() -> None:
    [job] = _scan("CRON_TZ=America/New_York\n30 2 * * * /x\n").jobs
    assert not job.schedule.exact
    [drift] = [f for f in job.findings if f.code == "dst-drift"]
    # CRON_TZ: the 02:30 that DST skips never fires (364 fires), 237 of them in EDT
    assert "237 fires while America/New_York is at UTC-04:00 run 60 min later" in drift.message
    assert "(of 364)" in drift.message


def test_random_range_is_never_claimed_exact() -> None:
    [job] = _scan("0~30 2 * * * /x\n").jobs
    assert job.schedule.verification is not None and job.schedule.verification.exact
    assert not job.schedule.exact


def test_exit_code_clean_when_all_exact() -> None:
    assert exit_code(_scan("0 1 * * * /a\n")) == 0

"""report.md: a Findings section grouped by code, and each job's findings with evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from migrate.emit.findings import findings_by_code, findings_markdown
from migrate.emit.report import render_report
from migrate.scan import ScanOptions, parse_horizon, scan_files
from migrate.sources.crontab.parse import parse_crontab

TAB = """MAILTO=ops@example.com
0 2 * * * pg_dump -h 10.0.0.5 app > /backup/app-$(date +\\%F).sql
30 2 * * * aws s3 sync /backup/ s3://acme-backups/
0 3 * * * mysql -u root -pS3cretPw app -e 'CALL purge()'
"""


def _scan():  # type: ignore[no-untyped-def]
    parsed = parse_crontab(TAB, "/var/spool/cron/crontabs/ops", fmt="user", timezone="UTC")
    return scan_files([parsed], ScanOptions(horizon=parse_horizon("2027-01-01:2028-01-01"),
                                            now=datetime(2026, 11, 23, tzinfo=UTC)))


def test_groups_follow_the_rule_order() -> None:
    groups = findings_by_code(_scan().jobs)
    assert [g.code for g in groups] == ["chain", "fixed-ip", "localhost", "host-path", "mailto",
                                        "secret"]
    [secret] = [g for g in groups if g.code == "secret"]
    assert secret.severity == "error" and secret.jobs == 1


def test_report_has_findings_section_and_per_job_evidence() -> None:
    result = _scan()
    md = render_report(result.catalog, result.summary_line, result.analysis)
    assert md.index("## Findings") < md.index("## Jobs")
    section = md[md.index("## Findings"):md.index("## Jobs")]
    assert "| [`fixed-ip`](#fixed-ip) | warning | 1 |" in section
    assert "### chain" in section and "*Recommendation:* Two independent rules" in section
    assert "`-pREDACTED`" in section and "S3cretPw" not in md
    jobs = md[md.index("## Jobs"):]
    assert "**warning** `fixed-ip`: private IPv4 address 10.0.0.5 used by pg_dump -h" in jobs
    assert "(`pg_dump -h 10.0.0.5`)" in jobs


def test_findings_are_capped_per_code() -> None:
    result = _scan()
    lines = findings_markdown(result.jobs * 3, limit=2)
    assert "- … and 1 more (every one is in catalog.yaml)" in lines

"""A schedule.rb job and the crontab line whenever installed for it are one job."""

from __future__ import annotations

from migrate.sources.crontab.parse import parse_crontab
from migrate.sources.whenever.dedup import merge_whenever_duplicates
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.reader import parse_schedule

SCHEDULE = (
    "every :day, at: '4:30 am' do\n  rake 'db:backup'\nend\nevery :hour do\n  command 'ping'\nend\n"
)


def installed(path: str) -> str:
    return (
        "MAILTO=ops@example.com\n"
        "# Begin Whenever generated tasks for: /var/www/shop/releases/42/config/schedule.rb at: x\n"
        f"30 4 * * * /bin/bash -l -c 'cd {path} && RAILS_ENV=production rake db:backup"
        " --silent'\n\n"
        "# End Whenever generated tasks for: /var/www/shop/releases/42/config/schedule.rb at: x\n"
        "0 * * * * /bin/bash -l -c 'ping'\n"
    )


def jobs(path: str = "/srv/app") -> tuple[list, list]:  # type: ignore[type-arg]
    ours = parse_schedule(SCHEDULE, "config/schedule.rb", timezone="UTC", app=AppFacts("/srv/app"))
    cron = parse_crontab(installed(path), "web1/crontab", fmt="user", timezone="UTC", host="web1")
    return ours.jobs, cron.jobs


def test_same_job_is_reported_once_with_both_sources() -> None:
    ours, cron = jobs()
    merged = merge_whenever_duplicates(ours + cron)
    assert len(merged) == 3
    backup = merged[0]
    assert [(s.kind, s.path, s.line) for s in backup.sources] == [
        ("whenever", "config/schedule.rb", 2),
        ("crontab", "web1/crontab", 3),
    ]
    assert backup.findings[-1].code == "whenever-installed"


def test_server_path_may_differ_from_the_scanned_directory() -> None:
    ours, cron = jobs("/var/www/shop/releases/42")
    merged = merge_whenever_duplicates(ours + cron)
    assert len(merged) == 3
    assert merged[0].findings[-1].message == (
        "installed by whenever as web1:web1/crontab:3 (running in /var/www/shop/releases/42)"
    )


def test_lines_outside_the_whenever_block_are_not_merged() -> None:
    ours, cron = jobs()
    merged = merge_whenever_duplicates(ours + cron)
    # `0 * * * * ping` is outside the block: a hand-written twin stays its own job.
    assert [j.source.kind for j in merged] == ["whenever", "whenever", "crontab"]


def test_different_schedule_is_not_merged() -> None:
    ours, cron = jobs()
    cron[0].schedule.parsed = ours[1].schedule.parsed  # hourly, not 04:30
    assert len(merge_whenever_duplicates(ours + cron)) == 4

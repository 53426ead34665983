"""Which jobs the run guard wraps, and every bad `after:` / `overlap:` named clearly."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aws_helpers import catalog

from migrate.analysis.codes.risk import AT_LEAST_ONCE, CHAIN, SELF_OVERLAP
from migrate.aws.config import ConfigError, config_from_text
from migrate.aws.guard.select import GuardError, select_guarded
from migrate.aws.guard.settings import GuardSettings
from migrate.model import Job, Schedule, Source

ALL = GuardSettings(mode="stepfunctions", lock_table="locks")
FINDINGS = GuardSettings(mode="findings", lock_table="locks", max_runtime=7200)


def _jobs(**overrides: dict[str, Any]) -> list[Job]:
    """The aws test catalog; `overrides` sets `overrides` (and max_runtime) per job name."""
    cat, _ = catalog()
    out = []
    for j in cat.jobs:
        extra = dict(j.extra)
        if j.name in overrides:
            o = dict(overrides[j.name])
            if "max_runtime" in o:
                extra["max_runtime"] = o.pop("max_runtime")
            extra["overrides"] = o
        out.append(dataclasses.replace(j, extra=extra))
    return out


def _named(jobs: list[Job], name: str) -> Job:
    return next(j for j in jobs if j.name == name)


def _error(jobs: list[Job], settings: GuardSettings | None = ALL) -> str:
    with pytest.raises(GuardError) as err:
        select_guarded(jobs, settings, "cat.yaml")
    return str(err.value)


def test_stepfunctions_mode_guards_every_deployed_job_and_findings_mode_only_flagged() -> None:
    jobs = _jobs()
    deployable = {j.id for j in jobs if j.active and j.schedule.aws}
    assert set(select_guarded(jobs, ALL).guarded) == deployable
    flagged = _named(jobs, "backup-db")
    flagged.findings.append(AT_LEAST_ONCE.finding("x", "y"))
    sel = select_guarded(jobs, FINDINGS)
    assert set(sel.guarded) == {flagged.id}
    assert sel.guarded[flagged.id].resolves == ("at-least-once",)
    assert sel.guarded[flagged.id].max_runtime == 7200  # the environment's default
    assert select_guarded(jobs, None).guarded == {}


def test_catalog_switch_wins_over_the_mode() -> None:
    jobs = _jobs(**{"backup-db": {"guard": False}, "monthly-report": {"guard": "on"}})
    assert _named(jobs, "backup-db").id not in select_guarded(jobs, ALL).guarded
    assert set(select_guarded(jobs, FINDINGS).guarded) == {_named(jobs, "monthly-report").id}


def test_a_chain_guards_its_members_and_only_its_head_keeps_a_schedule() -> None:
    jobs = _jobs()
    a, b = _named(jobs, "backup-db"), _named(jobs, "monthly-report")
    b.extra["overrides"] = {"after": a.id}
    b.findings.append(CHAIN.finding("x", "y"))
    sel = select_guarded(jobs, FINDINGS)
    assert sel.chains == {a.id: (b.id,)}
    assert sel.followers == {b.id: a.id}
    assert set(sel.guarded) == {a.id, b.id}
    assert sel.guarded[b.id].after == a.id and sel.guarded[b.id].resolves == ("chain",)


def test_overlap_skip_from_a_self_overlap_finding_with_max_runtime() -> None:
    jobs = _jobs(**{"backup-db": {"max_runtime": "45m"}})
    job = _named(jobs, "backup-db")
    job.findings.append(SELF_OVERLAP.finding("x", "y"))
    g = select_guarded(jobs, FINDINGS).guarded[job.id]
    assert (g.overlap, g.max_runtime, g.resolves) == ("skip", 2700, ("self-overlap",))


def test_bad_chains_and_overlaps_are_errors_naming_the_job() -> None:
    jobs = _jobs(**{"monthly-report": {"after": "nope"}})
    assert _error(jobs) == ("cat.yaml: job monthly-report (id j-report): overrides.after: no job "
                            "with id 'nope' in the catalog")
    jobs = _jobs(**{"monthly-report": {"after": "j-report"}})
    assert "cannot run after itself" in _error(jobs)
    jobs = _jobs(**{"monthly-report": {"after": "j-backup"}, "backup-db": {"after": "j-report"}})
    assert "a cycle (" in _error(jobs)
    jobs = _jobs(**{"monthly-report": {"after": "j-backup"}})
    inactive = [dataclasses.replace(j, active=False) if j.id == "j-backup" else j for j in jobs]
    assert "is inactive" in _error(inactive)
    moved = [dataclasses.replace(j, schedule=dataclasses.replace(j.schedule, timezone="UTC"))
             if j.id == "j-backup" else j for j in jobs]
    assert "a chain stays in one time zone" in _error(moved)
    other_host = [dataclasses.replace(j, sources=[dataclasses.replace(j.source, host="b9")])
                  if j.id == "j-backup" else j for j in jobs]
    assert "a chain stays in one environment" in _error(other_host)
    assert "needs the run guard" in _error(jobs, None)
    jobs = _jobs(**{"backup-db": {"overlap": "skip"}})
    assert _error(jobs) == ("cat.yaml: job backup-db (id j-backup): overrides.overlap: skip "
                            "needs the job's max_runtime (how long a run may hold the lease), "
                            "e.g. max_runtime: 45m")
    jobs = _jobs(**{"backup-db": {"overlap": "never"}})
    assert "expected skip or allow" in _error(jobs)
    jobs = _jobs(**{"monthly-report": {"after": "j-backup", "guard": "off"}})
    assert "chained jobs always run guarded" in _error(jobs)


def test_two_jobs_after_one_is_refused() -> None:
    ids = [j.id for j in _jobs() if j.active and j.schedule.aws]
    head, x, y = ids[0], ids[1], ids[2]
    names = {j.id: j.name for j in _jobs()}
    jobs = _jobs(**{names[x]: {"after": head}, names[y]: {"after": head}})
    same_host = [dataclasses.replace(j, sources=[Source(**{**dataclasses.asdict(j.source),
                                                           "host": "h"})],
                                     schedule=Schedule(**{**dataclasses.asdict(j.schedule),
                                                          "timezone": "UTC",
                                                          "verification": None}))
                 for j in jobs]
    assert "a chain is one line" in _error(same_host)


YAML = """
environments:
  e:
    region: us-east-1
    cluster: c
    task_definition: t
    container: app
    role_arn: arn:aws:iam::1:role/r
    subnets: [s]
    guard: {guard}
"""


def test_guard_settings_short_and_long_form() -> None:
    env = config_from_text(YAML.format(guard="findings")).environment("e")
    assert env.guard == GuardSettings(mode="findings", lock_table="migrate-guard-e",
                                      name="migrate-guard-e")
    env = config_from_text(YAML.format(
        guard="{mode: stepfunctions, lock_table: locks, max_runtime: 2h, "
              "retry: {attempts: 5, interval: 1m, backoff_rate: 1.5}}")).environment("e")
    assert env.guard == GuardSettings("stepfunctions", "locks", 5, 60, 1.5, 7200,
                                      name="migrate-guard-e")


@pytest.mark.parametrize(("value", "message"), [
    ("sometimes", "guard.mode: expected stepfunctions or findings"),
    ("[1, 2]", "guard: expected stepfunctions, findings or a mapping"),
    ("{mode: always}", "guard.mode: expected stepfunctions or findings"),
    ("{retry: {attempts: 99}}", "guard.retry.attempts: expected an integer from 0 to 10"),
    ("{retry: {backoff_rate: 0.5}}", "guard.retry.backoff_rate: expected a number"),
    ("{lock_table: 'a b'}", "guard.lock_table: expected a DynamoDB table name"),
    ("{state_machine_arn: 'arn:aws:states:us-east-1:1:stateMachine:m'}",
     "state_machine_arn, machine_role_arn and events_role_arn together"),
])
def test_guard_settings_errors_name_line_and_key(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        config_from_text(YAML.format(guard=value))
    assert str(err.value).startswith("migrate.yaml:10: environments.e.guard")
    assert message in str(err.value)


def test_a_lease_that_could_outlive_its_time_to_live_is_refused() -> None:
    # 3 retries: 4 attempts of 7 days and the waits exceed the lease's 28 days of TTL
    jobs = _jobs(**{"backup-db": {"overlap": "skip", "max_runtime": "7d"}})
    settings = dataclasses.replace(ALL, retry_attempts=3, retry_interval=30, backoff_rate=2.0)
    message = _error(jobs, settings)
    assert message.startswith("cat.yaml: job backup-db (id j-backup): max_runtime 10080m")
    assert "longer than the lease's time to live (28 days" in message
    fits = _jobs(**{"backup-db": {"overlap": "skip", "max_runtime": "7d"}})
    fewer = dataclasses.replace(settings, retry_attempts=2)
    assert select_guarded(fits, fewer).guarded["j-backup"].max_runtime == 7 * 86400
    # allow takes no lease: no limit
    long = _jobs(**{"backup-db": {"overlap": "allow", "max_runtime": "30d"}})
    assert select_guarded(long, settings).guarded["j-backup"].overlap == "allow"

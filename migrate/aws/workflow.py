"""The steps `migrate plan` and `migrate apply` are made of, usable from Python too.

`Connection` hands out boto3 clients per environment, choosing the endpoint in this order:
`--endpoint-url`, the environment's `endpoint:` (a URL, or `embedded` for the in-process
sandbox), then `AWS_ENDPOINT_URL` (read by the CLI edge and passed in), then AWS itself.
The same endpoint choice applies to every client of the command, the staging gate's read
included, so a whole flow can be rehearsed against an emulator.

Every function here raises `MigrateError`s only for expected failures: a botocore error
that a step below did not already word is wrapped by `clients.aws_errors`.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from migrate.aws import preflight
from migrate.aws.alerts import topic_name
from migrate.aws.alerts_config import CREATE
from migrate.aws.apply import ApplyReport, SwitchWindow, apply_steps
from migrate.aws.calls import PREFLIGHT_TIME, Step, plan_steps, steps_problems
from migrate.aws.cli_script import script_files
from migrate.aws.clients import AwsError, Backoff, aws_errors, make_client
from migrate.aws.config import EMBEDDED, Config, Environment
from migrate.aws.desired import (
    Resolved,
    desired_state,
    override_places,
    task_definition_refs,
)
from migrate.aws.gate import GateResult, check_evidence, check_gate, newest_apply
from migrate.aws.guard.planning import guard_plan
from migrate.aws.live import read_live, read_schedules, read_topics, resolve
from migrate.aws.plan import Plan, make_plan, refused_plan, with_problems
from migrate.aws.plan_output import render_markdown
from migrate.aws.preflight import check_environment, check_task_definitions
from migrate.aws.sandbox import SANDBOX_CREDENTIALS, Sandbox
from migrate.aws.schedules import group_name, trust_warning
from migrate.aws.status import StatusReport, Window, environment_status
from migrate.model import Job


@dataclass(frozen=True, slots=True)
class Endpoints:
    flag: str | None = None  # --endpoint-url
    env_var: str | None = None  # AWS_ENDPOINT_URL, as read by the CLI edge


class Connection:
    def __init__(self, config: Config, endpoints: Endpoints = Endpoints(), workers: int = 8,
                 backoff: Backoff | None = None) -> None:
        self.config = config
        self.endpoints = endpoints
        self.workers = workers
        self.backoff = backoff or Backoff()
        self.sandbox: Sandbox | None = None
        self.switch_window = SwitchWindow()
        self._clients: dict[tuple[str, str, str | None], Any] = {}

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self.sandbox is not None:
            sandbox, self.sandbox = self.sandbox, None
            try:
                with aws_errors("sandbox"):
                    sandbox.save()
            finally:
                sandbox.stop()

    def embedded(self, env: Environment) -> bool:
        return self.endpoints.flag is None and env.endpoint == EMBEDDED

    def endpoint(self, env: Environment) -> str | None:
        if self.endpoints.flag:
            return self.endpoints.flag
        if env.endpoint == EMBEDDED:
            return self.sandbox_for().endpoint_url
        return env.endpoint or self.endpoints.env_var or None

    def sandbox_for(self) -> Sandbox:
        if self.sandbox is None:
            self.sandbox = Sandbox(self.config.sandbox_state)
            self.sandbox.start()
        return self.sandbox

    def client(self, service: str, env: Environment) -> Any:
        endpoint = self.endpoint(env)
        key = (service, env.region, endpoint)
        if key not in self._clients:
            creds = SANDBOX_CREDENTIALS if self.embedded(env) else None
            self._clients[key] = make_client(service, env.region, endpoint,
                                             pool=self.workers + 4, credentials=creds)
        return self._clients[key]


def build_plan(
    conn: Connection,
    env: Environment,
    jobs: Sequence[Job],
    digest: str,
    catalog_path: str,
    *,
    prune: bool = False,
    adopt: bool = False,
    force: bool = False,
) -> Plan:
    """Preflight, resolve, build the desired state, read the live state, compare. Read-only.

    A preflight error in `migrate.yaml` returns a plan carrying it before any AWS call;
    the task definitions' facts are checked once resolved, every request body once planned
    (`preflight.py`, `requests.py`)."""
    places = conn.config.places.get(env.name)
    problems = check_environment(env, places)
    if preflight.errors(problems):
        return refused_plan(env, digest, problems)
    refs = task_definition_refs(jobs, env, catalog_path)
    with aws_errors():
        if conn.embedded(env):
            conn.sandbox_for().prepare(env, refs)
        resolved = resolve(conn.client("ecs", env), env, refs, conn.backoff)
        problems += check_task_definitions(env, resolved.task_facts, places,
                                           override_places(jobs, env, catalog_path))
        desired = desired_state(jobs, env, resolved, digest, catalog_path)
        live = read_live(conn.client("events", env), env, [r.name for r in desired.rules],
                         conn.backoff, conn.workers)
        topics = alert_topic_arns(env, resolved)
        if topics:  # the topic we would own, and one given by ARN: ours, or its subscriptions
            owned, foreign = read_topics(conn.client("sns", env), env, topics, conn.backoff)
            live = dataclasses.replace(live, others=tuple(owned),
                                       others_foreign=tuple(foreign))
        # The group is read for every service, so `service: rules` moves jobs back.
        mine, theirs, total = read_schedules(
            conn.client("scheduler", env), env, group_name(env.rule_prefix, env.name),
            conn.backoff, conn.workers)
        live = dataclasses.replace(live, others=live.others + tuple(mine),
                                   others_foreign=live.others_foreign + tuple(theirs),
                                   total_schedules=total)
        # the run guard's schedules start the machine with the guard's own role (guard/wrap.py)
        trust = trust_warning(conn.client("iam", env), env, conn.backoff) if any(
            json.loads(s.target).get("RoleArn") == env.scheduler_role
            for s in desired.schedules) else None
        guard = guard_plan(lambda service: conn.client(service, env), conn.backoff, env,
                           resolved, desired, refs, prune)
    plan = make_plan(desired, live, env, digest, prune=prune, adopt=adopt, force=force)
    plan = dataclasses.replace(plan, guard=guard.calls, guard_removals=guard.removals,
                               guard_orphans=guard.orphans)
    for warning in (trust, guard.unchecked):
        if warning is not None:
            plan = dataclasses.replace(plan, warnings=(*plan.warnings, warning))
    return with_problems(plan, problems, steps_problems(plan_steps(plan, PREFLIGHT_TIME),
                                                       env.region))


def alert_topic_arns(env: Environment, resolved: Resolved) -> list[str]:
    """The SNS topics the plan looks at: migrate's own `migrate-alerts-<env>` (also when
    alerts were switched off, so --prune can remove it) and a topic given by ARN."""
    if not resolved.account:
        return []
    arns = [f"arn:{resolved.partition}:sns:{env.region}:{resolved.account}:{topic_name(env)}"]
    if env.alerts is not None and env.alerts.topic != CREATE:
        arns.append(env.alerts.topic)
    return arns


def check_promotion(
    conn: Connection,
    env: Environment,
    jobs: Sequence[Job],
    digest: str,
    catalog_path: str,
    now: datetime,
    skip_reason: str | None = None,
) -> GateResult:
    """The staging gate for `env` (see gate.py); reads the source environment live."""
    if skip_reason is not None and not env.gated:
        raise AwsError(f"environment {env.name} is not gated (no promote_after); "
                       "--skip-staging-gate is for gated environments only")
    if not env.gated or skip_reason is not None:
        return check_gate(env, None, digest, now, skip_reason)
    source = conn.config.environments.get(env.promote_from or "staging")
    source_plan = None if source is None else build_plan(conn, source, jobs, digest,
                                                         catalog_path)
    passed = check_gate(env, source_plan, digest, now)
    if env.promote_requires != "healthy" or source is None or source_plan is None:
        return passed
    window = Window.ending_before(now, env.promote_after or timedelta(0))
    applied = newest_apply(source_plan)  # runs before the catalog was live do not count
    if applied is not None and applied > window.start:
        window = Window(min(applied, window.end - timedelta(minutes=1)), window.end)
    report = status_report(conn, source, jobs, source_plan, window)
    job_ids = {c.job_id for c in source_plan.changes
               if c.kind == "rule" and c.job_id and c.desired is not None}
    return check_evidence(env, report, job_ids, passed)


def status_report(conn: Connection, env: Environment, jobs: Sequence[Job], plan: Plan,
                  window: Window) -> StatusReport:
    """`migrate status` of `env` over `window`, from its plan (the live rules)."""
    names = {j.id: j.name for j in jobs}
    with aws_errors():
        return environment_status(conn.client("cloudwatch", env), env, plan, names, window,
                                  conn.backoff)


def write_plan_files(plan: Plan, steps: Sequence[Step], out_dir: Path,
                     endpoint: str | None = None) -> list[Path]:
    """`plan-<env>.md`, `plan-<env>.json`, `aws/<env>.sh` and its JSON bodies `aws/<env>/`."""
    env = plan.environment
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    md = out_dir / f"plan-{env}.md"
    md.write_text(render_markdown(plan, endpoint), encoding="utf-8")
    js = out_dir / f"plan-{env}.json"
    js.write_text(plan.to_json(), encoding="utf-8")
    written += [md, js]
    aws_dir = out_dir / "aws"
    bodies = aws_dir / env
    if bodies.exists():
        shutil.rmtree(bodies)
    for rel, text in script_files(steps, plan, env).items():
        path = aws_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if rel.endswith(".sh"):
            path.chmod(0o755)
            written.append(path)
    return written


def execute(conn: Connection, env: Environment, steps: Sequence[Step],
            progress: Callable[[int], None] | None = None) -> ApplyReport:
    """Apply `steps` phase by phase (the run guard's resources and alert topics first, see
    calls.py), each call with its service's client."""
    with aws_errors():
        services = sorted({c.service for s in steps for c in s.calls}) or ["events"]
        clients = {svc: conn.client(svc, env) for svc in services}
        return apply_steps(steps, clients, conn.backoff, conn.workers, progress,
                           conn.switch_window)

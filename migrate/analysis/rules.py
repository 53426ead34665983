"""The finding families: one `Rule` value per stable code, and the severity threshold.

Every rule module declares its `Rule` (code, severity, title, recommendation) here in one
place, so the report, the README table and the tests read the same words. A module may lower
or raise the severity of one finding (e.g. a loopback `fixed-ip` is only `info`), but the
code and the recommendation are fixed per family.

The recommendations follow what the teams in `../shared/CONTEXT.md` did when they moved
their batch servers to scheduled ECS tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from migrate.model import SEVERITIES, Finding, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str  # what the family is about, for the report's section heading
    recommendation: str

    def finding(
        self, message: str, evidence: str = "", severity: Severity | None = None
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            evidence=evidence,
            recommendation=self.recommendation,
        )


DUPLICATE_JOB = Rule(
    "duplicate-job",
    "warning",
    "The same job on several hosts or twice in one file",
    "In AWS one rule runs once per copy: keep one catalog job (the scan merged the copies, "
    "listing every source) unless each host really needs its own run; `--no-merge` keeps "
    "them apart.",
)
NEAR_DUPLICATE_JOB = Rule(
    "near-duplicate-job",
    "warning",
    "The same job on several hosts whose environments differ slightly",
    "In AWS each copy is one more run: if the differing variables do not matter, keep one "
    "copy (set `active: false` on the others); otherwise keep each and give it the "
    "environment it needs in the task.",
)
BURST = Rule(
    "burst",
    "warning",
    "Many jobs starting in the same UTC minute",
    "Spread the start minutes (each scheduled rule is one RunTask call; Fargate accepts about "
    "20 calls a second per account and Region) or start them from one Step Functions "
    "state machine with a concurrency limit.",
)
SELF_OVERLAP = Rule(
    "self-overlap",
    "warning",
    "A run may still be going when the next one starts",
    "EventBridge starts a new task regardless and a lock file inside a container guards "
    "nothing: start the job through a Step Functions state machine that refuses concurrent "
    "executions, or take a distributed lock (DynamoDB conditional write) in the job.",
)
AT_LEAST_ONCE = Rule(
    "at-least-once",
    "warning",
    "EventBridge may start a job more than once for one scheduled time",
    "Make the job idempotent (an idempotency key or a 'sent' table checked before acting) or "
    "guard it with a Step Functions state machine that refuses a second execution for the "
    "same scheduled time; keep a dedicated host for it if neither is possible.",
)
CHAIN = Rule(
    "chain",
    "warning",
    "Jobs on one host that run as an implicit sequence",
    "Two independent rules do not wait for each other: chain the steps in one Step Functions "
    "state machine (run B only after A succeeded, with retries) or run them as one task.",
)
FIXED_IP = Rule(
    "fixed-ip",
    "warning",
    "IP address literals in the command",
    "A Fargate task gets a new address each run. For partners that allow-list the batch "
    "server's address, send the traffic through a NAT gateway with an Elastic IP (or a "
    "proxy with a fixed address); for internal targets, allow the task's security group "
    "instead of an address, use a VPC endpoint or a DNS name, and keep only the calls that "
    "truly need a fixed address on that path.",
)
LOCALHOST = Rule(
    "localhost",
    "warning",
    "Talks to a daemon on the same host",
    "Inside a container localhost is the container itself: point the job at the service's "
    "network name (RDS, ElastiCache, an internal load balancer) or run the daemon as a "
    "sidecar container in the same task.",
)
HOST_PATH = Rule(
    "host-path",
    "warning",
    "Host-local files kept across runs",
    "Container storage is gone when the task stops: keep state and outputs in S3 (or EFS "
    "when a file system is required), and write logs to stdout for CloudWatch Logs.",
)
HOST_MAINTENANCE = Rule(
    "host-maintenance",
    "info",
    "Maintenance of the server itself",
    "There is no server to maintain on Fargate: do not migrate this job (set `active: false` "
    "in the catalog).",
)
MAILTO = Rule(
    "mailto",
    "warning",
    "Cron mailed the job's output",
    "Containers send no mail: ship the task's output to CloudWatch Logs (awslogs driver) and "
    "add an EventBridge rule on ECS 'Task State Change' events (lastStatus STOPPED with a "
    "non-zero or missing exit code) that notifies an SNS topic the recipients subscribe to.",
)
SECRET = Rule(
    "secret",
    "error",
    "Credentials in the command line",
    "The value is redacted in the catalog and reports: store it in Secrets Manager (or SSM "
    "Parameter Store) and pass it to the container through the task definition's `secrets`, "
    "then reference it as an environment variable in the command.",
)

RULES: tuple[Rule, ...] = (
    DUPLICATE_JOB,
    NEAR_DUPLICATE_JOB,
    BURST,
    SELF_OVERLAP,
    AT_LEAST_ONCE,
    CHAIN,
    FIXED_IP,
    LOCALHOST,
    HOST_PATH,
    HOST_MAINTENANCE,
    MAILTO,
    SECRET,
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """0 info, 1 warning, 2 error."""
    return _RANK[severity]


def reaches(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """True when any finding is at least as severe as `fail_on` (`--fail-on`); None: never."""
    if fail_on is None:
        return False
    limit = _RANK[fail_on]
    return any(_RANK[f.severity] >= limit for f in findings)

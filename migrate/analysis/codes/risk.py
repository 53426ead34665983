"""Migration risks: what breaks when a job leaves its server (`migrate/analysis/` rules).

One code per rule module. The recommendations follow what the teams in
`../shared/CONTEXT.md` did when they moved their batch servers to scheduled ECS tasks. These
findings are recomputed whenever a catalog is analysed again (`RISKS`).
"""

from __future__ import annotations

from migrate.analysis.codes.base import Code, Family, declare

RISK = Family("risk", "migration risk")

DUPLICATE_JOB = declare(
    RISK,
    "duplicate-job",
    "warning",
    "The same job on several hosts or twice in one file",
    "each copy becomes its own rule, so the job runs once per copy",
    "In AWS one rule runs once per copy: keep one catalog job (the scan merged the copies, "
    "listing every source) unless each host really needs its own run; `--no-merge` keeps "
    "them apart.",
)

NEAR_DUPLICATE_JOB = declare(
    RISK,
    "near-duplicate-job",
    "warning",
    "The same job on several hosts whose environments differ slightly",
    "each copy becomes its own rule, so the job runs once per copy; the differing variables "
    "decide whether one copy can stand for all",
    "In AWS each copy is one more run: if the differing variables do not matter, keep one "
    "copy (set `active: false` on the others); otherwise keep each and give it the "
    "environment it needs in the task.",
)

BURST = declare(
    RISK,
    "burst",
    "warning",
    "Many jobs starting in the same UTC minute",
    "each rule is one RunTask call at the start of the minute; Fargate throttles beyond about "
    "20 a second",
    "Spread the start minutes (each scheduled rule is one RunTask call; Fargate accepts about "
    "20 calls a second per account and Region) or start them from one Step Functions "
    "state machine with a concurrency limit.",
)

SELF_OVERLAP = declare(
    RISK,
    "self-overlap",
    "warning",
    "A run may still be going when the next one starts",
    "EventBridge starts a new task even while the last one runs; a lock file in a container "
    "guards nothing",
    "EventBridge starts a new task regardless and a lock file inside a container guards "
    "nothing: start the job through a Step Functions state machine that refuses concurrent "
    "executions, or take a distributed lock (DynamoDB conditional write) in the job.",
)

AT_LEAST_ONCE = declare(
    RISK,
    "at-least-once",
    "warning",
    "EventBridge may start a job more than once for one scheduled time",
    "EventBridge delivers at least once: a task may start twice for one scheduled time",
    "Make the job idempotent (an idempotency key or a 'sent' table checked before acting) or "
    "guard it with a Step Functions state machine that refuses a second execution for the "
    "same scheduled time; keep a dedicated host for it if neither is possible.",
)

CHAIN = declare(
    RISK,
    "chain",
    "warning",
    "Jobs on one host that run as an implicit sequence",
    "two rules do not wait for each other: the consumer may run before the producer finished",
    "Two independent rules do not wait for each other: chain the steps in one Step Functions "
    "state machine (run B only after A succeeded, with retries) or run them as one task.",
)

FIXED_IP = declare(
    RISK,
    "fixed-ip",
    "warning",
    "IP address literals in the command",
    "a Fargate task gets a new address each run, from the VPC's subnets",
    "A Fargate task gets a new address each run. For partners that allow-list the batch "
    "server's address, send the traffic through a NAT gateway with an Elastic IP (or a "
    "proxy with a fixed address); for internal targets, allow the task's security group "
    "instead of an address, use a VPC endpoint or a DNS name, and keep only the calls that "
    "truly need a fixed address on that path.",
)

LOCALHOST = declare(
    RISK,
    "localhost",
    "warning",
    "Talks to a daemon on the same host",
    "inside a container localhost is the container itself: the daemon is not there",
    "Inside a container localhost is the container itself: point the job at the service's "
    "network name (RDS, ElastiCache, an internal load balancer) or run the daemon as a "
    "sidecar container in the same task.",
)

HOST_PATH = declare(
    RISK,
    "host-path",
    "warning",
    "Host-local files kept across runs",
    "container storage is gone when the task stops; host paths do not exist in it",
    "Container storage is gone when the task stops: keep state and outputs in S3 (or EFS "
    "when a file system is required), and write logs to stdout for CloudWatch Logs.",
)

HOST_MAINTENANCE = declare(
    RISK,
    "host-maintenance",
    "info",
    "Maintenance of the server itself",
    "there is no server to maintain: the task would maintain its own container",
    "There is no server to maintain on Fargate: do not migrate this job (set `active: false` "
    "in the catalog).",
)

MAILTO = declare(
    RISK,
    "mailto",
    "warning",
    "Cron mailed the job's output",
    "containers send no mail: the job's output goes to CloudWatch Logs only",
    "Containers send no mail: ship the task's output to CloudWatch Logs (awslogs driver) and "
    "set `alerts:` for the environment in migrate.yaml: `migrate apply` then creates an "
    "EventBridge rule on ECS 'Task State Change' events (the job's container stopped with a "
    "non-zero or missing exit code, or the task failed to start) publishing to an SNS topic "
    "whose email subscriptions default to the MAILTO addresses; `migrate plan` lists where "
    "each MAILTO job's failures go.",
)

SECRET = declare(
    RISK,
    "secret",
    "error",
    "Credentials in the command line",
    "the credential would be stored in the rule's target input; a redacted command is not deployed",
    "The value is redacted in the catalog and reports: store it in Secrets Manager (or SSM "
    "Parameter Store) and pass it to the container through the task definition's `secrets`, "
    "then reference it as an environment variable in the command.",
    blocks_deploy=True,
)

RISKS: tuple[Code, ...] = (
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

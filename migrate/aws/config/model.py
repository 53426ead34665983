"""The values `migrate.yaml` is read into: `Environment`, `Config`, and durations.

Pure data and the few constants the readers (`launch.py`, `environment.py`, `load.py`) check
against; see the package docstring for the file's layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from migrate.aws.alerts_config import Alerts
from migrate.aws.guard.settings import GuardSettings
from migrate.errors import MigrateError
from migrate.yamlplace import place

LAUNCH_TYPES = ("FARGATE", "EC2", "EXTERNAL")
STATES = ("ENABLED", "DISABLED")
RULE_NAME_CHARS = re.compile(r"[.\-_A-Za-z0-9]*")
ENV_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
DEFAULT_RULE_QUOTA = 300  # EventBridge: rules per event bus, default quota
# "Rules: af-south-1: 100, eu-south-1: 100, each other supported Region: 300" (the maximum
# number of rules an account can have per event bus; EventBridge User Guide, "Amazon
# EventBridge quotas", eb-quota.html). `rule_quota` in migrate.yaml overrides it (after a
# Service Quotas increase).
REGION_RULE_QUOTAS = {"af-south-1": 100, "eu-south-1": 100}
EMBEDDED = "embedded"
RESERVED_TAG_PREFIXES = ("migrate:", "aws:")
MAX_USER_TAGS = 44
DEFAULT_SANDBOX_STATE = Path(".migrate/sandbox.json")  # in the working directory, like output/
PROMOTE_REQUIRES = ("applied", "healthy")
# EventBridge Scheduler quotas page (docs.aws.amazon.com/scheduler/latest/UserGuide/
# scheduler-quotas.html): "Number of schedules (default 10,000,000 per Region)".
DEFAULT_SCHEDULE_QUOTA = 10_000_000
SERVICES = ("rules", "scheduler", "auto")


class ConfigError(MigrateError, ValueError):
    """`migrate.yaml` cannot be used; the message names file, line, key and expectation."""


@dataclass(frozen=True, slots=True)
class CapacityProvider:
    capacity_provider: str
    weight: int = 1
    base: int = 0


@dataclass(frozen=True, slots=True)
class Retry:
    maximum_attempts: int
    maximum_event_age_seconds: int


@dataclass(frozen=True, slots=True)
class Environment:
    name: str
    region: str
    cluster: str  # name or ARN
    task_definition: str  # family, family:revision or ARN
    container: str
    role_arn: str
    launch_type: str | None = "FARGATE"  # None when capacity_provider_strategy is set
    capacity_provider_strategy: tuple[CapacityProvider, ...] = ()
    platform_version: str | None = None
    subnets: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    assign_public_ip: bool = False
    rule_prefix: str = ""
    state: str = "ENABLED"
    tags: tuple[tuple[str, str], ...] = ()
    retry: Retry | None = None
    dead_letter_queue: str | None = None
    promote_after: timedelta | None = None  # set: this environment is gated
    promote_from: str | None = None
    rule_quota: int = DEFAULT_RULE_QUOTA
    endpoint: str | None = None  # None, "embedded" or an http(s) URL
    guard: GuardSettings | None = None  # the run guard (aws/guard/settings.py)
    alerts: Alerts | None = None
    promote_requires: str = "applied"
    service: str = "rules"  # rules | scheduler | auto (aws/schedules.py)
    scheduler_role_arn: str | None = None  # Scheduler's role; default role_arn
    schedule_quota: int = DEFAULT_SCHEDULE_QUOTA

    @property
    def scheduler_role(self) -> str:
        return self.scheduler_role_arn or self.role_arn

    @property
    def gated(self) -> bool:
        return self.promote_after is not None


@dataclass(frozen=True, slots=True)
class Places:
    """Where one environment's settings were written: `at("subnets")` ->
    (`migrate.yaml:12`, `environments.staging.subnets`), or the `defaults` line they came from.
    Kept on `Config` so that checks made later (preflight) name file, line and key too."""

    path: str = "migrate.yaml"
    lines: Mapping[str, int] = field(default_factory=dict)
    key_of: Mapping[str, str] = field(default_factory=dict)  # setting -> dotted key written
    prefix: str = ""  # `environments.<name>`

    def key(self, k: str) -> str:
        """The dotted key of setting `k` (`tags.team`: the setting's key, then `.team`)."""
        head, dot, tail = k.partition(".")
        bracket = head.find("[")
        if bracket > 0:
            head, tail, dot = head[:bracket], head[bracket:] + dot + tail, ""
        base = self.key_of.get(head, f"{self.prefix}.{head}" if self.prefix else head)
        return base + dot + tail

    def at(self, k: str) -> tuple[str, str]:
        key = self.key(k)
        return place(self.path, self.lines, key), key


@dataclass(frozen=True, slots=True)
class Config:
    path: str
    environments: Mapping[str, Environment]
    sandbox_state: Path
    places: Mapping[str, Places] = field(default_factory=dict)  # env name -> where written

    def environment(self, name: str) -> Environment:
        if name not in self.environments:
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(f"{self.path}: no environment '{name}' (defined: {known})")
        return self.environments[name]


def default_rule_quota(region: str) -> int:
    """EventBridge's default quota of rules per event bus in `region`."""
    return REGION_RULE_QUOTAS.get(region, DEFAULT_RULE_QUOTA)


_DURATION = re.compile(r"(\d+)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`24h`, `30m`, `7d`, `1d12h`, `2w`, `0` -> timedelta. ValueError otherwise."""
    t = text.strip()
    if t == "0":
        return timedelta(0)
    pos, seconds = 0, 0
    for m in _DURATION.finditer(t):
        if m.start() != pos:
            break
        seconds += int(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if pos == 0 or pos != len(t):
        raise ValueError(f"not a duration: {text!r}")
    return timedelta(seconds=seconds)


def format_duration(d: timedelta) -> str:
    """The inverse of `parse_duration`, largest units first (`1d12h`, `30m`, `0m`)."""
    seconds = int(d.total_seconds())
    if seconds == 0:
        return "0m"
    parts = []
    for unit in ("d", "h", "m", "s"):
        n, seconds = divmod(seconds, _UNIT_SECONDS[unit])
        if n:
            parts.append(f"{n}{unit}")
    return "".join(parts)

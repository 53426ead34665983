"""`guard:` in migrate.yaml, read into a `GuardSettings` value (see config.py).

```yaml
guard: findings                 # short form: only the mode
guard:
  mode: stepfunctions           # every deployed job | findings: only jobs with an
                                # at-least-once, self-overlap or chain finding, or
                                # `overrides.guard: on` in the catalog
  lock_table: migrate-guard     # DynamoDB table (default migrate-guard-<env>)
  retry: {attempts: 3, interval: 30s, backoff_rate: 2.0}   # tasks that failed to start
  max_runtime: 24h              # run limit of jobs without their own max_runtime
  state_machine_arn: arn:...    # use these instead of creating them (all three or none)
  machine_role_arn: arn:...
  events_role_arn: arn:...
```
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

MODES = ("stepfunctions", "findings")
ErrorFn = Callable[..., Exception]
DurationFn = Callable[[str], timedelta]  # config.parse_duration (config imports this module)
GIVEN = ("state_machine_arn", "machine_role_arn", "events_role_arn")
_KEYS = {"mode", "lock_table", "retry", "max_runtime", *GIVEN}
MAX_RETRY_ATTEMPTS = 10
DEFAULT_MAX_RUNTIME = 86400


@dataclass(frozen=True, slots=True)
class GuardSettings:
    mode: str
    lock_table: str
    retry_attempts: int = 3
    retry_interval: int = 30  # seconds
    backoff_rate: float = 2.0
    max_runtime: int = DEFAULT_MAX_RUNTIME  # seconds
    state_machine_arn: str | None = None
    machine_role_arn: str | None = None
    events_role_arn: str | None = None
    name: str = "migrate-guard"  # created resources: <name> (machine), <name>-machine and
                                 # <name>-events (roles); migrate-guard-<env> by default

    @property
    def given(self) -> bool:
        """The state machine and its roles exist already (ARNs in migrate.yaml)."""
        return self.state_machine_arn is not None

    def machine_arn(self, partition: str, region: str, account: str) -> str:
        return self.state_machine_arn or (
            f"arn:{partition}:states:{region}:{account}:stateMachine:{self.name}")

    def events_role(self, partition: str, account: str) -> str:
        return self.events_role_arn or f"arn:{partition}:iam::{account}:role/{self.name}-events"

    def machine_role(self, partition: str, account: str) -> str:
        return self.machine_role_arn or f"arn:{partition}:iam::{account}:role/{self.name}-machine"


def backoff_waits(attempts: int, interval: int, rate: float) -> list[int]:
    """Seconds before each retry of a task that failed to start."""
    return [int(interval * rate ** i) for i in range(attempts)]


def guard_name(env_name: str) -> str:
    """The machine's name (and prefix of its roles) created for an environment."""
    return f"migrate-guard-{env_name}"


def _seconds(v: Any, duration: DurationFn) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v > 0 else None
    try:
        s = int(duration(str(v)).total_seconds())
    except ValueError:
        return None
    return s if s > 0 else None


def read_guard(raw: Any, key: str, error: ErrorFn, env_name: str,
               duration: DurationFn) -> GuardSettings | None:
    """`guard:` of one environment (`key`: its dotted key) -> GuardSettings; `error(key,
    expected, value, got=True)` builds the line-numbered ConfigError of config.py."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = {"mode": raw}
    if not isinstance(raw, Mapping) or set(raw) - _KEYS:
        raise error(key, "stepfunctions, findings or a mapping with " +
                    ", ".join(sorted(_KEYS)), raw)
    mode = raw.get("mode", "stepfunctions")
    if mode not in MODES:
        raise error(f"{key}.mode", " or ".join(MODES), mode)
    table = raw.get("lock_table", guard_name(env_name))
    if not isinstance(table, str) or not 3 <= len(table) <= 255 or not all(
        c.isalnum() or c in "_.-" for c in table
    ):
        raise error(f"{key}.lock_table", "a DynamoDB table name (3-255 of letters, digits, "
                    "_ . -)", table)
    retry = raw.get("retry") or {}
    if not isinstance(retry, Mapping) or set(retry) - {"attempts", "interval", "backoff_rate"}:
        raise error(f"{key}.retry", "a mapping with attempts, interval and backoff_rate", retry)
    attempts = retry.get("attempts", 3)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not (
        0 <= attempts <= MAX_RETRY_ATTEMPTS
    ):
        raise error(f"{key}.retry.attempts", f"an integer from 0 to {MAX_RETRY_ATTEMPTS}",
                    attempts)
    interval = _seconds(retry.get("interval", 30), duration)
    if interval is None:
        raise error(f"{key}.retry.interval", "a duration (30s, 2m) or seconds",
                    retry.get("interval"))
    rate = retry.get("backoff_rate", 2.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 1.0 <= rate <= 10.0:
        raise error(f"{key}.retry.backoff_rate", "a number from 1.0 to 10.0", rate)
    max_runtime = _seconds(raw.get("max_runtime", DEFAULT_MAX_RUNTIME), duration)
    if max_runtime is None:
        raise error(f"{key}.max_runtime", "a duration (24h, 90m) or seconds",
                    raw.get("max_runtime"))
    given = {k: raw.get(k) for k in GIVEN}
    for k, v in given.items():
        if v is not None and (not isinstance(v, str) or not v.startswith("arn:")):
            raise error(f"{key}.{k}", "an ARN", v)
    if any(v is not None for v in given.values()) and not all(given.values()):
        raise error(key, "state_machine_arn, machine_role_arn and events_role_arn together "
                    "(or none: apply creates them)", got=False)
    return GuardSettings(
        mode=mode, lock_table=table, retry_attempts=attempts, retry_interval=interval,
        backoff_rate=float(rate), max_runtime=max_runtime,
        state_machine_arn=given["state_machine_arn"],
        machine_role_arn=given["machine_role_arn"], events_role_arn=given["events_role_arn"],
        name=guard_name(env_name),
    )

"""Environments: `migrate.yaml`, read into `Environment` values.

`config_from_text(text, path)` is a pure function; `load_config(path)` is the thin reader.
Every error names the file, the line, the key and what was expected, e.g.
`migrate.yaml:7: environments.staging.subnets: expected a list of strings, got str`.

Top-level keys: `environments` (required: name -> settings), `defaults` (settings merged
under every environment, the environment's own keys win) and `sandbox_state` (where
`endpoint: embedded` environments keep their emulated account between runs; default
`.migrate/sandbox.json` in the working directory, like `output/`; a relative path written
here is relative to the config file).

Gating (staging first): an environment is gated when it sets `promote_after` or
`promote_from`, or is named `production` (then `promote_after` defaults to `0m`: the digest
must match, no waiting time). `promote_from` names the environment that must have run the
catalog first (default `staging`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from migrate.aws.guard.settings import GuardSettings, read_guard
from migrate.errors import MigrateError

LAUNCH_TYPES = ("FARGATE", "EC2", "EXTERNAL")
STATES = ("ENABLED", "DISABLED")
RULE_NAME_CHARS = re.compile(r"[.\-_A-Za-z0-9]*")
ENV_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
DEFAULT_RULE_QUOTA = 300  # EventBridge: rules per event bus, default quota
EMBEDDED = "embedded"
RESERVED_TAG_PREFIXES = ("migrate:", "aws:")
MAX_USER_TAGS = 44
DEFAULT_SANDBOX_STATE = Path(".migrate/sandbox.json")  # in the working directory, like output/


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

    @property
    def gated(self) -> bool:
        return self.promote_after is not None


@dataclass(frozen=True, slots=True)
class Config:
    path: str
    environments: Mapping[str, Environment]
    sandbox_state: Path

    def environment(self, name: str) -> Environment:
        if name not in self.environments:
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(f"{self.path}: no environment '{name}' (defined: {known})")
        return self.environments[name]


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


# ---------------------------------------------------------------- reading


def _lines(text: str) -> dict[str, int]:
    """Dotted key path -> 1-based line of its value, from the YAML node tree."""
    out: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = str(k.value)
                sub = f"{path}.{key}" if path else key
                out[sub] = k.start_mark.line + 1
                walk(v, sub)
                out[sub] = k.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, "")
    return out


class _Reader:
    """Typed access to one environment's mapping, with errors that carry place and key."""

    def __init__(
        self, path: str, lines: Mapping[str, int], key_of: Mapping[str, str], prefix: str = ""
    ) -> None:
        self.path = path
        self.lines = lines
        self.key_of = key_of  # setting -> dotted key where it was written (env or defaults)
        self.prefix = prefix

    def key(self, k: str) -> str:
        return self.key_of.get(k, f"{self.prefix}.{k}" if self.prefix else k)

    def error(self, key: str, expected: str, value: Any = None, got: bool = True) -> ConfigError:
        line, parent = None, key
        while line is None and parent:
            line = self.lines.get(parent)
            parent = parent.rpartition(".")[0]
        where = f"{self.path}:{line}" if line else self.path
        tail = f", got {_describe(value)}" if got else ""
        return ConfigError(f"{where}: {key}: expected {expected}{tail}")

    def str_(self, d: Mapping[str, Any], k: str, *, required: bool = False) -> str | None:
        v = d.get(k)
        if v is None:
            if required:
                raise self.error(self.key(k), "a string (required)", got=False)
            return None
        if not isinstance(v, str) or not v:
            raise self.error(self.key(k), "a non-empty string", v)
        return v

    def strs(self, d: Mapping[str, Any], k: str, what: str) -> tuple[str, ...]:
        v = d.get(k)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            raise self.error(self.key(k), f"a list of {what} (strings)", v)
        return tuple(v)

    def int_(self, v: Any, key: str, lo: int, hi: int) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise self.error(key, f"an integer from {lo} to {hi}", v)
        return v


def _describe(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, str | bool | int | float):
        return f"{v!r}"
    return type(v).__name__


_KEYS = {
    "region", "endpoint", "cluster", "task_definition", "container", "launch_type",
    "capacity_provider_strategy", "platform_version", "subnets", "security_groups",
    "assign_public_ip", "role_arn", "rule_prefix", "state", "tags", "retry",
    "dead_letter_queue", "promote_after", "promote_from", "rule_quota", "guard",
}


def _environment(name: str, d: Mapping[str, Any], r: _Reader) -> Environment:
    for k in d:
        if k not in _KEYS:
            raise r.error(r.key(k), "a known setting (" + ", ".join(sorted(_KEYS)) + ")",
                          got=False)
    region = r.str_(d, "region", required=True)
    endpoint = r.str_(d, "endpoint")
    if endpoint is not None and endpoint != EMBEDDED and not re.match(r"https?://", endpoint):
        raise r.error(r.key("endpoint"), "'embedded' or an http(s):// URL", endpoint)
    role_arn = r.str_(d, "role_arn", required=True)
    assert role_arn is not None and region is not None
    if not role_arn.startswith("arn:"):
        raise r.error(r.key("role_arn"), "an IAM role ARN (arn:aws:iam::...:role/...)", role_arn)

    launch_type = r.str_(d, "launch_type")
    cps_raw = d.get("capacity_provider_strategy")
    cps: list[CapacityProvider] = []
    if cps_raw is not None:
        key = r.key("capacity_provider_strategy")
        if launch_type is not None:
            raise r.error(key, "either launch_type or capacity_provider_strategy, not both",
                          got=False)
        if not isinstance(cps_raw, list) or not cps_raw:
            raise r.error(key, "a non-empty list of {capacity_provider, weight, base}", cps_raw)
        for i, item in enumerate(cps_raw):
            ik = f"{key}[{i}]"
            if isinstance(item, Mapping) and "capacityProvider" in item:  # the API's spelling
                item = {("capacity_provider" if k == "capacityProvider" else k): v
                        for k, v in item.items()}
            if not isinstance(item, Mapping) or not isinstance(
                item.get("capacity_provider"), str
            ):
                raise r.error(ik, "a mapping with capacity_provider (string)", item)
            extra = set(item) - {"capacity_provider", "weight", "base"}
            if extra:
                raise r.error(f"{ik}.{sorted(extra)[0]}", "capacity_provider, weight or base",
                              sorted(extra)[0])
            cps.append(CapacityProvider(
                item["capacity_provider"],
                r.int_(item.get("weight", 1), f"{ik}.weight", 0, 1000),
                r.int_(item.get("base", 0), f"{ik}.base", 0, 100000),
            ))
    elif launch_type is None:
        launch_type = "FARGATE"
    if launch_type is not None and launch_type not in LAUNCH_TYPES:
        raise r.error(r.key("launch_type"), "one of " + ", ".join(LAUNCH_TYPES), launch_type)

    platform_version = r.str_(d, "platform_version")
    if platform_version is not None and launch_type not in ("FARGATE", None):
        raise r.error(r.key("platform_version"),
                      "platform_version only with launch_type FARGATE or capacity providers",
                      got=False)
    subnets = r.strs(d, "subnets", "subnet ids")
    if launch_type == "FARGATE" and not subnets:
        raise r.error(r.key("subnets"),
                      "a non-empty list of subnet ids (Fargate tasks need awsvpc networking)",
                      d.get("subnets"), got="subnets" in d)
    public_ip = d.get("assign_public_ip", False)
    if not isinstance(public_ip, bool):
        raise r.error(r.key("assign_public_ip"), "true or false", public_ip)

    prefix = d.get("rule_prefix", "")
    if not isinstance(prefix, str) or not RULE_NAME_CHARS.fullmatch(prefix) or len(prefix) > 32:
        raise r.error(r.key("rule_prefix"),
                      "up to 32 characters of letters, digits, '.', '-', '_'", prefix)
    state = d.get("state", "ENABLED")
    if state not in STATES:
        raise r.error(r.key("state"), "ENABLED or DISABLED", state)

    tags_raw = d.get("tags") or {}
    if not isinstance(tags_raw, Mapping):
        raise r.error(r.key("tags"), "a mapping of tag names to values", tags_raw)
    tags: list[tuple[str, str]] = []
    for k, v in tags_raw.items():
        tk = f"{r.key('tags')}.{k}"
        if not isinstance(k, str) or not 0 < len(k) <= 128 or k.startswith(
            RESERVED_TAG_PREFIXES
        ):
            raise r.error(tk, "a tag name of 1-128 characters not starting with 'migrate:' "
                          "or 'aws:'", k)
        if isinstance(v, bool) or not isinstance(v, str | int | float) or len(str(v)) > 256:
            raise r.error(tk, "a tag value (string of at most 256 characters)", v)
        tags.append((k, str(v)))
    if len(tags) > MAX_USER_TAGS:
        raise r.error(r.key("tags"), f"at most {MAX_USER_TAGS} tags (EventBridge allows 50 per "
                      "rule; migrate adds its own 6)", f"{len(tags)} tags")

    retry = None
    retry_raw = d.get("retry")
    if retry_raw is not None:
        rk = r.key("retry")
        if not isinstance(retry_raw, Mapping) or set(retry_raw) - {
            "maximum_attempts", "maximum_event_age_seconds"
        }:
            raise r.error(rk, "a mapping with maximum_attempts and maximum_event_age_seconds",
                          retry_raw)
        retry = Retry(
            r.int_(retry_raw.get("maximum_attempts", 185), f"{rk}.maximum_attempts", 0, 185),
            r.int_(retry_raw.get("maximum_event_age_seconds", 86400),
                   f"{rk}.maximum_event_age_seconds", 60, 86400),
        )
    dlq = r.str_(d, "dead_letter_queue")
    if dlq is not None and not dlq.startswith("arn:"):
        raise r.error(r.key("dead_letter_queue"), "an SQS queue ARN", dlq)

    promote_after = None
    pa = d.get("promote_after")
    if pa is not None:
        try:
            promote_after = parse_duration(str(pa))
        except ValueError:
            raise r.error(r.key("promote_after"),
                          "a duration such as 24h, 30m, 7d or 1d12h", pa) from None
    promote_from = r.str_(d, "promote_from")
    if promote_after is None and (promote_from is not None or name == "production"):
        promote_after = timedelta(0)
    if promote_after is not None and promote_from is None:
        promote_from = "staging"
    if promote_from == name:
        raise r.error(r.key("promote_from"), "another environment's name", promote_from)
    quota = r.int_(d.get("rule_quota", DEFAULT_RULE_QUOTA),
                   r.key("rule_quota"), 1, 100000)
    return Environment(
        name=name,
        region=region,
        cluster=r.str_(d, "cluster", required=True) or "",
        task_definition=r.str_(d, "task_definition", required=True) or "",
        container=r.str_(d, "container", required=True) or "",
        role_arn=role_arn,
        launch_type=launch_type,
        capacity_provider_strategy=tuple(cps),
        platform_version=platform_version,
        subnets=subnets,
        security_groups=r.strs(d, "security_groups", "security group ids"),
        assign_public_ip=public_ip,
        rule_prefix=prefix,
        state=state,
        tags=tuple(sorted(tags)),
        retry=retry,
        dead_letter_queue=dlq,
        promote_after=promote_after,
        promote_from=promote_from,
        rule_quota=quota,
        endpoint=endpoint,
        guard=read_guard(d.get("guard"), r.key("guard"), r.error, name, parse_duration),
    )


def config_from_text(text: str, path: str = "migrate.yaml") -> Config:
    """Parse `migrate.yaml` text. Raises ConfigError naming file, line, key, expectation."""
    try:
        data = yaml.safe_load(text)
        lines = _lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    r0 = _Reader(path, lines, {})
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping with 'environments'")
    for k in data:
        if k not in ("environments", "defaults", "sandbox_state"):
            raise r0.error(str(k), "a known key (environments, defaults, sandbox_state)",
                           got=False)
    envs = data.get("environments")
    if not isinstance(envs, Mapping) or not envs:
        raise r0.error("environments", "a mapping of environment names to settings", envs,
                       got="environments" in data)
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise r0.error("defaults", "a mapping of settings", defaults)
    state_path = data.get("sandbox_state")
    if state_path is not None and (not isinstance(state_path, str) or not state_path):
        raise r0.error("sandbox_state", "a file path", state_path)
    out: dict[str, Environment] = {}
    for name, d in envs.items():
        if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
            raise r0.error(f"environments.{name}",
                           "an environment name of lower-case letters, digits, '-', '_'", name)
        if not isinstance(d, Mapping):
            raise r0.error(f"environments.{name}", "a mapping of settings", d)
        merged = {**defaults, **d}
        key_of = {k: f"defaults.{k}" for k in defaults}
        key_of.update({k: f"environments.{name}.{k}" for k in d})
        out[name] = _environment(name, merged, _Reader(path, lines, key_of, f"environments.{name}"))
    for env in out.values():
        if env.promote_from is not None and env.promote_from not in out and (
            f"environments.{env.name}.promote_from" in lines
        ):
            raise r0.error(f"environments.{env.name}.promote_from",
                           "the name of an environment in this file", env.promote_from)
    sandbox_state = DEFAULT_SANDBOX_STATE if state_path is None else Path(path).parent / state_path
    return Config(path=path, environments=out, sandbox_state=sandbox_state)


def load_config(path: str | Path) -> Config:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file (pass --config PATH; see samples/migrate.yaml)")\
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read: {exc}") from None
    return config_from_text(text, str(p))

"""`migrate.yaml` text -> `Config`: the top-level keys, `defaults` merged under each
environment, then every environment read by `environment.read_environment`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from migrate.aws.config.environment import read_environment
from migrate.aws.config.model import (
    DEFAULT_SANDBOX_STATE,
    ENV_NAME,
    Config,
    ConfigError,
    Environment,
    Places,
)
from migrate.aws.config.reader import Reader
from migrate.yamlplace import key_lines


def config_from_text(text: str, path: str = "migrate.yaml") -> Config:
    """Parse `migrate.yaml` text. Raises ConfigError naming file, line, key, expectation."""
    try:
        data = yaml.safe_load(text)
        lines = key_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    r0 = Reader(path, lines, {})
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
    places: dict[str, Places] = {}
    for name, d in envs.items():
        if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
            raise r0.error(f"environments.{name}",
                           "an environment name of lower-case letters, digits, '-', '_'", name)
        if not isinstance(d, Mapping):
            raise r0.error(f"environments.{name}", "a mapping of settings", d)
        merged = {**defaults, **d}
        key_of = {k: f"defaults.{k}" for k in defaults}
        key_of.update({k: f"environments.{name}.{k}" for k in d})
        reader = Reader(path, lines, key_of, f"environments.{name}")
        out[name] = read_environment(name, merged, reader)
        places[name] = reader.places
    for env in out.values():
        if env.promote_from is not None and env.promote_from not in out and (
            f"environments.{env.name}.promote_from" in lines
        ):
            raise r0.error(f"environments.{env.name}.promote_from",
                           "the name of an environment in this file", env.promote_from)
    sandbox_state = DEFAULT_SANDBOX_STATE if state_path is None else Path(path).parent / state_path
    return Config(path=path, environments=out, sandbox_state=sandbox_state, places=places)


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

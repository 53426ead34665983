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
catalog first (default `staging`). `promote_requires` says what staging must show:
`applied` (the same catalog applied `promote_after` ago) or `healthy` (that, and `migrate
status` of `promote_from` over the `promote_after` window shows every job triggered as
expected, no failed invocations, no failure alerts). Default: `healthy` for `production` when
its `promote_after` is longer than zero, else `applied`.

Failure alerts (`alerts:`, see aws/alerts.py and aws/alerts_config.py): `topic` (`create`, or
an SNS topic ARN in the environment's region), `email` (addresses; default: the MAILTO
addresses of the jobs deployed there) and `on` (`failed`, `failed-to-start`; default both).

Modules: `model` (the values and durations), `load` (the file and its top-level keys),
`environment` (one environment: endpoint, naming, tags, retry, gate), `launch` (launch type,
capacity providers, network), `reader` (typed access whose errors carry file, line and key;
lines come from `migrate.yamlplace`, which places `catalog.yaml` errors the same way).
"""

from migrate.aws.config.load import config_from_text, load_config
from migrate.aws.config.model import (
    DEFAULT_RULE_QUOTA,
    EMBEDDED,
    LAUNCH_TYPES,
    CapacityProvider,
    Config,
    ConfigError,
    Environment,
    Retry,
    format_duration,
    parse_duration,
)

__all__ = [
    "DEFAULT_RULE_QUOTA", "EMBEDDED", "LAUNCH_TYPES", "CapacityProvider", "Config", "ConfigError",
    "Environment", "Retry", "config_from_text", "format_duration", "load_config",
    "parse_duration",
]

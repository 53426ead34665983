"""What every command about one environment shares: the options naming it (`--env`,
`--config`, `--catalog`, `--endpoint-url`, `--concurrency`) and reading them into values.

A new command on an environment (`run`, `status`, `cutover`, `rollback`) takes
`@environment_options` and starts with `inputs = read_inputs(...)`, then opens
`Connection(inputs.config, inputs.endpoints, workers=concurrency)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click

from migrate.aws.config import Config, Environment, load_config
from migrate.aws.workflow import Endpoints
from migrate.emit.catalog import Catalog, CatalogError, catalog_digest, catalog_from_text


@dataclass(frozen=True, slots=True)
class Inputs:
    config: Config
    env: Environment
    catalog: Catalog
    digest: str  # catalog_digest of the catalog's jobs
    catalog_path: str
    endpoints: Endpoints


def load_catalog(path: str) -> tuple[Catalog, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file (run `migrate scan` or pass --catalog)")\
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {exc}") from None
    catalog = catalog_from_text(text, path)
    return catalog, catalog_digest(catalog.jobs)


def read_inputs(env_name: str, config_path: str, catalog_path: str,
                endpoint_url: str | None) -> Inputs:
    """The environment, the catalog and the endpoints (AWS_ENDPOINT_URL read here, at the
    edge, and passed in)."""
    config = load_config(config_path)
    env = config.environment(env_name)
    catalog, digest = load_catalog(catalog_path)
    return Inputs(config, env, catalog, digest, catalog_path,
                  Endpoints(endpoint_url, os.environ.get("AWS_ENDPOINT_URL") or None))


def environment_options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--env", "env_name", required=True, help="Environment in migrate.yaml."),
        click.option("--config", "config_path", default="migrate.yaml", show_default=True,
                     help="Environments file."),
        click.option("--catalog", "catalog_path", default="output/catalog.yaml",
                     show_default=True, help="Job catalog written by `migrate scan`."),
        click.option("--endpoint-url", default=None,
                     help="AWS endpoint for every call (else the environment's endpoint, "
                          "else AWS_ENDPOINT_URL)."),
        click.option("--concurrency", default=8, show_default=True,
                     type=click.IntRange(1, 64), help="Parallel AWS requests."),
    ]
    for option in reversed(options):
        f = option(f)
    return f

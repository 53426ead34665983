"""`whenever -f schedule.rb`, emulated: evaluate the DSL, then print its crontab.

`emulate(source, ...)` is pure: the application facts, `--set` values, the environment
and chronic's `now` are passed in. `whenever_output` is the exact stdout of
`whenever -f` (the crontab plus whenever's two `## [message]` lines) or None when real
whenever would raise instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from migrate.sources.whenever import chronic
from migrate.sources.whenever.cron_output import ChronicFn, Unresolved
from migrate.sources.whenever.crontab_text import Crontab, render
from migrate.sources.whenever.dsl import AppFacts, Evaluation, evaluate
from migrate.sources.whenever.job import WheneverError
from migrate.sources.whenever.values import RHash, RTime, Sym, Value, to_s

MESSAGE = (
    "## [message] Above is your schedule file converted to cron syntax; "
    "your crontab file was not updated.\n"
    "## [message] Run `whenever --help' for more options.\n"
)


def chronic_options(value: Value) -> dict[str, object]:
    """whenever passes `set :chronic_options` (a Hash with Symbol keys) to Chronic.parse."""
    out: dict[str, object] = {}
    if not isinstance(value, RHash):
        return out
    for k, v in value:
        if not isinstance(k, Sym):
            continue
        if isinstance(v, Sym):
            out[k.name] = v.name
        elif isinstance(v, list):
            out[k.name] = [x.name if isinstance(x, Sym) else x for x in v]
        else:
            out[k.name] = v
    return out


def chronic_fn(options: Value, now: datetime) -> ChronicFn:
    opts = chronic_options(options)

    def parse(text: str) -> RTime | None:
        try:
            t = chronic.parse(text, now, opts, real_now=now)
        except chronic.ChronicUnsupported as exc:
            raise Unresolved(f"at: {text!r}: {exc}") from exc
        except chronic.RubyError as exc:
            raise WheneverError(f"chronic fails on at: {text!r}: {exc} ({exc.kind})") from exc
        except (TypeError, ValueError) as exc:
            raise Unresolved(f"at: {text!r}: chronic option not reproduced ({exc})") from exc
        return RTime(t) if t is not None else None

    return parse


@dataclass
class Emulation:
    evaluation: Evaluation
    crontab: Crontab

    @property
    def fails(self) -> bool:
        return bool(self.evaluation.fatal) or self.crontab.error is not None

    def whenever_output(self) -> str | None:
        """The stdout of `whenever -f`; None when whenever raises or prints unknown text."""
        if self.fails or any(s is None for s in self.evaluation.stdout):
            return None
        text = self.crontab.text
        if not text.endswith("\n"):
            text += "\n"  # Ruby's puts
        printed = "".join(s for s in self.evaluation.stdout if s is not None)
        return printed + text + MESSAGE


def emulate(
    source: str,
    *,
    file_label: str,
    app: AppFacts,
    now: datetime,
    pre_set: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    rails_env: str | None = None,
    roles: Sequence[str] = (),
) -> Emulation:
    if rails_env is None and pre_set:
        rails_env = pre_set.get("environment")  # `--set environment=x` also answers Rails.env
    evaluation = evaluate(
        source, file_label=file_label, app=app, pre_set=pre_set, env=env, rails_env=rails_env
    )
    crontab = render(
        evaluation.env, evaluation.jobs, chronic_fn(evaluation.chronic_options, now), roles
    )
    return Emulation(evaluation, crontab)


def parse_roles(text: str) -> tuple[str, ...]:
    """whenever's `--roles a,b` (bin/whenever: `roles.split(',').map(&:to_sym)`): split on
    commas, nothing stripped, trailing empty parts dropped as Ruby's `split` does."""
    parts = text.split(",")
    while parts and parts[-1] == "":
        parts.pop()
    return tuple(parts)


def parse_set(text: str) -> dict[str, str]:
    """whenever's `--set 'a=b&c=d'` (JobList#pre_set): pairs split on `&`, then on `=`."""
    out: dict[str, str] = {}
    for pair in text.split("&"):
        if "=" not in pair:
            continue
        parts = [p for p in pair.split("=")]
        while parts and parts[-1] == "":
            parts.pop()
        if len(parts) < 2:
            continue
        name, value = parts[0], parts[1]
        if name and value:
            out[name.strip()] = value.strip()
    return out


__all__ = ["Emulation", "chronic_fn", "emulate", "parse_roles", "parse_set", "to_s"]

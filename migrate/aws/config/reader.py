"""Typed access to one environment's settings, with errors that carry file, line and key.

An environment's settings are its own keys merged over `defaults`; `key_of` remembers where
each setting was written, so an error about a default points at the `defaults` line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrate.aws.config.model import ConfigError, Places
from migrate.yamlplace import describe, place


class Reader:
    def __init__(
        self, path: str, lines: Mapping[str, int], key_of: Mapping[str, str], prefix: str = ""
    ) -> None:
        self.path = path
        self.lines = lines
        self.key_of = key_of  # setting -> dotted key where it was written (env or defaults)
        self.prefix = prefix

    @property
    def places(self) -> Places:
        return Places(self.path, self.lines, self.key_of, self.prefix)

    def key(self, k: str) -> str:
        return self.key_of.get(k, f"{self.prefix}.{k}" if self.prefix else k)

    def error(self, key: str, expected: str, value: Any = None, got: bool = True) -> ConfigError:
        tail = f", got {describe(value)}" if got else ""
        return ConfigError(f"{place(self.path, self.lines, key)}: {key}: expected {expected}"
                           f"{tail}")

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

"""A port of chronic 0.10.5, the natural-language time parser whenever uses for `at:`."""

from migrate.sources.whenever.chronic.parser import DEFAULT_OPTIONS, parse
from migrate.sources.whenever.chronic.rtime import ChronicUnsupported, RubyError

__all__ = ["DEFAULT_OPTIONS", "ChronicUnsupported", "RubyError", "parse"]

"""Crontab files (user and system format) read with cronie's semantics.

* `parse`: the pure reader (`parse_crontab(text, path, ...)` -> `ParsedFile`);
* `line`: one job line's fields and command; `cronie`: the rules copied from cronie's
  source (each function cites the one it follows); `format`: user vs system detection;
* `findings`: the findings this source attaches; `pycrontab`: python-crontab behind an
  adapter, used as a cross-check;
* `reader`: `CRONTAB`, the registry entry (the fallback reader), and `spool_user`.
"""

from migrate.sources.crontab.parse import parse_crontab
from migrate.sources.crontab.reader import CRONTAB, spool_user

__all__ = ["CRONTAB", "parse_crontab", "spool_user"]

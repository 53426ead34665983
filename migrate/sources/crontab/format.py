"""Which crontab format a file is in: user (`crontab -l`) or system (sixth field is the user).

Rules, in order (the README repeats them):

1. An explicit format (`--format user|system`) wins.
2. The path: `.../etc/crontab`, `.../cron.d/<name>` and Debian packaging's `debian/cron.d`,
   `debian/<pkg>.cron.d` are system crontabs; anything under
   `var/spool/cron/` and `.../crontabs/<name>` (Debian spool, busybox/Alpine `/etc/crontabs`)
   is a user crontab.
3. A path that says system, when no job line of the file can be a system line (its sixth
   token is impossible as a user name - contains `/`, `=`, quotes, `$(`, ..., or is a script
   name like `push.sh` - or no command follows it), is read as a user crontab, with an info
   finding `format-mismatch` on its jobs (BSD and container images ship user-format files
   named `etc/crontab`).
4. A path that says nothing is sniffed: system only if every job line (one whose time fields
   parse) could be a system line *and* there is positive evidence - a sixth token that is a
   well-known account (`root`, `www-data`, ...), a legend comment with a user column
   (`# m h dom mon dow user command`, FreeBSD's `who`), or on every line a sixth token that
   is no command name followed by one that plainly starts a command (`/path`, `./x`, `~/x`,
   `$VAR`, `php`, `cd` ...): `deploy /srv/app/bin/sync`. Otherwise user.

The corpus shows why rule 4 asks for evidence: `0 * * * * php /x` (user format) has a
plausible user name `php` in sixth place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Literal

CrontabFormat = Literal["user", "system"]

# POSIX portable user names plus what Linux distributions allow in practice (upper case,
# a trailing `$` for Samba machine accounts); at most 32 characters.
_USER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?")
_SCRIPT_NAME = re.compile(r"\.(?:sh|bash|py|pl|rb|php|js|lua)$")

WELL_KNOWN_ACCOUNTS = frozenset(
    {
        "root", "daemon", "bin", "sys", "adm", "operator", "nobody", "www-data", "www", "apache",
        "nginx", "http", "httpd", "news", "mail", "uucp", "lp", "backup", "list", "proxy", "irc",
        "gnats", "postgres", "mysql", "redis", "munin", "nagios", "zabbix", "smmsp", "postfix",
        "ftp", "games", "man", "syslog", "messagebus",
    }
)

# Accounts that are hardly ever a command's first word: a user-crontab line starting with one
# (`0 * * * * root /x`) is most likely a system-crontab line (finding `user-column`).
USER_COLUMN_ACCOUNTS = frozenset(
    {"root", "daemon", "nobody", "www-data", "apache", "nginx", "httpd", "operator", "news"}
)

# Command names that people put where a system crontab expects the user (corpus 046 `perl`,
# 078 `rsync`, 082 `curl`): a sixth token like these is reported as `suspicious-user`.
COMMAND_NAMES = frozenset(
    {
        "perl", "python", "python2", "python3", "php", "ruby", "node", "nodejs", "java", "bash",
        "sh", "zsh", "ksh", "dash", "env", "curl", "wget", "rsync", "scp", "ssh", "cd", "test",
        "echo", "printf", "sleep", "find", "run-parts", "flock", "nice", "ionice", "timeout",
        "nohup", "exec", "sudo", "su", "cp", "mv", "rm", "mkdir", "tar", "gzip", "zip", "unzip",
        "cat", "grep", "sed", "awk", "tee", "mysqldump", "pg_dump", "psql", "docker", "kubectl",
        "git", "make", "cron", "crontab", "logrotate", "certbot", "systemctl", "service", "kill",
        "pkill", "true", "false", "date", "touch", "chmod", "chown", "ln", "ls", "wall",
    }
)

_LEGEND_USER_COLUMN = re.compile(
    r"^\s*(?:(?:m|min|minute|mi)\b|\*).*\b(?:user|user-name|username|who)\b.*\bcommand\b",
    re.IGNORECASE,
)


def format_from_path(path: str) -> CrontabFormat | None:
    """The format a crontab's location implies, or None when the path says nothing."""
    p = PurePosixPath(path.replace("\\", "/"))
    parent = p.parent.name
    if p.name == "crontab" and parent == "etc":
        return "system"
    if parent == "cron.d" or p.name == "cron.d" or p.name.endswith(".cron.d"):
        # Debian packaging installs `debian/cron.d` and `debian/<pkg>.cron.d` (dh_installcron)
        # as /etc/cron.d/<pkg>.
        return "system"
    parts = p.parts
    for i in range(len(parts) - 2):
        if parts[i : i + 3] == ("var", "spool", "cron"):
            return "user"
    if parent == "crontabs":
        return "user"
    return None


def plausible_user(token: str) -> bool:
    """Whether `token` can be a user name (a script name like `push.sh` cannot)."""
    return _USER_NAME.fullmatch(token) is not None and _SCRIPT_NAME.search(token) is None


def can_be_system_line(sixth: str | None, has_command: bool) -> bool:
    """Whether a job line could be a system line: a user-like sixth token and a command."""
    return sixth is not None and has_command and plausible_user(sixth)


def command_start(token: str) -> bool:
    """A token that plainly starts a command: a path or a well-known command name."""
    return token.startswith(("/", "./", "~/", "$")) or token in COMMAND_NAMES


def legend_has_user_column(comment: str) -> bool:
    """A legend comment (text after `#`) naming a user column before the command."""
    return _LEGEND_USER_COLUMN.search(comment) is not None


def choose_format(
    path: str,
    fmt: CrontabFormat | None,
    candidates: Sequence[tuple[str | None, str | None]],
    comments: Sequence[str],
) -> tuple[CrontabFormat, bool]:
    """(format, mismatch): the format to read `path` in.

    `candidates` has one (sixth token, seventh token) pair (None when absent) per active job
    line whose time fields parse (per disabled job line when the file has no active one);
    `comments` are the comment texts (after `#`). `mismatch` is True when the path said
    system and the content overruled it (rule 3).
    """
    if fmt is not None:
        return fmt, False
    by_path = format_from_path(path)
    could = [can_be_system_line(sixth, seventh is not None) for sixth, seventh in candidates]
    if by_path == "user":
        return "user", False
    if by_path == "system":
        if candidates and not any(could):
            return "user", True
        return "system", False
    if not candidates or not all(could):
        return "user", False
    evidence = (
        any(sixth in WELL_KNOWN_ACCOUNTS for sixth, _ in candidates)
        or any(legend_has_user_column(c) for c in comments)
        or all(
            sixth not in COMMAND_NAMES and seventh is not None and command_start(seventh)
            for sixth, seventh in candidates
        )
    )
    return ("system" if evidence else "user"), False

"""Reading a crontab (`migrate/sources/crontab/`): cronie's quirks, and lines that may not
be what the author meant."""

from __future__ import annotations

from migrate.analysis.codes.base import Family, declare

CRONTAB = Family("crontab", "reading a crontab", "Reading or converting the schedule")

REBOOT = declare(
    CRONTAB, "reboot", "error",
    "`@reboot`: runs at boot, no schedule to migrate",
    "EventBridge has no boot event for a task: no rule is created",
    "run it as part of the service start-up instead (container entrypoint, ECS service), or "
    "drop it",
    explains_inexact=True, blocks_deploy=True,
)
RANDOM_RANGE = declare(
    CRONTAB, "random-range", "warning",
    "a cronie `A~B` item: value drawn when the crontab loads",
    "the rule fires at the lowest value every time; the legacy instants were random",
    "pick the value you want and write it explicitly",
    explains_inexact=True, unknown_instants=True,
)
RANDOM_DELAY = declare(
    CRONTAB, "random-delay", "warning",
    "cronie `RANDOM_DELAY=N` in effect: each run delayed 0..N min (info: not a number)",
    "EventBridge fires at the scheduled minute, with no random delay",
    "accept exact start times or add a random sleep to the task",
    explains_inexact=True, unknown_instants=True,
)
PERCENT_STDIN = declare(
    CRONTAB, "percent-stdin", "warning",
    "an unescaped `%` cuts the command; the rest becomes stdin",
    "the migrated command keeps cron's behaviour: the text after `%` is fed on stdin",
    "if the % was meant literally, write \\% (the migrated command keeps cron's behaviour "
    "until you do)",
)
SINGLE_VALUE_STEP = declare(
    CRONTAB, "single-value-step", "warning",
    "`5/15`: read as `5-59/15`; Vixie cron and cronie reject it",
    "the rule follows the FreeBSD reading; the legacy cron may never have run the line",
    "write the range explicitly, e.g. 5-59/15",
)
SUSPICIOUS_USER = declare(
    CRONTAB, "suspicious-user", "warning",
    "system crontab whose user column looks like a command",
    "the task's command may be missing its first word",
    "check the line; read the file with --format user if it has no user column",
)
USER_COLUMN = declare(
    CRONTAB, "user-column", "warning",
    "user crontab whose command starts with an account name",
    "the task would run the account name as a command",
    "read the file with --format system if it has a user column",
)
FORMAT_MISMATCH = declare(
    CRONTAB, "format-mismatch", "info",
    "path says system crontab, content is user format",
    "none: the jobs are read as a user crontab",
    "pass --format system to force the user column",
)
TZ_ENV = declare(
    CRONTAB, "tz-env", "info",
    "`TZ=` in effect: the job's env only, cron does not use it",
    "the rule is converted for cron's zone; TZ stays in the task's environment",
)
CRON_TZ_INVALID = declare(
    CRONTAB, "cron-tz-invalid", "error",
    "`CRON_TZ` names no known zone (glibc then uses UTC)",
    "the rule is converted as if the schedule were in UTC",
    "fix CRON_TZ to an IANA zone name",
)
ENV_NOT_EXPANDED = declare(
    CRONTAB, "env-not-expanded", "warning",
    "an env value uses `$VAR`: cron does not expand it",
    "the task's environment gets the text literally, as cron did",
    "write the value out in full",
)
ENV_VALUE = declare(
    CRONTAB, "env-value", "warning",
    "an unquoted env value holds another `NAME=`: one var a line",
    "the task's environment gets one variable with the whole rest of the line",
    "put each assignment on its own line",
)
CRLF = declare(
    CRONTAB, "crlf", "warning",
    "CR LF line ending: cron keeps the CR in the command",
    "the migrated command is read without the CR",
    "convert the file to LF line endings",
)
NO_FINAL_NEWLINE = declare(
    CRONTAB, "no-final-newline", "warning",
    "last line has no newline: cronie does not load it",
    "a rule is created for a line cronie may never have run",
    "check that this job really ran on the legacy host",
)
NO_LOG = declare(
    CRONTAB, "no-log", "info",
    "cronie `-` prefix: runs are not syslogged",
    "none: ECS records every task run",
)
MAIL_ON_ERROR = declare(
    CRONTAB, "mail-on-error", "info",
    "cronie `-n` option: output mailed only when the job fails",
    "containers send no mail (see `mailto`)",
)
ENCODING = declare(
    CRONTAB, "encoding", "warning",
    "the line had bytes that are not UTF-8 (shown as U+FFFD)",
    "the migrated command may differ from what cron ran",
)
NUL_BYTE = declare(
    CRONTAB, "nul-byte", "warning",
    "a NUL byte in the line (or an env line above): cronie reads it only up to the NUL",
    "the migrated command (or variable) is cut at the NUL, as cronie's C string was",
    "remove the NUL byte from the crontab (the migrated command keeps what cron ran: the "
    "text before it)",
)
COMMAND_TOO_LONG = declare(
    CRONTAB, "command-too-long", "warning",
    "command over cronie's MAX_COMMAND (131,071 bytes): cronie runs it truncated",
    "the migrated command is cut at the same byte; source.text keeps the whole line",
    "move the command into a script in the container image",
)

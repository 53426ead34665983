"""The findings the crontab source attaches to jobs: stable codes, worded in one place.

| code               | severity | when                                                        |
|--------------------|----------|-------------------------------------------------------------|
| reboot             | error    | `@reboot`: runs at boot, no schedule to migrate              |
| random-range       | warning  | a cronie `A~B` item: value drawn when the crontab loads      |
| random-delay       | warning  | cronie `RANDOM_DELAY=N` in effect: each run delayed 0..N min |
| percent-stdin      | warning  | an unescaped `%` cuts the command; the rest becomes stdin    |
| single-value-step  | warning  | `5/15`: read as `5-59/15`; Vixie cron and cronie reject it   |
| suspicious-user    | warning  | system crontab whose user column looks like a command        |
| user-column        | warning  | user crontab whose command starts with an account name       |
| format-mismatch    | info     | path says system crontab, content is user format             |
| tz-env             | info     | `TZ=` in effect: the job's env only, cron does not use it    |
| cron-tz-invalid    | error    | `CRON_TZ` names no known zone (glibc then uses UTC)          |
| env-not-expanded   | warning  | an env value uses `$VAR`: cron does not expand it            |
| env-value          | warning  | an unquoted env value holds another `NAME=`: one var a line  |
| crlf               | warning  | CR LF line ending: cron keeps the CR in the command          |
| no-final-newline   | warning  | last line has no newline: cronie does not load it            |
| no-log             | info     | cronie `-` prefix: runs are not syslogged                    |
| mail-on-error      | info     | cronie `-n` option: output mailed only when the job fails    |
| encoding           | warning  | the line had bytes that are not UTF-8 (shown as U+FFFD)      |
| nul-byte           | warning  | a NUL byte in the line (or an env line above): cut there     |
| command-too-long   | warning  | command over cronie's MAX_COMMAND: cronie runs it truncated  |
"""

from __future__ import annotations

from migrate.model import Finding


def reboot() -> Finding:
    return Finding(
        "reboot",
        "error",
        "@reboot runs once when cron starts (at boot); it has no schedule to migrate",
        recommendation="run it as part of the service start-up instead (container entrypoint, "
        "ECS service), or drop it",
    )


def random_range(items: str) -> Finding:
    return Finding(
        "random-range",
        "warning",
        f"cronie picks a random value in {items} each time it loads the crontab; the "
        "schedule uses the lowest value",
        evidence=items,
        recommendation="pick the value you want and write it explicitly",
    )


def random_delay(value: str, minutes: int | None) -> Finding:
    if minutes is None:
        return Finding(
            "random-delay",
            "info",
            f"RANDOM_DELAY={value!r} is not a number of minutes 0-1440; cronie ignores it",
            evidence=f"RANDOM_DELAY={value}",
        )
    return Finding(
        "random-delay",
        "warning",
        f"RANDOM_DELAY={minutes}: cronie delays each run by a random 0-{minutes} minutes; "
        "EventBridge fires at the scheduled minute",
        evidence=f"RANDOM_DELAY={value}",
        recommendation="accept exact start times or add a random sleep to the task",
    )


def percent_stdin(shell: str, stdin: str) -> Finding:
    return Finding(
        "percent-stdin",
        "warning",
        "an unescaped % ends the command: cron runs only the text before it and feeds the "
        "rest on standard input (% as newlines); often an accident (date +%F, $((x % y)))",
        evidence=f"command: {shell!r}; stdin: {stdin!r}",
        recommendation="if the % was meant literally, write \\% (the migrated command keeps "
        "cron's behaviour until you do)",
    )


def single_value_step(items: str) -> Finding:
    return Finding(
        "single-value-step",
        "warning",
        f"{items}: a step on a single value is read as 'value to end of field' (FreeBSD "
        "cron); Vixie cron and cronie 1.6+ reject the line (bad minute)",
        evidence=items,
        recommendation="write the range explicitly, e.g. 5-59/15",
    )


def suspicious_user(user: str) -> Finding:
    return Finding(
        "suspicious-user",
        "warning",
        f"the user column holds {user!r}, which looks like a command: the file may be a "
        "user crontab read as a system one, or the user was left out",
        evidence=user,
        recommendation="check the line; read the file with --format user if it has no "
        "user column",
    )


def user_column(word: str) -> Finding:
    return Finding(
        "user-column",
        "warning",
        f"the command starts with {word!r}, an account name: this looks like a system-crontab "
        "line (with a user column) in a user crontab, where cron runs it as a command",
        evidence=word,
        recommendation="read the file with --format system if it has a user column",
    )


def format_mismatch(path: str) -> Finding:
    return Finding(
        "format-mismatch",
        "info",
        f"{path} is where a system crontab lives, but no line has a user name in the sixth "
        "field: read as a user crontab",
        recommendation="pass --format system to force the user column",
    )


def tz_env(value: str) -> Finding:
    return Finding(
        "tz-env",
        "info",
        f"TZ={value} is passed to the job's environment only: cron schedules in its own zone "
        "(or CRON_TZ), not by TZ",
        evidence=f"TZ={value}",
    )


def cron_tz_invalid(value: str) -> Finding:
    return Finding(
        "cron-tz-invalid",
        "error",
        f"CRON_TZ={value!r} is not a known time zone; glibc then uses UTC, so the schedule is "
        "read in UTC",
        evidence=f"CRON_TZ={value}",
        recommendation="fix CRON_TZ to an IANA zone name",
    )


def env_not_expanded(name: str, value: str) -> Finding:
    return Finding(
        "env-not-expanded",
        "warning",
        f"{name}={value}: cron does not expand variables in environment lines; the job sees "
        "the text literally",
        evidence=f"{name}={value}",
        recommendation="write the value out in full",
    )


def env_value(name: str, value: str) -> Finding:
    return Finding(
        "env-value",
        "warning",
        f"{name} is set to {value!r}: cron sets one variable per line, the rest of the line "
        "is part of the value",
        evidence=f"{name}={value}",
        recommendation="put each assignment on its own line",
    )


def crlf() -> Finding:
    return Finding(
        "crlf",
        "warning",
        "the line ends with CR LF: cron keeps the CR as the last character of the command; "
        "read without it",
        recommendation="convert the file to LF line endings",
    )


def no_final_newline() -> Finding:
    return Finding(
        "no-final-newline",
        "warning",
        "the last line has no newline: cronie does not load it and crontab(1) refuses to "
        "install the file; busybox crond runs it. Kept as a job",
        recommendation="check that this job really ran on the legacy host",
    )


def no_log() -> Finding:
    return Finding(
        "no-log",
        "info",
        "cronie '-' prefix: runs of this job are not written to syslog",
    )


def mail_on_error() -> Finding:
    return Finding(
        "mail-on-error",
        "info",
        "cronie '-n' option: output is mailed only when the job fails",
    )


def encoding() -> Finding:
    return Finding(
        "encoding",
        "warning",
        "the line holds bytes that are not UTF-8 (shown as U+FFFD); the command may differ "
        "from what cron ran",
    )


def _cut_text(text: str) -> str:
    return repr(text) if len(text) <= 80 else f"{text[:77]!r}... ({len(text)} characters)"


def nul_reason(written: str, column: int) -> str:
    """Why a line with a NUL byte is an error (what cron read of it is not a job)."""
    return (f"NUL byte at column {column + 1}: cron reads the line only up to it and the "
            f"rest, {_cut_text(written[column + 1 :])}, as a line of its own")


def nul_env(name: str, written: str, column: int) -> Finding:
    return Finding(
        "nul-byte",
        "warning",
        f"the line setting {name} holds a NUL byte at column {column + 1}: cronie's value "
        "ends there (a C string); cronie reads the text after the NUL as a line of its own",
        evidence=f"dropped after the NUL: {_cut_text(written[column + 1 :])}",
        recommendation="remove the NUL byte from the crontab",
    )


def nul_byte(written: str, column: int) -> Finding:
    return Finding(
        "nul-byte",
        "warning",
        f"the line holds a NUL byte at column {column + 1}: cronie's command ends there (a C "
        "string), so the job runs the command cut short; cronie reads the text after the NUL "
        "as a line of its own",
        evidence=f"dropped after the NUL: {_cut_text(written[column + 1 :])}",
        recommendation="remove the NUL byte from the crontab (the migrated command keeps "
        "what cron ran: the text before it)",
    )


def command_too_long(length: int) -> Finding:
    return Finding(
        "command-too-long",
        "warning",
        f"the command is {length:,} bytes; cronie keeps the first 131,071 (MAX_COMMAND "
        "131072 less the terminating NUL) and runs that: the migrated command is cut the "
        "same way (the whole line stays in the source text)",
        evidence=f"{length} bytes",
        recommendation="move the command into a script in the container image",
    )

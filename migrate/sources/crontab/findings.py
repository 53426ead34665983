"""The findings the crontab source attaches to jobs: the messages, worded in one place.

The codes (severity, summary, advice) are declared in `migrate.analysis.codes.crontab`.
"""

from __future__ import annotations

from migrate.analysis import codes
from migrate.model import Finding


def reboot() -> Finding:
    return codes.REBOOT.finding(
        "@reboot runs once when cron starts (at boot); it has no schedule to migrate")


def random_range(items: str) -> Finding:
    return codes.RANDOM_RANGE.finding(
        f"cronie picks a random value in {items} each time it loads the crontab; the "
        "schedule uses the lowest value",
        items,
    )


def random_delay(value: str, minutes: int | None) -> Finding:
    if minutes is None:
        return codes.RANDOM_DELAY.finding(
            f"RANDOM_DELAY={value!r} is not a number of minutes 0-1440; cronie ignores it",
            f"RANDOM_DELAY={value}",
            severity="info", recommendation="",
        )
    return codes.RANDOM_DELAY.finding(
        f"RANDOM_DELAY={minutes}: cronie delays each run by a random 0-{minutes} minutes; "
        "EventBridge fires at the scheduled minute",
        f"RANDOM_DELAY={value}",
    )


def percent_stdin(shell: str, stdin: str) -> Finding:
    return codes.PERCENT_STDIN.finding(
        "an unescaped % ends the command: cron runs only the text before it and feeds the "
        "rest on standard input (% as newlines); often an accident (date +%F, $((x % y)))",
        f"command: {shell!r}; stdin: {stdin!r}",
    )


def single_value_step(items: str) -> Finding:
    return codes.SINGLE_VALUE_STEP.finding(
        f"{items}: a step on a single value is read as 'value to end of field' (FreeBSD "
        "cron); Vixie cron and cronie 1.6+ reject the line (bad minute)",
        items,
    )


def suspicious_user(user: str) -> Finding:
    return codes.SUSPICIOUS_USER.finding(
        f"the user column holds {user!r}, which looks like a command: the file may be a "
        "user crontab read as a system one, or the user was left out",
        user,
    )


def user_column(word: str) -> Finding:
    return codes.USER_COLUMN.finding(
        f"the command starts with {word!r}, an account name: this looks like a system-crontab "
        "line (with a user column) in a user crontab, where cron runs it as a command",
        word,
    )


def format_mismatch(path: str) -> Finding:
    return codes.FORMAT_MISMATCH.finding(
        f"{path} is where a system crontab lives, but no line has a user name in the sixth "
        "field: read as a user crontab")


def tz_env(value: str) -> Finding:
    return codes.TZ_ENV.finding(
        f"TZ={value} is passed to the job's environment only: cron schedules in its own zone "
        "(or CRON_TZ), not by TZ",
        f"TZ={value}",
    )


def cron_tz_invalid(value: str) -> Finding:
    return codes.CRON_TZ_INVALID.finding(
        f"CRON_TZ={value!r} is not a known time zone; glibc then uses UTC, so the schedule is "
        "read in UTC",
        f"CRON_TZ={value}",
    )


def env_not_expanded(name: str, value: str) -> Finding:
    return codes.ENV_NOT_EXPANDED.finding(
        f"{name}={value}: cron does not expand variables in environment lines; the job sees "
        "the text literally",
        f"{name}={value}",
    )


def env_value(name: str, value: str) -> Finding:
    return codes.ENV_VALUE.finding(
        f"{name} is set to {value!r}: cron sets one variable per line, the rest of the line "
        "is part of the value",
        f"{name}={value}",
    )


def crlf() -> Finding:
    return codes.CRLF.finding(
        "the line ends with CR LF: cron keeps the CR as the last character of the command; "
        "read without it")


def no_final_newline() -> Finding:
    return codes.NO_FINAL_NEWLINE.finding(
        "the last line has no newline: cronie does not load it and crontab(1) refuses to "
        "install the file; busybox crond runs it. Kept as a job")


def no_log() -> Finding:
    return codes.NO_LOG.finding("cronie '-' prefix: runs of this job are not written to syslog")


def mail_on_error() -> Finding:
    return codes.MAIL_ON_ERROR.finding(
        "cronie '-n' option: output is mailed only when the job fails")


def encoding() -> Finding:
    return codes.ENCODING.finding(
        "the line holds bytes that are not UTF-8 (shown as U+FFFD); the command may differ "
        "from what cron ran")


def _cut_text(text: str) -> str:
    return repr(text) if len(text) <= 80 else f"{text[:77]!r}... ({len(text)} characters)"


def nul_reason(written: str, column: int) -> str:
    """Why a line with a NUL byte is an error (what cron read of it is not a job)."""
    return (f"NUL byte at column {column + 1}: cron reads the line only up to it and the "
            f"rest, {_cut_text(written[column + 1 :])}, as a line of its own")


def nul_env(name: str, written: str, column: int) -> Finding:
    return codes.NUL_BYTE.finding(
        f"the line setting {name} holds a NUL byte at column {column + 1}: cronie's value "
        "ends there (a C string); cronie reads the text after the NUL as a line of its own",
        f"dropped after the NUL: {_cut_text(written[column + 1 :])}",
        recommendation="remove the NUL byte from the crontab",
    )


def nul_byte(written: str, column: int) -> Finding:
    return codes.NUL_BYTE.finding(
        f"the line holds a NUL byte at column {column + 1}: cronie's command ends there (a C "
        "string), so the job runs the command cut short; cronie reads the text after the NUL "
        "as a line of its own",
        f"dropped after the NUL: {_cut_text(written[column + 1 :])}",
    )


def command_too_long(length: int) -> Finding:
    return codes.COMMAND_TOO_LONG.finding(
        f"the command is {length:,} bytes; cronie keeps the first 131,071 (MAX_COMMAND "
        "131072 less the terminating NUL) and runs that: the migrated command is cut the "
        "same way (the whole line stays in the source text)",
        f"{length} bytes",
    )

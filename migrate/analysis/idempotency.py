"""`at-least-once`: jobs whose second run for the same scheduled time would do harm.

EventBridge delivers to its targets at least once: a scheduled rule can start the same task
twice for one scheduled time. Jobs whose words say they send, notify, charge, bill, invoice,
pay, refund or push are the ones where a duplicate run reaches people or money.

Words are read from the command (`snake_case`, `kebab-case`, `CamelCase` and `rake ns:task`
names are split). Of a path only the last part counts, and not when it names a data file
(`/var/log/mailer.log`, `/var/mail/...` are no sign; `/usr/sbin/sendmail`, `send_invoices.py`
are).
"""

from __future__ import annotations

import re

from migrate.analysis.codes import AT_LEAST_ONCE
from migrate.analysis.shell import contains_any
from migrate.model import Finding, Job

_EXACT = frozenset({
    "mail", "mails", "mailer", "mailers", "mailx", "mutt", "sendmail", "email", "emails",
    "notify", "notifies", "push", "pushes", "charge", "charges", "bill", "bills", "billing",
    "pay", "payment", "payments", "payout", "payouts", "payroll", "invoice", "invoices",
    "invoicing", "refund", "refunds", "sms", "newsletter", "newsletters", "remind", "reminder",
    "reminders", "digest", "digests", "webhook", "webhooks", "dunning", "subscription",
    "subscriptions", "renewal", "renewals", "disburse", "settlement", "settlements",
})
_PREFIXES = ("send", "notif", "invoic", "remind", "newsletter", "payout", "payment", "refund",
             "mailing", "emailing", "charging", "broadcast")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_MARKERS = ("send", "mail", "mutt", "notif", "push", "charg", "bill", "pay", "invoic", "refund",
            "sms", "newsletter", "remind", "digest", "webhook", "dunning", "subscription",
            "renewal", "disburse", "settlement", "broadcast")


def _keyword(part: str) -> bool:
    return part in _EXACT or part.startswith(_PREFIXES)


_DATA_FILE = re.compile(r"(?i)\.(?:log|out|err|txt|csv|tsv|json|xml|sql|gz|bz2|xz|tar|zip|lock"
                        r"|pid|dat|db|bak)$")


def keywords(text: str) -> list[tuple[str, str]]:
    """[(keyword, shell word containing it)]."""
    out: list[tuple[str, str]] = []
    for word in text.split():
        token = word.strip("'\"();&|")
        part_text = token
        if "/" in token and not token.startswith(("http:", "https:")):
            part_text = token.rstrip("/").rsplit("/", 1)[-1]
            if _DATA_FILE.search(part_text) or token.startswith("/var/mail"):
                continue
        for part in _WORD.findall(part_text):
            if _keyword(part.lower()):
                out.append((part.lower(), token))
    return out


def check(job: Job) -> list[Finding]:
    text = job.command.shell
    low = text.lower()
    if not contains_any(low, _MARKERS):
        return []
    found = keywords(text)
    if not found:
        return []
    words = sorted({k for k, _ in found})
    return [AT_LEAST_ONCE.finding(
        f"looks non-idempotent ({', '.join(words)}): a duplicate start would repeat it",
        found[0][1][:100])]

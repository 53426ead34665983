"""A synthetic fleet snapshot in Ansible `fetch` layout, with planted risks and clean jobs.

    <dest>/<host>/etc/timezone
    <dest>/<host>/etc/crontab                      system format (user field)
    <dest>/<host>/etc/cron.d/app                   system format
    <dest>/<host>/var/spool/cron/crontabs/deploy   user format

`generate(hosts, jobs_per_host, seed)` returns a `Fleet` value: every job line with the codes
of the risks planted in it (empty for a clean job) and the secret it carries, if any.
`write(fleet, dest)` lays it out on disk. Clean jobs are built so no analysis rule fires on
them in a small fleet: unique commands, no keywords, no host paths, start minutes spread.
(At 100,000 jobs the clean jobs' own start minutes collide into real bursts; the benchmark
does not check clean jobs.)

`generate(..., distinct=True)` gives every clean job a schedule no other job in the fleet
has (random minutes, hours, lists, ranges, steps, month and weekday names, both of cron's
day rules), and spreads the hosts over `DISTINCT_ZONES` (more zones with daylight saving
and with half- and quarter-hour offsets), so no conversion is ever shared: the worst case
for the scan's per-schedule memo. Planted jobs keep their schedules (the checks need them).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from migrate.model import Command, Job, Schedule, Source
from migrate.schedule.cron import parse_cron

ZONES = ("UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla",
         "Europe/Berlin", "America/New_York")
# The distinct fleet adds daylight-saving zones with half-hour offsets (Adelaide, St John's,
# Lord Howe's half-hour shift, Chatham's +12:45/+13:45) and a half-hour zone without DST.
DISTINCT_ZONES = (*ZONES, "Australia/Adelaide", "America/St_Johns", "Asia/Tehran",
                  "Australia/Lord_Howe", "America/Los_Angeles", "Pacific/Chatham")
# Minutes east of UTC (standard time) for the zones above: burst plants use them.
OFFSETS = {"UTC": 0, "Asia/Tokyo": 540, "Asia/Kolkata": 330, "Asia/Kathmandu": 345,
           "Australia/Eucla": 525, "Europe/Berlin": 60, "America/New_York": -300,
           "Australia/Adelaide": 570, "America/St_Johns": -210, "Asia/Tehran": 210,
           "Australia/Lord_Howe": 630, "America/Los_Angeles": -480, "Pacific/Chatham": 765}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
FIXED_ZONES = ZONES[:5]  # no daylight saving: conversion is exact
BURST_JOBS = 25

_VERBS = ("reindex", "rollup", "compact", "refresh", "recalc", "warm", "expire", "rebalance",
          "summarize", "verify")
_NOUNS = ("orders", "carts", "search", "stats", "sessions", "catalog", "prices", "inventory",
          "accounts", "metrics")
CRONTAB_HEADER = [
    "# /etc/crontab: system-wide crontab",
    "SHELL=/bin/sh",
    "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin",
    "",
    "# m h dom mon dow user\tcommand",
]
RUN_PARTS = [
    ("17 * * * *", "cd / && run-parts --report /etc/cron.hourly"),
    ("25 6 * * *", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )"),
    ("47 6 * * 7", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.weekly )"),
    ("52 6 1 * *", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.monthly )"),
]


@dataclass(frozen=True, slots=True)
class FleetJob:
    host: str
    path: str  # relative to the host's root, e.g. "etc/cron.d/app"
    line: int
    user: str
    cron: str
    command: str  # as cron runs it (no `%` in generated commands)
    zone: str
    env: tuple[tuple[str, str], ...] = ()
    codes: frozenset[str] = frozenset()
    secret: str | None = None


@dataclass(slots=True)
class Host:
    name: str
    zone: str
    files: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Fleet:
    hosts: list[Host]
    jobs: list[FleetJob]

    @property
    def secrets(self) -> list[str]:
        return sorted({j.secret for j in self.jobs if j.secret})


class _File:
    def __init__(self, host: Host, path: str, system: bool, header: list[str] | None = None):
        self.host, self.path, self.system = host, path, system
        self.lines: list[str] = list(header or [])
        self.env: dict[str, str] = {}
        host.files[path] = self.lines

    def set(self, name: str, value: str) -> None:
        self.lines.append(f"{name}={value}")
        self.env[name] = value

    def add(self, out: list[FleetJob], cron: str, command: str, user: str = "deploy",
            codes: tuple[str, ...] = (), secret: str | None = None) -> None:
        who = f"{user}\t" if self.system else ""
        self.lines.append(f"{cron}\t{who}{command}")
        zone = self.env.get("CRON_TZ", self.host.zone)
        out.append(FleetJob(self.host.name, self.path, len(self.lines), user, cron, command,
                            zone, tuple(sorted(self.env.items())), frozenset(codes), secret))


def _clean(rng: random.Random, tag: str, used: set[int], zone: str) -> tuple[str, str]:
    """A clean job whose UTC start minute is not yet used in this fleet (small fleets)."""
    verb, noun = rng.choice(_VERBS), rng.choice(_NOUNS)
    shape = rng.random()
    if shape < 0.15:
        command = f"cd /srv/app && bundle exec rake {noun}:{verb} SHARD={tag}"
    else:
        command = f"/opt/app/bin/{verb}-{noun} --shard {tag}"
    for _ in range(50):
        minute, hour = rng.randrange(60), rng.randrange(24)
        utc = (hour * 60 + minute - OFFSETS[zone]) % 1440
        if utc not in used:
            break
    used.add(utc)
    if shape < 0.55:
        cron = f"{minute} {hour} * * *"
    elif shape < 0.75:
        cron = f"{minute} {hour} * * 1-5"
    elif shape < 0.85:
        cron = f"{minute} {hour} * * {rng.randrange(7)}"
    elif shape < 0.95:
        cron = f"{minute} {hour} {rng.randrange(1, 29)} * *"
    else:
        cron = f"{minute} {hour},{(hour + 12) % 24} * * *"
    return cron, command


def _values(rng: random.Random, low: int, high: int, names: tuple[str, ...] = ()) -> str:
    """One random cron field over low..high: a value, a list, a range or a step, written
    with names (`mon-fri`, `jan,jul`) some of the time when the field has them."""
    def word(v: int) -> str:
        return names[v - low] if names and named else str(v)

    named = bool(names) and rng.random() < 0.5
    shape = rng.random()
    if shape < 0.45:
        return word(rng.randint(low, high))
    if shape < 0.65:
        picked = sorted(rng.sample(range(low, high + 1), rng.randint(2, 4)))
        return ",".join(word(v) for v in picked)
    if shape < 0.85:
        a = rng.randint(low, high - 1)
        return f"{word(a)}-{word(rng.randint(a + 1, high))}"
    step = rng.randint(2, max(2, (high - low) // 2))
    if shape < 0.92:
        return f"*/{step}"
    a = rng.randint(low, high - step)
    return f"{a}-{rng.randint(a + step, high)}/{step}" if shape < 0.96 else f"{a}/{step}"


def distinct_cron(rng: random.Random, seen: set[str]) -> str:
    """A five-field schedule not in `seen` (then added to it). Both day fields restricted
    gives cron's OR rule; a restricted field beside one starting with `*` (`*/2`) the AND."""
    while True:
        minute = "*" if rng.random() < 0.03 else _values(rng, 0, 59)
        hour = "*" if rng.random() < 0.1 else _values(rng, 0, 23)
        dom = "*" if rng.random() < 0.6 else _values(rng, 1, 28)
        month = "*" if rng.random() < 0.7 else _values(rng, 1, 12, _MONTHS)
        dow = "*" if rng.random() < 0.6 else _values(rng, 0, 6, _DAYS)
        if dom == "*" and dow != "*" and rng.random() < 0.2:
            dom = f"*/{rng.randint(2, 3)}"  # AND rule: every other day that is also a dow
        cron = f"{minute} {hour} {dom} {month} {dow}"
        if cron not in seen:
            seen.add(cron)
            return cron


def generate(hosts: int = 1000, jobs_per_host: int = 100, seed: int = 7,
             zones: tuple[str, ...] | None = None, distinct: bool = False) -> Fleet:
    """`zones`: the hosts' zones in turn (default `ZONES`, or `DISTINCT_ZONES` when
    `distinct`)."""
    if zones is None:
        zones = DISTINCT_ZONES if distinct else ZONES
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[FleetJob] = []
    host_list: list[Host] = []
    # Clean jobs keep off the UTC minutes planted jobs use (multiples of five: `*/5`, `*/10`,
    # 00:00 for the burst) so a small fleet has no burst among clean jobs.
    used: set[int] = set(range(0, 1440, 5))
    whole_hour = [z for z in zones if z in FIXED_ZONES and OFFSETS[z] % 60 == 0]
    burst_hosts = [h for h in range(hosts) if zones[h % len(zones)] in whole_hour]
    per_zone = {z: sum(1 for h in range(hosts) if zones[h % len(zones)] == z) for z in zones}
    for h in range(hosts):
        host = Host(f"host{h:04d}", zones[h % len(zones)])
        host_list.append(host)
        k = f"{h:04d}"
        # Copies on other hosts of the same zone make these duplicates (same UTC schedule).
        dup: tuple[str, ...] = ("duplicate-job",) if per_zone[host.zone] > 1 else ()
        crontab = _File(host, "etc/crontab", True, CRONTAB_HEADER)
        crontab.set("MAILTO", '""')
        for cron, command in RUN_PARTS:
            crontab.add(out, cron, command, "root", ("host-maintenance", *dup))
        app = _File(host, "etc/cron.d/app", True, ["# application jobs"])
        user = _File(host, "var/spool/cron/crontabs/deploy", False, ["# deploy's crontab"])
        planted: list[tuple[_File, str, str, tuple[str, ...], str | None]] = [
            (app, "*/10 * * * *", "/opt/app/bin/heartbeat --cluster main", dup, None),
            (app, f"{h % 60} 5 * * *", f"rsync -az /srv/exports/ feed@203.0.113.{h % 250 + 1}:"
             f"/incoming/{k}/", ("fixed-ip",), None),
            (app, f"{(h + 7) % 60} 4 * * *", f"mysql -h 10.{h // 250}.{h % 250}.5 -u report "
             f"appdb -e 'CALL refresh_{k}()'", ("fixed-ip",), None),
            (app, f"{(h + 11) % 60} 5 * * *", f"curl -fsS http://localhost:8080/internal/"
             f"expire/{k}", ("localhost",), None),
            (app, f"{(h + 13) % 60} 11 * * *", f"/opt/app/bin/export-ledger-{k} >> "
             f"/var/log/app/ledger-{k}.log 2>&1", ("host-path",), None),
            (app, "*/5 * * * *", f"/usr/bin/flock -n /var/lock/import-{k}.lock "
             f"/opt/app/bin/import-feed-{k}", ("self-overlap",), None),
            (app, f"{(h + 17) % 60} 7 * * *", f"cd /srv/app && bundle exec rake "
             f"billing:charge_cards_{k}", ("at-least-once",), None),
            (app, f"{(h + 19) % 60} 22 * * *", f"mysqldump -h db.internal -u backup "
             f"-pS3cr3t{k}x appdb_{k} | gzip > /dev/null", ("secret",), f"S3cr3t{k}x"),
            (app, "0 2 * * *", f"/opt/app/bin/db-dump-{k} --target local", ("chain",), None),
            (app, "30 2 * * *", f"/opt/app/bin/upload-dump-{k} --latest", ("chain",), None),
            (crontab, "23 4 * * *", "/usr/sbin/logrotate /etc/logrotate.conf",
             ("host-maintenance", *dup), None),
        ]
        # The same report job on every host, in a file whose header sets PATH on every other
        # host of a zone: copies on other hosts of the zone are near duplicates.
        reports = _File(host, "etc/cron.d/reports", True, ["# reports"])
        if (h // len(zones)) % 2 == 0:
            reports.set("PATH", "/usr/local/bin:/usr/bin:/bin")
        near: tuple[str, ...] = ("near-duplicate-job",) if per_zone[host.zone] > 1 else ()
        planted.append((reports, "41 6 * * *", "/opt/app/bin/nightly-report --all", near, None))
        if h % 10 == 0:  # twice in one file
            for _ in range(2):
                planted.append((user, "45 23 * * 5", f"/opt/app/bin/weekly-close-{k}",
                                ("duplicate-job",), None))
        if burst_hosts:  # BURST_JOBS jobs start at 00:00 UTC, spread over whole-hour zones
            share = [n for n in range(BURST_JOBS) if burst_hosts[n % len(burst_hosts)] == h]
            hour = (OFFSETS[host.zone] // 60) % 24
            for n in share:
                planted.append((app, f"0 {hour} * * *", f"/opt/app/bin/midnight-close-{k}-{n}",
                                ("burst",), None))
        for file, cron, command, codes, secret in planted:
            file.add(out, cron, command, "root" if file is crontab else "deploy", codes, secret)
        clean_count = max(jobs_per_host - len(planted) - len(RUN_PARTS) - 2, 0)
        mail_at = clean_count - 2
        for c in range(clean_count):
            file = app if c % 2 else user
            if c == mail_at:
                user.set("MAILTO", f"team-{k}@example.com")
                file = user
            cron, command = _clean(rng, f"{k}-{c}", used, host.zone)
            if distinct:
                cron = distinct_cron(rng, seen)
            codes = ("mailto",) if c >= mail_at and file is user else ()
            file.add(out, cron, command, "deploy", codes)
        # Planted last in the user crontab so MAILTO covers them.
        user.add(out, f"{(h + 29) % 60} 8 * * 1", f"/opt/app/bin/weekly-digest-{k}",
                 codes=("mailto", "at-least-once"))
        user.add(out, f"{(h + 31) % 60} 9 * * 1", f"/opt/app/bin/verify-stats --shard {k}",
                 codes=("mailto",))
    return Fleet(host_list, out)


def write(fleet: Fleet, dest: Path) -> None:
    for host in fleet.hosts:
        root = dest / host.name
        (root / "etc").mkdir(parents=True, exist_ok=True)
        (root / "etc" / "timezone").write_text(host.zone + "\n")
        for rel, lines in host.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n")


def fleet_jobs(fleet: Fleet) -> list[Job]:
    """The fleet's jobs as `Job` values, built directly (no crontab reader involved)."""
    jobs = []
    for j in fleet.jobs:
        key = f"{j.host}|{j.user}|{j.cron}|{j.command}"
        digest = hashlib.sha256(key.encode()).hexdigest()
        jobs.append(Job(
            id=digest[:16],
            name=f"{j.host}-{j.path.rsplit('/', 1)[-1]}-{j.line}",
            description=j.cron,
            active=True,
            sources=[Source("crontab", f"/{j.path}", j.line, f"{j.cron} {j.command}", j.host,
                            j.user)],
            schedule=Schedule(cron=j.cron, timezone=j.zone, parsed=parse_cron(j.cron)),
            command=Command(j.command, env=dict(j.env)),
        ))
    return jobs

"""Benchmark: the verification engine against a plain croniter iteration of the same jobs.

A realistic mix of 1,000 legacy jobs (daily and hourly jobs, minute lists and steps, business
hours, weekly and monthly jobs, the OR day rule; fixed-offset and daylight-saving zones) is
converted once; then, in one run, the engine verifies every job over one year and croniter
iterates every job's fire times over the same year in its zone. Prints both totals, the
median engine time per job-year and the ratio.

    python benchmarks/verify_bench.py [--jobs 1000] [--seed 7] [--no-croniter]

Targets (issue 2): median <= 200 us per job-year; engine >= 300x faster than croniter.
Since issue 13 a scan proves its schedules in batches (`verify_many`, as `migrate scan`
does): the engine's time per job-year is that batch's total over the jobs, and the ratio is
taken against it. One proof on its own (`verify`, a batch of one) is timed too and printed
as a median for comparison: it pays the batch's fixed cost alone (~2x the old per-proof
engine), which no scan does in bulk.

The same jobs are then verified with the engine's EventBridge Scheduler model (expressions
in the job's own zone, daylight-saving gap and overlap semantics); it prints that median
and its ratio to the rules model. Target (issue 11): Scheduler median <= 1.5x the rules one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from croniter import croniter  # noqa: E402

from migrate.schedule.convert import to_aws  # noqa: E402
from migrate.schedule.cron import parse_cron  # noqa: E402
from migrate.schedule.verify import Check, verify, verify_many  # noqa: E402

HORIZON = (date(2027, 1, 1), date(2028, 1, 1))
ZONES = ["UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide",
         "America/New_York", "Europe/London", "Europe/Berlin", "America/Sao_Paulo",
         "Asia/Singapore"]


def realistic_line(rng: random.Random) -> str:
    m, h = rng.randrange(60), rng.randrange(24)
    kind = rng.choices(
        ["daily", "hourly", "step", "list", "business", "weekly", "monthly", "or", "misc"],
        weights=[30, 15, 15, 8, 8, 10, 8, 3, 3],
    )[0]
    if kind == "daily":
        return f"{m} {h} * * *"
    if kind == "hourly":
        return f"{m} * * * *"
    if kind == "step":
        step = rng.choice([5, 10, 15, 20, 30])
        return f"*/{step} * * * *" if rng.random() < 0.7 else f"{m % step}-59/{step} {h}-23 * * *"
    if kind == "list":
        mins = sorted(rng.sample(range(60), rng.randint(2, 6)))
        return f"{','.join(map(str, mins))} {h} * * *"
    if kind == "business":
        return f"*/{rng.choice([10, 15, 30])} {rng.randint(7, 9)}-{rng.randint(17, 19)} * * 1-5"
    if kind == "weekly":
        return f"{m} {h} * * {rng.choice(['0', 'sun', 'mon', '6', 'fri'])}"
    if kind == "monthly":
        return f"{m} {h} {rng.choice(['1', '15', '1,15', '28', 'L'.replace('L', '31')])} * *"
    if kind == "or":
        return f"{m} {h} {rng.randint(1, 28)} * {rng.randint(0, 6)}"
    return f"{m} {h} * {rng.choice(['1-3', 'jan,jul', '*/3'])} {rng.choice(['*', '1-5'])}"


def croniter_year(line: str, zone: str) -> int:
    tz = ZoneInfo(zone)
    start = datetime.combine(HORIZON[0], datetime.min.time(), UTC)
    end = datetime.combine(HORIZON[1], datetime.min.time(), UTC)
    it = croniter(line, (start - timedelta(minutes=1)).astimezone(tz))
    n = 0
    while True:
        t = it.get_next(datetime)
        if t.astimezone(UTC) >= end:
            return n
        n += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-croniter", action="store_true",
                    help="skip the (slow) croniter baseline; engine models only")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    jobs = []
    for _ in range(args.jobs):
        line, zone = realistic_line(rng), rng.choice(ZONES)
        schedule = parse_cron(line)
        jobs.append((line, zone, schedule, to_aws(schedule, zone, HORIZON).expressions,
                     to_aws(schedule, "UTC", HORIZON).expressions))

    verify(jobs[0][2], jobs[0][1], jobs[0][3], HORIZON)  # warm the shared calendar
    rules = [Check(schedule, zone, exprs, HORIZON) for _, zone, schedule, exprs, _ in jobs]
    local = [Check(schedule, zone, exprs, HORIZON, target="scheduler")
             for _, zone, schedule, _, exprs in jobs]
    t0 = time.perf_counter()
    exact = sum(r.verification.exact for r in verify_many(rules))
    engine = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact_s = sum(r.verification.exact for r in verify_many(local))
    engine_s = time.perf_counter() - t0
    per_job, per_job_s = [], []  # one proof at a time, for comparison
    for checks, times in ((rules, per_job), (local, per_job_s)):
        for c in checks:
            t = time.perf_counter()
            verify(c.schedule, c.zone, c.expressions, HORIZON, target=c.target)
            times.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    fires = (0 if args.no_croniter
             else sum(croniter_year(line, zone) for line, zone, _, _, _ in jobs))
    naive = time.perf_counter() - t0

    per_year = engine / len(jobs) * 1e6
    print(f"jobs: {len(jobs)} ({exact} exact), legacy fires over one year: {fires}")
    print(f"engine:   {engine:8.3f} s total in batches, {per_year:6.1f} us per job-year; one "
          f"proof alone: median {statistics.median(per_job) * 1e6:6.1f} us, p95 "
          f"{sorted(per_job)[int(len(per_job) * 0.95)] * 1e6:6.1f} us")
    if not args.no_croniter:
        print(f"croniter: {naive:8.3f} s total")
        print(f"ratio:    {naive / engine:8.1f}x faster than croniter "
              f"(targets: <= 200 us per job-year, ratio >= 300x)")
    per_year_s = engine_s / len(jobs) * 1e6
    print(f"scheduler model: {engine_s:8.3f} s total in batches, {per_year_s:6.1f} us per "
          f"job-year ({exact_s} exact as Scheduler vs {exact} as rules); one proof alone: "
          f"median {statistics.median(per_job_s) * 1e6:6.1f} us")
    print(f"scheduler/rules: {per_year_s / per_year:8.2f}x the rules time (target <= 1.5x)")


if __name__ == "__main__":
    main()

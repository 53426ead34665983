"""Benchmark: what `migrate status` costs for a fleet of rules.

1. GetMetricData calls: the queries `status` makes for N rules (3 metrics each, plus the
   alert rule's 2) sent to moto's server on 127.0.0.1, counted; one datapoint per rule.
2. Expected fires: `schedule.fires.count_fires` (day mask + minute prefix sum) for N
   expressions over a 7-day window, against croniter iterating every fire of the same
   expressions (the per-fire loop it replaces). Prints both times and the ratio.

    python benchmarks/status_bench.py [--rules 1000]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from croniter import croniter  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from migrate.aws.clients import Backoff, Credentials, make_client  # noqa: E402
from migrate.aws.metrics import RULE_METRICS, rule_sums  # noqa: E402
from migrate.schedule.fires import count_fires  # noqa: E402

END = datetime(2026, 11, 2, 8, 45, tzinfo=UTC)
START = END - timedelta(days=7)


def expressions(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(AWS expression, the same as a 5-field cron line for croniter)."""
    out = []
    for _ in range(n):
        m, h = rng.randrange(60), rng.randrange(24)
        kind = rng.randrange(4)
        if kind == 0:
            out.append((f"cron({m} {h} * * ? *)", f"{m} {h} * * *"))
        elif kind == 1:
            out.append((f"cron({m} * * * ? *)", f"{m} * * * *"))
        elif kind == 2:
            step = rng.choice([5, 10, 15])
            out.append((f"cron(0/{step} * * * ? *)", f"*/{step} * * * *"))
        else:
            out.append((f"cron({m} {h} ? * 2-6 *)", f"{m} {h} * * 1-5"))
    return out


def croniter_count(line: str) -> int:
    it = croniter(line, START - timedelta(seconds=1))
    n = 0
    while it.get_next(datetime) < END:
        n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=1000)
    args = ap.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    cw = make_client("cloudwatch", "us-east-1", f"http://{host}:{port}",
                     credentials=Credentials("testing", "testing"))
    rules = [f"rule-{i:05d}" for i in range(args.rules)]
    for i in range(0, len(rules), 20):
        cw.put_metric_data(Namespace="AWS/Events", MetricData=[
            {"MetricName": "TriggeredRules", "Dimensions": [{"Name": "RuleName", "Value": r}],
             "Timestamp": END - timedelta(hours=1), "Value": 1.0} for r in rules[i:i + 20]])
    pairs = [(r, m) for r in rules for m in RULE_METRICS]
    pairs += [("migrate-alerts", "TriggeredRules"), ("migrate-alerts", "FailedInvocations")]
    t0 = time.perf_counter()
    sums = rule_sums(cw, pairs, START, END, Backoff())
    took = time.perf_counter() - t0
    server.stop()
    seen = sum(1 for r in rules if sums.get(r, "TriggeredRules") == 1.0)
    print(f"{args.rules} rules: {len(pairs)} queries, {sums.calls} GetMetricData calls "
          f"({took:.1f} s against moto), {seen} rules read back")

    exprs = expressions(args.rules, random.Random(7))
    t0 = time.perf_counter()
    ours = [count_fires(a, START, END).count for a, _ in exprs]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = [croniter_count(c) for _, c in exprs]
    t_loop = time.perf_counter() - t0
    assert ours == theirs, "fire counts differ from croniter"
    print(f"expected fires, 7 days, {args.rules} expressions ({sum(ours)} fires): "
          f"{t_ours * 1000:.0f} ms vectorised, {t_loop * 1000:.0f} ms croniter loop, "
          f"ratio {t_loop / t_ours:.0f}x")


if __name__ == "__main__":
    main()

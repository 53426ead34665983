"""apply vs the generated AWS CLI script, on 1,000 rules against a local moto server.

    PYTHONPATH=. python benchmarks/apply_bench.py [--rules 1000] [--concurrency 8]

A moto server runs in its own process on 127.0.0.1. For N synthetic jobs (one rule each):

1. `migrate plan` against the empty account writes `aws/bench.sh` (and its JSON bodies);
2. `migrate apply --yes` (a real CLI process) creates the N rules: timed;
3. a no-op re-apply, in-process with a botocore hook counting the calls it makes: the number
   of mutating calls (must be 0); and the same as a CLI process (timed, for reference);
4. the account is reset, and `bash bench.sh` (the real `aws` CLI, one process per call)
   creates the same rules: timed, and the resulting state compared with apply's (all but
   the applied-at tag, which records when each ran).

Prints both times, the ratio (apply should win by >= 10x) and the no-op mutating calls.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from migrate.aws.calls import plan_steps  # noqa: E402
from migrate.aws.clients import Credentials, make_client  # noqa: E402
from migrate.aws.config import load_config  # noqa: E402
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute  # noqa: E402
from migrate.emit.catalog import Catalog, catalog_digest, catalog_to_text  # noqa: E402
from migrate.model import Command, Job, Schedule, Source  # noqa: E402

REGION = "us-east-1"
CREDS = Credentials("bench", "bench")
MUTATING = ("PutRule", "PutTargets", "RemoveTargets", "DeleteRule", "TagResource",
            "UntagResource")
CONFIG = f"""\
environments:
  bench:
    region: {REGION}
    cluster: bench-cluster
    task_definition: bench-app
    container: app
    subnets: [subnet-1, subnet-2]
    security_groups: [sg-1]
    role_arn: arn:aws:iam::123456789012:role/ecsEventsRole
    rule_prefix: bench-
    rule_quota: 5000
    retry: {{maximum_attempts: 2, maximum_event_age_seconds: 3600}}
"""
SERVER = """\
import logging, sys, time
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
s = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
s.start()
print(s.get_host_and_port()[1], flush=True)
sys.stdin.read()
"""


def jobs(n: int) -> list[Job]:
    commands = [
        "/usr/local/bin/report --daily",
        "cd /srv/app && bin/rails runner 'Cleanup.run' >> /var/log/cleanup.log 2>&1",
        'echo "it\'s $(date +%s)" | mail -s "digest ½" ops@example.com',
        "php artisan schedule:run --env=production",
    ]
    out = []
    for i in range(n):
        cmd = commands[i % len(commands)]
        out.append(Job(
            id=f"bench-{i:04d}",
            name=f"job-{i:04d}",
            description=f"synthetic job {i}",
            active=True,
            sources=[Source("crontab", "/etc/cron.d/bench", i + 1, f"{i % 60} * * * * {cmd}",
                            host="batch1", user="app")],
            schedule=Schedule(cron=f"{i % 60} {i // 60 % 24} * * *", timezone="UTC",
                              aws=(f"cron({i % 60} {i // 60 % 24} * * ? *)",), exact=True),
            command=Command(shell=cmd, env={"JOB_INDEX": str(i)}),
        ))
    return out


def seed(url: str) -> None:
    ecs = make_client("ecs", REGION, url, credentials=CREDS)
    ecs.create_cluster(clusterName="bench-cluster")
    ecs.register_task_definition(
        family="bench-app", containerDefinitions=[{"name": "app", "image": "busybox"}],
        requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512")


def reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST")).read()


def snapshot(url: str) -> dict[str, Any]:
    events = make_client("events", REGION, url, credentials=CREDS)
    out: dict[str, Any] = {}
    for page in events.get_paginator("list_rules").paginate():
        for r in page["Rules"]:
            tags = events.list_tags_for_resource(ResourceARN=r["Arn"])["Tags"]
            out[r["Name"]] = (
                r.get("ScheduleExpression"), r.get("State"), r.get("Description"),
                events.list_targets_by_rule(Rule=r["Name"])["Targets"],
                sorted((t["Key"], t["Value"]) for t in tags if t["Key"] != "migrate:applied-at"),
            )
    return out


def migrate_cmd() -> list[str]:
    return [sys.executable, "-m", "migrate"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=CREDS.access_key, AWS_SECRET_ACCESS_KEY=CREDS.secret_key,
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               PYTHONPATH=str(ROOT), PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}")
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
    os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")})
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            (tmp / "migrate.yaml").write_text(CONFIG)
            the_jobs = jobs(args.rules)
            catalog = Catalog(jobs=the_jobs, generated_at="2026-11-01T00:00:00Z",
                              horizon=(date(2027, 1, 1), date(2028, 1, 1)))
            (tmp / "catalog.yaml").write_text(catalog_to_text(catalog), encoding="utf-8")
            seed(url)
            common = ["--env", "bench", "--config", "migrate.yaml", "--catalog", "catalog.yaml",
                      "--endpoint-url", url, "--concurrency", str(args.concurrency)]

            def cli(*words: str) -> float:
                t0 = time.perf_counter()
                done = subprocess.run([*migrate_cmd(), *words, *common], cwd=tmp, env=env,
                                      capture_output=True, text=True, check=False)
                took = time.perf_counter() - t0
                if done.returncode not in (0, 1):
                    sys.exit(f"{' '.join(words)} failed:\n{done.stderr}")
                return took

            t_plan = cli("plan", "-o", "out")
            t_apply = cli("apply", "--yes")
            by_apply = snapshot(url)
            assert len(by_apply) == args.rules, len(by_apply)

            config = load_config(tmp / "migrate.yaml")
            bench = config.environment("bench")
            counts: Counter[str] = Counter()

            def count(event_name: str, **kwargs: Any) -> None:
                counts[event_name.rsplit(".", 1)[-1]] += 1

            t0 = time.perf_counter()
            with Connection(config, Endpoints(url), workers=args.concurrency) as conn:
                conn.client("events", bench).meta.events.register("before-call.events.*", count)
                plan = build_plan(conn, bench, the_jobs, catalog_digest(the_jobs),
                                  "catalog.yaml")
                execute(conn, bench, plan_steps(plan, datetime.now(UTC)))
            t_noop_lib = time.perf_counter() - t0
            noop_mutating = sum(counts[n] for n in MUTATING)
            t_noop_cli = cli("apply", "--yes")

            reset(url)
            seed(url)
            t0 = time.perf_counter()
            script = tmp / "out" / "aws" / "bench.sh"
            done = subprocess.run(["bash", str(script), "--endpoint-url", url], env=env,
                                  capture_output=True, text=True, check=False)
            t_script = time.perf_counter() - t0
            if done.returncode != 0:
                sys.exit(f"script failed:\n{done.stderr[-2000:]}")
            same = snapshot(url) == by_apply
    finally:
        server.terminate()
        server.wait()

    calls = 2 * args.rules
    print(f"rules: {args.rules} ({calls} mutating calls to create them), "
          f"concurrency {args.concurrency}")
    print(f"migrate plan (empty account, writes the script): {t_plan:8.2f} s")
    print(f"migrate apply (CLI process):                     {t_apply:8.2f} s "
          f"({args.rules / t_apply:7.1f} rules/s)")
    print(f"generated AWS CLI script (bash + aws):           {t_script:8.2f} s "
          f"({args.rules / t_script:7.1f} rules/s)")
    print(f"ratio script / apply:                            {t_script / t_apply:8.1f}x "
          f"(target >= 10x)")
    print(f"no-op re-apply: {noop_mutating} mutating calls (must be 0); reads "
          f"{sum(counts.values())}; {t_noop_lib:.2f} s in-process, {t_noop_cli:.2f} s as CLI")
    print(f"script state == apply state (but applied-at): {same}")
    if noop_mutating != 0 or not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

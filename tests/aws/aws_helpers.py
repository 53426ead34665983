"""Shared pieces of the aws tests: a real moto HTTP server on 127.0.0.1, account seeding,
state snapshots, call counting, and a tiny fault-injecting proxy."""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from moto.server import ThreadedMotoServer

from migrate.aws.clients import Backoff, Credentials, make_client
from migrate.aws.config import Config, load_config
from migrate.emit.catalog import Catalog, catalog_digest, catalog_from_text
from migrate.model import Job, SchedulerTarget

DATA = Path(__file__).resolve().parent.parent / "data" / "aws"
REGION = "ap-northeast-1"
CREDS = Credentials("testing", "testing")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
AWS_CLI = Path(sys.executable).parent / "aws"  # awscli, in the test extra
FAST = Backoff(max_attempts=4, base=0.001, cap=0.002, sleep=lambda s: None)


class MotoServer:
    """moto's ThreadedMotoServer on 127.0.0.1 with a random free port; restartable on it."""

    def __init__(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.port = 0
        self.server: Any = None
        self.start()

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.port = self.server.get_host_and_port()[1]

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self) -> None:
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST")
        urllib.request.urlopen(req, timeout=10).read()


def client(url: str, service: str = "events") -> Any:
    return make_client(service, REGION, url, credentials=CREDS)


def seed(url: str) -> None:
    """The resources the test environments point at."""
    ecs = client(url, "ecs")
    for name in ("batch-staging", "batch-production"):
        ecs.create_cluster(clusterName=name)
    for family in ("batch-app", "batch-heavy"):
        ecs.register_task_definition(
            family=family,
            containerDefinitions=[{"name": "app", "image": "busybox"},
                                  {"name": "sidecar", "image": "busybox"}],
            requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
            memory="512",
        )


def config() -> Config:
    return load_config(DATA / "migrate.yaml")


def catalog(name: str = "catalog.yaml") -> tuple[Catalog, str]:
    path = DATA / name  # an absolute name stays as it is
    cat = catalog_from_text(path.read_text(encoding="utf-8"), str(path))
    return cat, catalog_digest(cat.jobs)


def snapshot(url: str) -> dict[str, Any]:
    """Every rule on the default bus with its targets and tags: what tests compare."""
    events = client(url)
    out: dict[str, Any] = {}
    for page in events.get_paginator("list_rules").paginate():
        for r in page["Rules"]:
            targets = events.list_targets_by_rule(Rule=r["Name"])["Targets"]
            tags = events.list_tags_for_resource(ResourceARN=r["Arn"])["Tags"]
            out[r["Name"]] = {
                "rule": {k: r.get(k) for k in ("ScheduleExpression", "State", "Description")},
                "targets": sorted(targets, key=lambda t: t["Id"]),
                "tags": {t["Key"]: t["Value"] for t in tags},
            }
    return out


def scheduler_jobs(every: bool = False) -> list[Job]:
    """The test catalog's jobs, backup-db exact only on Scheduler (New York), monthly-report
    exact on both (with `every`, each job has a Scheduler target like backup-db's)."""
    cat, _ = catalog()
    out = []
    for j in cat.jobs:
        if every or j.name in ("backup-db", "monthly-report"):
            sched = SchedulerTarget(("cron(30 2 * * ? *)",), "America/New_York", True, None)
            j = dataclasses.replace(j, schedule=dataclasses.replace(
                j.schedule, exact=j.name == "monthly-report", scheduler=sched))
        out.append(j)
    return out


def schedules(url: str) -> dict[str, Any]:
    """Every schedule group (not default) with its tags and schedules."""
    sch = client(url, "scheduler")
    out: dict[str, Any] = {}
    for g in sch.list_schedule_groups()["ScheduleGroups"]:
        if g["Name"] == "default":
            continue
        tags = {t["Key"]: t["Value"] for t in
                sch.list_tags_for_resource(ResourceArn=g["Arn"])["Tags"]}
        tags.pop("migrate:applied-at", None)
        items = {}
        for s in sch.list_schedules(GroupName=g["Name"])["Schedules"]:
            got = sch.get_schedule(Name=s["Name"], GroupName=g["Name"])
            items[s["Name"]] = {k: got.get(k) for k in (
                "ScheduleExpression", "ScheduleExpressionTimezone", "State", "Description",
                "FlexibleTimeWindow", "Target")}
        out[g["Name"]] = {"tags": tags, "schedules": items}
    return out


def run_script(script: Path, url: str) -> subprocess.CompletedProcess[str]:
    """A generated `aws/<env>.sh`, run by the real `aws` CLI against `url`."""
    env = {
        "PATH": f"{AWS_CLI.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_ENDPOINT_URL": url, "LC_ALL": "C",
    }
    return subprocess.run([str(script)], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@dataclass
class CallCounter:
    """Counts API calls a client makes (a botocore event hook, independent of our report)."""

    calls: Counter[str] = field(default_factory=Counter)

    def __call__(self, event_name: str, **kwargs: Any) -> None:
        self.calls[event_name.rsplit(".", 1)[-1]] += 1

    def attach(self, events_client: Any) -> CallCounter:
        events_client.meta.events.register("before-call.events.*", self)
        return self

    @property
    def mutating(self) -> int:
        names = ("PutRule", "PutTargets", "RemoveTargets", "DeleteRule", "TagResource",
                 "UntagResource")
        return sum(self.calls[n] for n in names)


class FaultProxy:
    """An HTTP proxy in front of moto that answers chosen requests with an error.

    `fault(target, n)` gets the X-Amz-Target (e.g. `AWSEvents.PutRule`) and the 1-based
    count of requests seen for it; it returns (status, error code) to answer instead, or None
    to forward the request to moto.
    """

    def __init__(self, upstream_port: int,
                 fault: Callable[[str, int], tuple[int, str] | None]) -> None:
        self.seen: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - REST APIs (Scheduler) pass through
                self.do_POST()

            def do_PUT(self) -> None:  # noqa: N802
                self.do_POST()

            def do_DELETE(self) -> None:  # noqa: N802
                self.do_POST()

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target", "")
                with lock:
                    proxy.seen[target] += 1
                    answer = fault(target, proxy.seen[target])
                    if answer is not None:
                        proxy.faults[target] += 1
                if answer is not None:
                    status, code = answer
                    payload = json.dumps({"__type": code, "message": f"injected {code}"}).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/x-amz-json-1.1")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

"""`endpoint: embedded`: a throw-away AWS account on 127.0.0.1, for trying `migrate` without one.

`Sandbox(state_path)` starts moto's `ThreadedMotoServer` in this process on a free port of
127.0.0.1 and gives fixed dummy credentials. `prepare(env, task_refs)` creates what the
environment's rules point at (the cluster, each task definition with the environment's
container, the IAM role), so the same plan/apply code runs against it unchanged.

An emulator forgets everything when the process ends; so that `migrate apply --env sandbox`
followed by `migrate plan --env sandbox` (two processes) behaves like a real account, the
sandbox saves every EventBridge rule of the regions it served (rule, targets, tags) to
`state_path` (JSON; `sandbox_state` in migrate.yaml, default `.migrate/sandbox.json` in the
working directory) when it closes, and loads them back when it starts. Delete the file to
start afresh.

This module seeds only its own in-process server; it never talks to a real endpoint.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from migrate.aws.clients import AwsError, Credentials, make_client
from migrate.aws.config import Environment
from migrate.aws.guard.sandbox_state import dump_guard, load_guard
from migrate.aws.preflight import needed_compatibilities

SANDBOX_CREDENTIALS = Credentials("testing", "testing")
STATE_VERSION = 1


class Sandbox:
    def __init__(self, state_path: Path) -> None:
        self.state_path = state_path
        self.endpoint_url = ""
        self._server: Any = None
        self._regions: set[str] = set()
        self._prepared: set[tuple[str, str]] = set()

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.save()
        finally:
            self.stop()

    def start(self) -> str:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError:
            raise AwsError("endpoint: embedded needs moto's server: "
                           "pip install 'moto[server]'") from None

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        self._load()
        return self.endpoint_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self, service: str, region: str) -> Any:
        return make_client(service, region, self.endpoint_url, credentials=SANDBOX_CREDENTIALS)

    def _client_in(self, region: str, service: str) -> Any:
        return self.client(service, region)

    def prepare(self, env: Environment, task_refs: list[str]) -> None:
        """Create the cluster, task definitions and role `env` needs, if missing."""
        self._regions.add(env.region)
        ecs = self.client("ecs", env.region)
        cluster = env.cluster.rsplit("/", 1)[-1]
        if (env.region, cluster) not in self._prepared:
            ecs.create_cluster(clusterName=cluster)
            self._prepared.add((env.region, cluster))
        for ref in task_refs:
            family_rev = ref.rsplit("/", 1)[-1]
            family, _, rev = family_rev.partition(":")
            want = int(rev) if rev.isdigit() else 1
            arns = ecs.list_task_definitions(familyPrefix=family)["taskDefinitionArns"]
            have = sum(1 for a in arns if a.rsplit("/", 1)[-1].rpartition(":")[0] == family)
            for _ in range(have, want):
                ecs.register_task_definition(
                    family=family,
                    containerDefinitions=[{"name": env.container, "image": "busybox",
                                           "essential": True}],
                    requiresCompatibilities=sorted(needed_compatibilities(env)),
                    networkMode="awsvpc" if env.subnets else "bridge",
                    cpu="256", memory="512",
                )
        iam = self.client("iam", env.region)
        role = env.role_arn.rsplit("/", 1)[-1]
        try:
            iam.get_role(RoleName=role)
        except iam.exceptions.NoSuchEntityException:
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "events.amazonaws.com"}}],
            }))

    def _load(self) -> None:
        if not self.state_path.exists():
            return
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            regions = data["regions"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AwsError(f"{self.state_path}: unreadable sandbox state ({exc}); delete it "
                           "to start the sandbox afresh") from None
        for region, guard in data.get("guard", {}).items():  # before the roles prepare makes
            load_guard(partial(self._client_in, region), guard)
        for region, rules in regions.items():
            self._regions.add(region)
            events = self.client("events", region)
            for r in rules:
                events.put_rule(Name=r["Name"], ScheduleExpression=r["ScheduleExpression"],
                                State=r["State"], Description=r.get("Description", ""),
                                Tags=r.get("Tags") or [])
                if r.get("Targets"):
                    events.put_targets(Rule=r["Name"], Targets=r["Targets"])

    def save(self) -> None:
        if not self._regions or self._server is None:
            return
        regions: dict[str, list[dict[str, Any]]] = {}
        for region in sorted(self._regions):
            events = self.client("events", region)
            out = []
            for page in events.get_paginator("list_rules").paginate():
                for rule in page["Rules"]:
                    if "ScheduleExpression" not in rule:
                        continue
                    targets = []
                    for tp in events.get_paginator("list_targets_by_rule").paginate(
                        Rule=rule["Name"]
                    ):
                        targets += tp["Targets"]
                    tags = events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]
                    out.append({
                        "Name": rule["Name"], "ScheduleExpression": rule["ScheduleExpression"],
                        "State": rule["State"], "Description": rule.get("Description", ""),
                        "Tags": tags, "Targets": targets,
                    })
            regions[region] = out
        guard = {r: dump_guard(partial(self._client_in, r))
                 for r in sorted(self._regions)}
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        data = {"version": STATE_VERSION, "regions": regions, "guard": guard}
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.state_path)

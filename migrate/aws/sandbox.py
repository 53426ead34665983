"""`endpoint: embedded`: a throw-away AWS account on 127.0.0.1, for trying `migrate` without one.

`Sandbox(state_path)` starts moto's `ThreadedMotoServer` in this process on a free port of
127.0.0.1 and gives fixed dummy credentials. `prepare(env, task_refs)` creates what the
environment's rules point at (the cluster, each task definition with the environment's
container, the IAM role), so the same plan/apply code runs against it unchanged.

An emulator forgets everything when the process ends; so that `migrate apply --env sandbox`
followed by `migrate plan --env sandbox` (two processes) behaves like a real account, the
sandbox saves every EventBridge rule of the regions it served (rule, targets, tags) to
`state_path` (JSON; `sandbox_state` in migrate.yaml, default `.migrate/sandbox.json` in the
working directory) when it closes, and loads them back when it starts, together with the SNS
topics (policy, tags, subscriptions) of the alerts and the Scheduler schedule groups (tags)
with their schedules. Delete the file to start afresh.

So that `migrate run` can start a task there, `prepare` also creates the environment's
subnets under the ids written in migrate.yaml: moto's RunTask looks an awsvpc subnet up in
its EC2 backend, and its API cannot choose a subnet id, so the subnet is created through the
API and then re-keyed in the in-process backend (this module owns that server; moto 5.2).
moto also needs a container memory size to place a task, and advances a task one state per
DescribeTasks call (RUNNING ... STOPPED, exit code 0).

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
SANDBOX_ACCOUNT = "123456789012"  # moto's default account
STATE_VERSION = 3  # 3: schedule groups and schedules; 2: SNS topics, event patterns


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
                                           "essential": True, "memory": 512}],
                    requiresCompatibilities=sorted(needed_compatibilities(env)),
                    networkMode="awsvpc" if env.subnets else "bridge",
                    cpu="256", memory="512",
                )
        self._subnets(env)
        iam = self.client("iam", env.region)
        for arn in {env.role_arn, env.scheduler_role}:
            role = arn.rsplit("/", 1)[-1]
            try:
                iam.get_role(RoleName=role)
            except iam.exceptions.NoSuchEntityException:
                iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                   "Principal": {"Service": ["events.amazonaws.com",
                                                             "scheduler.amazonaws.com"]}}],
                }))

    def _subnets(self, env: Environment) -> None:
        missing = [s for s in env.subnets if (env.region, s) not in self._prepared]
        if not missing:
            return
        from moto.backends import get_backend  # the in-process server's own state

        ec2 = self.client("ec2", env.region)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        backend = get_backend("ec2")[SANDBOX_ACCOUNT][env.region]
        for i, want in enumerate(missing):
            self._prepared.add((env.region, want))
            try:
                backend.get_subnet(want)
                continue
            except Exception:  # noqa: BLE001 - moto's InvalidSubnetIdError: create it
                pass
            made = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]
            zone = backend.subnets[made["AvailabilityZone"]]
            subnet = zone.pop(made["SubnetId"])
            subnet.id = want
            zone[want] = subnet

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
            for t in data.get("topics", {}).get(region, []):
                sns = self.client("sns", region)
                arn = sns.create_topic(Name=t["Name"], Attributes=t.get("Attributes") or {},
                                       Tags=t.get("Tags") or [])["TopicArn"]
                for sub in t.get("Subscriptions", []):
                    sns.subscribe(TopicArn=arn, Protocol=sub["Protocol"],
                                  Endpoint=sub["Endpoint"])
            scheduler = self.client("scheduler", region)
            for g in data.get("schedule_groups", {}).get(region, []):
                scheduler.create_schedule_group(Name=g["Name"], Tags=g.get("Tags") or [])
                for item in g.get("Schedules", []):
                    scheduler.create_schedule(**item)
            events = self.client("events", region)
            for r in rules:
                what = ({"EventPattern": r["EventPattern"]} if "EventPattern" in r
                        else {"ScheduleExpression": r["ScheduleExpression"]})
                events.put_rule(Name=r["Name"], State=r["State"],
                                Description=r.get("Description", ""),
                                Tags=r.get("Tags") or [], **what)
                if r.get("Targets"):
                    events.put_targets(Rule=r["Name"], Targets=r["Targets"])

    def save(self) -> None:
        if not self._regions or self._server is None:
            return
        regions: dict[str, list[dict[str, Any]]] = {}
        topics: dict[str, list[dict[str, Any]]] = {}
        groups: dict[str, list[dict[str, Any]]] = {}
        for region in sorted(self._regions):
            topics[region] = self._topics(region)
            groups[region] = self._schedule_groups(region)
            events = self.client("events", region)
            out = []
            for page in events.get_paginator("list_rules").paginate():
                for rule in page["Rules"]:
                    what = {k: rule[k] for k in ("ScheduleExpression", "EventPattern")
                            if k in rule}
                    if not what:
                        continue
                    targets = []
                    for tp in events.get_paginator("list_targets_by_rule").paginate(
                        Rule=rule["Name"]
                    ):
                        targets += tp["Targets"]
                    tags = events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]
                    out.append({
                        "Name": rule["Name"], **what,
                        "State": rule["State"], "Description": rule.get("Description", ""),
                        "Tags": tags, "Targets": targets,
                    })
            regions[region] = out
        guard = {r: dump_guard(partial(self._client_in, r))
                 for r in sorted(self._regions)}
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        state = {"version": STATE_VERSION, "regions": regions, "topics": topics,
                 "schedule_groups": groups, "guard": guard}
        tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.state_path)

    def _topics(self, region: str) -> list[dict[str, Any]]:
        sns = self.client("sns", region)
        out = []
        for page in sns.get_paginator("list_topics").paginate():
            for t in page["Topics"]:
                arn = t["TopicArn"]
                attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
                subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
                out.append({
                    "Name": arn.rsplit(":", 1)[-1],
                    "Attributes": {"Policy": attrs["Policy"]} if "Policy" in attrs else {},
                    "Tags": sns.list_tags_for_resource(ResourceArn=arn)["Tags"],
                    "Subscriptions": [{"Protocol": s["Protocol"], "Endpoint": s["Endpoint"]}
                                      for s in subs],
                })
        return out

    def _schedule_groups(self, region: str) -> list[dict[str, Any]]:
        scheduler = self.client("scheduler", region)
        out = []
        for page in scheduler.get_paginator("list_schedule_groups").paginate():
            for g in page["ScheduleGroups"]:
                if g["Name"] == "default":
                    continue
                items = []
                for sp in scheduler.get_paginator("list_schedules").paginate(
                    GroupName=g["Name"]
                ):
                    for item in sp["Schedules"]:
                        got = scheduler.get_schedule(Name=item["Name"], GroupName=g["Name"])
                        items.append({k: got[k] for k in (
                            "Name", "GroupName", "ScheduleExpression",
                            "ScheduleExpressionTimezone", "State", "Description",
                            "FlexibleTimeWindow", "Target") if got.get(k) is not None})
                tags = scheduler.list_tags_for_resource(ResourceArn=g["Arn"])["Tags"]
                out.append({"Name": g["Name"], "Tags": tags, "Schedules": items})
        return out

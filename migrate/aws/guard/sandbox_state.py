"""The sandbox (`endpoint: embedded`) keeps the run guard's resources between runs too.

`dump_guard(client)` reads every DynamoDB table (name, TTL attribute, tags), IAM role
(trust policy, inline policies, tags) and state machine (definition, role, tags) of the
emulated account of one region; `load_guard(client, data)` creates them again in a fresh
emulator. Used by sandbox.py next to the rules it saves; only the sandbox calls these.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

ClientFn = Callable[[str], Any]  # service -> boto3 client of the sandbox's region


def _doc(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v)


def dump_guard(client: ClientFn) -> dict[str, Any]:
    ddb, iam, sfn = client("dynamodb"), client("iam"), client("stepfunctions")
    tables = []
    for name in ddb.list_tables()["TableNames"]:
        desc = ddb.describe_table(TableName=name)["Table"]
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        tags = ddb.list_tags_of_resource(ResourceArn=desc["TableArn"]).get("Tags", [])
        tables.append({"name": name, "ttl": ttl.get("AttributeName"), "tags": tags})
    roles = []
    for r in iam.list_roles()["Roles"]:
        name = r["RoleName"]
        policies = {p: _doc(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])
                    for p in iam.list_role_policies(RoleName=name)["PolicyNames"]}
        roles.append({"name": name, "trust": _doc(r["AssumeRolePolicyDocument"]),
                      "policies": policies,
                      "tags": iam.list_role_tags(RoleName=name).get("Tags", [])})
    machines = []
    for m in sfn.list_state_machines()["stateMachines"]:
        d = sfn.describe_state_machine(stateMachineArn=m["stateMachineArn"])
        tags = sfn.list_tags_for_resource(resourceArn=m["stateMachineArn"]).get("tags", [])
        machines.append({"name": m["name"], "definition": d["definition"],
                         "role": d["roleArn"], "tags": tags})
    return {"tables": tables, "roles": roles, "machines": machines}


def load_guard(client: ClientFn, data: Mapping[str, Any]) -> None:
    ddb, iam, sfn = client("dynamodb"), client("iam"), client("stepfunctions")
    for t in data.get("tables", []):
        ddb.create_table(TableName=t["name"], BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         **({"Tags": t["tags"]} if t["tags"] else {}))
        if t.get("ttl"):
            ddb.update_time_to_live(TableName=t["name"], TimeToLiveSpecification={
                "Enabled": True, "AttributeName": t["ttl"]})
    for r in data.get("roles", []):
        iam.create_role(RoleName=r["name"], AssumeRolePolicyDocument=r["trust"],
                        **({"Tags": r["tags"]} if r["tags"] else {}))
        for p, doc in r["policies"].items():
            iam.put_role_policy(RoleName=r["name"], PolicyName=p, PolicyDocument=doc)
    for m in data.get("machines", []):
        sfn.create_state_machine(name=m["name"], definition=m["definition"], roleArn=m["role"],
                                 **({"tags": m["tags"]} if m["tags"] else {}))

"""Every request body checked before it is sent: against its service's model (EventBridge, or
SNS for the alert topic and its subscriptions), then against the rules of the EventBridge and
ECS references the model does not encode.

`request_problems(api, params, region, service)` returns one line per problem (empty: the body is
fine). Both `apply` (before its first call) and the tests of the CLI script's bodies use it,
so a body AWS would refuse never leaves the machine.

1. botocore's own `ParamValidator` over the operation's input shape: required members, types,
   minimum lengths and values;
2. the model's other constraints botocore leaves to the server: `max` lengths, list sizes
   and values, `pattern`, `enum` (e.g. RuleName `[\\.\\-_A-Za-z0-9]+` of 1-64, Input <= 8192,
   TagValue <= 256, CapacityProviderStrategy <= 6 items, MaximumRetryAttempts 0-185);
3. the rules written only in the references' prose (see `preflight.py` for each source):
   AssignPublicIp ENABLED only on Fargate; at most 16 subnets and 5 security groups; at most
   one capacity provider with a base above 0, not every weight 0; PlatformVersion only on
   Fargate; DeadLetterConfig a standard SQS queue of the rule's Region; tag keys and values
   from the allowed characters, no `aws:` prefix in any case, at most 50 tags per rule;
   Input valid JSON of at most 8192 bytes (UTF-8); at most 5 targets per rule.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import botocore.session
from botocore.model import ServiceModel, Shape
from botocore.validate import ParamValidator

from migrate.aws.clients import AwsError
from migrate.aws.preflight import (
    FARGATE_PROVIDERS,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS,
    tag_text_problem,
)

MAX_TAGS = 50  # EventBridge: "You can associate as many as 50 tags with a resource."
MAX_TARGETS = 5  # PutTargets: "Each rule can have up to five (5) targets"
MAX_INPUT_BYTES = 8192
_SQS = re.compile(r"arn:[a-z-]+:sqs:(?P<region>[a-z0-9-]+):\d{12}:(?P<name>[^:/]+)")


class RequestRefused(AwsError):
    """A request body breaks a rule of the AWS references; nothing was sent."""


@functools.cache
def service_model(service: str) -> ServiceModel:
    """The model botocore ships for `service` (the one AWS publishes for its SDKs)."""
    return botocore.session.Session().get_service_model(service)


def events_model() -> ServiceModel:
    """The EventBridge model."""
    return service_model("events")


def _op_name(api: str) -> str:
    return "".join(part.capitalize() for part in api.split("_"))


def _strict(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    """The model constraints botocore does not check client-side (max, pattern, enum)."""
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, Mapping):
        members = shape.members
        for k, v in value.items():
            if k in members:
                _strict(members[k], v, f"{path}.{k}" if path else k, out)
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} items, at most {meta['max']} allowed")
        for i, v in enumerate(value):
            _strict(shape.member, v, f"{path}[{i}]", out)
    elif shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} characters, at most {meta['max']} allowed")
        if shape.enum and value not in shape.enum:
            out.append(f"{path}: {value!r} is not one of {', '.join(shape.enum)}")
        pattern = meta.get("pattern")
        if pattern and value:
            try:
                ok = re.fullmatch(pattern, value, re.DOTALL) is not None
            except re.error:  # a Java-only construct: leave it to the server
                ok = True
            if not ok:
                out.append(f"{path}: {value!r} does not match {pattern}")
    elif (shape.type_name in ("integer", "long") and isinstance(value, int)
          and "max" in meta and value > meta["max"]):
        out.append(f"{path}: {value} is above the maximum {meta['max']}")


def model_problems(api: str, params: Mapping[str, Any], service: str = "events") -> list[str]:
    """botocore's validation, then the model's max/pattern/enum constraints."""
    shape = service_model(service).operation_model(_op_name(api)).input_shape
    report = ParamValidator().validate(dict(params), shape)
    out = [line.strip() for line in report.generate_report().splitlines()
           if line.strip()] if report.has_errors() else []
    _strict(shape, params, "", out)
    return out


def _tags_problems(tags: Iterable[Mapping[str, str]], out: list[str]) -> None:
    tags = list(tags)
    if len(tags) > MAX_TAGS:
        out.append(f"Tags: {len(tags)} tags, at most {MAX_TAGS} per rule")
    for t in tags:
        key, value = str(t.get("Key", "")), str(t.get("Value", ""))
        if key.lower().startswith("aws:"):
            out.append(f"Tags: {key!r}: the aws: prefix is reserved (in any case)")
        for what, text in (("key", key), ("value", value)):
            why = tag_text_problem(text)
            if why is not None:
                out.append(f"Tags: {key!r}: the tag {what} {why}")


def _ecs_problems(ecs: Mapping[str, Any], path: str, out: list[str]) -> None:
    cps = ecs.get("CapacityProviderStrategy") or []
    fargate = ecs.get("LaunchType") == "FARGATE" or (
        "LaunchType" not in ecs and bool(cps)
        and all(c.get("capacityProvider") in FARGATE_PROVIDERS for c in cps))
    if "LaunchType" in ecs and cps:
        out.append(f"{path}: LaunchType and CapacityProviderStrategy together (one or the other)")
    vpc = (ecs.get("NetworkConfiguration") or {}).get("awsvpcConfiguration") or {}
    if vpc.get("AssignPublicIp") == "ENABLED" and not fargate:
        out.append(f"{path}.NetworkConfiguration: AssignPublicIp ENABLED only with "
                   "LaunchType FARGATE")
    if len(vpc.get("Subnets") or []) > MAX_SUBNETS:
        out.append(f"{path}.NetworkConfiguration: more than {MAX_SUBNETS} subnets")
    if len(vpc.get("SecurityGroups") or []) > MAX_SECURITY_GROUPS:
        out.append(f"{path}.NetworkConfiguration: more than {MAX_SECURITY_GROUPS} "
                   "security groups")
    if ecs.get("LaunchType") == "FARGATE" and not vpc:
        out.append(f"{path}: NetworkConfiguration is required with LaunchType FARGATE")
    if "PlatformVersion" in ecs and not fargate:
        out.append(f"{path}: PlatformVersion only for tasks on Fargate")
    if sum(1 for c in cps if (c.get("base") or 0) > 0) > 1:
        out.append(f"{path}.CapacityProviderStrategy: more than one provider with a base")
    if cps and all((c.get("weight") or 0) == 0 for c in cps):
        out.append(f"{path}.CapacityProviderStrategy: every weight is 0")
    if any("base" in c and c["base"] == 0 for c in cps):
        out.append(f"{path}.CapacityProviderStrategy: base 0 is sent (omit it: 0 is no base)")


def _target_problems(t: Mapping[str, Any], path: str, region: str | None,
                     out: list[str]) -> None:
    text = t.get("Input")
    if isinstance(text, str):
        if len(text.encode()) > MAX_INPUT_BYTES:
            out.append(f"{path}.Input: {len(text.encode())} bytes, at most {MAX_INPUT_BYTES}")
        try:
            json.loads(text)
        except ValueError:
            out.append(f"{path}.Input: not valid JSON")
    ecs = t.get("EcsParameters")
    if isinstance(ecs, Mapping):
        _ecs_problems(ecs, f"{path}.EcsParameters", out)
    dlq = (t.get("DeadLetterConfig") or {}).get("Arn")
    if dlq is not None:
        m = _SQS.fullmatch(str(dlq))
        if m is None:
            out.append(f"{path}.DeadLetterConfig.Arn: {dlq!r} is not an SQS queue ARN")
        elif m["name"].endswith(".fifo"):
            out.append(f"{path}.DeadLetterConfig.Arn: a FIFO queue (standard queues only)")
        elif region is not None and m["region"] != region:
            out.append(f"{path}.DeadLetterConfig.Arn: in {m['region']}, the rule in {region}")


def body_problems(api: str, params: Mapping[str, Any], region: str | None = None) -> list[str]:
    """The references' rules the model does not encode (see the module docstring)."""
    out: list[str] = []
    if api in ("put_rule", "tag_resource"):
        _tags_problems(params.get("Tags") or [], out)
    if api == "put_targets":
        targets: Sequence[Mapping[str, Any]] = params.get("Targets") or []
        if len(targets) > MAX_TARGETS:
            out.append(f"Targets: {len(targets)} targets, at most {MAX_TARGETS} per rule")
        for i, t in enumerate(targets):
            _target_problems(t, f"Targets[{i}]", region, out)
    return out


def request_problems(api: str, params: Mapping[str, Any], region: str | None = None,
                     service: str = "events") -> list[str]:
    """`service`'s model for every body; the references' prose rules for EventBridge's (an
    SNS body, the alert topic's or a subscription's, is checked against the SNS model)."""
    if service != "events":
        return model_problems(api, params, service)
    return model_problems(api, params) + body_problems(api, params, region)

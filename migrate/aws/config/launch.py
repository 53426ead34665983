"""How the rules' tasks are launched: launch type or capacity provider strategy, platform
version, and the awsvpc network (subnets, security groups, public IP)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrate.aws.config.model import LAUNCH_TYPES, CapacityProvider
from migrate.aws.config.reader import Reader


@dataclass(frozen=True, slots=True)
class Launch:
    launch_type: str | None
    capacity_provider_strategy: tuple[CapacityProvider, ...]
    platform_version: str | None
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...]
    assign_public_ip: bool


def _strategy(raw: Any, r: Reader) -> tuple[CapacityProvider, ...]:
    key = r.key("capacity_provider_strategy")
    if not isinstance(raw, list) or not raw:
        raise r.error(key, "a non-empty list of {capacity_provider, weight, base}", raw)
    out: list[CapacityProvider] = []
    for i, item in enumerate(raw):
        ik = f"{key}[{i}]"
        if isinstance(item, Mapping) and "capacityProvider" in item:  # the API's spelling
            item = {("capacity_provider" if k == "capacityProvider" else k): v
                    for k, v in item.items()}
        if not isinstance(item, Mapping) or not isinstance(item.get("capacity_provider"), str):
            raise r.error(ik, "a mapping with capacity_provider (string)", item)
        extra = set(item) - {"capacity_provider", "weight", "base"}
        if extra:
            raise r.error(f"{ik}.{sorted(extra)[0]}", "capacity_provider, weight or base",
                          sorted(extra)[0])
        out.append(CapacityProvider(
            item["capacity_provider"],
            r.int_(item.get("weight", 1), f"{ik}.weight", 0, 1000),
            r.int_(item.get("base", 0), f"{ik}.base", 0, 100000),
        ))
    return tuple(out)


def read_launch(d: Mapping[str, Any], r: Reader) -> Launch:
    launch_type = r.str_(d, "launch_type")
    cps_raw = d.get("capacity_provider_strategy")
    cps: tuple[CapacityProvider, ...] = ()
    if cps_raw is not None:
        if launch_type is not None:
            raise r.error(r.key("capacity_provider_strategy"),
                          "either launch_type or capacity_provider_strategy, not both",
                          got=False)
        cps = _strategy(cps_raw, r)
    elif launch_type is None:
        launch_type = "FARGATE"
    if launch_type is not None and launch_type not in LAUNCH_TYPES:
        raise r.error(r.key("launch_type"), "one of " + ", ".join(LAUNCH_TYPES), launch_type)

    platform_version = r.str_(d, "platform_version")
    if platform_version is not None and launch_type not in ("FARGATE", None):
        raise r.error(r.key("platform_version"),
                      "platform_version only with launch_type FARGATE or capacity providers",
                      got=False)
    subnets = r.strs(d, "subnets", "subnet ids")
    if launch_type == "FARGATE" and not subnets:
        raise r.error(r.key("subnets"),
                      "a non-empty list of subnet ids (Fargate tasks need awsvpc networking)",
                      d.get("subnets"), got="subnets" in d)
    public_ip = d.get("assign_public_ip", False)
    if not isinstance(public_ip, bool):
        raise r.error(r.key("assign_public_ip"), "true or false", public_ip)
    return Launch(
        launch_type=launch_type,
        capacity_provider_strategy=cps,
        platform_version=platform_version,
        subnets=subnets,
        security_groups=r.strs(d, "security_groups", "security group ids"),
        assign_public_ip=public_ip,
    )

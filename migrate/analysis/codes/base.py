"""The finding-code registry's types: `Code` (one stable code, declared once) and `CODES`.

A finding is built only through its `Code` (`codes.REBOOT.finding(message, evidence)`), so
every code a scan can report is a value here, with its default severity, a one-line summary,
what it means for AWS, the advice, and the flags the pipeline reads:

- `explains_inexact`: the finding explains why verification found a difference, so the scan
  adds no `not-exact` of its own;
- `unknown_instants`: the legacy instants are not known (random), so the job is never exact;
- `blocks_deploy`: `migrate apply` does not deploy a job carrying it as is (no rule can be
  made, or a reviewer must act first); see the README's table.

Family modules (`risk.py`, `crontab.py`, ...) call `declare`; declaring a code twice raises
at import. This module imports only `migrate.model`, so every layer may import the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from migrate.model import SEVERITIES, Finding, Severity


@dataclass(frozen=True, slots=True)
class Family:
    """Where a group of codes comes from. `about`: what the report's "about" column says for
    each of its codes; None: each code's own summary (the migration risks)."""

    name: str
    title: str  # for the README's family column
    about: str | None = None


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity  # the default; a call site may pass another for one finding
    summary: str  # one line, for the report's "about" column and the README
    aws: str  # what it means for AWS
    recommendation: str = ""  # the advice every finding carries unless its call site says
    explains_inexact: bool = False
    unknown_instants: bool = False
    blocks_deploy: bool = False
    family: Family | None = None

    def finding(
        self,
        message: str,
        evidence: str = "",
        *,
        severity: Severity | None = None,
        recommendation: str | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity if severity is None else severity,
            message=message,
            evidence=evidence,
            recommendation=self.recommendation if recommendation is None else recommendation,
        )

    @property
    def about(self) -> str:
        """The report's "about" column for this code."""
        if self.family is not None and self.family.about is not None:
            return self.family.about
        return self.summary


_CODES: dict[str, Code] = {}
CODES: Mapping[str, Code] = MappingProxyType(_CODES)  # every code, in declaration order


def declare(
    family: Family,
    code: str,
    severity: Severity,
    summary: str,
    aws: str,
    recommendation: str = "",
    *,
    explains_inexact: bool = False,
    unknown_instants: bool = False,
    blocks_deploy: bool = False,
) -> Code:
    """Register one code; a code declared twice is a bug and raises at import."""
    if code in _CODES:
        raise ValueError(f"finding code {code!r} is declared twice")
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity {severity!r} is not one of {SEVERITIES}")
    if "\n" in summary:
        raise ValueError(f"{code}: the summary must be one line")
    value = Code(code, severity, summary, aws, recommendation, explains_inexact,
                 unknown_instants, blocks_deploy, family)
    _CODES[code] = value
    return value


def restore(code: str, severity: Severity, message: str, evidence: str = "",
            recommendation: str = "") -> Finding:
    """A finding read back from a catalog a reviewer may have edited: kept as written (its
    code need not be one we declare, e.g. from a newer version of migrate)."""
    return Finding(code, severity, message, evidence, recommendation)

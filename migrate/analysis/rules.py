"""The migration-risk families and the severity threshold.

Each rule module's code is declared in the finding-code registry
(`migrate.analysis.codes.risk`), so the report, the README table and the tests read the same
words. A module may lower or raise the severity of one finding (e.g. a loopback `fixed-ip`
is only `info`), but the code and the recommendation are fixed per family.
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate.analysis.codes import RISKS, Code
from migrate.model import SEVERITIES, Finding, Severity

RULES: tuple[Code, ...] = RISKS
RULES_BY_CODE: dict[str, Code] = {r.code: r for r in RULES}

_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """0 info, 1 warning, 2 error."""
    return _RANK[severity]


def reaches(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """True when any finding is at least as severe as `fail_on` (`--fail-on`); None: never."""
    if fail_on is None:
        return False
    limit = _RANK[fail_on]
    return any(_RANK[f.severity] >= limit for f in findings)

"""Prints the agreement rates with the real whenever at the end of the run."""

from __future__ import annotations

from typing import Any

AGREEMENT: dict[str, list[tuple[str, str]]] = {}  # suite -> [(name, verdict)]


def record(suite: str, name: str, verdict: str) -> None:
    AGREEMENT.setdefault(suite, []).append((name, verdict))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not AGREEMENT:
        return
    terminalreporter.section("agreement with the real whenever")
    for suite, rows in AGREEMENT.items():
        evaluable = [r for r in rows if not r[1].startswith("not evaluable")]
        agree = [r for r in evaluable if r[1].startswith("agree")]
        both_fail = [r for r in agree if "both fail" in r[1]]
        terminalreporter.write_line(
            f"{suite}: {len(agree)}/{len(evaluable)} agree ({len(both_fail)} of them: whenever "
            f"raises and so do we); {len(rows) - len(evaluable)} not evaluable"
        )
        for name, verdict in rows:
            if verdict != "agree" and not (suite.startswith("generated") and "both" in verdict):
                terminalreporter.write_line(f"  {name}: {verdict}")

"""Migration risks: one small rule module per finding family, all pure functions of `Job`s.

`analyse(jobs, AnalysisOptions(horizon=...))` runs them all; `rules.RULES` lists the codes;
`secrets.redact_job` / `secrets.redact_text` are what every emitter applies.
"""

from migrate.analysis.rules import RULES, RULES_BY_CODE, Rule, reaches
from migrate.analysis.runner import Analysis, AnalysisOptions, analyse
from migrate.analysis.secrets import redact_job, redact_text

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "Analysis",
    "AnalysisOptions",
    "Rule",
    "analyse",
    "reaches",
    "redact_job",
    "redact_text",
]

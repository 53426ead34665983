"""Migration risks: one small rule module per finding family, all pure functions of `Job`s.

`runner.analyse(jobs, AnalysisOptions(horizon=...))` runs them all; `codes` is the registry
of every finding code (the risks' codes are `codes.RISKS`); `secrets.redact_job` /
`secrets.redact_text` are what every emitter applies.

This package's init imports nothing: sources and `schedule/` import the registry
(`migrate.analysis.codes`, which imports only `migrate.model`) without loading the analyses.
"""

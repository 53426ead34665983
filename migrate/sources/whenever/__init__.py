"""Ruby whenever `schedule.rb` files, read statically (never run) exactly as whenever 1.0.0
schedules them.

Layers, values in the middle:

* `ruby`, `literals`, `expressions`, `control`, `calls`, `builtins`, `enumerables`,
  `operators`, `values`: tree-sitter-ruby parse + an evaluator of the literal Ruby subset
  schedule files use (unknowns become `Unknown` values and notes with their line);
* `dsl`, `job`: whenever's `JobList`/`Job` (set, env, every, job_type, templates, output);
* `chronic/`: a port of chronic 0.10.5, which whenever uses to read `at:` strings;
* `cron_output`, `crontab_text`, `emulate`: whenever's crontab text, byte for byte;
* `reader`: catalog jobs via the crontab reader, `container`: the ECS argv, `findings`,
  `dedup`: one job for a schedule.rb job and the crontab line whenever installed for it.

Public entry points: `parse_schedule` (pure), `read_schedule` / `WHENEVER` (registry),
`emulate` (whenever -f), `merge_whenever_duplicates`.
"""

from migrate.sources.whenever.dedup import merge_whenever_duplicates
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.emulate import emulate, parse_set
from migrate.sources.whenever.reader import WHENEVER, WheneverOptions, parse_schedule

__all__ = [
    "WHENEVER",
    "AppFacts",
    "WheneverOptions",
    "emulate",
    "merge_whenever_duplicates",
    "parse_schedule",
    "parse_set",
]

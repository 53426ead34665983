"""Application patches: a whenever job cut over in the crontab must also go from
`config/schedule.rb`, or the next `whenever --update-crontab` writes its line back.

The job's DSL call (`runner 'X'`, `rake 'y'`, `command '...'`, or a custom job type) is
found with tree-sitter (the grammar the whenever reader parses with; schedule.rb is never
run): the outermost `call` starting on the job's line. Every line of its byte range is
commented out with the same marker as a crontab line (by row: `end` repeats), and whenever
then schedules nothing for it (an `every` block left empty produces no crontab line). The
patch is written for the application's repository (`patches/<n>-schedule.rb.patch`,
`git apply`-able, and its `.reverse.patch` for a rollback); `migrate` never changes the
application. Pure apart from reading the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import tree_sitter_ruby
from tree_sitter import Language, Node, Parser

from migrate.cutover.edits import CutoverError, marker

_PARSER = Parser(Language(tree_sitter_ruby.language()))


@dataclass(frozen=True, slots=True)
class AppLine:
    path: str  # schedule.rb as scanned
    line: int  # 1-based line of the job's DSL call (or Python schedule entry)
    job_id: str
    kind: str = "whenever"  # the source kind: whenever, celery, django-crontab, apscheduler


@dataclass(frozen=True, slots=True)
class Patch:
    path: str
    old: str
    new: str  # after this run (cut over, or rolled back)

    def reverse(self) -> Patch:
        return Patch(self.path, self.new, self.old)

    def diff(self) -> str:
        name = self.path.lstrip("/")
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True),
                                            self.new.splitlines(keepends=True),
                                            f"a/{name}", f"b/{name}"))


def _call_rows(source: bytes, line: int) -> tuple[int, int] | None:
    """(first, last) 0-based rows of the outermost job call starting on `line` (`every`
    itself is the schedule, not a job)."""
    row = line - 1
    stack: list[Node] = [_PARSER.parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.start_point[0] > row or node.end_point[0] < row:
            continue
        method = node.child_by_field_name("method")
        if (node.type == "call" and node.start_point[0] == row and method is not None
                and method.text != b"every"):
            return node.start_point[0], node.end_point[0]
        stack.extend(reversed(node.children))
    return None


def _commented(path: str, text: str, lines: Sequence[AppLine], env: str, day: date) -> str:
    """Every non-blank row of each job call, prefixed with the marker (by row number: a
    schedule.rb repeats lines such as `end`)."""
    rows = text.split("\n")
    for a in lines:
        found = _call_rows(text.encode("utf-8", "surrogateescape"), a.line)
        if found is None:
            raise CutoverError(f"{path}:{a.line}: no whenever job call on this line (the "
                               f"file changed since the scan?); {a.job_id} cannot be patched")
        for r in range(found[0], found[1] + 1):
            if rows[r].strip() and not rows[r].startswith("#migrated("):
                rows[r] = marker(env, a.job_id, day) + rows[r]
    return "\n".join(rows)


def patch(path: str, lines: Sequence[AppLine], env: str, day: date) -> Patch:
    """The cut-over patch of one schedule.rb (`Patch.reverse()` undoes it)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            text = f.read()
    except OSError as exc:
        raise CutoverError(f"{path}: cannot read: {exc.strerror}") from None
    return Patch(path, text, _commented(path, text, lines, env, day))

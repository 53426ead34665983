"""Application patches for Python schedules (Celery beat, django-crontab, APScheduler).

Such a job has no crontab line on a host: the scheduler process reads the module, so the
patch of the module IS the legacy-side edit, shipped and deployed with the application in
the cut-over window. The module is parsed with libcst (the parser the Python readers use; it
is never imported or run) and exactly the job's entry is *removed* (not commented out:
removing a node keeps every module valid Python, where commenting out the lines of a dict
entry or a call sharing lines with its neighbours would not):

- a `beat_schedule` / `CELERY_BEAT_SCHEDULE` dict entry, a `CRONJOBS` list element: the
  outermost dict or list element starting on the job's line;
- an `add_periodic_task(...)` / `add_job(...)` / `CRONJOBS.append(...)` call statement
  starting on the job's line (a block left empty gets `pass`);
- a `CELERY_BEAT_SCHEDULE["name"] = {...}` statement starting on the job's line;
- the `@scheduled_job` / `@periodic_task` decorator of the function defined on the job's
  line, or on the job's line itself (the function stays, no longer scheduled).

Every other byte is left as it was (libcst round-trips the rest). Pure apart from reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from migrate.cutover.edits import CutoverError
from migrate.cutover.patches import AppLine, Patch

_CALLS = ("add_periodic_task", "add_job", "append")  # CRONJOBS.append((...))
_DECORATORS = ("scheduled_job", "periodic_task")


def _name(node: cst.BaseExpression) -> str:
    """Last name of `a.b.c` or of a call's function (`x.add_job(...)` -> add_job)."""
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else ""


class _Finder(cst.BatchableCSTVisitor):
    """The node to remove for each wanted line: the outermost candidate starting there."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, lines: set[int]) -> None:
        super().__init__()
        self.lines = lines
        self.found: dict[int, cst.CSTNode] = {}

    def _take(self, node: cst.CSTNode) -> None:
        line = self.get_metadata(PositionProvider, node).start.line
        if line in self.lines and line not in self.found:
            self.found[line] = node

    def visit_Decorator(self, node: cst.Decorator) -> None:
        if _name(node.decorator) in _DECORATORS:
            self._take(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # the readers put a decorated job on its `def` line (the decorator is above it)
        line = self.get_metadata(PositionProvider, node.name).start.line
        marks = [d for d in node.decorators if _name(d.decorator) in _DECORATORS]
        if line in self.lines and line not in self.found and len(marks) == 1:
            self.found[line] = marks[0]

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        one = node.body[0] if len(node.body) == 1 else None
        if ((isinstance(one, cst.Expr) and _name(one.value) in _CALLS)
                or (isinstance(one, cst.Assign) and len(one.targets) == 1
                    and isinstance(one.targets[0].target, cst.Subscript))):
            self._take(node)  # `add_job(...)`, or `CELERY_BEAT_SCHEDULE["name"] = {...}`

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._take(node)

    def visit_Element(self, node: cst.Element) -> None:
        # an entry is a tuple/list/dict/call; a string inside one is not the entry
        if isinstance(node.value, (cst.Tuple, cst.List, cst.Dict, cst.Call)):
            self._take(node)


class _Remover(cst.CSTTransformer):
    def __init__(self, targets: set[cst.CSTNode]) -> None:
        super().__init__()
        self.targets = targets

    def _gone(self, node: cst.CSTNode) -> bool:
        return node in self.targets

    def leave_DictElement(self, original_node: cst.DictElement, updated_node: cst.DictElement
                          ) -> cst.DictElement | cst.RemovalSentinel:
        return cst.RemoveFromParent() if self._gone(original_node) else updated_node

    def leave_Element(self, original_node: cst.Element, updated_node: cst.Element
                      ) -> cst.Element | cst.RemovalSentinel:
        return cst.RemoveFromParent() if self._gone(original_node) else updated_node

    def leave_Decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator
                        ) -> cst.Decorator | cst.RemovalSentinel:
        return cst.RemoveFromParent() if self._gone(original_node) else updated_node

    def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine,
            updated_node: cst.SimpleStatementLine) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        return cst.RemoveFromParent() if self._gone(original_node) else updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        if updated_node.body:
            return updated_node
        return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])


def removed(path: str, text: str, lines: Sequence[AppLine]) -> str:
    """`text` without the entries of `lines` (CutoverError naming path:line if one is not
    found: the file changed since the scan)."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise CutoverError(f"{path}:{exc.raw_line}: not valid Python: {exc.message}") from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _Finder({a.line for a in lines})
    wrapper.visit_batched([finder])
    for a in lines:
        if a.line not in finder.found:
            raise CutoverError(
                f"{path}:{a.line}: no schedule entry (dict entry, list element, "
                f"add_periodic_task/add_job call, @scheduled_job/@periodic_task) starts on "
                f"this line (the file changed since the scan?); {a.job_id} cannot be patched")
    return module.visit(_Remover(set(finder.found.values()))).code


def python_patch(path: str, lines: Sequence[AppLine], env: str, day: date) -> Patch:
    """The cut-over patch of one Python schedule module (`Patch.reverse()` undoes it).
    `env` and `day` are not written into the module (the entry is removed, so there is no
    marker); they name the run in the patch file's name and the report."""
    del env, day
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            text = f.read()
    except OSError as exc:
        raise CutoverError(f"{path}: cannot read: {exc.strerror}") from None
    return Patch(path, text, removed(path, text, lines))

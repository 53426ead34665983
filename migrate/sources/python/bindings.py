"""The simple statements of a static walk (see `walker`): imports, assignments to names,
attributes and items, in-place changes (`X.update(...)`, `X.append(...)`, `X += ...`) of the
containers bound earlier, and call statements, each recorded as a `CallSite`.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from migrate.sources.python.evaluate import Evaluator
from migrate.sources.python.module import CallSite, Context, Walk
from migrate.sources.python.values import (
    Call,
    Dict,
    Entry,
    Ref,
    Scope,
    Seq,
    Unresolved,
    dotted_name,
    plain,
    try_plain,
    unknown_ref,
)

MUTATORS = {"update": "dict", "setdefault": "dict", "append": "list", "extend": "list",
            "insert": "list"}


class Bindings:
    """The simple statements of a walk: imports, assignments, in-place changes of containers
    and call statements. `walker._Walker` adds the compound statements around them."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.ev = evaluator
        self.result = Walk(evaluator, Scope())
        self.classes: set[str] = set()  # classes of the module (`config_from_object`)

    def small(self, node: cst.BaseSmallStatement, scope: Scope, ctx: Context) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = _module_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.ev.imports[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    self.ev.imports[head] = head
        elif isinstance(node, cst.ImportFrom):
            self.import_from(node)
        elif isinstance(node, cst.Assign):
            value = self.value(node.value, scope, ctx)
            for target in node.targets:
                self.bind_target(target.target, value, scope, ctx)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            self.bind_target(node.target, self.value(node.value, scope, ctx), scope, ctx)
        elif isinstance(node, cst.AugAssign):
            self.aug_assign(node, scope, ctx)
        elif isinstance(node, cst.Expr):
            expr = node.value
            if isinstance(expr, cst.Await):
                expr = expr.expression
            if isinstance(expr, cst.Call):
                self.call_statement(expr, scope, ctx)

    def import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        base = "." * len(node.relative)
        if node.module is not None:
            base += _module_name(node.module)
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            joined = f"{base}.{name}" if base and not base.endswith(".") else base + name
            self.ev.imports[local] = joined

    def value(self, node: cst.BaseExpression, scope: Scope, ctx: Context) -> Any:
        """Evaluate the right-hand side of an assignment, recording it if it is a call."""
        if isinstance(node, cst.Await):
            node = node.expression
        if isinstance(node, cst.Call):
            value = self.ev.eval(node, scope)
            self.record(node, value if isinstance(value, Call) else self.ev.call_value(node,
                                                                                       scope),
                        scope, ctx)
            return value
        return self.ev.eval(node, scope)

    def bind_target(self, target: cst.BaseExpression, value: Any, scope: Scope,
                    ctx: Context) -> None:
        note = ctx.note()
        if note and isinstance(value, Dict):
            for entry in value.entries:
                entry.note = entry.note or note
        if isinstance(target, cst.Name | cst.Attribute):
            dotted = dotted_name(target)
            if dotted is not None:
                self.owner_scope(dotted, scope).bind(dotted, value)
                self.result.bound_at[dotted] = self.ev.line(target)
        elif isinstance(target, cst.Subscript):
            self.set_item(target, value, scope, ctx)
        elif isinstance(target, cst.Tuple | cst.List):
            names = [e.value for e in target.elements]
            if isinstance(value, Seq) and not value.missing and len(value.items) == len(
                names
            ) and not any(isinstance(e, cst.StarredElement) for e in target.elements):
                for name, item in zip(names, value.items, strict=True):
                    self.bind_target(name, item.value, scope, ctx)
            else:
                for name in names:
                    self.bind_target(name, Unresolved(
                        "unpacked from a value this reader cannot split",
                        self.ev.line(target), self.ev.code(target)), scope, ctx)

    def owner_scope(self, dotted: str, scope: Scope) -> Scope:
        """Where a binding lives: a plain name in the current scope; `a.b.c` (an attribute
        set on an object) in the scope that binds `a`, the module's when `a` is global."""
        if "." not in dotted:
            return scope
        root = dotted.split(".")[0]
        current: Scope | None = scope
        while current is not None and current is not self.result.scope:
            if root in current.bindings:
                return current
            current = current.parent
        return self.result.scope

    def container(self, node: cst.BaseExpression, scope: Scope, kind: str) -> Any:
        """The container an in-place change applies to. A name bound nowhere in this file
        (`from .base import *`, then `CRONJOBS += [...]`) becomes a new container that
        records the unknown part, so the entries added here are still read."""
        value = self.ev.eval(node, scope)
        dotted = dotted_name(node)
        if not isinstance(value, Ref) or dotted is None:
            return value
        missing = [unknown_ref(value)]
        line, code = self.ev.line(node), self.ev.code(node)
        fresh: Any = Dict([], line, code, missing) if kind == "dict" else Seq(
            "list", [], line, code, missing)
        self.owner_scope(dotted, scope).bind(dotted, fresh)
        self.result.bound_at.setdefault(dotted, line)
        return fresh

    def set_item(self, target: cst.Subscript, value: Any, scope: Scope, ctx: Context) -> None:
        container = self.container(target.value, scope, "dict")
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return
        key_node = target.slice[0].slice.value
        key = self.ev.eval(key_node, scope)
        if isinstance(container, Dict):
            container.put(Entry(key, value, self.ev.line(key_node), self.ev.code(target),
                                ctx.note()))

    def aug_assign(self, node: cst.AugAssign, scope: Scope, ctx: Context) -> None:
        addition = self.ev.eval(node.value, scope)
        if isinstance(addition, Dict | Seq):
            kind = "dict" if isinstance(addition, Dict) else "list"
            current = self.container(node.target, scope, kind)
        else:
            current = self.ev.eval(node.target, scope)
        op = node.operator
        if isinstance(current, Dict) and isinstance(op, cst.BitOrAssign) and isinstance(
            addition, Dict
        ):
            self.merge(current, addition, ctx)
            return
        if isinstance(current, Seq) and isinstance(op, cst.AddAssign) and isinstance(
            addition, Seq
        ):
            current.items.extend(addition.items)
            current.missing.extend(addition.missing)
            return
        binary = {
            cst.AddAssign: cst.Add(), cst.SubtractAssign: cst.Subtract(),
            cst.MultiplyAssign: cst.Multiply(), cst.DivideAssign: cst.Divide(),
            cst.FloorDivideAssign: cst.FloorDivide(), cst.ModuloAssign: cst.Modulo(),
        }.get(type(op))
        if binary is None or not isinstance(node.target, cst.Name | cst.Attribute):
            result: Any = self.ev.unresolved(node, "an augmented assignment this reader "
                                                   "does not follow")
        else:
            result = self.ev.eval(cst.BinaryOperation(node.target, binary, node.value), scope)
            if isinstance(result, Unresolved) and result.line == 0:
                result = self.ev.unresolved(node, result.reason)
        self.bind_target(node.target, result, scope, ctx)

    def merge(self, into: Dict, addition: Dict, ctx: Context) -> None:
        for entry in addition.copy().entries:
            entry.note = entry.note or ctx.note()
            into.put(entry)
        into.missing.extend(addition.missing)

    def call_statement(self, node: cst.Call, scope: Scope, ctx: Context) -> None:
        call = self.ev.call_value(node, scope)
        self.record(node, call, scope, ctx)
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        owner_path = dotted_name(node.func.value)
        kind = MUTATORS.get(method)
        if kind is not None and owner_path is not None and not owner_path.endswith("conf"):
            owner = self.container(node.func.value, scope, kind)
        else:
            owner = self.ev.eval(node.func.value, scope)
        if isinstance(owner, Dict):
            self.mutate_dict(owner, method, call, ctx)
        elif isinstance(owner, Seq) and owner.kind == "list":
            if method == "append" and len(call.args) == 1:
                owner.items.append(call.args[0])
            elif method == "extend" and len(call.args) == 1:
                extra = call.args[0].value
                if isinstance(extra, Seq):
                    owner.items.extend(extra.items)
                    owner.missing.extend(extra.missing)
                else:
                    owner.missing.append(_unknown(extra, call))
            elif method == "insert" and len(call.args) == 2:
                index, missing = try_plain(call.args[0].value)
                if missing is None and isinstance(index, int):
                    owner.items.insert(index, call.args[1])
        if method == "config_from_object" and owner_path is not None and call.args:
            self.config_class(owner_path, node, scope)
        if method == "update" and owner_path is not None and owner_path.endswith("conf") \
                and not isinstance(owner, Dict):
            # Celery's `app.conf.update(timezone=..., beat_schedule=...)`.
            for key, item in call.kwargs.items():
                scope.bind(f"{owner_path}.{key}", item.value)
                self.result.bound_at[f"{owner_path}.{key}"] = item.line
            for arg in call.args:
                if isinstance(arg.value, Dict):
                    for entry in arg.value.entries:
                        if isinstance(entry.key, str):
                            scope.bind(f"{owner_path}.{entry.key}", entry.value)
                            self.result.bound_at[f"{owner_path}.{entry.key}"] = entry.line

    def config_class(self, app: str, node: cst.Call, scope: Scope) -> None:
        """`app.config_from_object(Config)` with a class of this file: its attributes are
        the app's settings (`app.conf.beat_schedule` is `Config.beat_schedule`)."""
        target = dotted_name(node.args[0].value)
        if target is None or target not in self.classes:
            return
        prefix = f"{target}."
        for name, value in list(self.result.scope.names()):
            if name.startswith(prefix) and "." not in name[len(prefix):]:
                setting = f"{app}.conf.{name[len(prefix):]}"
                self.owner_scope(setting, scope).bind(setting, value)
                self.result.bound_at[setting] = self.result.bound_at.get(name, 0)

    def mutate_dict(self, owner: Dict, method: str, call: Call, ctx: Context) -> None:
        if method == "update":
            for arg in call.args:
                if isinstance(arg.value, Dict):
                    self.merge(owner, arg.value, ctx)
                else:
                    owner.missing.append(_unknown(arg.value, call))
            for key, item in call.kwargs.items():
                owner.put(Entry(key, item.value, item.line, item.code, ctx.note()))
            owner.missing.extend(call.missing)
        elif method == "setdefault" and len(call.args) == 2:
            key = call.args[0].value
            if owner.find(key) is None:
                owner.put(Entry(key, call.args[1].value, call.args[0].line, call.code,
                                ctx.note()))

    def record(self, node: cst.Call, call: Call, scope: Scope, ctx: Context) -> None:
        receiver = None
        if isinstance(node.func, cst.Attribute):
            receiver = dotted_name(node.func.value)
        self.result.calls.append(CallSite(node, call, receiver, call.name, scope, ctx))


def _unknown(value: Any, call: Call) -> Unresolved:
    try:
        plain(value)
    except Exception as exc:  # NotPlain
        unresolved = getattr(exc, "unresolved", None)
        if isinstance(unresolved, Unresolved):
            return unresolved
    return Unresolved("not a dict this reader can read", call.line, call.code)


def _module_name(node: cst.BaseExpression) -> str:
    dotted = dotted_name(node)
    return dotted if dotted is not None else ""

"""A small evaluator for the Ruby that `schedule.rb` files are written in. Never runs Ruby.

tree-sitter-ruby parses the file; `Interpreter` walks the tree and evaluates the literal
subset whenever schedules use: strings with interpolation, symbols, numbers, arrays,
hashes, ranges, local variables, constants, `def` helpers, `if`/`unless`/`case`/ternaries,
iteration over known arrays and hashes. Calls without a receiver go to the whenever DSL
(`Host`). What it cannot know becomes an `Unknown` value; what it cannot follow becomes a
`Note` with its line. A condition it cannot decide runs both branches, each under that
condition (`conditions`), so no `every` block is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import tree_sitter_ruby
from tree_sitter import Language, Node, Parser

from migrate.analysis import codes
from migrate.analysis.codes import Code
from migrate.model import Severity
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.values import (
    RHash,
    RProc,
    RRange,
    Sym,
    Unknown,
    Value,
    to_s,
    truthy,
)

_PARSER = Parser(Language(tree_sitter_ruby.language()))


class NotHandled:
    pass


NOT_HANDLED = NotHandled()


@dataclass(frozen=True, slots=True)
class Note:
    line: int
    code: str
    severity: Severity
    message: str


@dataclass(slots=True)
class EvalContext:
    """What the schedule can see of the world whenever runs in (passed in, never read)."""

    file_label: str  # __FILE__ as whenever sees it (the -f argument)
    app_root: str  # Dir.pwd when whenever runs (the directory above config/)
    env: dict[str, str] | None = None  # ENV, when known exactly; None: not known
    rails_env: str | None = None  # Rails.env when known


class Host(Protocol):
    def dsl_call(
        self, name: str, args: list[Value], block: Block | None, node: Node
    ) -> Value | NotHandled: ...

    def get_ivar(self, name: str) -> Value | NotHandled: ...

    def set_ivar(self, name: str, value: Value) -> None: ...

    def method_missing(self, name: str) -> Value | NotHandled: ...


class Signal(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, value: Value) -> None:
        super().__init__()
        self.value = value


class NextSignal(Signal):
    pass


class BreakSignal(Signal):
    pass


class ReturnSignal(Signal):
    pass


class Scope:
    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.vars: dict[str, Value] = {}

    def find(self, name: str) -> Scope | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        return None

    def assign(self, name: str, value: Value) -> None:
        (self.find(name) or self).vars[name] = value


@dataclass(eq=False)
class Block:
    """A Ruby block (`do |x| ... end`) bound to the scope it was written in."""

    interp: Interpreter
    params: Node | None
    body: Node | None
    scope: Scope
    line: int

    def call(self, *args: Value) -> Value:
        scope = Scope(self.scope)
        names = self.interp.bind_params(self.params, list(args), scope)
        del names
        if self.body is None:
            return None
        saved = self.interp.scope
        self.interp.scope = scope
        try:
            return self.interp.eval_body(self.body)
        except NextSignal as sig:
            return sig.value
        finally:
            self.interp.scope = saved


@dataclass
class UserMethod:
    params: Node | None
    body: Node | None


_STATEMENT_CONTAINERS = {
    "program",
    "body_statement",
    "block_body",
    "then",
    "else",
    "do",
    "begin_block",
    "end_block",
    "parenthesized_statements",
    "ensure",
}
_SKIP = {"comment", "heredoc_body", "empty_statement", "uninterpreted", "__END__"}


@dataclass
class Interpreter:
    source: str
    context: EvalContext
    host: Host
    notes: list[Note] = field(default_factory=list)
    fatal: list[Note] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    stdout: list[str | None] = field(default_factory=list)  # what puts/print/p write; None: unknown
    methods: dict[str, UserMethod] = field(default_factory=dict)
    constants: dict[str, Value] = field(default_factory=dict)
    scope: Scope = field(default_factory=Scope)
    depth: int = 0
    loads_app: bool = False  # a `require` that loads the Rails application was seen
    _heredocs: dict[int, Node] = field(default_factory=dict)

    # ------------------------------------------------------------------ entry
    def run(self) -> None:
        tree = _PARSER.parse(self.source.encode("utf-8"))
        root = tree.root_node
        self._index_heredocs(root)
        if root.has_error:
            self._report_syntax_errors(root)
        self.eval_body(root)

    def _index_heredocs(self, root: Node) -> None:
        begins: list[Node] = []
        bodies: list[Node] = []
        stack = [root]
        order: list[Node] = []
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(reversed(node.children))
        for node in order:
            if node.type == "heredoc_beginning":
                begins.append(node)
            elif node.type == "heredoc_body":
                bodies.append(node)
        for b, body in zip(begins, bodies, strict=False):
            self._heredocs[b.start_byte] = body

    def _report_syntax_errors(self, root: Node) -> None:
        stack = [root]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if node.type == "ERROR" or node.is_missing:
                line = lit.line_of(node)
                if line not in seen:
                    seen.add(line)
                    snippet = lit.node_text(node).strip().splitlines()
                    what = snippet[0][:60] if snippet else node.type
                    self.stop(node, codes.RUBY_SYNTAX, f"Ruby syntax error near {what!r}")
                continue
            stack.extend(node.children)

    # ----------------------------------------------------------------- notes
    def note(self, node: Node | int, code: Code, severity: Severity, message: str) -> None:
        line = node if isinstance(node, int) else lit.line_of(node)
        self.notes.append(Note(line, code.code, severity, _short(message, 300)))

    def stop(self, node: Node | int, code: Code, message: str) -> None:
        """Real whenever would raise here (unless inside a branch we could not decide)."""
        line = node if isinstance(node, int) else lit.line_of(node)
        message = _short(message, 300)
        if self.conditions:
            message += f" (only if {' and '.join(self.conditions)})"
        self.notes.append(Note(line, code.code, "error", message))
        if not self.conditions:
            self.fatal.append(Note(line, code.code, "error", message))

    def unknown(self, node: Node, reason: str, code: Code = codes.WHENEVER_UNRESOLVED) -> Unknown:
        text = lit.node_text(node)
        self.note(node, code, "warning", f"{reason}: `{_short(text)}`")
        return Unknown("#{" + text + "}", reason, lit.line_of(node))

    # ------------------------------------------------------------ statements
    def eval_body(self, node: Node) -> Value:
        value: Value = None
        for child in node.named_children:
            if child.type in _SKIP:
                continue
            value = self.eval(child)
        return value

    def eval(self, node: Node) -> Value:
        handler = _HANDLERS.get(node.type)
        if handler is not None:
            return handler(self, node)
        if node.type in _STATEMENT_CONTAINERS:
            return self.eval_body(node)
        return self.unknown(
            node, f"Ruby construct `{node.type}` is not evaluated", codes.RUBY_UNSUPPORTED
        )

    def bind_params(self, params: Node | None, args: list[Value], scope: Scope) -> list[str]:
        if params is None:
            return []
        plain = [p for p in params.named_children if p.type != "comment"]
        if len(plain) > 1 and len(args) == 1 and isinstance(args[0], list):
            args = list(args[0])  # a block auto-splats one array argument over |a, b|
        names: list[str] = []
        for i, p in enumerate(plain):
            value = args[i] if i < len(args) else None
            if p.type == "identifier":
                scope.vars[lit.node_text(p)] = value
                names.append(lit.node_text(p))
            elif p.type == "destructured_parameter":
                inner: list[Value] = list(value) if isinstance(value, list) else [value]
                sub = Scope()
                names += self.bind_params(p, inner, sub)
                scope.vars.update(sub.vars)
            elif p.type == "optional_parameter":
                name_node = p.child_by_field_name("name")
                default = p.child_by_field_name("value")
                if name_node is not None:
                    name = lit.node_text(name_node)
                    if i >= len(args) and default is not None:
                        value = self.eval(default)
                    scope.vars[name] = value
            elif p.type == "splat_parameter":
                name_node = p.child_by_field_name("name")
                if name_node is not None:
                    scope.vars[lit.node_text(name_node)] = list(args[i:])
            elif p.type in ("keyword_parameter", "block_parameter", "hash_splat_parameter"):
                name_node = p.child_by_field_name("name")
                if name_node is not None:
                    default = p.child_by_field_name("value")
                    kw = args[-1] if args and isinstance(args[-1], RHash) else None
                    name = lit.node_text(name_node)
                    if kw is not None and kw.sym_has(name):
                        scope.vars[name] = kw.sym_get(name)
                    else:
                        scope.vars[name] = self.eval(default) if default is not None else None
        return names

    def make_block(self, node: Node | None) -> Block | None:
        if node is None:
            return None
        return Block(
            self,
            node.child_by_field_name("parameters"),
            node.child_by_field_name("body"),
            self.scope,
            lit.line_of(node),
        )

    def call_user_method(self, name: str, args: list[Value], node: Node) -> Value:
        method = self.methods[name]
        if self.depth > 50:
            return self.unknown(node, f"recursion in `{name}` is not followed")
        scope = Scope()
        self.bind_params(method.params, args, scope)
        saved = self.scope
        self.scope = scope
        self.depth += 1
        try:
            return self.eval_body(method.body) if method.body is not None else None
        except ReturnSignal as sig:
            return sig.value
        finally:
            self.depth -= 1
            self.scope = saved

    def eval_identifier(self, name: str, node: Node) -> Value:
        scope = self.scope.find(name)
        if scope is not None:
            return scope.vars[name]
        return self.call_function(name, [], None, node)

    def call_function(self, name: str, args: list[Value], block: Block | None, node: Node) -> Value:
        """A call without a receiver: a `def` helper, the whenever DSL, then Kernel."""
        if name in self.methods:
            return self.call_user_method(name, args, node)
        result = self.host.dsl_call(name, args, block, node)
        if not isinstance(result, NotHandled):
            return result
        kernel = FUNCTIONS.get(name)
        if kernel is not None:
            return kernel(self, args, block, node)
        result = self.host.method_missing(name)
        if not isinstance(result, NotHandled):
            return result
        self.stop(
            node,
            codes.WHENEVER_UNDEFINED_METHOD,
            f"undefined method `{name}` (whenever raises NoMethodError)",
        )
        if block is not None:
            self.branch(f"`{name}` calls its block", block.body)
        return Unknown(
            "#{" + lit.node_text(node) + "}", f"undefined method `{name}`", lit.line_of(node)
        )

    def branch(self, condition: str, node: Node | None) -> Value:
        """Evaluate `node` as if `condition` held (it could not be decided)."""
        if node is None:
            return None
        self.conditions.append(condition)
        try:
            return self.eval(node)
        finally:
            self.conditions.pop()

    def known_truth(self, value: Value) -> bool | None:
        if isinstance(value, Unknown):
            return None
        return truthy(value)

    def heredoc(self, node: Node) -> Value:
        body = self._heredocs.get(node.start_byte)
        return lit.heredoc_value(node, body, self.eval)


def _short(text: str, limit: int = 80) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 3] + "..."


Function = Callable[["Interpreter", list[Value], "Block | None", Node], Value]
FUNCTIONS: dict[str, Function] = {}

Handler = Callable[[Interpreter, Node], Value]
_HANDLERS: dict[str, Handler] = {}


def handles(*types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for t in types:
            _HANDLERS[t] = fn
        return fn

    return register


__all__ = [
    "NOT_HANDLED",
    "Block",
    "BreakSignal",
    "EvalContext",
    "Host",
    "Interpreter",
    "NextSignal",
    "Note",
    "NotHandled",
    "RHash",
    "RProc",
    "RRange",
    "ReturnSignal",
    "Scope",
    "Sym",
    "UserMethod",
    "handles",
    "to_s",
]

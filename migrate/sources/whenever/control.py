"""Control flow for the whenever evaluator: `if`/`unless`/`case`/ternaries (a condition
that cannot be decided runs both branches, each under that condition), loops, `begin`/
`rescue`, `def`, `return`/`next`/`break`. Registered into `ruby._HANDLERS` on import."""

from __future__ import annotations

import contextlib

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.expressions import assign
from migrate.sources.whenever.ruby import (
    BreakSignal,
    Interpreter,
    NextSignal,
    ReturnSignal,
    UserMethod,
    handles,
)
from migrate.sources.whenever.values import RRange, Sym, Unknown, Value, equal

# ------------------------------------------------------------- control flow


@handles("if", "elsif", "unless")
def _if(it: Interpreter, node: Node) -> Value:
    cond_node = node.child_by_field_name("condition")
    then = node.child_by_field_name("consequence")
    other = node.child_by_field_name("alternative")
    if cond_node is None:
        return None
    negate = node.type == "unless"
    truth = it.known_truth(it.eval(cond_node))
    text = lit.node_text(cond_node)
    if truth is None:
        yes = f"`{text}`" if not negate else f"not `{text}`"
        no = f"not `{text}`" if not negate else f"`{text}`"
        first = it.branch(yes, then)
        it.branch(no, other)
        return first
    if truth != negate:
        return it.eval(then) if then is not None else None
    return it.eval(other) if other is not None else None


@handles("if_modifier", "unless_modifier")
def _if_modifier(it: Interpreter, node: Node) -> Value:
    body = node.child_by_field_name("body")
    cond_node = node.child_by_field_name("condition")
    if body is None or cond_node is None:
        return None
    negate = node.type == "unless_modifier"
    truth = it.known_truth(it.eval(cond_node))
    text = lit.node_text(cond_node)
    if truth is None:
        return it.branch(f"not `{text}`" if negate else f"`{text}`", body)
    return it.eval(body) if truth != negate else None


@handles("conditional")
def _ternary(it: Interpreter, node: Node) -> Value:
    cond_node = node.child_by_field_name("condition")
    yes = node.child_by_field_name("consequence")
    no = node.child_by_field_name("alternative")
    if cond_node is None or yes is None or no is None:
        return None
    truth = it.known_truth(it.eval(cond_node))
    if truth is None:
        a, b = it.eval(yes), it.eval(no)
        if equal(a, b):
            return a
        return it.unknown(node, "a value chosen by a condition not known when scanning")
    return it.eval(yes) if truth else it.eval(no)


@handles("case")
def _case(it: Interpreter, node: Node) -> Value:
    subject_node = node.child_by_field_name("value")
    subject: Value = it.eval(subject_node) if subject_node is not None else None
    subject_text = lit.node_text(subject_node) if subject_node is not None else ""
    undecided = False
    result: Value = None
    for clause in node.named_children:
        if clause.type == "else":
            if undecided:
                it.branch(f"no `when` of `case {subject_text}` matches", clause)
            else:
                return it.eval_body(clause)
            return result
        if clause.type != "when":
            continue
        body = clause.child_by_field_name("body")
        patterns = [c for c in clause.named_children if c.type == "pattern"]
        texts = ", ".join(lit.node_text(p) for p in patterns)
        outcome = _when_matches(it, subject, subject_node is not None, patterns)
        if outcome is None:
            undecided = True
            label = f"`case {subject_text}` is `{texts}`" if subject_text else f"`{texts}`"
            result = it.branch(label, body)
        elif outcome:
            value = it.eval(body) if body is not None else None
            return value if not undecided else result
    return result


def _when_matches(
    it: Interpreter, subject: Value, has_subject: bool, patterns: list[Node]
) -> bool | None:
    undecided = False
    for pattern in patterns:
        inner = pattern.named_children[0] if pattern.named_children else pattern
        value = it.eval(inner)
        if not has_subject:
            truth = it.known_truth(value)
        elif isinstance(value, Unknown) or isinstance(subject, Unknown):
            truth = None
        elif isinstance(value, RRange):
            ints = value.integers()
            truth = (subject in ints) if (ints is not None and isinstance(subject, int)) else None
        else:
            truth = equal(value, subject)
        if truth is True:
            return True
        if truth is None:
            undecided = True
    return None if undecided else False


@handles("while", "until", "while_modifier", "until_modifier")
def _loop(it: Interpreter, node: Node) -> Value:
    body = node.child_by_field_name("body")
    cond_node = node.child_by_field_name("condition")
    text = lit.node_text(cond_node) if cond_node is not None else node.type
    it.note(node, codes.RUBY_LOOP,
        "warning", f"`{node.type}` loop is not run; its body is read once")
    with contextlib.suppress(BreakSignal, NextSignal):
        it.branch(f"the `{node.type} {text}` loop runs", body)
    return None


@handles("for")
def _for(it: Interpreter, node: Node) -> Value:
    pattern = node.child_by_field_name("pattern")
    value_node = node.child_by_field_name("value")
    body = node.child_by_field_name("body")
    if pattern is None or value_node is None:
        return None
    collection = it.eval(value_node.named_children[0]) if value_node.named_children else None
    items = collection if isinstance(collection, list) else None
    if isinstance(collection, RRange):
        items = list(collection.integers() or [])
    if items is None:
        assign(
            it, pattern, it.unknown(value_node, "loop over a collection not known when scanning")
        )
        it.branch(f"`for` over `{lit.node_text(value_node)}`", body)
        return None
    for item in items:
        assign(it, pattern, item)
        try:
            if body is not None:
                it.eval_body(body)
        except NextSignal:
            continue
        except BreakSignal:
            break
    return collection


@handles("begin")
def _begin(it: Interpreter, node: Node) -> Value:
    value: Value = None
    for child in node.named_children:
        if child.type in ("comment",):
            continue
        if child.type == "rescue":
            body = child.child_by_field_name("body")
            variable = child.child_by_field_name("variable")
            if variable is not None and variable.named_children:
                name = variable.named_children[-1]
                assign(
                    it,
                    name,
                    Unknown(
                        f"#{{{lit.node_text(name)}}}", "the exception raised", lit.line_of(name)
                    ),
                )
            if body is not None and body.named_children:
                it.branch(f"the `begin` block at line {lit.line_of(node)} raises", body)
            continue
        if child.type in ("else", "ensure"):
            it.eval_body(child)
            continue
        value = it.eval(child)
    return value


@handles("rescue_modifier")
def _rescue_modifier(it: Interpreter, node: Node) -> Value:
    body = node.child_by_field_name("body")
    return it.eval(body) if body is not None else None


@handles("method", "singleton_method")
def _def(it: Interpreter, node: Node) -> Value:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    name = lit.node_text(name_node)
    it.methods[name] = UserMethod(
        node.child_by_field_name("parameters"), node.child_by_field_name("body")
    )
    return Sym(name)


@handles("class", "module", "singleton_class")
def _class(it: Interpreter, node: Node) -> Value:
    it.note(node, codes.RUBY_UNSUPPORTED, "warning", "class and module bodies are not evaluated")
    return None


@handles("return", "next", "break")
def _jump(it: Interpreter, node: Node) -> Value:
    args = [c for c in node.named_children if c.type != "comment"]
    value: Value = None
    if args:
        inner = [c for c in args[0].named_children if c.type != "comment"]
        value = it.eval(inner[0]) if len(inner) == 1 else [it.eval(c) for c in inner]
    if node.type == "return":
        if it.depth == 0:
            it.note(node, codes.RUBY_RETURN,
                "warning", "`return` at the top of the schedule stops it")
        raise ReturnSignal(value)
    if node.type == "next":
        raise NextSignal(value)
    raise BreakSignal(value)


@handles("retry", "redo", "yield", "super")
def _unsupported_jump(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, f"`{node.type}` is not evaluated", codes.RUBY_UNSUPPORTED)


@handles("alias", "undef", "BEGIN", "END")
def _ignored(it: Interpreter, node: Node) -> Value:
    it.note(node, codes.RUBY_IGNORED, "info", f"`{node.type}` is ignored")
    return None

"""Node handlers for the whenever evaluator: literals, variables, assignment, operators and
control flow. Calls live in `calls.py`. Registered into `ruby._HANDLERS` on import."""

from __future__ import annotations

import contextlib

from tree_sitter import Node

from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.operators import binary_op
from migrate.sources.whenever.ruby import (
    BreakSignal,
    Interpreter,
    NextSignal,
    NotHandled,
    ReturnSignal,
    UserMethod,
    handles,
)
from migrate.sources.whenever.values import (
    RHash,
    RProc,
    RRange,
    Sym,
    Unknown,
    Value,
    equal,
    is_num,
    to_s,
    truthy,
)

# ----------------------------------------------------------------- literals


@handles("integer")
def _integer(it: Interpreter, node: Node) -> Value:
    return lit.integer_value(lit.node_text(node))


@handles("float")
def _float(it: Interpreter, node: Node) -> Value:
    return float(lit.node_text(node).replace("_", ""))


@handles("true")
def _true(it: Interpreter, node: Node) -> Value:
    return True


@handles("false")
def _false(it: Interpreter, node: Node) -> Value:
    return False


@handles("nil")
def _nil(it: Interpreter, node: Node) -> Value:
    return None


@handles("string", "heredoc_body")
def _string(it: Interpreter, node: Node) -> Value:
    return lit.string_value(node, it.eval)


@handles("heredoc_beginning")
def _heredoc(it: Interpreter, node: Node) -> Value:
    return it.heredoc(node)


@handles("chained_string")
def _chained(it: Interpreter, node: Node) -> Value:
    parts = [it.eval(c) for c in node.named_children if c.type != "comment"]
    unknown = next((p for p in parts if isinstance(p, Unknown)), None)
    text = "".join(to_s(p) for p in parts)
    return Unknown(text, unknown.reason, unknown.line) if unknown else text


@handles("character")
def _character(it: Interpreter, node: Node) -> Value:
    text = lit.node_text(node)[1:]
    return lit.decode_escape(text) if text.startswith("\\") else text


@handles("simple_symbol", "delimited_symbol", "hash_key_symbol", "bare_symbol")
def _symbol(it: Interpreter, node: Node) -> Value:
    return lit.symbol_value(node, it.eval)


@handles("string_array", "symbol_array")
def _word_array(it: Interpreter, node: Node) -> Value:
    out: list[Value] = []
    for child in node.named_children:
        value = lit.string_value(child, it.eval) if child.type == "bare_string" else it.eval(child)
        out.append(value)
    return out


@handles("bare_string")
def _bare_string(it: Interpreter, node: Node) -> Value:
    return lit.string_value(node, it.eval)


@handles("array")
def _array(it: Interpreter, node: Node) -> Value:
    out: list[Value] = []
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type == "splat_argument":
            value = it.eval(child.named_children[0])
            out.extend(value if isinstance(value, list) else [value])
        elif child.type == "pair":
            out.append(_pairs_hash(it, [child]))
        else:
            out.append(it.eval(child))
    return out


def _pairs_hash(it: Interpreter, pairs: list[Node]) -> RHash:
    h = RHash()
    for pair in pairs:
        if pair.type == "hash_splat_argument":
            value = it.eval(pair.named_children[0])
            if isinstance(value, RHash):
                for k, v in value:
                    h.set(k, v)
            continue
        key_node = pair.child_by_field_name("key")
        value_node = pair.child_by_field_name("value")
        if key_node is None:
            continue
        key = it.eval(key_node)
        separator = next((c for c in pair.children if not c.is_named), None)
        if key_node.type == "string" and separator is not None and lit.node_text(separator) == ":":
            key = Sym(to_s(key))  # `"name": value` is a symbol key
        if value_node is None:  # `{x:}` shorthand
            value = it.eval_identifier(to_s(key), pair) if isinstance(key, Sym) else None
        else:
            value = it.eval(value_node)
        h.set(key, value)
    return h


@handles("hash")
def _hash(it: Interpreter, node: Node) -> Value:
    return _pairs_hash(it, [c for c in node.named_children if c.type != "comment"])


@handles("range")
def _range(it: Interpreter, node: Node) -> Value:
    first = node.child_by_field_name("begin")
    last = node.child_by_field_name("end")
    op = node.child_by_field_name("operator")
    return RRange(
        it.eval(first) if first is not None else None,
        it.eval(last) if last is not None else None,
        op is not None and lit.node_text(op) == "...",
    )


@handles("lambda")
def _lambda(it: Interpreter, node: Node) -> Value:
    return RProc(lit.node_text(node), lit.line_of(node))


@handles("self")
def _self(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, "`self` (the whenever job list) is not a value")


@handles("subshell")
def _subshell(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, "a command run while whenever evaluates the file", "whenever-runtime")


@handles("regex")
def _regex(it: Interpreter, node: Node) -> Value:
    return Unknown(lit.node_text(node), "regular expression", lit.line_of(node))


# ---------------------------------------------------------------- variables


@handles("identifier")
def _identifier(it: Interpreter, node: Node) -> Value:
    return it.eval_identifier(lit.node_text(node), node)


@handles("constant")
def _constant(it: Interpreter, node: Node) -> Value:
    name = lit.node_text(node)
    if name in it.constants:
        return it.constants[name]
    if name == "ENV" and it.context.env is not None:
        return RHash([(k, v) for k, v in it.context.env.items()])
    return it.unknown(node, f"constant `{name}` is not defined in the schedule")


@handles("scope_resolution")
def _scope_resolution(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, "constant from outside the schedule")


@handles("instance_variable")
def _ivar(it: Interpreter, node: Node) -> Value:
    value = it.host.get_ivar(lit.node_text(node)[1:])
    return None if isinstance(value, NotHandled) else value  # an unset @ivar is nil in Ruby


@handles("global_variable", "class_variable")
def _global(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, "global variable")


# --------------------------------------------------------------- assignment


def assign(it: Interpreter, target: Node, value: Value) -> None:
    if target.type == "identifier":
        it.scope.assign(lit.node_text(target), value)
    elif target.type == "constant":
        it.constants[lit.node_text(target)] = value
    elif target.type == "instance_variable":
        it.host.set_ivar(lit.node_text(target)[1:], value)
    elif target.type == "element_reference":
        obj_node = target.child_by_field_name("object")
        keys = [c for c in target.named_children if c != obj_node and c.type != "comment"]
        if obj_node is None or not keys:
            return
        if obj_node.type == "constant" and lit.node_text(obj_node) == "ENV":
            key = it.eval(keys[0])
            if it.context.env is not None and isinstance(key, str) and isinstance(value, str):
                it.context.env[key] = value
            return
        obj = it.eval(obj_node)
        key = it.eval(keys[0])
        if isinstance(obj, RHash):
            obj.set(key, value)
        elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
            obj[key] = value
    elif target.type in ("left_assignment_list", "destructured_left_assignment"):
        items = value if isinstance(value, list) else [value]
        targets = [c for c in target.named_children if c.type != "comment"]
        for i, t in enumerate(targets):
            if t.type == "rest_assignment":
                inner = t.named_children
                if inner:
                    assign(it, inner[0], list(items[i:]))
                break
            assign(it, t, items[i] if i < len(items) else None)
    elif target.type == "global_variable":
        it.note(target, "ruby-ignored", "info", "assignment to a global variable is ignored")
    else:
        it.note(
            target,
            "ruby-unsupported",
            "warning",
            f"assignment to `{lit.node_text(target)}` is not followed",
        )


@handles("assignment")
def _assignment(it: Interpreter, node: Node) -> Value:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if right is None or left is None:
        return None
    if right.type == "right_assignment_list":
        value: Value = [it.eval(c) for c in right.named_children if c.type != "comment"]
    else:
        value = it.eval(right)
    assign(it, left, value)
    return value


@handles("operator_assignment")
def _op_assignment(it: Interpreter, node: Node) -> Value:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    op_node = node.child_by_field_name("operator")
    if left is None or right is None or op_node is None:
        return None
    op = lit.node_text(op_node)[:-1]
    current = it.eval(left) if not _undefined_local(it, left) else None
    if op == "||":
        if isinstance(current, Unknown):
            return current
        value = current if truthy(current) else it.eval(right)
    elif op == "&&":
        value = it.eval(right) if truthy(current) else current
    else:
        value = binary_op(it, node, op, current, it.eval(right))
    assign(it, left, value)
    return value


def _undefined_local(it: Interpreter, node: Node) -> bool:
    return node.type == "identifier" and it.scope.find(lit.node_text(node)) is None


# ---------------------------------------------------------------- operators


@handles("binary")
def _binary(it: Interpreter, node: Node) -> Value:
    left_node = node.child_by_field_name("left")
    right_node = node.child_by_field_name("right")
    op_node = node.child_by_field_name("operator")
    if left_node is None or right_node is None or op_node is None:
        return None
    op = lit.node_text(op_node)
    if op == "<<" and left_node.type == "global_variable":
        it.note(node, "ruby-ignored", "info", f"`{lit.node_text(node)}` (load path) is ignored")
        return None
    left = it.eval(left_node)
    if op in ("&&", "and"):
        if isinstance(left, Unknown):
            right = it.eval(right_node)
            return right if right is False or right is None else left
        return it.eval(right_node) if truthy(left) else left
    if op in ("||", "or"):
        if isinstance(left, Unknown):
            return left  # whether the right side is used depends on the unknown value
        return left if truthy(left) else it.eval(right_node)
    right = it.eval(right_node)
    return binary_op(it, node, op, left, right)


@handles("unary")
def _unary(it: Interpreter, node: Node) -> Value:
    op_node = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if op_node is None or operand is None:
        return None
    op = lit.node_text(op_node)
    if op == "defined?":
        return it.unknown(node, "`defined?` depends on the runtime")
    value = it.eval(operand)
    if isinstance(value, Unknown):
        return Unknown("#{" + lit.node_text(node) + "}", value.reason, value.line)
    if op in ("!", "not"):
        return not truthy(value)
    if op == "-" and is_num(value):
        assert isinstance(value, int | float)
        return -value
    if op == "+" and is_num(value):
        return value
    return it.unknown(node, f"operator `{op}` on this value is not evaluated")


@handles("parenthesized_statements")
def _parens(it: Interpreter, node: Node) -> Value:
    return it.eval_body(node)


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
    it.note(node, "ruby-loop", "warning", f"`{node.type}` loop is not run; its body is read once")
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
    it.note(node, "ruby-unsupported", "warning", "class and module bodies are not evaluated")
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
            it.note(node, "ruby-return", "warning", "`return` at the top of the schedule stops it")
        raise ReturnSignal(value)
    if node.type == "next":
        raise NextSignal(value)
    raise BreakSignal(value)


@handles("retry", "redo", "yield", "super")
def _unsupported_jump(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, f"`{node.type}` is not evaluated", "ruby-unsupported")


@handles("alias", "undef", "BEGIN", "END")
def _ignored(it: Interpreter, node: Node) -> Value:
    it.note(node, "ruby-ignored", "info", f"`{node.type}` is ignored")
    return None

"""Node handlers for the whenever evaluator: literals, variables, assignment and operators.
Control flow is in `control.py`, calls in `calls.py`. Registered into `ruby._HANDLERS` on
import."""

from __future__ import annotations

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.operators import binary_op
from migrate.sources.whenever.procs import proc_value
from migrate.sources.whenever.ruby import (
    Block,
    Interpreter,
    NotHandled,
    handles,
)
from migrate.sources.whenever.values import (
    RHash,
    RProc,
    RRange,
    Sym,
    Unknown,
    Value,
    is_num,
    to_s,
    truthy,
)

# ----------------------------------------------------------------- literals


@handles("integer")
def _integer(it: Interpreter, node: Node) -> Value:
    text = lit.node_text(node)
    try:
        return lit.integer_value(text)
    except ValueError:  # e.g. `08`: Ruby refuses it ("Invalid octal digit"), so would whenever
        return Unknown(text, "not a valid Ruby integer literal", lit.line_of(node))


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
    """`-> (params) { body }`: the parameters belong to the lambda node, the body to its
    block."""
    body = node.child_by_field_name("body")
    if body is None:
        return RProc(lit.node_text(node), lit.line_of(node))
    block = Block(it, node.child_by_field_name("parameters"), body.child_by_field_name("body"),
                  it.scope, lit.line_of(node))
    return proc_value(it, node, block, is_lambda=True)


@handles("self")
def _self(it: Interpreter, node: Node) -> Value:
    return it.unknown(node, "`self` (the whenever job list) is not a value")


@handles("subshell")
def _subshell(it: Interpreter, node: Node) -> Value:
    return it.unknown(
        node, "a command run while whenever evaluates the file", codes.WHENEVER_RUNTIME)


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
        it.note(target, codes.RUBY_IGNORED, "info", "assignment to a global variable is ignored")
    else:
        it.note(
            target,
            codes.RUBY_UNSUPPORTED,
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
        it.note(node, codes.RUBY_IGNORED, "info", f"`{lit.node_text(node)}` (load path) is ignored")
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

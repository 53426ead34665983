"""Calls in the whenever evaluator: the `call` and `element_reference` nodes, argument
lists, Kernel functions (`require`, `puts`, `raise`, `format`, ...) and module methods
(`ENV`, `File`, `Dir`, `Rails`, `Whenever`, `Time`). Methods on values are in `builtins.py`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.builtins import call_method, numeric_seconds
from migrate.sources.whenever.operators import ruby_format
from migrate.sources.whenever.procs import proc_value
from migrate.sources.whenever.ruby import (
    FUNCTIONS,
    Block,
    BreakSignal,
    Function,
    Interpreter,
    handles,
)
from migrate.sources.whenever.values import (
    Inquirer,
    RHash,
    RPath,
    RProc,
    Sym,
    Unknown,
    Value,
    has_unknown,
    inspect,
    is_num,
    to_s,
)


class SymbolBlock(Block):
    """`&:name`: a block that calls `name` on its argument."""

    method_name: str = ""
    node: Node | None = None

    def call(self, *args: Value) -> Value:
        assert self.node is not None
        receiver = args[0] if args else None
        return call_method(self.interp, receiver, self.method_name, list(args[1:]), None, self.node)


def eval_args(it: Interpreter, node: Node | None) -> tuple[list[Value], Block | None]:
    if node is None:
        return [], None
    args: list[Value] = []
    pairs = RHash()
    has_pairs = False
    block: Block | None = None
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type == "pair":
            from migrate.sources.whenever.expressions import _pairs_hash

            for k, v in _pairs_hash(it, [child]):
                pairs.set(k, v)
            has_pairs = True
        elif child.type == "hash_splat_argument":
            value = it.eval(child.named_children[0])
            if isinstance(value, RHash):
                for k, v in value:
                    pairs.set(k, v)
                has_pairs = True
        elif child.type == "splat_argument":
            value = it.eval(child.named_children[0])
            args.extend(value if isinstance(value, list) else [value])
        elif child.type == "block_argument":
            inner = child.named_children[0] if child.named_children else None
            if inner is not None and inner.type == "simple_symbol":
                sb = SymbolBlock(it, None, None, it.scope, lit.line_of(child))
                sb.method_name = lit.node_text(inner)[1:]
                sb.node = child
                block = sb
        else:
            args.append(it.eval(child))
    if has_pairs:
        args.append(pairs)
    return args, block


_MODULES = {"ENV", "File", "Dir", "Rails", "Whenever", "Time", "Date", "DateTime", "Shellwords"}


@handles("call")
def _call(it: Interpreter, node: Node) -> Value:
    receiver_node = node.child_by_field_name("receiver")
    method_node = node.child_by_field_name("method")
    name = lit.node_text(method_node) if method_node is not None else "call"
    args, block = eval_args(it, node.child_by_field_name("arguments"))
    block = it.make_block(node.child_by_field_name("block")) or block
    if receiver_node is None:
        return it.call_function(name, args, block, node)
    if receiver_node.type == "constant" and lit.node_text(receiver_node) not in it.constants:
        return module_call(it, lit.node_text(receiver_node), name, args, block, node)
    receiver = it.eval(receiver_node)
    operator = node.child_by_field_name("operator")
    if receiver is None and operator is not None and lit.node_text(operator) == "&.":
        return None
    return call_method(it, receiver, name, args, block, node)


@handles("element_reference")
def _index(it: Interpreter, node: Node) -> Value:
    obj_node = node.child_by_field_name("object")
    if obj_node is None:
        return None
    keys = [it.eval(c) for c in node.named_children if c != obj_node and c.type != "comment"]
    if obj_node.type == "constant" and lit.node_text(obj_node) == "ENV":
        return module_call(it, "ENV", "[]", keys, None, node)
    return call_method(it, it.eval(obj_node), "[]", keys, None, node)


# ------------------------------------------------------------------ modules


def _env_lookup(it: Interpreter, key: Value, node: Node) -> Value:
    env = it.context.env
    if env is None and key == "RAILS_ENV" and it.context.rails_env is not None:
        it.note(node, codes.WHENEVER_ENV,
            "info", "ENV['RAILS_ENV'] is taken as the --set environment")
        return it.context.rails_env
    if env is None or isinstance(key, Unknown):
        return it.unknown(node, "environment variable not known when scanning", codes.WHENEVER_ENV)
    return env.get(to_s(key))


def expand_path(it: Interpreter, path: str, base: str | None = None) -> Value:
    if path.startswith("~"):
        return Unknown("#{File.expand_path(" + repr(path) + ")}", "home directory", 0)
    root = it.context.app_root
    if base is not None and not base.startswith("/"):
        base = posixpath.join(root, base)
    joined = posixpath.join(base or root, path)
    norm = posixpath.normpath(joined)
    return "/" + norm.lstrip("/") if norm.startswith("//") else norm


def module_call(
    it: Interpreter, module: str, name: str, args: list[Value], block: Block | None, node: Node
) -> Value:
    strs = [a for a in args if isinstance(a, str | RPath)]
    known = len(strs) == len(args)
    if module == "ENV":
        if name == "fetch" and args and it.context.env is None and (len(args) > 1 or block):
            default = args[1] if len(args) > 1 else block.call(args[0]) if block else None
            it.note(
                node,
                codes.ENV_DEFAULT,
                "warning",
                f"ENV[{inspect(args[0])}] is not known when "
                f"scanning; its default {inspect(default)} is assumed",
            )
            return default
        if name in ("[]", "fetch") and args:
            value = _env_lookup(it, args[0], node)
            if value is None and name == "fetch":
                if len(args) > 1:
                    return args[1]
                if block is not None:
                    return block.call(args[0])
                it.stop(node, codes.RUBY_ERROR, f"key not found: {to_s(args[0])!r} (KeyError)")
            return value
        if name in ("key?", "has_key?", "include?", "member?") and args:
            if it.context.env is None:
                return it.unknown(
                    node, "environment variable not known when scanning", codes.WHENEVER_ENV
                )
            return to_s(args[0]) in it.context.env
    if module == "File" and known:
        paths = [to_s(a) for a in args]
        if name in ("expand_path", "absolute_path", "realpath") and paths:
            return expand_path(it, paths[0], paths[1] if len(paths) > 1 else None)
        if name == "join":
            return posixpath.join(*paths) if paths else ""
        if name == "dirname" and paths:
            return posixpath.dirname(paths[0].rstrip("/")) or "."
        if name == "basename" and paths:
            base = posixpath.basename(paths[0].rstrip("/"))
            if len(paths) > 1 and base.endswith(paths[1]) and paths[1] != base:
                base = base[: -len(paths[1])] if paths[1] != ".*" else posixpath.splitext(base)[0]
            return base
        if name == "extname" and paths:
            return posixpath.splitext(paths[0])[1]
    if module == "Dir" and name in ("pwd", "getwd"):
        return it.context.app_root
    if module == "Rails":
        if not it.loads_app:
            it.stop(
                node,
                codes.WHENEVER_RAILS,
                "uninitialized constant Rails (NameError): whenever "
                "does not load the application unless the schedule requires it",
            )
        if name == "root":
            it.note(node, codes.WHENEVER_RAILS,
                "info", "Rails.root is taken as the application root")
            return RPath(it.context.app_root)
        if name == "env":
            if it.context.rails_env is not None:
                return Inquirer(it.context.rails_env)
            return it.unknown(
                node,
                "Rails.env is not known when scanning (pass --set environment=...)",
                codes.WHENEVER_ENV,
            )
    if module == "Whenever":
        if name == "seconds" and len(args) == 2 and isinstance(args[1], Sym) and is_num(args[0]):
            return numeric_seconds(it, args[0], args[1].name, node)
        if name == "path":
            return it.context.app_root
    if module == "Shellwords" and name in ("escape", "shellescape") and args:
        return call_method(it, args[0], "shellescape", [], None, node)
    if module == "Proc" and name == "new" and block is not None:
        return proc_value(it, node, block, is_lambda=False)
    if module in ("Time", "Date", "DateTime"):
        return it.unknown(node, "the clock is read when whenever runs", codes.WHENEVER_RUNTIME)
    return it.unknown(node, f"`{module}.{name}` is not evaluated")


# --------------------------------------------------------------- functions


def _function(*names: str) -> Callable[[Function], Function]:
    def register(fn: Function) -> Function:
        for n in names:
            FUNCTIONS[n] = fn
        return fn

    return register


@_function("require", "require_relative", "load", "gem", "require_dependency")
def _require(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    if re.search(r"environment|application|boot", lit.node_text(node)):
        it.loads_app = True  # e.g. require File.expand_path('../environment', __FILE__)
    it.note(
        node, codes.WHENEVER_REQUIRE,
            "info", f"`{_short(node)}` is not followed (code is never run)"
    )
    return True


@_function("puts", "print", "p", "pp", "warn", "printf", "display")
def _output(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    """Output while whenever evaluates the file lands on stdout before the crontab."""
    name = _called_name(node)
    if name in ("warn", "printf", "display"):
        it.note(node, codes.RUBY_IGNORED, "info", f"`{_short(node)}` prints when whenever runs")
        return None
    if any(has_unknown(a) for a in args):
        it.stdout.append(None)
        it.note(node, codes.RUBY_IGNORED, "info", f"`{_short(node)}` prints a value not known here")
    elif name == "puts":
        it.stdout.append("".join(_puts_lines(a) for a in args) if args else "\n")
    elif name == "print":
        it.stdout.append("".join(to_s(a) for a in args))
    else:
        it.stdout.append("".join(inspect(a) + "\n" for a in args))
    if name in ("p", "pp"):
        return args[0] if len(args) == 1 else (list(args) if args else None)
    return None


def _puts_lines(value: Value) -> str:
    if isinstance(value, list):
        return "".join(_puts_lines(v) for v in value) if value else "\n"
    text = "" if value is None else to_s(value)
    return text if text.endswith("\n") else text + "\n"


@_function("raise", "fail", "abort", "exit", "exit!")
def _raise(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    it.stop(node, codes.WHENEVER_RAISE, f"the schedule stops here: `{_short(node)}`")
    return None


@_function("lambda", "proc")
def _lambda(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    if block is None:  # `set :output, lambda do ... end`: the do-block belongs to `set`
        it.stop(node, codes.RUBY_ERROR,
                "tried to create Proc object without a block (ArgumentError)")
        return RProc(lit.node_text(node), lit.line_of(node))
    return proc_value(it, node, block, is_lambda=_called_name(node) == "lambda")


@_function("format", "sprintf")
def _format(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    if args and isinstance(args[0], str):
        out = ruby_format(args[0], args[1:])
        if out is not None:
            return out
    return it.unknown(node, "format string not evaluated")


@_function("Integer", "Float", "String", "Array")
def _convert(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    name = _called_name(node)
    if not args or isinstance(args[0], Unknown):
        return it.unknown(node, "conversion of an unknown value")
    value = args[0]
    if name == "String":
        return to_s(value)
    if name == "Array":
        return value if isinstance(value, list) else ([] if value is None else [value])
    if name == "Integer":
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value.replace("_", "")):
            return int(value.replace("_", ""))
        if is_num(value):
            assert isinstance(value, int | float)
            return int(value)
    if name == "Float" and (is_num(value) or isinstance(value, str)):
        try:
            return float(to_s(value))
        except ValueError:
            pass
    it.stop(node, codes.RUBY_ERROR, f"invalid value for {name}(): {to_s(value)!r}")
    return None


@_function("__FILE__")
def _file(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    return it.context.file_label


@_function("__dir__")
def _dir(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    full = expand_path(it, it.context.file_label)
    return posixpath.dirname(to_s(full))


@_function("rand", "srand", "sleep", "system", "exec", "spawn", "fork", "gets", "caller", "binding")
def _runtime(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    return it.unknown(node, "a value only known when whenever runs", codes.WHENEVER_RUNTIME)


@_function("instance_eval", "instance_exec", "class_eval", "eval", "tap", "then")
def _instance_eval(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    if block is not None:
        return block.call(*args)
    return it.unknown(node, "code evaluated from a string or another file is not followed")


@_function("loop")
def _loop(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    it.note(node, codes.RUBY_LOOP, "warning", "`loop` is not run; its body is read once")
    if block is not None:
        it.conditions.append("the `loop` runs")
        try:
            block.call()
        except BreakSignal:
            pass
        finally:
            it.conditions.pop()
    return None


@_function(
    "at_exit",
    "private",
    "public",
    "protected",
    "attr_accessor",
    "attr_reader",
    "module_function",
    "extend",
    "include",
    "freeze",
)
def _ignored(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    it.note(node, codes.RUBY_IGNORED, "info", f"`{_short(node)}` is ignored")
    return None


@_function("block_given?")
def _block_given(it: Interpreter, args: list[Value], block: Block | None, node: Node) -> Value:
    return False


def _called_name(node: Node) -> str:
    method = node.child_by_field_name("method")
    return lit.node_text(method if method is not None else node)


def _short(node: Node) -> str:
    text = " ".join(lit.node_text(node).split())
    return text if len(text) <= 70 else text[:67] + "..."

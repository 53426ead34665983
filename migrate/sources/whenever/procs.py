"""Ruby lambdas and procs as values (`lambda { }`, `proc { }`, `Proc.new { }`, `-> { }`).

whenever calls a Proc given as `:output` (whenever 1.0 lib/whenever/output_redirection.rb,
`when Proc then @output.call`) from `Job#initialize`; `RProc.call` evaluates the body then,
in the scope it was written in.
"""

from __future__ import annotations

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.ruby import Block, Interpreter, ReturnSignal
from migrate.sources.whenever.values import RProc, Unknown, Value


def proc_value(it: Interpreter, node: Node, block: Block, *, is_lambda: bool) -> RProc:
    """`lambda { }`, `proc { }`, `Proc.new { }`, `-> { }`: a value whenever may call with no
    arguments (a proc's parameters are then nil; a lambda with a required parameter raises
    ArgumentError, as real whenever does)."""
    text, line = lit.node_text(node), lit.line_of(node)
    required = _required_params(block.params) if is_lambda else 0

    def call() -> Value:
        if required:
            it.stop(node, codes.RUBY_ERROR,
                    f"wrong number of arguments (given 0, expected {required}) (ArgumentError)")
            return Unknown("#{" + text + ".call}", "whenever raises here", line)
        try:
            return block.call()
        except ReturnSignal as sig:  # `return` in a lambda is its value
            return sig.value

    return RProc(text, line, call)


def _required_params(params: Node | None) -> int:
    if params is None:
        return 0
    return sum(p.type in ("identifier", "destructured_parameter") for p in params.named_children)

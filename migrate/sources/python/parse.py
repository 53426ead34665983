"""Parsing a Python file for the static readers: Python's own parser first, then libcst.

`parse_module` gives the libcst tree and its metadata wrapper, or raises
`PythonSyntaxError` with the line (and column) Python reports. Nothing is run.
"""

from __future__ import annotations

import ast
import warnings

import libcst as cst
from libcst.metadata import MetadataWrapper

from migrate.errors import MigrateError


class PythonSyntaxError(MigrateError, ValueError):
    """The file is not Python that this reader can parse."""

    def __init__(self, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def parse_module(text: str) -> tuple[cst.Module, MetadataWrapper]:
    """Parse with libcst, after Python's own parser accepted the text.

    libcst's native parser overflows its stack (the process dies) on deeply nested input
    such as 5,000 parentheses; Python's `ast.parse` refuses those with an error. So a text
    goes to libcst only once `ast.parse` (which parses and runs nothing) has accepted it,
    and Python's error, with its line and column, is the diagnostic otherwise.
    """
    try:
        with warnings.catch_warnings():  # invalid escapes etc. warn; they are not our news
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        raise PythonSyntaxError(f"not valid Python: {error.msg}", error.lineno or 1,
                                error.offset) from None
    except (RecursionError, MemoryError):
        raise PythonSyntaxError("not readable: nested too deeply", 1) from None
    except ValueError as error:  # NUL bytes (Python 3.11)
        raise PythonSyntaxError(f"not valid Python: {error}", 1) from None
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise PythonSyntaxError(f"not valid Python: {exc.message}", exc.raw_line,
                                exc.raw_column + 1) from None
    except RecursionError:
        raise PythonSyntaxError("not readable: nested too deeply", 1) from None
    return module, MetadataWrapper(module, unsafe_skip_copy=True)

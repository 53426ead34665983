"""Markdown helpers shared by the reports."""

from __future__ import annotations


def code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Text safe inside a table cell or a list item's single line."""
    return text.replace("|", "\\|").replace("\n", " ")

"""How a spreadsheet cell reads: whole-number floats as ints, text stripped."""

from __future__ import annotations


def cell(value: object) -> object:
    """A whole-number float becomes an int, a string is stripped; anything else is kept."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def cell_text(value: object) -> str:
    """A cell as text: whole-number floats lose their '.0', strings are stripped."""
    return str(cell(value)).strip()

"""Text that is a whole number, as fiw reads one from a user: ASCII digits only.

`str.isdigit` also accepts "²" (which `int` refuses: a crash) and full-width or Arabic-Indic
digits (which `int` reads, so "１" would pass as release 1); every check before an `int()` of
user text goes through `ascii_digits` instead.
"""

from __future__ import annotations


def ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of the digits 0-9 and nothing else."""
    return text.isascii() and text.isdigit()

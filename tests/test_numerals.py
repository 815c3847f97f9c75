"""`ascii_digits`: the one check before fiw turns a user's text into an int."""

from __future__ import annotations

import pytest

from fiw.numerals import ascii_digits


@pytest.mark.parametrize("text", ["0", "7", "2024", "0042"])
def test_ascii_digits_are_whole_numbers(text: str) -> None:
    assert ascii_digits(text) and int(text) >= 0


@pytest.mark.parametrize("text", ["", " 1", "-1", "+1", "1_000", "2024.0", "²", "１", "٣", "x"])
def test_anything_else_is_not_though_isdigit_or_int_may_accept_it(text: str) -> None:
    assert not ascii_digits(text)

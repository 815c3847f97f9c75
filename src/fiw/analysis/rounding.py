"""Deterministic rounding of averages and shares: exact, two decimals, half away from zero.

Half away from zero is what SQL `round()` does on SQLite and PostgreSQL, so a figure computed
here matches one computed in either database.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def rounded_ratio(numerator: int, denominator: int) -> float:
    """`numerator / denominator` rounded to two decimals, half away from zero (2.345 -> 2.35).

    Integers go in, so the quotient is exact before rounding (no float summation error).
    """
    if denominator == 0:
        raise ZeroDivisionError("rounded_ratio of nothing: the denominator is 0")
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(_CENT, rounding=ROUND_HALF_UP))

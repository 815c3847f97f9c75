"""Benchmarks of fiw.analysis on the official workbook (all 2,515 country-editions).

Each row: {"benchmark", "value", "unit", "target"}; the time is the best of several runs, so
a busy machine inflates it less.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.analysis_data import official_scores

from fiw.analysis import (
    all_edition_changes,
    decline_runs,
    indicator_changes,
    net_decline_series,
    trends,
)

REPEAT = 7


def _best_ms(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def run() -> list[dict[str, Any]]:
    """Time the analyses a user asks for most, on every edition of the official data."""
    scores = official_scores()
    editions = sorted(int(e) for e in scores["edition"].unique())[1:]
    cases: list[tuple[str, Callable[[], object], str]] = [
        (
            "analysis: changes of all editions 2014-2024 (countries)",
            lambda: all_edition_changes(scores),
            "< 200 ms",
        ),
        (
            "analysis: changes of all editions 2014-2024 (with territories)",
            lambda: all_edition_changes(scores, territories=True),
            "< 200 ms",
        ),
        (
            "analysis: indicator changes of all editions",
            lambda: [indicator_changes(scores, e) for e in editions],
            "< 500 ms",
        ),
        ("analysis: net-decline series", lambda: net_decline_series(scores), "< 100 ms"),
        (
            "analysis: trends, historical regions",
            lambda: trends(scores, regions="historical"),
            "< 100 ms",
        ),
        ("analysis: longest runs of decline", lambda: decline_runs(scores), "< 100 ms"),
    ]
    return [
        {"benchmark": name, "value": _best_ms(work), "unit": "ms", "target": target}
        for name, work, target in cases
    ]


if __name__ == "__main__":
    for result in run():
        print(f"{result['benchmark']}: {result['value']} {result['unit']} ({result['target']})")

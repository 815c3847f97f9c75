"""Benchmarks of fiw.analysis on `ds.scores()` of a store holding both official workbooks
(all 2,515 country-editions), imported into a temporary SQLite file first.

Each row: {"benchmark", "value", "unit", "target"}; the time is the best of several runs, so
a busy machine inflates it less. Reading the frame is timed by bench/store.py, not here.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from fiw.analysis import (
    all_edition_changes,
    decline_runs,
    indicator_changes,
    net_decline_series,
    status_distribution,
    trends,
)
from fiw.settings import get_settings
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.importer import import_files

REPEAT = 7


def _best_ms(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def store_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """`ds.scores()` and `ds.ratings()` of a fresh SQLite store of both official workbooks."""
    settings = get_settings()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = make_engine(url)
        import_files(engine, [settings.all_data_workbook(), settings.ratings_workbook()])
        engine.dispose()
        dataset = open_dataset(url)
        frames = dataset.scores(), dataset.ratings()
        dataset.engine.dispose()
    return frames


def run() -> list[dict[str, Any]]:
    """Time the analyses a user asks for most, on every edition of the official data."""
    scores, ratings = store_frames()
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
        (
            "analysis: status distribution 1973-2024 (ratings history)",
            lambda: status_distribution(ratings),
            "< 100 ms",
        ),
    ]
    return [
        {"benchmark": name, "value": _best_ms(work), "unit": "ms", "target": target}
        for name, work, target in cases
    ]


if __name__ == "__main__":
    for result in run():
        print(f"{result['benchmark']}: {result['value']} {result['unit']} ({result['target']})")

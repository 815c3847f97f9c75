"""Report-page benchmarks: importing the 1,228 corpus pages into a fresh SQLite file (beside
the workbooks, which are imported first and not timed), and the latency of `ds.search()`."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from fiw.settings import get_settings
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.importer import import_files

QUERIES = ("journalists", '"freedom of assembly"', "elect*", "judicial independence", "covid-19")


def run() -> list[dict[str, object]]:
    """Import time of the pages corpus (parse, map, compare, write, index) and search p50/p99
    over a few queries (first 50 hits, with filters and without)."""
    settings = get_settings()
    workbooks = [settings.all_data_workbook(), settings.ratings_workbook()]
    pages = settings.shared_file("data", "pages")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = make_engine(url)
        import_files(engine, workbooks)
        start = time.perf_counter()
        import_files(engine, [pages])
        import_seconds = time.perf_counter() - start
        start = time.perf_counter()
        import_files(engine, [pages])
        reimport_seconds = time.perf_counter() - start
        engine.dispose()
        ds = open_dataset(url)
        timings = []
        for _ in range(20):
            for q in QUERIES:
                for filters in ({}, {"edition": 2022, "status": "NF"}):
                    start = time.perf_counter()
                    ds.search(q, limit=50, **filters)  # type: ignore[arg-type]
                    timings.append(time.perf_counter() - start)
        ds.engine.dispose()
    ms = sorted(t * 1000 for t in timings)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return [
        {
            "benchmark": "import the 1,228 report pages into SQLite (workbooks already in)",
            "value": round(import_seconds, 2),
            "unit": "s",
            "target": "< 10 s",
            "note": f"re-import, all unchanged: {reimport_seconds:.2f} s",
        },
        {
            "benchmark": "ds.search() p50, first 50 hits (SQLite FTS5)",
            "value": round(statistics.median(ms), 1),
            "unit": "ms",
            "target": "< 50 ms",
            "note": f"p99 {p99:.1f} ms over {len(ms)} searches of {len(QUERIES)} queries",
        },
    ]


if __name__ == "__main__":
    for result in run():
        print(result)

"""Store benchmarks: importing both official workbooks into a fresh SQLite file, and reading
every edition's scores with `ds.scores()`."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from fiw.settings import get_settings
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.importer import import_files


def _best(function: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[dict[str, object]]:
    """Import time of both workbooks into a new SQLite file (migrations included), and the
    time of `ds.scores()` for all editions (best of 10)."""
    settings = get_settings()
    workbooks = [settings.all_data_workbook(), settings.ratings_workbook()]
    import_seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(3):
            url = f"sqlite:///{Path(folder) / f'bench{attempt}.sqlite'}"
            engine = make_engine(url)
            start = time.perf_counter()  # includes creating the schema (Alembic revisions)
            import_files(engine, workbooks)
            import_seconds.append(time.perf_counter() - start)
            engine.dispose()
        dataset = open_dataset(url)
        dataset.scores()  # imports pandas once, outside the timing
        scores_seconds = _best(dataset.scores, 10)
        dataset.engine.dispose()
    return [
        {
            "benchmark": "import both official workbooks into a fresh SQLite file",
            "value": round(min(import_seconds), 3),
            "unit": "s",
            "target": "< 2 s",
        },
        {
            "benchmark": "ds.scores() for all editions (2,515 rows, SQLite)",
            "value": round(scores_seconds * 1000, 1),
            "unit": "ms",
            "target": "< 100 ms",
        },
    ]


if __name__ == "__main__":
    for result in run():
        print(result)

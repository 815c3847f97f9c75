"""Score-assistant benchmarks: the three measures of `fiw assist evaluate --edition 2023` (with
their baselines), the latency of one suggestion, and the time to check a whole edition.

The pages corpus is imported into a fresh SQLite file, the model trained on the editions
before 2023 (single-threaded, as `fiw assist train` does), and 2023 is never trained on."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from fiw.assist import check_edition, evaluate, load_corpus, train
from fiw.settings import get_settings
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.importer import import_files

EDITION = 2023


def run() -> list[dict[str, object]]:
    """Measures against targets, suggestion p50 on one core, a whole edition's check."""
    settings = get_settings()
    workbooks = [settings.all_data_workbook(), settings.ratings_workbook()]
    pages = settings.shared_file("data", "pages")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = make_engine(url)
        import_files(engine, [*workbooks, pages])
        engine.dispose()
        ds = open_dataset(url)
        corpus = load_corpus(ds)
        start = time.perf_counter()
        model = train(corpus, until=EDITION)
        train_seconds = time.perf_counter() - start
        result = evaluate(corpus, EDITION, model)
        cells = corpus.where([EDITION])
        timings, pages = [], []
        with threadpool_limits(limits=1):
            for cell in cells[:100]:  # one indicator alone: its report read for it alone
                start = time.perf_counter()
                model.judge([cell])
                timings.append((time.perf_counter() - start) * 1000)
            for first in range(0, 25 * 20, 25):  # a page: its 25 indicators together
                start = time.perf_counter()
                model.judge(cells[first : first + 25])
                pages.append((time.perf_counter() - start) * 1000 / 25)
        start = time.perf_counter()
        rows, _ = check_edition(model, ds, EDITION)
        check_seconds = time.perf_counter() - start
        ds.engine.dispose()
    c, h, t = result.change_detection, result.history, result.text_only
    o = result.provenance
    return [
        {
            "benchmark": f"change detection {EDITION}: recall at 5% (direction of those found)",
            "value": f"{c.recall:.1%} ({c.direction:.1%})",
            "unit": "",
            "target": "≥ 80% (≥ 97%)",
            "note": f"baseline TF-IDF + ridge {c.baseline_recall:.1%} "
            f"({c.baseline_direction:.1%}); {c.changed} changed of {c.cells} cells",
        },
        {
            "benchmark": f"suggestion with history {EDITION}: exact",
            "value": f"{h.exact:.1%}",
            "unit": "",
            "target": "≥ 97.5%",
            "note": f"baseline repeat last year {h.baseline_exact:.1%}",
        },
        {
            "benchmark": f"suggestion from text alone, unseen countries {EDITION}: exact (MAE)",
            "value": f"{t.exact:.1%} ({t.mae:.2f})",
            "unit": "",
            "target": "≥ 65% (≤ 0.45)",
            "note": f"baseline TF-IDF + logistic regression {t.baseline_exact:.1%} "
            f"({t.baseline_mae:.2f}); {t.folds} country folds",
        },
        {
            "benchmark": "suggest, per indicator of a page (with history), p50 on one core",
            "value": round(statistics.median(pages), 1),
            "unit": "ms",
            "target": "< 50 ms",
            "note": f"one indicator alone: p50 {statistics.median(timings):.1f} ms",
        },
        {
            "benchmark": f"check the whole {EDITION} edition (load, judge, rank)",
            "value": round(check_seconds, 1),
            "unit": "s",
            "target": "< 60 s",
            "note": f"{len(rows):,} cells; training {train_seconds:.0f} s",
        },
        {
            "benchmark": "cells measured (sha256 of trained / evaluated cells)",
            "value": f"{o.trained_cells[:12]} / {o.evaluated_cells[:12]}",
            "unit": "",
            "target": "",
            "note": f"numpy {o.numpy}, scipy {o.scipy}, scikit-learn {o.scikit_learn}; "
            f"{o.processor}",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)

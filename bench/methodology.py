"""The audit of the official workbook: the recomputation alone, and the whole command."""

from __future__ import annotations

import subprocess
import sys

from bench.common import best_of, median_of
from fiw.settings import Settings
from fiw.sources.all_data import read_all_data
from fiw.sources.audit import audit


def run() -> list[dict[str, object]]:
    settings = Settings()
    workbook = settings.all_data_workbook()
    ratings = settings.ratings_workbook()
    records = read_all_data(workbook).records
    recompute = best_of(lambda: audit(records), repeat=7)
    read = best_of(lambda: read_all_data(workbook), repeat=5)
    command = [sys.executable, "-m", "fiw.cli", "audit", str(workbook), "--ratings", str(ratings)]
    whole = median_of(lambda: subprocess.run(command, check=True, capture_output=True), repeat=5)
    return [
        {
            "benchmark": f"recompute {len(records):,} workbook rows",
            "value": f"{recompute * 1000:.0f}",
            "unit": "ms",
            "target": "< 300 ms",
        },
        {
            "benchmark": "read the All_data workbook (calamine)",
            "value": f"{read * 1000:.0f}",
            "unit": "ms",
            "target": "—",
        },
        {
            "benchmark": "`fiw audit … --ratings …` whole command (median of 5)",
            "value": f"{whole:.2f}",
            "unit": "s",
            "target": "< 1 s",
        },
    ]

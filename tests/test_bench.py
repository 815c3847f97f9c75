"""`python -m bench NAME…` replaces only the named modules' rows of docs/benchmarks.md: the
other modules' rows stay, in their order, so benchmarks can be rerun module by module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.__main__ import HEADER, INTRO, OUT, merge, modules

ROOT = Path(__file__).resolve().parent.parent
OLD = "\n".join(
    [*INTRO, "Machine: old, 2026-01-01.", "", *HEADER,
     "| analysis | changes | 17.1 ms | < 200 ms |  |",
     "| pages | parse | 5346 pages/s | >= 1500 |  |",
     "| pages | render | 23936 pages/s | - |  |",
     "| web | p99 | 9.6 ms | < 100 ms | a note |"]
) + "\n"  # fmt: skip


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "area" not in line]


def test_a_partial_run_replaces_only_its_modules_rows_in_place() -> None:
    new = ["| pages | parse | 6000 pages/s | >= 1500 |  |"]
    text = merge(OLD, {"pages": new}, "Machine: new, 2026-11-28.")
    assert _rows(text) == [
        "| analysis | changes | 17.1 ms | < 200 ms |  |",
        *new,
        "| web | p99 | 9.6 ms | < 100 ms | a note |",
    ]
    assert "Machine: new, 2026-11-28." in text and "Machine: old" not in text


def test_a_module_new_to_the_table_goes_in_its_sorted_place() -> None:
    text = merge(OLD, {"store": ["| store | import | 0.5 s | < 2 s |  |"]}, "Machine: new.")
    assert [row.split("|")[1].strip() for row in _rows(text)] == [
        "analysis", "pages", "pages", "store", "web",
    ]  # fmt: skip


def test_the_committed_table_survives_a_merge_of_nothing() -> None:
    text = OUT.read_text(encoding="utf-8")
    machine = next(line for line in text.splitlines() if line.startswith("Machine:"))
    assert merge(text, {}, machine) == text
    assert {row.split("|")[1].strip() for row in _rows(text)} <= set(modules())


def test_an_unknown_module_is_refused_before_anything_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "no_such_module"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "no module no_such_module" in done.stderr and "pages" in done.stderr

"""Parsing a whole folder of pages on every core, in a stable (sorted) order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from fiw.pages.errors import ParseError
from fiw.pages.model import Report
from fiw.pages.parse import parse_file


@dataclass(frozen=True)
class PageResult:
    """One file's outcome: a report (possibly with problems) or the error that stopped it."""

    file: Path
    report: Report | None
    error: ParseError | None


def page_files(folder: Path) -> list[Path]:
    """Every `*.txt` page under `folder` (recursively), sorted."""
    return sorted(p for p in folder.rglob("*.txt") if p.is_file())


def _parse_one(path: Path, edition: int | None) -> PageResult:
    try:
        return PageResult(path, parse_file(path, edition=edition), None)
    except ParseError as exc:
        return PageResult(path, None, exc)


def parse_folder(
    folder: str | Path, *, edition: int | None = None, workers: int | None = None
) -> Iterator[PageResult]:
    """Parse every page under `folder` with a process per core; results in file order."""
    files = page_files(Path(folder))
    workers = workers or os.cpu_count() or 1
    one = partial(_parse_one, edition=edition)
    if workers == 1 or len(files) < 8:
        yield from map(one, files)
        return
    chunk = max(1, min(64, len(files) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(one, files, chunksize=chunk)

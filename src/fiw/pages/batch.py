"""Parsing a whole folder of pages on every core, in a stable (sorted) order."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from fiw.pages.errors import ParseError
from fiw.pages.model import Report, report_to_json
from fiw.pages.parse import parse_file
from fiw.workers import die_with


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


T = TypeVar("T")


def _map_files(one: Callable[[Path], T], files: list[Path], workers: int | None) -> Iterator[T]:
    """`one` over `files` with a process per core (in file order); serially when small."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 8:
        yield from map(one, files)
        return
    chunk = max(1, min(64, len(files) // (workers * 4)))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with, initargs=(os.getpid(),))
    with pool:
        yield from pool.map(one, files, chunksize=chunk)


def parse_folder(
    folder: str | Path, *, edition: int | None = None, workers: int | None = None
) -> Iterator[PageResult]:
    """Parse every page under `folder` with a process per core; results in file order."""
    files = page_files(Path(folder))
    yield from _map_files(partial(_parse_one, edition=edition), files, workers)


def page_json(result: PageResult) -> tuple[dict[str, object], int]:
    """A page's `fiw parse --jsonl` object and its exit code (0 clean, 1 problems, 2 error)."""
    if result.error is not None:
        error = {
            "message": str(result.error),
            "line": result.error.line_number,
            "expected": result.error.expected,
        }
        return {"file": str(result.file), "error": error}, 2
    assert result.report is not None
    code = 1 if result.report.problems else 0
    return {"file": str(result.file), **report_to_json(result.report)}, code


def _json_line(path: Path, edition: int | None) -> tuple[str, int]:
    obj, code = page_json(_parse_one(path, edition))
    return json.dumps(obj, ensure_ascii=False), code


def parse_folder_jsonl(
    folder: str | Path, *, edition: int | None = None, workers: int | None = None
) -> Iterator[tuple[str, int]]:
    """Every page under `folder` as one JSON line and its exit code, in file order.

    The workers serialise the reports themselves, so only short strings cross between
    processes: that is what makes a second core pay off.
    """
    files = page_files(Path(folder))
    yield from _map_files(partial(_json_line, edition=edition), files, workers)

"""Shared test data for the pages tests: the corpus parsed once per test process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fiw.pages import Report, parse_file
from fiw.settings import get_settings


@dataclass(frozen=True)
class CorpusPage:
    path: Path
    expected: dict[str, Any]
    report: Report


def shared(*parts: str) -> Path:
    """A file under FIW_SHARED; a clear failure (never a skip) when it is missing."""
    return get_settings().shared_file(*parts)


def report_page_files() -> list[Path]:
    """Every corpus page and the two report pages of page-variants."""
    pages = sorted(shared("data", "pages").glob("*/*.txt"))
    assert len(pages) == 1228, f"expected 1,228 corpus pages under {shared('data', 'pages')}"
    variants = shared("data", "page-variants")
    return [*pages, variants / "2018-capital-combined.txt", variants / "2024-territory.txt"]


@cache
def corpus() -> tuple[CorpusPage, ...]:
    """Each page parsed once (per test process), with the .json beside it."""
    out = []
    for path in report_page_files():
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        out.append(CorpusPage(path, expected, parse_file(path)))
    return tuple(out)


def seed_text() -> str:
    """The seed page (Kazakhstan, 2023) as text."""
    return shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")


def line_of(text: str, start: str) -> int:
    """The 1-based number of the first line of `text` that starts with `start`."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))

"""The cells the assistant learns from and judges: one (country, edition, indicator) each.

A cell holds the indicator's narrative with the answer removed (`fiw.assist.text`), the
narrative of the whole report (the level the rest of the country's text implies), and, when
the store has it, the previous edition's score and narrative of the same indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fiw.assist.text import answer_free
from fiw.methodology.vocabulary import INDICATOR_MAX, INDICATOR_MIN, INDICATORS
from fiw.pages.model import Report
from fiw.store.dataset import Dataset


@dataclass(frozen=True)
class Previous:
    """Last edition's published score and answer-free narrative of the same indicator."""

    score: int
    sentences: tuple[str, ...]
    report_text: str = ""


@dataclass(frozen=True)
class Cell:
    """One indicator of one report as the model sees it; `score` is None when unknown."""

    country_id: str
    country: str
    edition: int
    code: str
    score: int | None
    sentences: tuple[str, ...]
    report_text: str
    previous: Previous | None = None

    @property
    def text(self) -> str:
        """The answer-free narrative as one string."""
        return " ".join(self.sentences)

    def before(self) -> Cell:
        """Last year's narrative of the same indicator as a cell of its own (needs a history)."""
        assert self.previous is not None
        return Cell(
            country_id=self.country_id,
            country=self.country,
            edition=self.edition - 1,
            code=self.code,
            score=self.previous.score,
            sentences=self.previous.sentences,
            report_text=self.previous.report_text,
        )

    @property
    def low(self) -> int:
        """The lowest score this indicator takes."""
        return INDICATOR_MIN[self.code]

    @property
    def high(self) -> int:
        """The highest score this indicator takes."""
        return INDICATOR_MAX[self.code]


def _narratives(report: Report) -> tuple[dict[str, tuple[str, ...]], str]:
    """Each indicator's answer-free sentences, and all of them as the report's text."""
    narratives = {i.code: answer_free(i.paragraphs) for i in report.indicators}
    text = " ".join(" ".join(narratives[code]) for code in INDICATORS if code in narratives)
    return narratives, text


def report_cells(
    report: Report, country_id: str, edition: int, previous: Report | None = None
) -> list[Cell]:
    """The 25 cells of a report, with the previous edition's report as their history."""
    narratives, report_text = _narratives(report)
    earlier: dict[str, Previous] = {}
    if previous is not None:
        before, before_text = _narratives(previous)
        earlier = {
            i.code: Previous(i.score, before[i.code], before_text) for i in previous.indicators
        }
    return [
        Cell(
            country_id=country_id,
            country=report.country,
            edition=edition,
            code=item.code,
            score=item.score,
            sentences=narratives[item.code],
            report_text=report_text,
            previous=earlier.get(item.code),
        )
        for item in report.indicators
    ]


@dataclass(frozen=True)
class Corpus:
    """Cells of the store's current reports, by edition; `filler` pages left out (see docs)."""

    cells: tuple[Cell, ...]
    skipped_filler: int

    def editions(self) -> tuple[int, ...]:
        """The editions present, oldest first."""
        return tuple(sorted({c.edition for c in self.cells}))

    def where(self, editions: Iterable[int]) -> list[Cell]:
        """The cells of these editions."""
        wanted = set(editions)
        return [c for c in self.cells if c.edition in wanted]


def filler(report: Report) -> bool:
    """Whether every indicator of the page carries one and the same narrative (the shared
    corpus's territory pages): no text tells one score from another, so it can only teach
    noise, and judging it ranks noise first."""
    return len(report.indicators) > 1 and len({i.paragraphs for i in report.indicators}) == 1


def load_corpus(ds: Dataset, editions: Sequence[int] | None = None) -> Corpus:
    """The cells of the store's current reports of `editions` (all when None), each with the
    previous edition's report of the same country as history where stored; `filler` pages
    skipped, counted in `skipped_filler`."""
    frame = ds.reports()
    available = sorted({int(e) for e in frame["edition"]})
    chosen = available if editions is None else sorted(set(editions) & set(available))
    wanted = set(chosen) | {e - 1 for e in chosen}
    rows = frame[frame["edition"].isin(sorted(wanted))]
    reports: dict[tuple[str, int], Report] = {}
    for country_id, edition in zip(rows["country_id"], rows["edition"], strict=True):
        report = ds.report(str(country_id), int(edition))
        if report is not None:
            reports[(str(country_id), int(edition))] = report
    cells: list[Cell] = []
    skipped = 0
    for (country_id, edition), report in sorted(reports.items()):
        if edition not in chosen:
            continue
        if filler(report):
            skipped += 1
            continue
        before = reports.get((country_id, edition - 1))
        cells.extend(report_cells(report, country_id, edition, before))
    return Corpus(tuple(cells), skipped)

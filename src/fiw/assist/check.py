"""Check and suggest: the assistant applied to a report page, a folder of pages, an edition in
the store, or one indicator's text.

Pages are matched to the store's previous edition of the same country for their history (a
page of a country the store lacks, or with no store at all, is judged from its text alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fiw.assist.corpus import Cell, Previous, filler, load_corpus, report_cells
from fiw.assist.errors import AssistError, NoReports
from fiw.assist.model import AssistModel
from fiw.assist.suggestion import Suggestion
from fiw.assist.text import answer_free
from fiw.errors import ParameterError
from fiw.methodology.vocabulary import INDICATOR_MAX, INDICATOR_MIN, INDICATORS
from fiw.pages import ParseError, Report, parse_file
from fiw.pages.batch import page_files, parse_folder
from fiw.store.dataset import Dataset
from fiw.store.errors import CountryNotFound


class PageUnreadable(AssistError):
    """A page given to check or suggest cannot be read as a report."""

    def __init__(self, path: Path, reason: str) -> None:
        self.where = str(path)
        self.fix = "give a country report page (`fiw parse FILE` shows what is wrong)"
        super().__init__(f"{path}: {reason}")


class UnknownIndicator(AssistError):
    """An indicator code the methodology does not have."""

    http_status = 422

    def __init__(self, code: str) -> None:
        self.where = "indicator"
        self.fix = f"use one of {', '.join(INDICATORS)}"
        super().__init__(f"indicator {code!r} is not one of the methodology's: {self.fix}")


def ranked(suggestions: Sequence[Suggestion], top: int | None = None) -> list[Suggestion]:
    """Most suspicious first (ties: country, edition, indicator order); the first `top`."""
    order = {code: i for i, code in enumerate(INDICATORS)}
    out = sorted(
        suggestions,
        key=lambda s: (-(s.suspicion or 0.0), s.country_id, s.edition, order[s.indicator]),
    )
    return out if top is None else out[:top]


def page_cells(report: Report, path: Path, ds: Dataset | None) -> list[Cell]:
    """A parsed page's cells, with the store's previous edition of its country as history."""
    if report.edition is None:
        raise PageUnreadable(path, "the page names no edition (no 'Key Developments in YEAR')")
    country_id = report.country.casefold().replace(" ", "-")
    previous = None
    if ds is not None:
        try:
            country_id = ds.country(report.country).id
        except CountryNotFound:
            pass
        else:
            previous = ds.report(country_id, report.edition - 1)
    return report_cells(report, country_id, report.edition, previous)


def read_reports(path: Path) -> list[tuple[Path, Report]]:
    """The report pages at `path` (a page, or a folder searched recursively for *.txt)."""
    if not path.exists():
        raise PageUnreadable(path, "no such file or folder")
    if path.is_dir():
        if not page_files(path):
            raise PageUnreadable(path, "holds no *.txt report pages (searched recursively)")
        out = []
        for result in parse_folder(path):
            if result.report is None:
                raise PageUnreadable(result.file, str(result.error))
            out.append((result.file, result.report))
        return out
    try:
        return [(path, parse_file(path))]
    except ParseError as exc:
        raise PageUnreadable(path, str(exc)) from None


def check_pages(
    model: AssistModel, path: Path, ds: Dataset | None, top: int | None = None
) -> tuple[list[Suggestion], list[Path]]:
    """Every indicator of the pages at `path`, most suspicious first, and the pages of a
    folder skipped as `filler`, as `load_corpus` skips them (a page given alone is judged
    whatever its text)."""
    cells: list[Cell] = []
    skipped: list[Path] = []
    for file, report in read_reports(path):
        if path.is_dir() and filler(report):
            skipped.append(file)
            continue
        found = page_cells(report, file, ds)
        model.check_edition(found[0].edition)
        cells.extend(found)
    if not cells:
        raise PageUnreadable(
            path,
            f"every page ({len(skipped)}) carries one narrative under every indicator: "
            "nothing to judge",
        )
    return ranked(model.judge(cells), top), skipped


def check_edition(
    model: AssistModel, ds: Dataset, edition: int, top: int | None = None
) -> tuple[list[Suggestion], int]:
    """Every indicator of an edition's reports in the store, most suspicious first, and how
    many `filler` pages were skipped."""
    model.check_edition(edition)
    corpus = load_corpus(ds, [edition])
    if not corpus.cells:
        raise NoReports(edition)
    return ranked(model.judge(corpus.cells), top), corpus.skipped_filler


def suggest_page(model: AssistModel, path: Path, ds: Dataset | None) -> list[Suggestion]:
    """A suggestion for each indicator of one page, in the methodology's order."""
    reports = read_reports(path)
    if len(reports) != 1:
        raise PageUnreadable(path, f"expected one report page, found {len(reports)}")
    file, report = reports[0]
    cells = page_cells(report, file, ds)
    return model.judge(cells)


def suggest_text(
    model: AssistModel,
    indicator: str,
    text: str,
    *,
    score: int | None = None,
    previous_score: int | None = None,
    previous_text: str | None = None,
) -> Suggestion:
    """A suggestion for one indicator's narrative (and last year's score and text, if known).

    The text is read as the whole report too: with one indicator only, the report level is
    weaker than from a full page."""
    if indicator not in INDICATORS:
        raise UnknownIndicator(indicator)
    low, high = INDICATOR_MIN[indicator], INDICATOR_MAX[indicator]
    for name, value in (("score", score), ("previous_score", previous_score)):
        if value is not None and not low <= value <= high:
            raise ParameterError(name, value, f"a score {low}-{high} for {indicator}")
    sentences = answer_free([text])
    previous = None
    if previous_score is not None:
        before = answer_free([previous_text or ""])
        previous = Previous(previous_score, before, " ".join(before))
    cell = Cell(
        country_id="",
        country="",
        edition=0,
        code=indicator,
        score=score,
        sentences=sentences,
        report_text=" ".join(sentences),
        previous=previous,
    )
    return model.judge([cell])[0]

"""Country pages to checked `Report`s: the entry points, the size limit and the edition.

`parse_page` reads a page with `LineReader` (one pass, linear in the page's size), settles
the edition from the page, the caller and the file name, and checks the report against the
methodology (`check`).
"""

from __future__ import annotations

from pathlib import Path

from fiw.pages.check import check, derived_status
from fiw.pages.errors import ParseError, RefusedPage
from fiw.pages.layout import FIRST_EDITION, YEAR, score_change
from fiw.pages.model import Problem, Report
from fiw.pages.reader import LineReader

MAX_PAGE_BYTES = 16 * 1024 * 1024
"""The largest page fiw parses (16 MiB of UTF-8); a larger one is refused before any work."""

__all__ = ["MAX_PAGE_BYTES", "parse_file", "parse_page", "score_change"]


def _path_year(source: Path) -> int | None:
    for part in (source.stem, source.parent.name):
        m = YEAR.search(part)
        if m:
            return int(m.group())
    return None


def _too_large(size: int, first_line: str, source: str | None) -> RefusedPage:
    return RefusedPage(
        1,
        first_line,
        f"a page of at most {MAX_PAGE_BYTES:,} bytes ({MAX_PAGE_BYTES // 2**20} MiB); "
        f"this one has {size:,}",
        source,
    )


def parse_page(
    text: str, *, edition: int | None = None, source: str | Path | None = None
) -> Report:
    """Parse one page's text into a checked `Report`; ParseError when it cannot be placed.

    The edition comes from 'Key Developments in YEAR' (YEAR + 1), else `edition`, else a
    four-digit year in `source`'s file or folder name; sources that disagree are a problem.
    """
    name = str(source) if source is not None else None
    size = len(text) if len(text) * 4 <= MAX_PAGE_BYTES else len(text.encode("utf-8", "replace"))
    if size > MAX_PAGE_BYTES:
        raise _too_large(size, text[:200].partition("\n")[0], name)
    try:
        page = LineReader(text).parse()
    except ParseError as exc:
        raise exc.with_source(name) if name else exc from None
    problems = page.problems
    candidates: list[tuple[str, int]] = []
    if page.kd_year is not None:
        candidates.append(
            (
                f"'Key Developments in {page.kd_year}' (line {page.where['edition']})",
                page.kd_year + 1,
            )
        )
    if edition is not None:
        candidates.append(("--edition", edition))
    if source is not None:
        year = _path_year(Path(source))
        if year is not None:
            candidates.append((f"the file name {Path(source).name!r}", year))
    resolved = candidates[0][1] if candidates else None
    if len({year for _, year in candidates}) > 1:
        said = "; ".join(f"{what} says {year}" for what, year in candidates)
        problems.append(
            Problem(
                f"the edition is unclear: {said}; using {resolved}",
                (page.where["edition"],) if "edition" in page.where else (),
            )
        )
    if resolved is not None and resolved < FIRST_EDITION:
        raise RefusedPage(
            page.where.get("edition", 1),
            "",
            f"a page of the {resolved} edition: pages before the {FIRST_EDITION} edition "
            "carry no indicator scores",
            name,
        )
    assert page.pr is not None and page.cl is not None and page.country is not None
    status = page.status
    if status is None and resolved is not None:
        status = derived_status(page.pr, page.cl, resolved)
    if page.name is not None and page.name != page.country:
        problems.append(
            Problem(
                f"the name line says {page.name!r} but the footer says {page.country!r}",
                (page.where["name"], page.where["country"]),
            )
        )
    report = Report(
        country=page.country,
        edition=resolved,
        territory=page.territory,
        status=status,
        pr=page.pr,
        cl=page.cl,
        total=page.total if page.total is not None else page.pr + page.cl,
        last_year=page.last_year,
        notes=tuple(page.notes),
        overview=page.overview or "",
        key_developments=tuple(page.key_developments),
        indicators=tuple(page.indicators),
        add_q=page.add_q,
        site_latest=page.site_latest,
        internet_freedom=page.internet_freedom,
    )
    problems.extend(check(report, page.where))
    if problems:
        report = Report(**{**report.__dict__, "problems": tuple(problems)})
    return report


def parse_file(path: str | Path, *, edition: int | None = None) -> Report:
    """Parse a page saved as a UTF-8 text file (see `parse_page`)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise _too_large(size, "", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            1, "", f"UTF-8 text ({exc.reason} at byte {exc.start})", str(path)
        ) from None
    return parse_page(text, edition=edition, source=path)

"""Full-text search of the report narratives: `/search` (HTML and `.json`) and
`/api/v1/search` (JSON or CSV). The store runs the query (`fiw.store.search`); a hit links
to its paragraph's section on the country page (`/country/{id}/{edition}#A1`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fiw.errors import ParameterError, UnknownCountry
from fiw.methodology import INDICATORS_OF, STATUSES, load_index
from fiw.store.search import SearchHit
from fiw.web.queries import check_edition, parse_format, parse_region, parse_status, snapshot
from fiw.web.render import (
    CSV_RESPONSE,
    PageContext,
    csv_response,
    flat_rows,
    json_response,
    page,
    page_format,
    respond,
)
from fiw.web.snapshot import CountryInfo, Row, Snapshot

router = APIRouter()


def _sections() -> dict[str, str]:
    """Sections a hit can be in, as the filter offers them (value -> label), in the order of a
    report: each aggregate's indicators, then its discretionary question still asked (Q)."""
    rules = load_index("fiw")
    sections = {"overview": "Overview", "key_developments": "Key developments"}
    for aggregate in rules.aggregates:
        for category in aggregate.categories:
            sections.update({code: code for code in INDICATORS_OF[category]})
        for question in rules.discretionary:
            if question.aggregate == aggregate.code and question.last is None:
                sections[question.code] = f"{question.code} (discretionary)"
    return sections


SECTIONS: dict[str, str] = _sections()
PAGE_SIZE = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000  # beyond every paragraph held; bigger numbers overflow SQLite's integers


class Searcher(Protocol):
    """What the view needs from the store's Dataset."""

    def search(
        self,
        q: str,
        indicator: Any = None,
        edition: Any = None,
        region: Any = None,
        status: Any = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Any]: ...


@dataclass(frozen=True)
class Hit(SearchHit):
    """The store's hit and the address of its paragraph on the country page."""

    url: str

    def row(self) -> Row:
        """The hit as a CSV row (`CSV_COLUMNS`)."""
        return {**self.to_dict(), "url": self.url}


CSV_COLUMNS = [f.name for f in fields(Hit) if f.name != "marks"]


@dataclass(frozen=True)
class SearchFilters:
    q: str | None
    indicator: str | None
    edition: int | None
    region: str | None
    status: str | None


@dataclass(frozen=True)
class SearchPage(PageContext):
    filters: SearchFilters
    editions: list[int]
    regions: list[str]
    statuses: tuple[str, ...]  # the status filter's choices, best first
    sections: dict[str, str]
    offset: int
    limit: int
    count: int
    more: bool
    hits: tuple[Hit, ...]
    named: CountryInfo | None  # the country or territory the words name ("Ivory Coast"), if any


def searcher(request: Request) -> Searcher:
    """The store behind the served snapshot: it runs the full-text search."""
    found: Searcher = snapshot(request).store
    return found


def parse_section(value: str | None) -> str | None:
    if not value:
        return None
    for key in SECTIONS:
        if key.lower() == value.lower():
            return key
    raise ParameterError("indicator", value, "one of " + ", ".join(SECTIONS))


def anchor(indicator: str) -> str:
    """The country page's fragment for a section: the indicator code (A1 … G4, Q),
    `overview`, `key-developments`, or `notes` for a note's label."""
    if indicator == "key_developments":
        return "key-developments"
    return indicator if indicator in SECTIONS else "notes"


def run_search(
    request: Request,
    q: str | None,
    indicator: str | None,
    edition: int | None,
    region: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> SearchPage:
    """The hits of `q` under the filters (none when `q` is empty), one page of them."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ParameterError("limit", limit, f"a whole number 1 to {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ParameterError("offset", offset, f"a whole number 0 to {MAX_OFFSET:,}")
    filters = SearchFilters(
        q=(q or "").strip() or None, indicator=parse_section(indicator),
        edition=check_edition(request, edition) if edition is not None else None,
        region=parse_region(request, region), status=parse_status(status),
    )  # fmt: skip
    found: list[Any] = []
    if filters.q:
        found = searcher(request).search(
            filters.q, indicator=filters.indicator, edition=filters.edition,
            region=filters.region, status=filters.status, limit=limit + 1, offset=offset,
        )  # fmt: skip
    hits = tuple(
        Hit(**{f.name: getattr(h, f.name) for f in fields(h)},
            url=f"/country/{h.country_id}/{h.edition}?{urlencode({'hl': filters.q})}"
                f"#{anchor(h.indicator)}")
        for h in found[:limit]
    )  # fmt: skip
    snap = snapshot(request)
    return SearchPage(
        filters=filters, editions=list(snap.editions), regions=list(snap.regions),
        statuses=STATUSES,
        sections=SECTIONS, offset=offset, limit=limit, count=len(hits),
        more=len(found) > limit, hits=hits, named=_named(snap, filters.q),
    )  # fmt: skip


def _named(snap: Snapshot, q: str | None) -> CountryInfo | None:
    """The country the whole query names, by any of its names or spellings (not an error
    when none: most queries are words of the narratives)."""
    if not q:
        return None
    try:
        return snap.country(q, loose=True)
    except UnknownCountry:
        return None


@page(router, "/search", csv=True)
def search_page(
    request: Request,
    q: str | None = None,
    indicator: str | None = None,
    edition: int | None = None,
    region: str | None = None,
    status: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> Response:
    """Full-text search of the report narratives, filtered by indicator, edition, region and
    status; each hit links to its paragraph."""
    ctx = run_search(request, q, indicator, edition, region, status, limit, offset)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        rows, columns = flat_rows(ctx.hits)
        return rows, columns or ["country_id"], "fiw-search.csv"

    return respond(request, "search.html", ctx, csv_rows=as_csv)


@router.get("/api/v1/search", response_model=list[Hit], responses=CSV_RESPONSE, tags=["search"])
def search_api(
    request: Request,
    q: str,
    indicator: str | None = None,
    edition: int | None = None,
    region: str | None = None,
    status: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    format: str | None = None,
) -> Response:
    """Paragraphs of the imported reports containing every term of `q` (words, "quoted
    phrases", prefix*), newest edition first; filters are optional (`?format=csv` for CSV)."""
    parse_format(format)
    if not q.strip():
        raise ParameterError("q", q, "at least one word to search for")
    ctx = run_search(request, q, indicator, edition, region, status, limit, offset)
    if page_format(request) == "csv":
        return csv_response([h.row() for h in ctx.hits], CSV_COLUMNS, "fiw-search.csv")
    return json_response(ctx.hits, kind=tuple[Hit, ...])

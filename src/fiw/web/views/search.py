"""Full-text search of the report narratives: `/search` (HTML and `.json`) and
`/api/v1/search` (JSON or CSV). The store runs the query (`fiw.store.search`); a hit links
to its paragraph's section on the country page (`/country/{id}/{edition}#A1`)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fiw.errors import FiwError, ParameterError
from fiw.methodology import INDICATORS, STATUSES
from fiw.store import search as store_search
from fiw.store.dataset import Dataset
from fiw.store.search import SearchHit
from fiw.store.searchpool import SearchPool
from fiw.web.queries import check_edition, parse_format, parse_region, parse_status, snapshot
from fiw.web.render import (
    CSV_RESPONSE,
    ErrorBody,
    PageContext,
    csv_response,
    flat_rows,
    json_response,
    page,
    page_format,
    respond,
)
from fiw.web.snapshot import CountryInfo, Snapshot

router = APIRouter()


def _label(section: str) -> str:
    """A section as the filter offers it: Overview, Key developments, A1 … G4, Q (discretionary)."""
    named = {"overview": "Overview", "key_developments": "Key developments"}
    return named.get(section, section if section in INDICATORS else f"{section} (discretionary)")


SECTIONS: dict[str, str] = {s: _label(s) for s in store_search.SECTIONS}
"""The sections a hit can be in (`fiw.store.search.SECTIONS`, value -> label)."""
PAGE_SIZE = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000  # beyond every paragraph held; bigger numbers overflow SQLite's integers


# Searches run one per two cores at a time (the others queue), in worker processes at the
# lowest priority (`fiw.store.searchpool`), so that broad queries cannot take cores from the
# pages and the API; a search that waits too long for its slot is a 429.
SLOTS = max(1, (os.cpu_count() or 1) // 2)
SEARCH_SLOTS = threading.BoundedSemaphore(SLOTS)
SEARCH_WAIT = 10.0
SEARCHES = SearchPool(workers=SLOTS)


class SearchBusy(FiwError):
    """Every search slot stayed taken for SEARCH_WAIT seconds."""

    http_status = 429
    where = "q"


BUSY: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "Too many searches at once: try again in seconds"}
}
"""The OpenAPI response of the routes that take a search slot (SearchBusy)."""


CSV_COLUMNS = [*(f.name for f in fields(SearchHit) if f.name != "marks"), "url"]


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
    hits: tuple[SearchHit, ...]
    named: CountryInfo | None  # the country or territory the words name ("Ivory Coast"), if any


def searcher(request: Request) -> Dataset:
    """The store behind the served snapshot: it runs the full-text search."""
    return snapshot(request).store


def parse_section(value: str | None) -> str | None:
    if not value:
        return None
    for key in SECTIONS:
        if key.lower() == value.lower():
            return key
    raise ParameterError("indicator", value, "one of " + ", ".join(SECTIONS))


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
    found: list[SearchHit] = []
    if filters.q:
        if not SEARCH_SLOTS.acquire(timeout=SEARCH_WAIT):
            raise SearchBusy("q: too many searches at once; try again in a few seconds")
        try:
            found = SEARCHES.search(
                searcher(request), filters.q, indicator=filters.indicator,
                edition=filters.edition, region=filters.region, status=filters.status,
                limit=limit + 1, offset=offset,
            )  # fmt: skip
        finally:
            SEARCH_SLOTS.release()
    hits = tuple(found[:limit])
    snap = snapshot(request)
    return SearchPage(
        filters=filters, editions=list(snap.editions), regions=list(snap.regions),
        statuses=STATUSES,
        sections=SECTIONS, offset=offset, limit=limit, count=len(hits),
        more=len(found) > limit, hits=hits, named=_named(snap, filters.q),
    )  # fmt: skip


NAME_CHARS = 100  # longer than any name or spelling of a country (the longest has 52)


def _named(snap: Snapshot, q: str | None) -> CountryInfo | None:
    """The country the whole query names, by any of its names or spellings (none is not an
    error: most queries are words of the narratives). A query too long to be a name, or
    with search syntax in it, is not looked up (country_converter's patterns cost time)."""
    if not q or len(q) > NAME_CHARS or "*" in q or '"' in q:
        return None
    return snap.lookup(q, loose=True)


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


@router.get(
    "/api/v1/search",
    response_model=list[SearchHit],
    responses={**CSV_RESPONSE, **BUSY},
    tags=["search"],
)
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
        return csv_response([h.to_dict() for h in ctx.hits], CSV_COLUMNS, "fiw-search.csv")
    return json_response(ctx.hits, kind=tuple[SearchHit, ...])

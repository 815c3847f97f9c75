"""The countries table of an edition (sortable, filterable, CSV) and `/api/v1/countries`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from fiw.errors import ParameterError
from fiw.methodology import STATUSES
from fiw.web.queries import (
    check_edition,
    parse_format,
    parse_kind,
    parse_region,
    parse_status,
    snapshot,
)
from fiw.web.render import (
    CSV_RESPONSE,
    PageContext,
    csv_response,
    json_response,
    page,
    page_format,
    respond,
)
from fiw.web.snapshot import CountryInfo, Snapshot

router = APIRouter()

# Sortable columns: query value -> (label, numeric?)
COLUMNS: dict[str, tuple[str, bool]] = {
    "name": ("Country or territory", False),
    "region": ("Region", False),
    "total": ("Total", True),
    "pr": ("PR", True),
    "cl": ("CL", True),
    "pr_rating": ("PR rating", True),
    "cl_rating": ("CL rating", True),
    "status": ("Status", False),
    "change": ("Change", True),
}
STATUS_ORDER = {status: i for i, status in enumerate(STATUSES)}


@dataclass(frozen=True)
class CountryRow:
    country_id: str
    iso3: str | None
    name: str
    kind: str
    region: str
    total: int
    pr: int
    cl: int
    pr_rating: int
    cl_rating: int
    status: str | None
    previous_total: int | None
    change: int | None


ROW_KEYS = tuple(f.name for f in fields(CountryRow))


@dataclass(frozen=True)
class Filters:
    region: str | None
    status: str | None
    kind: str | None
    q: str | None
    sort: str
    order: str


@dataclass(frozen=True)
class CountriesPage(PageContext):
    edition: int
    editions: list[int]
    regions: list[str]
    statuses: tuple[str, ...]  # the status filter's choices, best first
    filters: Filters
    count: int
    rows: list[CountryRow]


def _sort_key(column: str) -> Any:
    def key(row: CountryRow) -> tuple[Any, ...]:
        value = getattr(row, column)
        if column == "status":
            value = STATUS_ORDER.get(value or "", len(STATUS_ORDER))
        missing = value is None
        return (missing, value if not missing else 0, row.name)

    return key


def edition_rows(snap: Snapshot, edition: int) -> list[CountryRow]:
    """The table's rows of an edition, built once per process."""

    def build() -> list[CountryRow]:
        return [CountryRow(*(r[k] for k in ROW_KEYS)) for r in snap.with_changes(edition)]

    return snap.memo(("countries-rows", str(edition)), build)


def rows_html(request: Request, edition: int) -> dict[str, Markup]:
    """Each row of the edition's table as HTML by country id, rendered once per process:
    filtering and sorting only pick and order them."""

    def build() -> dict[str, Markup]:
        template = request.app.state.templates.get_template("_country_row.html")
        return {
            r.country_id: Markup(template.render(r=r, edition=edition, status_order=STATUS_ORDER))
            for r in edition_rows(snap, edition)
        }

    snap = snapshot(request)
    return snap.memo(("countries-html", str(edition)), build)


def countries_page(
    request: Request,
    edition: int | None,
    region: str | None,
    status: str | None,
    kind: str | None,
    q: str | None,
    sort: str,
    order: str,
) -> CountriesPage:
    """Every country and territory of `edition`, filtered and sorted as asked."""
    if sort not in COLUMNS:
        raise ParameterError("sort", sort, "one of " + ", ".join(COLUMNS))
    if order not in ("asc", "desc"):
        raise ParameterError("order", order, "asc or desc")
    edition = check_edition(request, edition)
    filters = Filters(
        region=parse_region(request, region), status=parse_status(status), kind=parse_kind(kind),
        q=(q or "").strip() or None, sort=sort, order=order,
    )  # fmt: skip
    snap = snapshot(request)
    rows = [
        r
        for r in edition_rows(snap, edition)
        if (filters.region is None or r.region == filters.region)
        and (filters.status is None or r.status == filters.status)
        and (filters.kind is None or r.kind == filters.kind)
    ]
    if filters.q:
        needle = filters.q.casefold()
        rows = [r for r in rows if needle in r.name.casefold() or needle == (r.iso3 or "").lower()]
    rows.sort(key=_sort_key(sort), reverse=order == "desc")
    if order == "desc":  # keep rows without a value last either way
        rows.sort(key=lambda r: getattr(r, sort) is None)
    return CountriesPage(
        edition=edition, editions=list(snap.editions), regions=list(snap.regions),
        statuses=STATUSES,
        filters=filters, count=len(rows), rows=rows,
    )  # fmt: skip


@page(router, "/countries", csv=True)
async def countries(
    request: Request,
    edition: int | None = None,
    region: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    sort: str = "name",
    order: str = "asc",
) -> Response:
    """Every country and territory of an edition: scores, ratings, status and change."""
    ctx = countries_page(request, edition, region, status, kind, q, sort, order)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        return [asdict(r) for r in ctx.rows], list(ROW_KEYS), f"fiw-{ctx.edition}.csv"

    return respond(
        request, "countries.html", ctx, csv_rows=as_csv, columns=COLUMNS,
        row_html=rows_html(request, ctx.edition),
    )  # fmt: skip


@router.get(
    "/api/v1/countries",
    response_model=list[CountryInfo],
    responses=CSV_RESPONSE,
    tags=["countries"],
)
async def list_countries(request: Request, format: str | None = None) -> Response:
    """Every country, territory and former state fiw holds, by name (`?format=csv` for CSV)."""
    parse_format(format)
    rows = [asdict(c) for c in snapshot(request).countries.values()]
    if page_format(request) == "csv":
        columns = [f.name for f in fields(CountryInfo)]
        return csv_response(rows, columns, "fiw-countries.csv")
    return json_response(rows)

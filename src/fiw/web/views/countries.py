"""The countries table of an edition (sortable, filterable, CSV) and `/api/v1/countries`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from fiw.errors import ParameterError
from fiw.methodology import SCORE_COLUMNS, STATUSES
from fiw.web.queries import (
    check_rated_edition,
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
    paginate,
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
IDENTITY = ("country_id", "iso3", "name", "kind", "region", "edition")
STATUS_ORDER = {status: i for i, status in enumerate(STATUSES)}


@dataclass(frozen=True)
class CountryRow:
    country_id: str
    iso3: str | None
    name: str
    kind: str
    region: str | None  # before 2013: the region of the latest edition that scores it
    total: int | None  # None before the 2013 edition (ratings and status only)
    pr: int | None
    cl: int | None
    pr_rating: int | None
    cl_rating: int | None
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
    """The table of an edition: every edition since 1973, with scores from 2013 on."""

    edition: int
    label: str  # "1998-99"
    period: str | None  # the period under review
    scored: bool  # whether the edition has indicator scores
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
        if edition in snap.by_edition:
            return [CountryRow(*(r[k] for k in ROW_KEYS)) for r in snap.with_changes(edition)]
        return [
            CountryRow(
                country_id=r["country_id"], iso3=r["iso3"], name=r["name"], kind=r["kind"],
                region=snap.countries[r["country_id"]].region, total=None, pr=None, cl=None,
                pr_rating=r["pr_rating"], cl_rating=r["cl_rating"], status=r["status"],
                previous_total=None, change=None,
            )
            for r in snap.ratings_in(edition)
        ]  # fmt: skip

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
    edition = check_rated_edition(request, edition)
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
        wanted = snap.matching(filters.q)
        rows = [r for r in rows if r.country_id in wanted]
    rows.sort(key=_sort_key(sort), reverse=order == "desc")
    if order == "desc":  # keep rows without a value last either way
        rows.sort(key=lambda r: getattr(r, sort) is None)
    info = snap.edition_info(edition)
    return CountriesPage(
        edition=edition, label=info.label if info else str(edition),
        period=info.period if info else None, scored=edition in snap.by_edition,
        editions=list(snap.rated_editions), regions=list(snap.regions),
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
    indicators: bool = False,
) -> Response:
    """Every country and territory of an edition: scores, ratings, status and change (the
    CSV with `indicators=true` has the 25 indicators and subtotals too)."""
    ctx = countries_page(request, edition, region, status, kind, q, sort, order)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        if indicators and ctx.scored:
            by_id = {r["country_id"]: r for r in snapshot(request).by_edition[ctx.edition]}
            extra = [c for c in SCORE_COLUMNS if c not in ROW_KEYS and c not in IDENTITY]
            rows = [{**asdict(r), **{c: by_id[r.country_id][c] for c in extra}} for r in ctx.rows]
            return rows, [*ROW_KEYS, *extra], f"fiw-{ctx.edition}-indicators.csv"
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
async def list_countries(
    request: Request,
    format: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Response:
    """Every country, territory and former state fiw holds, by name (`?format=csv` for CSV;
    paged by `limit` and `offset`, with `X-Total-Count` and `Link` headers)."""
    parse_format(format)
    rows, headers = paginate(
        request, [asdict(c) for c in snapshot(request).countries.values()], limit, offset
    )
    if page_format(request) == "csv":
        columns = [f.name for f in fields(CountryInfo)]
        return csv_response(rows, columns, "fiw-countries.csv", headers)
    return json_response(rows, headers=headers)

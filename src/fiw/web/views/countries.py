"""The countries table of an edition (sortable, filterable, CSV) and `/api/v1/countries`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fiw.web.errors import BadParameter
from fiw.web.queries import (
    catalog,
    check_edition,
    dataset,
    parse_kind,
    parse_region,
    parse_status,
    records,
    with_changes,
)
from fiw.web.render import PageContext, csv_response, json_response, page, page_format, respond

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
STATUS_ORDER = {"Free": 0, "Partly Free": 1, "Not Free": 2}


class CountryRow(BaseModel):
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


class Filters(BaseModel):
    region: str | None
    status: str | None
    kind: str | None
    q: str | None
    sort: str
    order: str


class CountriesPage(PageContext):
    edition: int
    editions: list[int]
    regions: list[str]
    filters: Filters
    count: int
    rows: list[CountryRow]


def _sort_key(column: str) -> Any:
    def key(row: CountryRow) -> tuple[Any, ...]:
        value = getattr(row, column)
        if column == "status":
            value = STATUS_ORDER.get(value or "", 3)
        missing = value is None
        return (missing, value if not missing else 0, row.name)

    return key


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
        raise BadParameter("sort", sort, "one of " + ", ".join(COLUMNS))
    if order not in ("asc", "desc"):
        raise BadParameter("order", order, "asc or desc")
    edition = check_edition(request, edition)
    filters = Filters(
        region=parse_region(request, region), status=parse_status(status), kind=parse_kind(kind),
        q=(q or "").strip() or None, sort=sort, order=order,
    )  # fmt: skip
    data = dataset(request)
    cat = catalog(request)
    prev = cat.previous(edition)
    current = data.scores(
        edition=edition, region=filters.region, status=filters.status, kind=filters.kind
    )
    rows = [
        CountryRow(**r)
        for r in records(with_changes(current, data.scores(edition=prev) if prev else None))
    ]
    if filters.q:
        needle = filters.q.casefold()
        rows = [r for r in rows if needle in r.name.casefold() or needle == (r.iso3 or "").lower()]
    rows.sort(key=_sort_key(sort), reverse=order == "desc")
    if order == "desc":  # keep rows without a value last either way
        rows.sort(key=lambda r: getattr(r, sort) is None)
    return CountriesPage(
        edition=edition, editions=list(cat.editions), regions=list(cat.regions),
        filters=filters, count=len(rows), rows=rows,
    )  # fmt: skip


@page(router, "/countries", csv=True)
def countries(
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
        columns = list(CountryRow.model_fields)
        return [r.model_dump() for r in ctx.rows], columns, f"fiw-{ctx.edition}.csv"

    return respond(request, "countries.html", ctx, csv_rows=as_csv, columns=COLUMNS)


class CountrySummary(BaseModel):
    id: str
    iso3: str | None
    name: str
    kind: str
    region: str


@router.get("/api/v1/countries", response_model=list[CountrySummary], tags=["countries"])
def list_countries(request: Request, format: str | None = None) -> Response:
    """Every country and territory fiw holds, by name (`?format=csv` for CSV)."""
    if format not in (None, "json", "csv"):
        raise BadParameter("format", format, "json or csv")
    frame = dataset(request).scores()
    latest = frame.sort_values("edition").drop_duplicates("country_id", keep="last")
    rows = [
        CountrySummary(
            id=r["country_id"], iso3=r["iso3"], name=r["name"], kind=r["kind"], region=r["region"]
        )
        for r in records(latest.sort_values("name"))
    ]
    if page_format(request) == "csv":
        return csv_response(
            [r.model_dump() for r in rows], list(CountrySummary.model_fields), "fiw-countries.csv"
        )
    return json_response(rows)

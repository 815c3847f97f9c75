"""Home: an edition at a glance (map, counts, biggest changes) and `/api/v1/editions/{edition}`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fiw.analysis import (
    StatusShare,
    TotalChange,
    edition_changes,
    rounded_ratio,
    status_counts,
    status_distribution,
)
from fiw.methodology import STATUSES
from fiw.web import charts
from fiw.web.errors import NotFound
from fiw.web.queries import check_rated_edition, frames, parse_format, snapshot, status_slug
from fiw.web.render import (
    CSV_RESPONSE,
    ERRORS,
    PageContext,
    csv_response,
    json_response,
    page,
    page_format,
    paginate,
    respond,
)
from fiw.web.snapshot import Snapshot
from fiw.web.world_map import ATLAS_URL, atlas_keys, shape_key

router = APIRouter()
LARGEST = 5  # how many gains and declines the home page lists


@dataclass(frozen=True)
class MapEntry:
    country_id: str
    name: str
    kind: str
    status: str | None
    total: int | None  # None before the 2013 edition (ratings and status only)
    pr_rating: int | None
    cl_rating: int | None
    shape: str | None  # key of the world-map shape; None when the map has none


@dataclass(frozen=True)
class HomePage(PageContext):
    """An edition at a glance (any edition since 1973; before 2013 statuses and ratings only).
    `gains` and `declines` are the largest of `/changes`' lists (`TotalChange`, countries only
    unless `territories`): the same rows, in the same order."""

    edition: int
    label: str  # "1989-90"
    period: str | None  # the period under review: "Nov.1988-Dec.1989", "2023"
    scored: bool  # whether the edition has indicator scores (2013 on)
    editions: list[int]  # every edition since 1973
    previous: int | None  # the scored edition the changes are measured against
    territories: bool
    counts: dict[str, int]  # status -> how many countries and territories (`status_counts`)
    history: tuple[StatusShare, ...]  # every edition since 1973, territories included
    entries: list[MapEntry]
    without_shape: list[MapEntry]
    gains: tuple[TotalChange, ...]
    declines: tuple[TotalChange, ...]


def largest_changes(
    request: Request, snap: Snapshot, edition: int, territories: bool = False
) -> tuple[tuple[TotalChange, ...], tuple[TotalChange, ...]]:
    """The largest gains and declines of `edition` (none without scores or an edition before),
    as `/changes` ranks them (countries; territories too on request), once per process."""

    def build() -> tuple[tuple[TotalChange, ...], tuple[TotalChange, ...]]:
        if edition not in snap.by_edition or snap.previous(edition) is None:
            return (), ()
        found = edition_changes(frames(request).scores(), edition, territories=territories)
        return found.improved[:LARGEST], found.declined[:LARGEST]

    return snap.memo(("largest-changes", f"{edition}/{territories}"), build)


def home_page(request: Request, edition: int | None, territories: bool = False) -> HomePage:
    """Build the home page of `edition` (the latest when None; statuses and ratings only
    before 2013)."""
    edition = check_rated_edition(request, edition)
    snap = snapshot(request)
    scored = edition in snap.by_edition
    rows = snap.by_edition[edition] if scored else snap.ratings_in(edition)
    info = snap.edition_info(edition)
    keys = atlas_keys()
    entries = [
        MapEntry(
            country_id=r["country_id"], name=r["name"], kind=r["kind"], status=r["status"],
            total=r.get("total"), pr_rating=r["pr_rating"], cl_rating=r["cl_rating"],
            shape=shape_key(r["iso3"], r["name"]),
        )
        for r in rows
    ]  # fmt: skip
    history = snap.memo(
        ("status-history", ""),
        lambda: status_distribution(frames(request).ratings(), territories=True),
    )
    gains, declines = largest_changes(request, snap, edition, territories)
    return HomePage(
        edition=edition,
        label=info.label if info else str(edition),
        period=info.period if info else None,
        scored=scored,
        editions=list(snap.rated_editions),
        previous=snap.previous(edition) if scored else None,
        territories=territories,
        counts=status_counts(r["status"] for r in rows),
        history=history,
        entries=entries,
        without_shape=[e for e in entries if e.shape is None or e.shape not in keys],
        gains=gains,
        declines=declines,
    )


@page(router, "/", csv=True)
async def home(request: Request, edition: int | None = None, territories: bool = False) -> Response:
    """An edition at a glance: the world map by status, counts and the largest changes."""
    ctx = home_page(request, edition, territories)
    chart = charts.stacked_bars(
        "history",
        "Countries and territories by status, per edition",
        [h.edition.label for h in ctx.history],
        [
            charts.Series(status, status_slug(status), [h.counts[status] for h in ctx.history])
            for status in STATUSES
        ],
    )

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        columns = [f.name for f in fields(MapEntry) if f.name != "shape"]
        return [asdict(e) for e in ctx.entries], columns, f"fiw-status-{ctx.edition}.csv"

    return respond(
        request, "home.html", ctx, csv_rows=as_csv, chart=chart, atlas_url=ATLAS_URL,
        map_ready=bool(atlas_keys()),
        map_entries=[asdict(e) for e in ctx.entries if e.shape],
    )  # fmt: skip


@dataclass(frozen=True)
class EditionSummary:
    edition: int
    label: str
    period: str | None
    scored: bool  # whether indicator scores exist (2013 on); averages are None before
    counts: dict[str, int]  # status -> how many (`status_counts`)
    countries: int
    territories: int
    average_total: float | None
    average_pr: float | None
    average_cl: float | None


def _mean(values: list[int]) -> float | None:
    """Two decimals, half away from zero (`fiw.analysis.rounded_ratio`, as the trends)."""
    return rounded_ratio(sum(values), len(values)) if values else None


@router.get(
    "/api/v1/editions/{edition}",
    response_model=EditionSummary,
    responses=ERRORS,
    tags=["editions"],
)
async def edition_summary(request: Request, edition: int) -> Response:
    """Counts by status, the number of countries and territories and, where the edition has
    indicator scores, the average total, PR and CL (every edition since 1973)."""
    snap = snapshot(request)
    info = snap.edition_info(edition)
    if info is None or info.order is None:
        years = [e.year for e in snap.all_editions if e.order is not None]
        raise NotFound(
            f"no {edition} edition: fiw holds the editions {years[0]}-{years[-1]}", "edition"
        )
    rated = snap.ratings_by_order.get(info.order, [])
    scored = snap.scores(edition=edition)
    kinds = [r["kind"] for r in (scored or rated)]
    return json_response(
        EditionSummary(
            edition=edition,
            label=info.label,
            period=info.period,
            scored=bool(scored),
            counts=status_counts(r["status"] for r in (scored or rated)),
            countries=kinds.count("country"),
            territories=kinds.count("territory"),
            average_total=_mean([r["total"] for r in scored]),
            average_pr=_mean([r["pr"] for r in scored]),
            average_cl=_mean([r["cl"] for r in scored]),
        )
    )


@dataclass(frozen=True)
class EditionEntry:
    edition: int
    order: int
    label: str
    period: str | None
    scored: bool


@router.get(
    "/api/v1/editions", response_model=list[EditionEntry], responses=CSV_RESPONSE,
    tags=["editions"],
)  # fmt: skip
async def list_editions(
    request: Request,
    format: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Response:
    """Every edition since 1973: year, order (1 = 1973), label, period under review, and
    whether it has indicator scores (`?format=csv` for CSV; paged by `limit` and `offset`,
    with `X-Total-Count` and `Link` headers)."""
    parse_format(format)
    rows = [
        {"edition": e.year, "order": e.order, "label": e.label, "period": e.period,
         "scored": e.scored}
        for e in snapshot(request).all_editions
        if e.order is not None
    ]  # fmt: skip
    rows, headers = paginate(request, rows, limit, offset)
    if page_format(request) == "csv":
        columns = [f.name for f in fields(EditionEntry)]
        return csv_response(rows, columns, "fiw-editions.csv", headers)
    return json_response(rows, headers=headers)

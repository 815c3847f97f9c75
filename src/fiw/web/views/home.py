"""Home: an edition at a glance (map, counts, biggest changes) and `/api/v1/editions/{edition}`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

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
from fiw.web.queries import check_edition, frames, parse_format, snapshot, status_slug
from fiw.web.render import (
    CSV_RESPONSE,
    ERRORS,
    PageContext,
    csv_response,
    json_response,
    page,
    page_format,
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
    total: int
    shape: str | None  # key of the world-map shape; None when the map has none


@dataclass(frozen=True)
class HomePage(PageContext):
    """An edition at a glance. `gains` and `declines` are the largest of `/changes`' lists
    (`TotalChange`, territories included): the same rows, in the same order."""

    edition: int
    editions: list[int]
    counts: dict[str, int]  # status -> how many countries and territories (`status_counts`)
    history: tuple[StatusShare, ...]  # every edition since 1973, territories included
    entries: list[MapEntry]
    without_shape: list[MapEntry]
    gains: tuple[TotalChange, ...]
    declines: tuple[TotalChange, ...]


def largest_changes(
    request: Request, snap: Snapshot, edition: int
) -> tuple[tuple[TotalChange, ...], tuple[TotalChange, ...]]:
    """The largest gains and declines of `edition` (none for the first edition), once per
    edition and process."""

    def build() -> tuple[tuple[TotalChange, ...], tuple[TotalChange, ...]]:
        if snap.previous(edition) is None:
            return (), ()
        found = edition_changes(frames(request).scores(), edition, territories=True)
        return found.improved[:LARGEST], found.declined[:LARGEST]

    return snap.memo(("largest-changes", str(edition)), build)


def home_page(request: Request, edition: int | None) -> HomePage:
    """Build the home page of `edition` (the latest when None)."""
    edition = check_edition(request, edition)
    snap = snapshot(request)
    rows = snap.by_edition[edition]
    keys = atlas_keys()
    entries = [
        MapEntry(
            country_id=r["country_id"], name=r["name"], kind=r["kind"], status=r["status"],
            total=r["total"], shape=shape_key(r["iso3"], r["name"]),
        )
        for r in rows
    ]  # fmt: skip
    history = snap.memo(
        ("status-history", ""),
        lambda: status_distribution(frames(request).ratings(), territories=True),
    )
    gains, declines = largest_changes(request, snap, edition)
    return HomePage(
        edition=edition,
        editions=list(snap.editions),
        counts=status_counts(r["status"] for r in rows),
        history=history,
        entries=entries,
        without_shape=[e for e in entries if e.shape is None or e.shape not in keys],
        gains=gains,
        declines=declines,
    )


@page(router, "/")
async def home(request: Request, edition: int | None = None) -> Response:
    """An edition at a glance: the world map by status, counts and the largest changes."""
    ctx = home_page(request, edition)
    chart = charts.stacked_bars(
        "history",
        "Countries and territories by status, per edition",
        [h.edition.label for h in ctx.history],
        [
            charts.Series(status, status_slug(status), [h.counts[status] for h in ctx.history])
            for status in STATUSES
        ],
    )
    return respond(
        request, "home.html", ctx, chart=chart, atlas_url=ATLAS_URL, map_ready=bool(atlas_keys()),
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
async def list_editions(request: Request, format: str | None = None) -> Response:
    """Every edition since 1973: year, order (1 = 1973), label, period under review, and
    whether it has indicator scores (`?format=csv` for CSV)."""
    parse_format(format)
    rows = [
        {"edition": e.year, "order": e.order, "label": e.label, "period": e.period,
         "scored": e.scored}
        for e in snapshot(request).all_editions
        if e.order is not None
    ]  # fmt: skip
    if page_format(request) == "csv":
        return csv_response(rows, [f.name for f in fields(EditionEntry)], "fiw-editions.csv")
    return json_response(rows)

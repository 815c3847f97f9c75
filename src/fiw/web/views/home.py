"""Home: an edition at a glance (map, counts, biggest changes) and `/api/v1/editions/{edition}`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fiw.methodology import Status
from fiw.web import charts
from fiw.web.queries import catalog, check_edition, dataset, records, with_changes
from fiw.web.render import PageContext, json_response, page, respond
from fiw.web.world_map import ATLAS_URL, atlas_keys, shape_key

router = APIRouter()


class StatusCounts(BaseModel):
    free: int
    partly_free: int
    not_free: int


class EditionCounts(StatusCounts):
    edition: str
    order: int


class MapEntry(BaseModel):
    country_id: str
    name: str
    kind: str
    status: str | None
    total: int
    shape: str | None  # key of the world-map shape; None when the map has none


class ScoreChange(BaseModel):
    country_id: str
    name: str
    total: int
    previous_total: int
    change: int
    status: str | None


class HomePage(PageContext):
    edition: int
    editions: list[int]
    counts: StatusCounts
    history: list[EditionCounts]
    entries: list[MapEntry]
    without_shape: list[MapEntry]
    gains: list[ScoreChange]
    declines: list[ScoreChange]


def _counts(statuses: list[str | None]) -> dict[str, int]:
    return {
        "free": statuses.count(Status.FREE.value),
        "partly_free": statuses.count(Status.PARTLY_FREE.value),
        "not_free": statuses.count(Status.NOT_FREE.value),
    }


def home_page(request: Request, edition: int | None) -> HomePage:
    """Build the home page of `edition` (the latest when None)."""
    edition = check_edition(request, edition)
    data = dataset(request)
    cat = catalog(request)
    prev = cat.previous(edition)
    rows = records(
        with_changes(data.scores(edition=edition), data.scores(edition=prev) if prev else None)
    )
    keys = atlas_keys()
    entries = [
        MapEntry(
            country_id=r["country_id"], name=r["name"], kind=r["kind"], status=r["status"],
            total=r["total"], shape=shape_key(r["iso3"], r["name"]),
        )
        for r in rows
    ]  # fmt: skip
    ratings = data.ratings()
    history = []
    for (label, order), group in ratings.groupby(["edition", "edition_order"], sort=False):
        counts = _counts(list(group["status"]))
        history.append(EditionCounts(edition=str(label), order=int(str(order)), **counts))
    history.sort(key=lambda h: h.order)
    changed = [r for r in rows if r["change"] is not None]
    changes = [ScoreChange(**{k: r[k] for k in ScoreChange.model_fields}) for r in changed]
    changes.sort(key=lambda c: (c.change, c.name))
    return HomePage(
        edition=edition,
        editions=list(cat.editions),
        counts=StatusCounts(**_counts([r["status"] for r in rows])),
        history=history,
        entries=entries,
        without_shape=[e for e in entries if e.shape is None or e.shape not in keys],
        gains=[c for c in reversed(changes) if c.change > 0][:5],
        declines=[c for c in changes if c.change < 0][:5],
    )


@page(router, "/")
def home(request: Request, edition: int | None = None) -> Response:
    """An edition at a glance: the world map by status, counts and the largest changes."""
    ctx = home_page(request, edition)
    chart = charts.stacked_bars(
        "history",
        "Countries and territories by status, per edition",
        [h.edition for h in ctx.history],
        [
            charts.Series("Free", "free", [h.free for h in ctx.history]),
            charts.Series("Partly Free", "partly-free", [h.partly_free for h in ctx.history]),
            charts.Series("Not Free", "not-free", [h.not_free for h in ctx.history]),
        ],
    )
    return respond(
        request, "home.html", ctx, chart=chart, atlas_url=ATLAS_URL, map_ready=bool(atlas_keys()),
        map_entries=[e.model_dump() for e in ctx.entries if e.shape],
    )  # fmt: skip


class EditionSummary(BaseModel):
    edition: int
    counts: StatusCounts
    countries: int
    territories: int
    average_total: float
    average_pr: float
    average_cl: float


@router.get("/api/v1/editions/{edition}", response_model=EditionSummary, tags=["editions"])
def edition_summary(request: Request, edition: int) -> Response:
    """Counts by status, average scores and the number of countries and territories."""
    edition = check_edition(request, edition)
    frame = dataset(request).scores(edition=edition)
    kinds = list(frame["kind"])
    return json_response(
        EditionSummary(
            edition=edition,
            counts=StatusCounts(**_counts(list(frame["status"]))),
            countries=kinds.count("country"),
            territories=kinds.count("territory"),
            average_total=round(float(frame["total"].mean()), 2),
            average_pr=round(float(frame["pr"].mean()), 2),
            average_cl=round(float(frame["cl"].mean()), 2),
        )
    )

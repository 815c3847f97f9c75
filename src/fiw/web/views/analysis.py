"""Analysis of change in the explorer: the Changes and Trends pages, a country's own largest
changes (a partial for the country page), and `/api/v1/{changes,trends,transitions,longrun}`.

Every number comes from `fiw.analysis` over the served data's `scores()` and `ratings()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fiw.analysis import (
    MEASURES,
    AnalysisError,
    all_edition_changes,
    decline_runs,
    edition_changes,
    indicator_changes,
    long_run,
    net_decline_series,
    rating_changes,
    status_distribution,
    transitions,
    trends,
)
from fiw.methodology import load_index
from fiw.web import charts
from fiw.web.errors import BadParameter, NotFound
from fiw.web.queries import catalog, check_edition, dataset, snapshot
from fiw.web.render import PageContext, csv_response, json_response, page, respond

if TYPE_CHECKING:
    import pandas as pd

router = APIRouter()
RegionsMode = Literal["current", "historical"]
TerritoriesQuery = Query(False, description="count territories too (default: countries only)")


# --- typed results --------------------------------------------------------------------------


class Change(BaseModel):
    country: str
    id: str
    before: int
    after: int
    change: int


class StatusMove(BaseModel):
    country: str
    id: str
    before: str
    after: str


class IndicatorTally(BaseModel):
    indicator: str
    name: str
    up: int
    down: int
    net: int


class IndicatorMove(BaseModel):
    country: str
    id: str
    indicator: str
    before: int
    after: int
    change: int


class ChangesPage(PageContext):
    edition: int
    previous: int
    editions: list[int]
    territories: bool
    improved: list[Change]
    declined: list[Change]
    unchanged: int
    net_decline: int
    status_changes: list[StatusMove]
    indicator_tally: list[IndicatorTally]
    indicator_moves: list[IndicatorMove]


class TrendRow(BaseModel):
    edition: int
    region: str
    entities: int
    total: float
    pr: float
    cl: float


class ShareRow(BaseModel):
    edition: str
    order: int
    rated: int
    free: int
    partly_free: int
    not_free: int
    free_share: float
    partly_free_share: float
    not_free_share: float


class NetRow(BaseModel):
    edition: int
    improved: int
    declined: int
    unchanged: int
    net_decline: int


class TrendsPage(PageContext):
    territories: bool
    regions: RegionsMode
    region_names: list[str]
    averages: list[TrendRow]
    unconfirmed_regions: list[str]
    status_shares: list[ShareRow]
    net_decline: list[NetRow]


class Step(BaseModel):
    """One country's total in an edition against the edition before."""

    edition: int
    previous: int
    before: int
    after: int
    change: int


class CountryChanges(BaseModel):
    """One country's largest year-on-year gains and declines, and its longest run of decline."""

    country_id: str
    gains: list[Step]
    declines: list[Step]
    span: Change | None
    span_from: int | None
    longest_decline: dict[str, Any] | None


def _change(c: Any) -> Change:
    return Change(country=c.country, id=c.id, before=c.before, after=c.after, change=c.change)


def _analysis_error(exc: AnalysisError) -> NotFound:
    return NotFound(str(exc))


# --- Changes page and API ---------------------------------------------------------------------


def changes_page(request: Request, edition: int, territories: bool) -> ChangesPage:
    """Who improved, declined and changed status in `edition`, and which indicators moved."""
    edition = check_edition(request, edition)
    scores = dataset(request).scores()
    try:
        result = edition_changes(scores, edition, territories)
        moved = indicator_changes(scores, edition, territories)
    except AnalysisError as exc:
        raise _analysis_error(exc) from None
    questions = {i.code: i.question(edition) for i in load_index("fiw").indicators}
    names = {code: q.text if q else "" for code, q in questions.items()}
    return ChangesPage(
        edition=edition,
        previous=result.previous,
        editions=list(catalog(request).editions[1:]),
        territories=territories,
        improved=[_change(c) for c in result.improved],
        declined=[_change(c) for c in result.declined],
        unchanged=result.unchanged,
        net_decline=result.net_decline,
        status_changes=[
            StatusMove(country=s.country, id=s.id, before=s.before, after=s.after)
            for s in result.status_changes
        ],
        indicator_tally=[
            IndicatorTally(
                indicator=t.indicator,
                name=names.get(t.indicator, ""),
                up=t.up,
                down=t.down,
                net=t.net,
            )
            for t in moved.tally
        ],
        indicator_moves=[
            IndicatorMove(
                country=m.country,
                id=m.id,
                indicator=m.indicator,
                before=m.before,
                after=m.after,
                change=m.change,
            )
            for m in moved.moves
        ],
    )


@page(router, "/changes/{edition:int}")
def changes(request: Request, edition: int, territories: bool = False) -> Response:
    """An edition's gains and declines (as bars), status changes and indicator changes."""
    ctx = changes_page(request, edition, territories)
    widest = max([abs(c.change) for c in ctx.improved + ctx.declined] or [1])
    return respond(request, "changes.html", ctx, widest=widest)


@page(router, "/changes")
def changes_latest(
    request: Request, edition: int | None = None, territories: bool = False
) -> Response:
    """The latest edition's changes (or `?edition=`, as the edition selector sends it)."""
    from fastapi.responses import RedirectResponse

    target = check_edition(request, edition)
    suffix = ".json" if request.url.path.endswith(".json") else ""
    query = "?territories=true" if territories else ""
    return RedirectResponse(f"/changes/{target}{suffix}{query}", status_code=307)


def _change_rows(result: Any) -> list[dict[str, Any]]:
    return [{"list": "improved", **c.to_dict()} for c in result.improved] + [
        {"list": "declined", **c.to_dict()} for c in result.declined
    ]


@router.get("/api/v1/changes/{edition}", tags=["analysis"])
def api_changes(
    request: Request,
    edition: int,
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Improved, declined, unchanged and status changes of an edition against the previous one,
    as `fiw changes --json` prints them; `?format=csv` lists the improved and declined."""
    edition = check_edition(request, edition)
    try:
        result = edition_changes(dataset(request).scores(), edition, territories)
    except AnalysisError as exc:
        raise _analysis_error(exc) from None
    if format == "csv":
        columns = ["list", "country", "id", "from", "to", "change"]
        return csv_response(_change_rows(result), columns, f"changes-{edition}.csv")
    return json_response(result.to_dict())


# --- Trends page and API ----------------------------------------------------------------------


def _region(request: Request, region: str | None) -> str | None:
    if not region:
        return None
    known = ["Global", *catalog(request).regions]
    for name in known:
        if name.casefold() == region.strip().casefold():
            return name
    raise BadParameter("region", region, "Global or one of " + ", ".join(known[1:]))


def trends_page(request: Request, territories: bool, regions: RegionsMode) -> TrendsPage:
    """Average scores per region and edition, status shares since 1973, net declines."""
    data = dataset(request)
    scores = data.scores()
    result = trends(scores, None, territories, regions)
    shares = status_distribution(data.ratings(), territories)
    net = net_decline_series(scores, territories)
    return TrendsPage(
        territories=territories,
        regions=regions,
        region_names=list(dict.fromkeys(p.region for p in result.points)),
        averages=[
            TrendRow(
                edition=p.edition,
                region=p.region,
                entities=p.entities,
                total=p.averages["total"],
                pr=p.averages["pr"],
                cl=p.averages["cl"],
            )
            for p in result.points
        ],
        unconfirmed_regions=list(result.unconfirmed),
        status_shares=[
            ShareRow(
                edition=s.edition.label,
                order=s.edition.order,
                rated=s.rated,
                free=s.counts["Free"],
                partly_free=s.counts["Partly Free"],
                not_free=s.counts["Not Free"],
                free_share=s.shares()["Free"],
                partly_free_share=s.shares()["Partly Free"],
                not_free_share=s.shares()["Not Free"],
            )
            for s in shares
        ],
        net_decline=[NetRow(**n.to_dict()) for n in net],
    )


def _trend_charts(ctx: TrendsPage) -> dict[str, Any]:
    editions = sorted({p.edition for p in ctx.averages})
    cells = {(p.region, p.edition): p.total for p in ctx.averages}
    lines = [
        charts.Series(name, f"r{i}", [cells.get((name, e)) for e in editions])
        for i, name in enumerate(ctx.region_names)
    ]
    averages = charts.line_chart(
        "averages", "Average total score per edition, globally and by region",
        [str(e) for e in editions], lines, low=0, high=100, ticks=[0, 20, 40, 60, 80, 100],
    )  # fmt: skip
    shares = charts.stacked_bars(
        "shares",
        "Share of countries by status, per edition since 1973 (percent)",
        [s.edition for s in ctx.status_shares],
        [
            charts.Series("Free", "free", [s.free_share for s in ctx.status_shares]),
            charts.Series("Partly Free", "partly-free",
                          [s.partly_free_share for s in ctx.status_shares]),
            charts.Series("Not Free", "not-free", [s.not_free_share for s in ctx.status_shares]),
        ],
    )  # fmt: skip
    top = max([max(n.declined, n.improved) for n in ctx.net_decline] or [10])
    high = 10 * (top // 10 + 1)
    low = 10 * (min([n.net_decline for n in ctx.net_decline] or [0]) // 10)
    net = charts.line_chart(
        "net", "Countries that declined and improved, and the net decline, per edition",
        [str(n.edition) for n in ctx.net_decline],
        [
            charts.Series("Declined", "declined", [n.declined for n in ctx.net_decline]),
            charts.Series("Improved", "improved", [n.improved for n in ctx.net_decline]),
            charts.Series("Net decline", "net", [n.net_decline for n in ctx.net_decline]),
        ],
        low=min(low, 0), high=high, ticks=list(range(min(low, 0), high + 1, 20)),
    )  # fmt: skip
    return {"averages_chart": averages, "shares_chart": shares, "net_chart": net}


@page(router, "/trends")
def trends_view(
    request: Request, territories: bool = False, regions: RegionsMode = "current"
) -> Response:
    """Global and regional averages since 2013, status shares since 1973, net declines."""
    ctx = trends_page(request, territories, regions)
    return respond(request, "trends.html", ctx, **_trend_charts(ctx))


@router.get("/api/v1/trends", tags=["analysis"])
def api_trends(
    request: Request,
    region: str | None = Query(None, description="one region, or Global (default: all)"),
    territories: bool = TerritoriesQuery,
    regions: RegionsMode = Query("current", description="today's regions, or as at the time"),
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Average total, PR, CL and subcategory scores per edition, globally and per region
    (each country counts once; two decimals, half away from zero)."""
    try:
        result = trends(dataset(request).scores(), _region(request, region), territories, regions)
    except AnalysisError as exc:
        raise BadParameter("region", region, str(exc)) from None
    if format == "csv":
        rows = [p.to_dict() for p in result.points]
        return csv_response(rows, ["edition", "region", "entities", *MEASURES], "trends.csv")
    return json_response(result.to_dict())


# --- transitions and the long run -------------------------------------------------------------


@router.get("/api/v1/rating-changes/{edition}", tags=["analysis"])
def api_rating_changes(
    request: Request,
    edition: str = Path(description='edition of the history: label ("1983-84") or order'),
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """PR, CL and status changes of an edition of the ratings history against the one before."""
    try:
        result = rating_changes(dataset(request).ratings(), edition, territories)
    except AnalysisError as exc:
        raise _analysis_error(exc) from None
    if format == "csv":
        rows = [
            {
                "id": c.id,
                "country": c.country,
                "pr_from": c.pr_from,
                "pr_to": c.pr_to,
                "cl_from": c.cl_from,
                "cl_to": c.cl_to,
                "status_from": c.status_from,
                "status_to": c.status_to,
            }
            for c in result.changes
        ]
        return csv_response(rows, list(rows[0]) if rows else ["id"], "rating-changes.csv")
    return json_response(result.to_dict())


@router.get("/api/v1/transitions", tags=["analysis"])
def api_transitions(
    request: Request,
    start: str = Query(..., alias="from", description='edition label ("Jan.-Feb. 1973") or order'),
    end: str = Query(..., alias="to", description="edition label or order"),
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """The from → to matrix of statuses between two editions of the ratings history."""
    try:
        result = transitions(dataset(request).ratings(), start, end, territories)
    except AnalysisError as exc:
        raise _analysis_error(exc) from None
    if format == "csv":
        rows = [
            {"from": a, "to": b, "count": n, "countries": "; ".join(result.countries[a][b])}
            for a, row in result.matrix.items()
            for b, n in row.items()
        ]
        return csv_response(rows, ["from", "to", "count", "countries"], "transitions.csv")
    return json_response(result.to_dict())


@router.get("/api/v1/longrun", tags=["analysis"])
def api_longrun(
    request: Request,
    start: int | None = Query(None, alias="from", description="first edition (default: to − 10)"),
    end: int | None = Query(None, alias="to", description="last edition (default: the latest)"),
    limit: int = Query(10, ge=1, le=500, description="how many of each list"),
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Largest gains and declines of total score over a span of editions, and the longest runs
    of consecutive decline inside it."""
    for value in (start, end):
        if value is not None:
            check_edition(request, value)
    if start is not None and end is not None and start >= end:
        raise BadParameter("from", start, f"an edition before to = {end}")
    try:
        result = long_run(dataset(request).scores(), start, end, territories, limit)
    except AnalysisError as exc:
        raise BadParameter("from", start, str(exc)) from None
    if format == "csv":
        span = result.span
        rows = [{"list": "gain", **c.to_dict()} for c in span.gains] + [
            {"list": "decline", **c.to_dict()} for c in span.declines
        ]
        columns = ["list", "country", "id", "from", "to", "change"]
        return csv_response(rows, columns, f"longrun-{span.start}-{span.end}.csv")
    return json_response(result.to_dict())


# --- a country's own largest changes (partial of the country page) -----------------------------


def country_changes(request: Request, country_id: str, limit: int = 3) -> CountryChanges:
    """A country's largest gains and declines between consecutive editions, its change over all
    its editions, and its longest run of decline: for `_country_changes.html` (computed once
    per country and process)."""
    return snapshot(request).memo(
        ("country-changes", f"{country_id}/{limit}"),
        lambda: _country_changes(dataset(request).scores(), country_id, limit),
    )


def _country_changes(scores: pd.DataFrame, country_id: str, limit: int) -> CountryChanges:
    mine = scores[scores["country_id"] == country_id]
    empty = CountryChanges(country_id=country_id, gains=[], declines=[], span=None,
                           span_from=None, longest_decline=None)  # fmt: skip
    if mine["edition"].nunique() < 2:
        return empty
    steps = [
        Step(edition=e.edition, previous=e.previous, before=c.before, after=c.after,
             change=c.change)
        for e in all_edition_changes(mine, territories=True)
        for c in (*e.improved, *e.declined)
    ]  # fmt: skip
    gains = sorted((s for s in steps if s.change > 0), key=lambda s: (-s.change, -s.edition))
    declines = sorted((s for s in steps if s.change < 0), key=lambda s: (s.change, -s.edition))
    editions = sorted(int(e) for e in mine["edition"].unique())
    span = long_run(mine, editions[0], editions[-1], territories=True).span
    whole = next(iter(span.gains + span.declines), None)
    runs = decline_runs(mine, territories=True)
    return CountryChanges(
        country_id=country_id,
        gains=gains[:limit],
        declines=declines[:limit],
        span=_change(whole) if whole else None,
        span_from=editions[0],
        longest_decline=runs[0].to_dict() if runs else None,
    )


def install(app: FastAPI) -> None:
    """Serve the analysis pages and endpoints, and give templates `country_changes`."""
    app.include_router(router)
    app.state.templates.globals["country_changes"] = country_changes

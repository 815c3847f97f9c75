"""Trends in the explorer: the Trends page (averages per region, status shares since 1973, net
declines, with charts) and `/api/v1/trends`, from `fiw.analysis` over the served frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fiw.analysis import (
    MEASURES,
    NetDecline,
    StatusShare,
    TrendPoint,
    Trends,
    net_decline_series,
    status_distribution,
    trends,
)
from fiw.methodology import STATUSES, TOTAL_MAX
from fiw.web import charts
from fiw.web.queries import frames, snapshot, status_slug
from fiw.web.render import PageContext, csv_response, flat_rows, json_response, page, respond
from fiw.web.views.changes import TerritoriesQuery

router = APIRouter()
RegionsMode = Literal["current", "historical"]
STATUS_CSS = {status: status_slug(status) for status in STATUSES}


@dataclass(frozen=True)
class TrendsPage(PageContext):
    """Averages per region and edition, status shares per edition, and the net declines: the
    library's own rows (`TrendPoint`, `StatusShare`, `NetDecline`)."""

    territories: bool
    regions: RegionsMode
    region_names: list[str]
    averages: tuple[TrendPoint, ...]
    unconfirmed_regions: tuple[str, ...]
    status_shares: tuple[StatusShare, ...]
    net_decline: tuple[NetDecline, ...]


def trends_page(request: Request, territories: bool, regions: RegionsMode) -> TrendsPage:
    """Average scores per region and edition, status shares since 1973, net declines (built
    once per choice of territories and regions, and process)."""
    key = ("trends-page", f"{territories}/{regions}")
    return snapshot(request).memo(key, lambda: _trends_page(request, territories, regions))


def _trends_page(request: Request, territories: bool, regions: RegionsMode) -> TrendsPage:
    data = frames(request)
    result = trends(data.scores(), None, territories, regions)
    return TrendsPage(
        territories=territories,
        regions=regions,
        region_names=list(dict.fromkeys(p.region for p in result.points)),
        averages=result.points,
        unconfirmed_regions=result.unconfirmed,
        status_shares=status_distribution(data.ratings(), territories),
        net_decline=net_decline_series(data.scores(), territories),
    )


def _trend_charts(ctx: TrendsPage) -> dict[str, Any]:
    """The page's three charts (drawings of the context, for the template only)."""
    editions = sorted({p.edition for p in ctx.averages})
    cells = {(p.region, p.edition): p.averages["total"] for p in ctx.averages}
    lines = [
        charts.Series(name, f"r{i}", [cells.get((name, e)) for e in editions])
        for i, name in enumerate(ctx.region_names)
    ]
    ticks = list(range(0, TOTAL_MAX + 1, TOTAL_MAX // 5))
    averages = charts.line_chart(
        "averages", "Average total score per edition, globally and by region",
        [str(e) for e in editions], lines, low=0, high=TOTAL_MAX, ticks=ticks,
    )  # fmt: skip
    shares = charts.stacked_bars(
        "shares",
        "Share of countries by status, per edition since 1973 (percent)",
        [s.edition.label for s in ctx.status_shares],
        [
            charts.Series(status, css, [s.shares()[status] for s in ctx.status_shares])
            for status, css in STATUS_CSS.items()
        ],
    )
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


@page(router, "/trends", csv=True)
def trends_view(
    request: Request, territories: bool = False, regions: RegionsMode = "current"
) -> Response:
    """Global and regional averages since 2013, status shares since 1973, net declines."""
    ctx = trends_page(request, territories, regions)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        rows, columns = flat_rows(ctx.averages)  # average total, PR and CL per region
        return rows, columns, "fiw-trends.csv"

    return respond(request, "trends.html", ctx, csv_rows=as_csv, **_trend_charts(ctx))


@router.get("/api/v1/trends", response_model=Trends, tags=["analysis"])
def api_trends(
    request: Request,
    region: str | None = Query(None, description="one region, or Global (default: all)"),
    territories: bool = TerritoriesQuery,
    regions: RegionsMode = Query("current", description="today's regions, or as at the time"),
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Average total, PR, CL and subcategory scores per edition, globally and per region
    (each country counts once; two decimals, half away from zero)."""
    result = trends(frames(request).scores(), region or None, territories, regions)
    if format == "csv":
        rows = [p.to_dict() for p in result.points]
        return csv_response(rows, ["edition", "region", "entities", *MEASURES], "trends.csv")
    return json_response(result)

"""Change in the explorer: the Changes page and `/api/v1/{changes,rating-changes,transitions,
longrun}`. Every number comes from `fiw.analysis` over the served `scores()` and `ratings()`;
each result type is serialised as it is, so a page's `.json` twin and the API agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from fiw.analysis import (
    EditionChanges,
    IndicatorMove,
    IndicatorTally,
    StatusChange,
    TotalChange,
    edition_changes,
    indicator_changes,
    long_run,
    rating_changes,
    transitions,
)
from fiw.errors import ParameterError
from fiw.methodology import load_index
from fiw.web.queries import check_edition, frames, snapshot
from fiw.web.render import PageContext, csv_response, flat_rows, json_response, page, respond

router = APIRouter()
TerritoriesQuery = Query(False, description="count territories too (default: countries only)")
CHANGE_COLUMNS = ["list", "country", "id", "from", "to", "change"]


@dataclass(frozen=True)
class ChangesPage(PageContext):
    """An edition against the one before: the library's own rows (`TotalChange`, …), and the
    question of each indicator for the tally's labels."""

    edition: int
    previous: int
    editions: list[int]
    territories: bool
    improved: tuple[TotalChange, ...]
    declined: tuple[TotalChange, ...]
    unchanged: int
    net_decline: int
    status_changes: tuple[StatusChange, ...]
    indicator_tally: tuple[IndicatorTally, ...]
    indicator_moves: tuple[IndicatorMove, ...]
    questions: dict[str, str]  # indicator code -> its question in this edition ("" if unknown)
    widest: int  # the largest change either way, for the bars' scale


def changes_page(request: Request, edition: int, territories: bool) -> ChangesPage:
    """Who improved, declined and changed status in `edition`, and which indicators moved
    (built once per edition, territories or not, and process)."""
    edition = check_edition(request, edition)
    key = ("changes-page", f"{edition}/{territories}")
    return snapshot(request).memo(key, lambda: _changes_page(request, edition, territories))


def _changes_page(request: Request, edition: int, territories: bool) -> ChangesPage:
    scores = frames(request).scores()
    result = edition_changes(scores, edition, territories)
    moved = indicator_changes(scores, edition, territories)
    questions = {i.code: i.question(edition) for i in load_index("fiw").indicators}
    return ChangesPage(
        edition=edition,
        previous=result.previous,
        editions=list(snapshot(request).editions[1:]),
        territories=territories,
        improved=result.improved,
        declined=result.declined,
        unchanged=result.unchanged,
        net_decline=result.net_decline,
        status_changes=result.status_changes,
        indicator_tally=moved.tally,
        indicator_moves=moved.moves,
        questions={code: q.text if q else "" for code, q in questions.items()},
        widest=max([abs(c.change) for c in result.improved + result.declined] or [1]),
    )


@page(router, "/changes/{edition:int}", csv=True)
def changes(request: Request, edition: int, territories: bool = False) -> Response:
    """An edition's gains and declines (as bars), status changes and indicator changes (the
    CSV: every gain and decline)."""
    ctx = changes_page(request, edition, territories)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        rows, columns = flat_rows((*ctx.improved, *ctx.declined))
        return rows, columns, f"fiw-changes-{ctx.edition}.csv"

    return respond(request, "changes.html", ctx, csv_rows=as_csv)


@page(router, "/changes", csv=True)
def changes_latest(
    request: Request, edition: int | None = None, territories: bool = False
) -> Response:
    """The latest edition's changes (or `?edition=`, as the edition selector sends it)."""
    target = check_edition(request, edition)
    suffix = next((x for x in (".json", ".csv") if request.url.path.endswith(x)), "")
    query = "?territories=true" if territories else ""
    return RedirectResponse(f"/changes/{target}{suffix}{query}", status_code=307)


def _listed(pairs: dict[str, tuple[TotalChange, ...]]) -> list[dict[str, Any]]:
    """CSV rows of ranked changes: the list's name, then the change's JSON keys."""
    return [{"list": name, **c.to_dict()} for name, rows in pairs.items() for c in rows]


@router.get("/api/v1/changes/{edition}", response_model=EditionChanges, tags=["analysis"])
def api_changes(
    request: Request,
    edition: int,
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Improved, declined, unchanged and status changes of an edition against the previous one,
    as `fiw changes --json` prints them; `?format=csv` lists the improved and declined."""
    edition = check_edition(request, edition)
    result = edition_changes(frames(request).scores(), edition, territories)
    if format == "csv":
        rows = _listed({"improved": result.improved, "declined": result.declined})
        return csv_response(rows, CHANGE_COLUMNS, f"changes-{edition}.csv")
    return json_response(result)


# --- the ratings history and the long run ----------------------------------------------------


@router.get("/api/v1/rating-changes/{edition}", tags=["analysis"])
def api_rating_changes(
    request: Request,
    edition: str = Path(description='edition of the history: label ("1983-84") or order'),
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """PR, CL and status changes of an edition of the ratings history against the one before."""
    result = rating_changes(frames(request).ratings(), edition, territories)
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
    return json_response(result)


@router.get("/api/v1/transitions", tags=["analysis"])
def api_transitions(
    request: Request,
    start: str = Query(..., alias="from", description='edition label ("Jan.-Feb. 1973") or order'),
    end: str = Query(..., alias="to", description="edition label or order"),
    territories: bool = TerritoriesQuery,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """The from → to matrix of statuses between two editions of the ratings history."""
    result = transitions(frames(request).ratings(), start, end, territories)
    if format == "csv":
        rows = [
            {"from": a, "to": b, "count": n, "countries": "; ".join(result.countries[a][b])}
            for a, row in result.matrix.items()
            for b, n in row.items()
        ]
        return csv_response(rows, ["from", "to", "count", "countries"], "transitions.csv")
    return json_response(result)


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
    for value, where in ((start, "from"), (end, "to")):
        if value is not None:
            check_edition(request, value, where)
    if start is not None and end is not None and start >= end:
        raise ParameterError("from", start, f"an edition before to = {end}")
    result = long_run(frames(request).scores(), start, end, territories, limit)
    if format == "csv":
        span = result.span
        rows = _listed({"gain": span.gains, "decline": span.declines})
        return csv_response(rows, CHANGE_COLUMNS, f"longrun-{span.start}-{span.end}.csv")
    return json_response(result)

"""`/api/v1/assessments`: one object per country-edition with all scores, as JSON or CSV."""

from __future__ import annotations

from dataclasses import make_dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fiw.methodology import SCORE_COLUMNS, load_index
from fiw.web.queries import (
    check_edition,
    find_country,
    parse_format,
    parse_kind,
    parse_region,
    parse_status,
    snapshot,
)
from fiw.web.render import CSV_RESPONSE, csv_response, json_response, page_format, paginate

router = APIRouter()

TEXT = frozenset(SCORE_COLUMNS[: SCORE_COLUMNS.index("edition")]) | {"status"}
NULLABLE = frozenset(
    {"iso3"}
    | {
        column
        for column in SCORE_COLUMNS
        for d in load_index("fiw").discretionary
        if d.last is not None and column.lower() == d.code.lower()
    }
)


def _type(column: str) -> Any:
    """A column's type: identity and status are text, scores whole numbers; iso3 and the
    discretionary questions no longer asked (Add A) may be empty."""
    kind: Any = str if column in TEXT else int
    return kind | None if column in NULLABLE else kind


Assessment: type = make_dataclass(
    "Assessment", [(column, _type(column)) for column in SCORE_COLUMNS], frozen=True
)
"""An assessment row as the API documents it: `fiw.methodology.SCORE_COLUMNS`, in order."""


@router.get(
    "/api/v1/assessments",
    response_model=list[Assessment],  # type: ignore[valid-type]  # built from SCORE_COLUMNS
    responses=CSV_RESPONSE,
    tags=["assessments"],
)
async def assessments(
    request: Request,
    edition: int | None = None,
    region: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    format: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
    release: str | None = None,
) -> Response:
    """Country-editions with the 25 indicator scores, Q, subtotals, PR, CL, total, ratings
    and status; every filter is optional (`?format=csv` for CSV). Paged: `limit` (1 to 5000,
    1000 by default) and `offset`; `X-Total-Count` and `Link` headers say the rest. `release`
    (a sha256 prefix or id, as `fiw releases` lists them): the scores as that imported
    release had them."""
    parse_format(format)
    snap = snapshot(request) if release is None else snapshot(request).for_release(release)[0]
    rows = snap.scores(
        edition=check_edition(request, edition) if edition is not None else None,
        region=parse_region(request, region),
        status=parse_status(status),
        kind=parse_kind(kind),
        country=find_country(request, country, "country").id if country else None,
    )
    rows, headers = paginate(request, rows, limit, offset)
    if page_format(request) == "csv":
        label = f"-{edition}" if edition else ""
        return csv_response(rows, list(SCORE_COLUMNS), f"fiw-assessments{label}.csv", headers)
    return json_response(rows, headers=headers)

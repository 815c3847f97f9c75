"""`/api/v1/assessments`: one object per country-edition with all scores, as JSON or CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, create_model

from fiw.web.queries import (
    check_edition,
    find_country,
    parse_format,
    parse_kind,
    parse_region,
    parse_status,
    snapshot,
)
from fiw.web.render import CSV_RESPONSE, csv_response, json_response, page_format
from fiw.web.snapshot import INDICATORS, SCORE_COLUMNS, SUBTOTALS

router = APIRouter()

_fields: dict[str, Any] = {
    "country_id": (str, ...), "iso3": (str | None, ...), "name": (str, ...),
    "kind": (str, ...), "region": (str, ...), "edition": (int, ...),
    **{code: (int, ...) for code in INDICATORS},
    "Q": (int, ...), "add_a": (int | None, ...),
    **{code: (int, ...) for code in SUBTOTALS},
    "pr": (int, ...), "cl": (int, ...), "total": (int, ...),
    "pr_rating": (int, ...), "cl_rating": (int, ...), "status": (str, ...),
}  # fmt: skip
Assessment: type[BaseModel] = create_model("Assessment", **_fields)  # SCORE_COLUMNS


@router.get(
    "/api/v1/assessments",
    response_model=list[Assessment],
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
) -> Response:
    """Country-editions with the 25 indicator scores, Q, subtotals, PR, CL, total, ratings
    and status; every filter is optional (`?format=csv` for CSV)."""
    parse_format(format)
    rows = snapshot(request).scores(
        edition=check_edition(request, edition) if edition is not None else None,
        region=parse_region(request, region),
        status=parse_status(status),
        kind=parse_kind(kind),
        country=find_country(request, country).id if country else None,
    )
    if page_format(request) == "csv":
        label = f"-{edition}" if edition else ""
        return csv_response(rows, list(SCORE_COLUMNS), f"fiw-assessments{label}.csv")
    return json_response(rows)

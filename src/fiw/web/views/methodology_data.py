"""`/api/v1/rules/{index}`: a rating system's methodology data file as JSON, for the browser.

The workbench's scorer (static/workbench/scorer.js) computes subtotals, ratings and status in
the browser from exactly this document, the one the Python engine reads: no second copy of
the rules. The shape is the data file's (`from`/`to` edition ranges), validated by `Index`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from fiw.methodology import INDEXES, Index, load_index
from fiw.web.errors import NotFound
from fiw.web.render import ERRORS

router = APIRouter()


@router.get("/api/v1/rules/{index}", response_model=Index, responses=ERRORS, tags=["methodology"])
async def api_rules(index: str) -> Response:
    """Every rule of a rating system (`fiw` or `fotn`): indicators with their questions and
    guidance per edition, categories, aggregates, discretionary questions, rating bands and
    status scales, exactly as the scoring engine reads them."""
    if index not in INDEXES:
        raise NotFound(f"no rating system {index!r}: expected one of {', '.join(INDEXES)}")
    body = load_index(index).model_dump_json(by_alias=True)
    return Response(body, media_type="application/json")

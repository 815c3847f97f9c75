"""The score assistant's API: `POST /api/v1/assist/suggest` (one indicator's narrative) and
`GET /api/v1/assist/check?edition=` (an edition's cells, most suspicious first). Both call
fiw.assist with the model `fiw assist train` saved (FIW_ASSIST_MODEL); library errors
become the one error shape in the app's boundary (409 without a usable model)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fiw.assist.suggestion import Suggestion
from fiw.methodology import INDICATOR_MAX, INDICATOR_MIN, INDICATORS
from fiw.web.queries import snapshot
from fiw.web.render import ERRORS, ErrorBody, json_response

if TYPE_CHECKING:
    from fiw.assist import AssistModel

router = APIRouter()
TEXT_LIMIT = 100_000
LOWEST, HIGHEST = min(INDICATOR_MIN.values()), max(INDICATOR_MAX.values())
RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "model": ErrorBody,
        "description": "No usable model (run `fiw assist train`), or one trained on this edition",
    },
}


class SuggestRequest(BaseModel):
    """One indicator's narrative, and last year's score and narrative when known."""

    # an enum in the spec, so a client (or a fuzzer) knows the 25 codes; the check and its
    # message ("use one of …") stay the library's, the same for the CLI and the API
    indicator: str = Field(
        description="indicator code, A1 … G4", json_schema_extra={"enum": list(INDICATORS)}
    )
    text: str = Field(
        max_length=TEXT_LIMIT, description="the narrative (Score Change notes are ignored)"
    )
    score: int | None = Field(
        None, ge=LOWEST, le=HIGHEST, description="the published score, to judge it"
    )
    previous_score: int | None = Field(
        None, ge=LOWEST, le=HIGHEST, description="last edition's score"
    )
    previous_text: str | None = Field(
        None, max_length=TEXT_LIMIT, description="last edition's narrative"
    )


def _model(request: Request) -> AssistModel:
    """The saved model, loaded once per served snapshot (409 naming `fiw assist train` if none)."""
    from fiw.assist import load

    path = request.app.state.settings.assist_model
    found: AssistModel = snapshot(request).memo(("assist", str(path)), lambda: load(path))
    return found


@router.post(
    "/api/v1/assist/suggest", response_model=Suggestion, responses=RESPONSES, tags=["assist"]
)
def suggest(request: Request, body: SuggestRequest) -> Response:
    """A probability for each score, the suggested score and the sentences behind it."""
    from fiw.assist import suggest_text

    row = suggest_text(
        _model(request), body.indicator, body.text, score=body.score,
        previous_score=body.previous_score, previous_text=body.previous_text,
    )  # fmt: skip
    return json_response(row)


@router.get(
    "/api/v1/assist/check", response_model=list[Suggestion], responses=RESPONSES, tags=["assist"]
)
def check(
    request: Request,
    edition: int = Query(description="edition to check (after the model's training editions)"),
    top: int = Query(50, ge=1, le=10_000, description="the K most suspicious cells"),
) -> Response:
    """An edition's country cells ranked by how unlikely their score is given the text."""
    from fiw.assist import check_edition

    rows, _ = check_edition(_model(request), snapshot(request).store, edition, top)
    return json_response(rows, kind=list[Suggestion])

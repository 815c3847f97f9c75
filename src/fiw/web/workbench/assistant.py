"""The score assistant in the workbench: `GET /api/v1/workbench/drafts/{country}/{edition}/
suggestions` answers, for a draft the user may see, the assistant's suggestion beside each
score of the current revision and whether the text supports the draft's score
(`fiw.assist.draft`). Without a usable model it answers a quiet note, never an error."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fiw.web.queries import snapshot
from fiw.web.workbench.api import DRAFT, CountryId, _json
from fiw.web.workbench.auth import User, workbench

router = APIRouter(tags=["workbench"], include_in_schema=False)


def _note(role: str, problem: str) -> str:
    """Admins are told what is wrong and the command (`fiw assist train`); others whom to ask."""
    if role == "admin":
        return f"No score suggestions: {problem}"
    return "No score suggestions: the assistant is not set up for this edition (ask an admin)."


def draft_suggestions(request: Request, role: str, draft: dict[str, Any]) -> dict[str, Any]:
    """The suggestions for a draft's current revision (the draft's API shape as input)."""
    from fiw.assist import UNSUPPORTED, load, suggest_draft, unsupported
    from fiw.assist.errors import AssistError

    answer: dict[str, Any] = {"available": False, "threshold": UNSUPPORTED, "suggestions": {}}
    path = request.app.state.settings.assist_model
    store = snapshot(request).store
    try:
        model = snapshot(request).memo(("assist", str(path)), lambda: load(path))
        previous = draft["previous"]["edition"] if draft.get("previous") else None
        before = store.report(draft["country_id"], previous) if previous is not None else None
        rows = suggest_draft(
            model, draft["country_id"], draft["name"], draft["edition"], draft["scores"],
            draft.get("narratives") or {}, before,
        )  # fmt: skip
    except AssistError as exc:
        answer["note"] = _note(role, str(exc))
        return answer
    answer["available"] = True
    answer["trained_until"] = model.info.until
    answer["suggestions"] = {  # the API's shape of a suggestion, and what the editor adds
        row.indicator: {**row.to_json(), "unsupported": unsupported(row), "previous": row.previous}
        for row in rows
    }
    return answer


@router.get(DRAFT + "/suggestions")
def suggestions(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """The assistant's score per indicator of the draft, flagging scores the text does not
    support; `available: false` with a note when there is no usable model."""
    current = workbench(request).draft(user, country, edition)  # the draft's access rules
    return _json(draft_suggestions(request, user.role, current))

"""The workbench's JSON API (docs/workbench.md): login and logout, editions, drafts with
optimistic locking, revisions, review, export, users. Every route but login needs a session
(`User`); handlers parse the request, call one Workbench method and answer its result."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from fiw.numerals import ascii_digits
from fiw.store.workbench_schema import STATES
from fiw.web.workbench.auth import (
    User,
    clear_session_cookie,
    request_login,
    session_token,
    set_session_cookie,
    workbench,
)
from fiw.workbench.content import Edit
from fiw.workbench.errors import WorkbenchError

# Documented in docs/workbench.md, kept out of the public explorer API's OpenAPI spec (which
# schemathesis fuzzes anonymously: every route here answers 401 to that).
router = APIRouter(tags=["workbench"], include_in_schema=False)
DRAFT = "/api/v1/workbench/drafts/{country}/{edition}"


class Credentials(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class ReturnBody(BaseModel):
    comments: dict[str, str] = Field(default_factory=dict)


class RestoreBody(BaseModel):
    revision: int


class NewUser(BaseModel):
    name: str
    role: Literal["admin", "analyst", "reviewer"]
    password: str


class Countries(BaseModel):
    countries: list[str]


def _resolve(data: Any, country: str) -> str:
    from fiw.errors import UnknownCountry

    try:
        found: str = data.country(country).id
    except UnknownCountry:
        return country
    return found


async def country_id(request: Request, country: str) -> str:
    """The country id for an id, ISO3 code or name the explorer knows (else as given). An
    id is a dict lookup, answered on the event loop; names may take longer: a worker thread."""
    data = request.app.state.data
    if country in data.countries:
        return country
    return await to_thread.run_sync(_resolve, data, country)


CountryId = Annotated[str, Depends(country_id)]


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


# --- auth -------------------------------------------------------------------------------------


@router.post("/api/v1/auth/login", tags=["auth"])
def login(request: Request, credentials: Credentials) -> JSONResponse:
    """Log in: a new session (the id rotates: one presented is ended), its cookie and the
    CSRF token. 401 for a wrong name or password, 429 after too many failures."""
    wb = workbench(request)
    address = request.client.host if request.client else None
    delay = wb.throttle_delay(credentials.username, address)
    if delay:
        time.sleep(delay)
    opened = wb.login(credentials.username, credentials.password, address, session_token(request))
    response = _json(
        {"user": opened.actor.name, "role": opened.actor.role, "csrf_token": opened.csrf_token}
    )
    set_session_cookie(response, request, opened.token, wb.policy.session_hours)
    return response


@router.post("/api/v1/auth/logout", tags=["auth"])
def logout(request: Request, user: User) -> JSONResponse:
    """End the session on the server and clear its cookie."""
    workbench(request).logout(session_token(request))
    response = _json({"ok": True})
    clear_session_cookie(response, request)
    return response


@router.get("/api/v1/auth/me", tags=["auth"])
def me(request: Request, user: User) -> JSONResponse:
    """The logged-in user, their role, countries and CSRF token."""
    return _json({**user.to_dict(), "csrf_token": request_login(request).csrf_token})


# --- editions ---------------------------------------------------------------------------------


@router.get("/api/v1/workbench/editions")
def editions(request: Request, user: User) -> JSONResponse:
    """The editions opened for drafting."""
    return _json(workbench(request).editions())


@router.post("/api/v1/workbench/editions/{edition}/open")
def open_edition(request: Request, user: User, edition: int) -> JSONResponse:
    """(admin) One draft per country and territory of the previous edition, pre-filled."""
    return _json(workbench(request).open_edition(user, edition))


@router.post("/api/v1/workbench/editions/{edition}/publish")
def publish_edition(request: Request, user: User, edition: int) -> JSONResponse:
    """(reviewer, admin) Publish every approved draft when all are approved: completes it."""
    return _json(workbench(request).publish_edition(user, edition))


@router.get("/api/v1/workbench/editions/{edition}/progress")
def progress(request: Request, user: User, edition: int) -> JSONResponse:
    """Drafts by state, region and analyst; changed scores and those lacking a reason."""
    return _json(workbench(request).progress(user, edition))


# --- drafts -----------------------------------------------------------------------------------


@router.get("/api/v1/workbench/drafts")
def drafts(
    request: Request,
    user: User,
    edition: int | None = None,
    state: Annotated[str | None, Query(pattern="^(" + "|".join(STATES) + ")$")] = None,
    country: str | None = None,
) -> JSONResponse:
    """The drafts the user may see, filtered by edition, state and country."""
    return _json(workbench(request).drafts(user, edition=edition, state=state, country=country))


@router.get(DRAFT)
def draft(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """A draft: scores, Q, narratives, reasons, text, the engine's result, last edition's."""
    return _json(workbench(request).draft(user, country, edition))


def _base(if_match: str | None) -> int:
    if if_match is None:
        raise _PreconditionRequired()
    text = if_match.strip().removeprefix("W/").strip('"')
    if not ascii_digits(text):
        raise WorkbenchError(
            f"If-Match = {if_match!r}: expected the revision number the edit is based on",
            where="If-Match",
        )
    return int(text)


class _PreconditionRequired(WorkbenchError):
    http_status = 428

    def __init__(self) -> None:
        super().__init__(
            "a save must name the revision it is based on",
            where="If-Match",
            fix="send the header If-Match: <revision>",
        )


@router.put(DRAFT)
def save(
    request: Request,
    user: User,
    country: CountryId,
    edition: int,
    edit: Edit,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Save an edit as a new revision (409 with both versions when If-Match is stale, 422
    listing every problem)."""
    return _json(workbench(request).save(user, country, edition, _base(if_match), edit))


@router.post(DRAFT + "/submit")
def submit(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """Submit the draft for review (refused, 422, while it has problems)."""
    return _json(workbench(request).transition(user, country, edition, "submit"))


@router.post(DRAFT + "/return")
def return_draft(
    request: Request,
    user: User,
    country: CountryId,
    edition: int,
    body: Annotated[ReturnBody | None, Body()] = None,
) -> JSONResponse:
    """(reviewer) Return the draft to its analyst with comments per indicator."""
    comments = body.comments if body is not None else {}
    return _json(workbench(request).transition(user, country, edition, "return", comments))


@router.post(DRAFT + "/approve")
def approve(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """(reviewer) Approve a submitted draft (not one you authored)."""
    return _json(workbench(request).transition(user, country, edition, "approve"))


@router.post(DRAFT + "/publish")
def publish(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """(reviewer, admin) Publish an approved draft into the store (not one you authored)."""
    return _json(workbench(request).transition(user, country, edition, "publish"))


@router.get(DRAFT + "/revisions")
def revisions(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """Every revision, oldest first: who, when, what changed."""
    return _json(workbench(request).revisions(user, country, edition))


@router.get(DRAFT + "/revisions/{number}")
def revision(
    request: Request, user: User, country: CountryId, edition: int, number: int
) -> JSONResponse:
    """One revision's content."""
    return _json(workbench(request).revision(user, country, edition, number))


@router.get(DRAFT + "/diff")
def diff(
    request: Request, user: User, country: CountryId, edition: int, a: int, b: int
) -> JSONResponse:
    """What differs between revisions a and b."""
    return _json(workbench(request).diff(user, country, edition, a, b))


@router.post(DRAFT + "/restore")
def restore(
    request: Request,
    user: User,
    country: CountryId,
    edition: int,
    body: RestoreBody,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """A new revision with an old revision's content."""
    wb = workbench(request)
    return _json(wb.restore(user, country, edition, _base(if_match), body.revision))


@router.get(DRAFT + "/transitions")
def transitions(request: Request, user: User, country: CountryId, edition: int) -> JSONResponse:
    """Every review step: from, to, who, when, comments."""
    return _json(workbench(request).transitions(user, country, edition))


@router.get(DRAFT + "/export")
def export(
    request: Request,
    user: User,
    country: CountryId,
    edition: int,
    format: Literal["text", "md", "html", "pdf"] = "text",
) -> Response:
    """The draft as a page: the seed's text shape, Markdown, HTML or PDF."""
    body, media = workbench(request).export(user, country, edition, format)
    suffix = {"text": "txt"}.get(format, format)
    return Response(
        body,
        media_type=media,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="{country}-{edition}.{suffix}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        },
    )


# --- users (admin) ----------------------------------------------------------------------------


def _admin(user: Any) -> None:
    from fiw.workbench.drafts import require_admin

    require_admin(user, "manage users")


@router.get("/api/v1/workbench/users")
def users(request: Request, user: User) -> JSONResponse:
    """(admin) Every user with role, state and countries."""
    _admin(user)
    return _json([u.to_dict() for u in workbench(request).users()])


@router.post("/api/v1/workbench/users")
def add_user(request: Request, user: User, body: NewUser) -> JSONResponse:
    """(admin) Add a user."""
    _admin(user)
    return _json(workbench(request).add_user(body.name, body.role, body.password).to_dict(), 201)


@router.post("/api/v1/workbench/users/{name}/assign")
def assign(request: Request, user: User, name: str, body: Countries) -> JSONResponse:
    """(admin) Assign countries to a user."""
    _admin(user)
    return _json(workbench(request).assign(name, body.countries).to_dict())


@router.post("/api/v1/workbench/users/{name}/disable")
def disable(request: Request, user: User, name: str) -> JSONResponse:
    """(admin) Disable a user; their sessions end."""
    _admin(user)
    return _json(workbench(request).disable(name).to_dict())

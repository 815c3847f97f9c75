"""The workbench's HTML pages under /workbench: login, drafts, the draft editor, revision
history, an edition's progress and the admin page.

The server renders each page's frame (who is logged in, and for the editor the questions and
guidance of the edition from the methodology data); the page scripts under
static/workbench/ read and write the drafts through the JSON API (/api/v1/workbench), so
the browser and every other client go through the same checks. Without a session every
page but the login redirects to /workbench/login?next=…; no page is cached by anyone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from fiw.methodology import load_index
from fiw.store.workbench_schema import ROLES, STATES
from fiw.web.errors import error_response
from fiw.web.queries import snapshot
from fiw.web.workbench.auth import LOGIN_PAGE, PageUser, request_login
from fiw.workbench import Actor
from fiw.workbench.errors import NotLoggedIn
from fiw.workbench.sanitize import markdown_html

router = APIRouter(include_in_schema=False)

PRIVATE = {"Cache-Control": "no-store", "Vary": "Cookie"}
PREVIEW_MAX = 200_000  # characters of Markdown one preview renders


def safe_next(target: str | None) -> str:
    """Where to go after login: a path under /workbench on this site, nothing else (no
    open redirect to another host)."""
    if not target:
        return "/workbench"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/workbench") or "\\" in target:
        return "/workbench"
    return target


def _render(
    request: Request, template: str, user: Actor | None, status: int = 200, **context: Any
) -> Response:
    env = request.app.state.templates
    html = env.get_template(f"workbench/{template}").render(
        request=request, user=user, roles=ROLES, states=STATES, **context
    )
    return HTMLResponse(html, status_code=status, headers=PRIVATE)


@router.get(LOGIN_PAGE)
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form; a logged-in user goes straight on."""
    target = safe_next(next)
    try:
        request_login(request)
    except NotLoggedIn:
        return _render(request, "login.html", None, title="Log in", script="login", next=target)
    return RedirectResponse(target, 303, PRIVATE)


@router.get("/workbench")
async def drafts_page(
    request: Request,
    user: PageUser,
    edition: int | None = None,
    state: str | None = None,
    country: str = "",
) -> Response:
    """The drafts the user may see, filtered by edition, state and country."""
    return _render(
        request, "drafts.html", user, title="Drafts", script="drafts",
        edition=edition, state=state if state in STATES else None, country=country,
    )  # fmt: skip


class IndicatorForm(BaseModel):
    """One scored section of the editor: an indicator or a discretionary question."""

    code: str
    question: str | None  # None where fiw does not know the edition's wording
    guidance: str
    min: int
    max: int
    sign: int = 1  # discretionary: -1 subtracts from its aggregate
    note: str = ""


class CategoryForm(BaseModel):
    code: str
    name: str
    max: int
    sections: list[IndicatorForm] = Field(default_factory=list)


def editor_sections(edition: int) -> list[CategoryForm]:
    """The edition's categories with their indicators, then its discretionary questions,
    each with the question and fiw's guidance (all from the methodology data)."""
    rules = load_index("fiw")
    out = []
    for cat in rules.categories:
        sections = []
        for ind in rules.indicators:
            if ind.category == cat.code:
                q = ind.question(edition)
                sections.append(
                    IndicatorForm(
                        code=ind.code, question=q.text if q else None, guidance=ind.guidance,
                        min=ind.min, max=ind.max,
                    )
                )  # fmt: skip
        out.append(CategoryForm(code=cat.code, name=cat.name, max=cat.max, sections=sections))
    discretionary = []
    for d in rules.discretionary_for(edition):
        q = d.question(edition)
        discretionary.append(
            IndicatorForm(
                code=d.code, question=q.text if q else None, guidance=d.guidance, min=d.min,
                max=d.max, sign=d.sign, note=d.note,
            )
        )  # fmt: skip
    if discretionary:
        out.append(CategoryForm(code="", name="Discretionary", max=0, sections=discretionary))
    return out


@router.get("/workbench/drafts/{country}/{edition}")
async def editor_page(request: Request, user: PageUser, country: str, edition: int) -> Response:
    """The draft editor: every indicator's question, guidance, score, narrative and
    Score Change reason, with the totals recomputed in the browser as the analyst types."""
    rules = load_index("fiw")
    if not rules.scores_edition(edition):
        return error_response(request, 404, f"no workbench drafts for the {edition} edition")
    return _render(
        request, "editor.html", user, title=f"{country} {edition}", script="editor",
        country=country, edition=edition, categories=editor_sections(edition),
    )  # fmt: skip


@router.get("/workbench/drafts/{country}/{edition}/history")
async def history_page(request: Request, user: PageUser, country: str, edition: int) -> Response:
    """Every revision and review step of a draft; any two side by side; restore one."""
    return _render(
        request, "history.html", user, title=f"History: {country} {edition}", script="history",
        country=country, edition=edition,
    )  # fmt: skip


@router.get("/workbench/editions/{edition}/progress")
async def progress_page(request: Request, user: PageUser, edition: int) -> Response:
    """An edition's drafts by state, region and analyst, and its changed scores."""
    return _render(
        request, "progress.html", user, title=f"Progress {edition}", script="progress",
        edition=edition,
    )  # fmt: skip


@router.get("/workbench/admin")
async def admin_page(request: Request, user: PageUser) -> Response:
    """Users (add, assign countries, disable) and editions (open one): admins only."""
    if user.role != "admin":
        response = error_response(request, 403, "the admin page is for admins")
        response.headers.update(PRIVATE)
        return response
    countries = [
        {"id": c.id, "name": c.name} for c in snapshot(request).countries.values() if c.region
    ]
    return _render(
        request, "admin.html", user, title="Admin", script="admin", countries=countries,
        next_edition=snapshot(request).latest + 1,
    )  # fmt: skip


class PreviewRequest(BaseModel):
    text: str = Field(max_length=PREVIEW_MAX)


@router.post("/workbench/preview")
async def preview(request: Request, user: PageUser) -> Response:
    """A narrative's Markdown `{"text"}` as the sanitised HTML `{"html"}` every page shows
    (markdown-it, then nh3's allow-list): the editor never renders the user's text itself.
    The CSRF middleware has checked X-CSRF-Token before this runs; without a session it
    redirects to the login page like every page (the script then sends the user there)."""
    try:
        body = PreviewRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        return _json_error(422, f'expected {{"text": Markdown}} ({exc.error_count()} problem(s))')
    return JSONResponse({"html": markdown_html(body.text)}, headers=PRIVATE)


def _json_error(status: int, message: str) -> Response:
    return JSONResponse({"error": {"status": status, "message": message}}, status, PRIVATE)

"""The workbench's web face: the JSON API (`api`), sessions and CSRF (`auth`, `csrf`) and
the browser pages (`pages`, when present). `install(app)` wires them into the explorer's app.
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from fiw.settings import Settings
from fiw.store.database import make_engine, normalise_url
from fiw.web.errors import error_response
from fiw.web.workbench import api, assistant
from fiw.web.workbench.auth import LOGIN_PAGE, LoginRedirect
from fiw.web.workbench.csrf import CSRFMiddleware
from fiw.workbench import LoginPolicy, Workbench
from fiw.workbench.errors import (
    Conflict,
    Invalid,
    NotLoggedIn,
    StateError,
    Throttled,
    WorkbenchError,
)

PAGES = "fiw.web.workbench.pages"


def error_body(exc: WorkbenchError) -> dict[str, Any]:
    """The explorer's error shape, with what the workbench adds: where, the fix, the list of
    problems (422), both versions (409)."""
    error: dict[str, Any] = {"status": exc.http_status, "message": exc.detail()}
    if exc.where:
        error["where"] = exc.where
    body: dict[str, Any] = {"error": error}
    if isinstance(exc, Conflict):
        error["kind"] = "conflict"
        body |= {"yours": exc.yours, "theirs": exc.theirs}
    if isinstance(exc, StateError):
        error["kind"] = "state"
    if isinstance(exc, Invalid):
        body["problems"] = exc.problems
    return body


async def _workbench_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WorkbenchError)
    if not request.url.path.startswith("/api/"):
        if isinstance(exc, NotLoggedIn):
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"{LOGIN_PAGE}?next={target}", status_code=303)
        return error_response(request, exc.http_status, exc.detail())
    headers = {"Cache-Control": "no-store"}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, NotLoggedIn):
        headers["WWW-Authenticate"] = 'Cookie realm="fiw workbench"'
    return JSONResponse(error_body(exc), status_code=exc.http_status, headers=headers)


async def _login_redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRedirect)
    return RedirectResponse(exc.target, status_code=303)


POOL_SIZE = 16
"""PostgreSQL connections each process keeps open (as many more may open for a burst). A
request holds one at a time, so this many editors saving at once never wait for a new
connection: above the pool's size, SQLAlchemy opens one per checkout and closes it after,
and a new PostgreSQL connection costs a process and a login (docs/workbench.md)."""


def pool(settings: Settings) -> dict[str, Any]:
    """The workbench engine's pool settings: POOL_SIZE kept on PostgreSQL; SQLite's default."""
    if normalise_url(settings.database_url).get_backend_name() != "postgresql":
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_SIZE}


def install(app: FastAPI, settings: Settings) -> None:
    """Add the workbench (on the store at settings.database_url) to the app."""
    policy = LoginPolicy(settings.session_hours, settings.login_delay, settings.login_limit)
    app.state.workbench = Workbench(make_engine(settings.database_url, **pool(settings)), policy)
    app.include_router(api.router)
    app.include_router(assistant.router)
    if importlib.util.find_spec(PAGES) is not None:
        app.include_router(importlib.import_module(PAGES).router)
    app.add_exception_handler(WorkbenchError, _workbench_error)
    app.add_exception_handler(LoginRedirect, _login_redirect)
    app.add_middleware(CSRFMiddleware)

"""The web app's one error boundary: every `FiwError` (the library's and the views' own), every
HTTP error and every request validation failure answers in one shape.

API paths and the .json/.csv twins get `{"error": {"status": 404, "message": "…", "where":
"edition"}}`; HTML pages get the same status and message in a page of their own. The status
is the error's `http_status`; `where` names the parameter at fault.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from fiw.analysis.shape import json_of
from fiw.errors import FiwError, NotFoundError
from fiw.web.render import ErrorBody, ErrorDetail


class NotFound(NotFoundError):
    """An unknown country, edition or page: a 404 with a message saying what was not found."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


def wants_json(request: Request) -> bool:
    """API paths and the .json/.csv twins of pages answer errors in JSON."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def error_response(
    request: Request,
    status: int,
    message: str,
    where: str | None = None,
    links: tuple[tuple[str, str], ...] = (),
) -> Response:
    """The error as JSON for API clients, or as an HTML page for people (with `links`, (href,
    text) pairs: "did you mean")."""
    if wants_json(request):
        body = ErrorBody(ErrorDetail(status, message, where))
        return JSONResponse(json_of(body), status_code=status)
    env = request.app.state.templates
    html = env.get_template("error.html").render(status=status, message=message, links=links)
    return HTMLResponse(html, status_code=status)


def _short(value: object, limit: int = 80) -> str:
    """A value as a message shows it: its repr, cut to `limit` characters."""
    shown = (
        repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit])
    )
    return shown if len(shown) <= limit + 2 else shown[:limit] + "…"


def _validation_error(exc: RequestValidationError) -> tuple[str, str | None]:
    """The message of a failed validation, and the first parameter it names."""
    parts, names = [], []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        names.append(where)
        value = err.get("input")
        shown = (
            f" (got {_short(value)})" if value is not None and not isinstance(value, dict) else ""
        )
        parts.append(f"{where}: {err.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request", next((n for n in names if n), None)


def install(app: FastAPI) -> None:
    """Map `FiwError`, HTTP errors and validation failures, once each, to `error_response`."""

    async def fiw_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, FiwError)
        links = tuple(
            (f"/country/{c.id}", c.name) for c in getattr(exc, "suggestions", ())
        )  # an unknown name's closest countries
        return error_response(request, exc.http_status, exc.detail(), exc.where, links)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path[:200]}"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        response = error_response(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, *_validation_error(exc))

    async def internal_error(request: Request, exc: Exception) -> Response:
        # the traceback goes to the server's log, never to the client
        return error_response(request, 500, "internal error: the server's log has the details")

    app.add_exception_handler(FiwError, fiw_error)
    app.add_exception_handler(Exception, internal_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)

"""One error shape for the API and the JSON twins: {"error": {"status": 404, "message": "…"}}.

HTML pages get the same status and message in a page of their own.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException


class NotFound(HTTPException):
    """An unknown country, edition or page: a 404 with a message saying what was not found."""

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class BadParameter(HTTPException):
    """A request parameter with a value the endpoint cannot use: a 422 naming it."""

    def __init__(self, name: str, value: object, expected: str) -> None:
        super().__init__(422, f"{name} = {value!r}: expected {expected}")


def wants_json(request: Request) -> bool:
    """API paths and the .json/.csv twins of pages answer errors in JSON."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


def error_response(request: Request, status: int, message: str) -> Response:
    """The error as JSON for API clients, or as an HTML page for people."""
    if wants_json(request):
        return JSONResponse(error_body(status, message), status_code=status)
    env = request.app.state.templates
    html = env.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        value = err.get("input")
        shown = f" (got {value!r})" if value is not None and not isinstance(value, dict) else ""
        parts.append(f"{where}: {err.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Route every HTTP error and validation failure through `error_response`."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        response = error_response(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, _validation_message(exc))

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)

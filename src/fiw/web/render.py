"""One handler, three forms: a page's context renders as HTML, or as its .json (and .csv) twin."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict

Format = Literal["html", "json", "csv"]
F = TypeVar("F", bound=Callable[..., Any])


class PageContext(BaseModel):
    """Base of every page's typed context: what the template shows and the .json twin returns."""

    model_config = ConfigDict(frozen=True)


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The one error shape: {"error": {"status": 404, "message": "…"}}."""

    error: ErrorDetail


# OpenAPI `responses` of the API routes: the error shape, and CSV for the list endpoints.
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown country, edition or path"},
    422: {"model": ErrorBody, "description": "A parameter the endpoint cannot use"},
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "JSON, or CSV with `?format=csv`",
    },
    **ERRORS,
}


def page_format(request: Request) -> Format:
    """The twin asked for: the path's suffix, or `?format=csv|json` on API-style lists."""
    path = request.url.path
    if path.endswith(".json"):
        return "json"
    if path.endswith(".csv") or request.query_params.get("format") == "csv":
        return "csv"
    if request.query_params.get("format") == "json":
        return "json"
    return "html"


def page(router: APIRouter, path: str, *, csv: bool = False) -> Callable[[F], F]:
    """Register a handler for `path` and its twins `path.json` (and `path.csv`).

    `/` gets `/index.json`. Page routes stay out of the OpenAPI spec, which documents /api/v1.
    """
    base = "/index" if path == "/" else path

    def register(handler: F) -> F:
        router.add_api_route(base + ".json", handler, methods=["GET"], include_in_schema=False)
        if csv:
            router.add_api_route(base + ".csv", handler, methods=["GET"], include_in_schema=False)
        router.add_api_route(
            path, handler, methods=["GET"], include_in_schema=False, response_class=HTMLResponse
        )
        return handler

    return register


def _plain(value: object) -> object:
    """orjson's fallback: pydantic models inside lists and dicts."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(model: BaseModel | list[Any] | dict[str, Any], status: int = 200) -> Response:
    """Compact UTF-8 JSON of a context (pydantic) or of plain rows (orjson): both in Rust."""
    body = (
        model.model_dump_json().encode()
        if isinstance(model, BaseModel)
        else orjson.dumps(model, default=_plain)
    )
    return Response(body, status_code=status, media_type="application/json")


def csv_response(rows: Iterable[Mapping[str, Any]], columns: list[str], filename: str) -> Response:
    """Rows as CSV with a header line, offered as a download named `filename`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def respond(
    request: Request,
    template: str,
    context: PageContext,
    *,
    csv_rows: Callable[[], tuple[list[dict[str, Any]], list[str], str]] | None = None,
    **extra: Any,
) -> Response:
    """Render `context` as the form the request asked for. `extra` goes to the template only
    (charts, labels): the JSON twin carries the data, not its drawing."""
    fmt = page_format(request)
    if fmt == "json":
        return json_response(context)
    if fmt == "csv" and csv_rows is not None:
        rows, columns, filename = csv_rows()
        return csv_response(rows, columns, filename)
    env = request.app.state.templates
    html = env.get_template(template).render(page=context, request=request, **extra)
    return HTMLResponse(html)

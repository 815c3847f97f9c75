"""One handler, three forms: a page's context renders as HTML, or as its .json (and .csv) twin."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from fiw.analysis.shape import adapter

Format = Literal["html", "json", "csv"]
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass(frozen=True)
class PageContext:
    """Base of every page's context, a frozen dataclass: the template's one input (`page`) and,
    serialised by pydantic, the page's .json twin."""


@dataclass(frozen=True)
class ErrorDetail:
    status: int
    message: str
    where: str | None = None  # the parameter (or path segment) at fault, where one is


@dataclass(frozen=True)
class ErrorBody:
    """The one error shape: {"error": {"status": 404, "message": "…", "where": "edition"}}."""

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


DEFAULT_LIMIT = 1000  # rows an API list returns unless `limit` says otherwise
MAX_LIMIT = 5000


def paginate(
    request: Request, rows: list[T], limit: int | None, offset: int | None
) -> tuple[list[T], dict[str, str]]:
    """The page of `rows` asked for (`limit` 1 to MAX_LIMIT, DEFAULT_LIMIT when None;
    `offset` from 0) and its headers: `X-Total-Count` (the rows of every page) and `Link`
    (RFC 8288: first, prev, next, last, keeping the other parameters)."""
    from fiw.errors import ParameterError

    size = DEFAULT_LIMIT if limit is None else limit
    start = 0 if offset is None else offset
    if not 1 <= size <= MAX_LIMIT:
        raise ParameterError("limit", size, f"a whole number 1 to {MAX_LIMIT}")
    if start < 0:
        raise ParameterError("offset", start, "a whole number from 0")
    total = len(rows)

    def link(at: int, rel: str) -> str:
        url = request.url.include_query_params(limit=size, offset=at)
        return f'<{url.path}?{url.query}>; rel="{rel}"'

    links = [link(0, "first")]
    if start > 0:
        links.append(link(max(0, start - size), "prev"))
    if start + size < total:
        links.append(link(start + size, "next"))
    links.append(link(max(0, (total - 1) // size * size), "last"))
    headers = {"X-Total-Count": str(total), "Link": ", ".join(links)}
    return rows[start : start + size], headers


def json_response(
    value: object, status: int = 200, kind: Any = None, headers: dict[str, str] | None = None
) -> Response:
    """Compact UTF-8 JSON, both ways in Rust: plain rows (lists and dicts of plain values) by
    orjson; anything else (a context, a library dataclass) by pydantic as type `kind` (its own
    type when None), with aliased keys (`from`, `to`) and computed fields (`change`)."""
    if kind is None and isinstance(value, list | dict):
        body = orjson.dumps(value)
    else:
        body = adapter(type(value) if kind is None else kind).dump_json(value, by_alias=True)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def csv_response(
    rows: Iterable[Mapping[str, Any]],
    columns: list[str],
    filename: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Rows as CSV with a header line, offered as a download named `filename`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})},
    )


def flat_rows(items: Iterable[object]) -> tuple[list[dict[str, Any]], list[str]]:
    """Library rows (dataclasses) as flat CSV rows, their JSON shape (`from`, `to`, computed
    fields) with nested objects as dotted columns ("counts.Free") and lists joined by "; "."""
    rows: list[dict[str, Any]] = []
    columns: dict[str, None] = {}

    def flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                flatten(inner, f"{prefix}{key}.", out)
        elif isinstance(value, list):
            out[prefix[:-1]] = "; ".join(str(v) for v in value)
        else:
            out[prefix[:-1]] = value

    for item in items:
        row: dict[str, Any] = {}
        flatten(adapter(type(item)).dump_python(item, mode="json", by_alias=True), "", row)
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return rows, list(columns)


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

"""The web explorer's app factory: settings and data in, a FastAPI app out (no globals)."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.middleware.gzip import GZipMiddleware

from fiw.methodology import Status
from fiw.settings import Settings
from fiw.store.textsearch import MAX_QUERY_CHARS
from fiw.web import errors, render, security, workbench
from fiw.web.caching import CacheHeaders, ResponseCache
from fiw.web.freshness import DataWatcher
from fiw.web.queries import status_slug
from fiw.web.snapshot import Snapshot
from fiw.web.views import (
    assessments,
    assist,
    changes,
    compare,
    countries,
    country,
    home,
    methodology,
    methodology_data,
    search,
    trends,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from rich.progress import Progress

HERE = Path(__file__).parent


def templates() -> Environment:
    """The Jinja2 environment: autoescaped, and strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_slug"] = status_slug
    env.filters["signed"] = lambda v: "" if v is None else (f"+{v}" if v > 0 else str(v))
    return env


def open_snapshot(settings: Settings) -> Snapshot:
    """The data to serve: the store at settings.database_url, read once into memory."""
    import fiw

    return Snapshot(fiw.open(settings.database_url))


def create_app(
    settings: Settings, data: Snapshot | None = None, *, watch: bool | None = None
) -> FastAPI:
    """A FastAPI app serving `data` (opened from `settings` when not given). With `watch`
    (the default when the data is opened here) a thread reloads it when the store's data
    version moves (an import or a workbench publish, in any process)."""
    watching = data is None if watch is None else watch

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watcher = None
        if watching:
            engine = app.state.workbench.engine
            watcher = DataWatcher(app, engine, lambda: open_snapshot(settings))
            watcher.start()
        try:  # the search worker starts with the server rather than on the first search
            await anyio.to_thread.run_sync(search.SEARCHES.start)
        except (OSError, RuntimeError) as exc:  # pages need no worker; a search tries again
            log.warning("the search worker did not start: %s", exc)
        yield
        if watcher is not None:
            watcher.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="fiw",
        summary="Freedom in the World scores, ratings and statuses",
        version="1",
        docs_url=None,  # served below from the vendored swagger-ui-dist: no CDN, works offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.data = data if data is not None else open_snapshot(settings)
    app.state.templates = templates()
    errors.install(app)
    views = (home, countries, country, compare, methodology, assessments, search, changes, trends)
    for module in (*views, assist):
        app.include_router(module.router)
    app.include_router(methodology_data.router)
    workbench.install(app, settings)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_api_route("/api/docs", _api_docs, include_in_schema=False, methods=["GET"])
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(CacheHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=5)  # 1 ms, not 5, per 100 KB
    app.add_middleware(ResponseCache)  # outermost of these: keeps the compressed bytes
    security.install(app)  # around everything: headers on every response, HEAD, OPTIONS
    return app


async def _api_docs() -> HTMLResponse:
    """The interactive API documentation (Swagger UI), from fiw's own static files: no inline
    script (`static/api-docs.js` starts it), so the strict Content-Security-Policy holds."""
    vendor = "/static/vendor/swagger-ui-dist"
    return HTMLResponse(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>fiw API</title>'
        f'<link rel="stylesheet" href="{vendor}/swagger-ui.css">'
        f'<link rel="icon" href="{vendor}/favicon-32x32.png"></head>'
        '<body><div id="swagger-ui" data-spec="/api/openapi.json"></div>'
        f'<script src="{vendor}/swagger-ui-bundle.js"></script>'
        '<script src="/static/api-docs.js"></script></body></html>\n'
    )


PAGED = ("/api/v1/assessments", "/api/v1/countries", "/api/v1/editions")  # `render.paginate`


NO_NUL = r"^[^\u0000]*$"  # what any string parameter may hold (`fiw.web.security`)


def _without_nul(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema whose strings may not hold NUL, which every route refuses."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [_without_nul(s) for s in schema["anyOf"]]}
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        return {**schema, "pattern": NO_NUL}
    return schema


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The spec, with the values each filter accepts spelled out (regions come from the data;
    the handlers also accept other capitalisations); rebuilt when the served data changes."""
    generation = getattr(app.state, "generation", 0)
    if app.openapi_schema is None or getattr(app.state, "openapi_generation", 0) != generation:
        app.state.openapi_generation = generation
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        data: Snapshot = app.state.data
        values = {
            "format": ["json", "csv"],
            "kind": ["country", "territory"],
            "status": [s.value for s in Status] + [s.short for s in Status],
            "region": list(data.regions),
            "indicator": list(search.SECTIONS),
        }
        # q: at least one letter or digit, and within the bounds of fiw.store.textsearch
        exact: dict[str, dict[str, Any]] = {
            "q": {
                "type": "string",
                "pattern": NO_NUL.replace("*$", r"*[^\W_][^\u0000]*$"),
                "maxLength": MAX_QUERY_CHARS,
            },
            "limit": {"type": "integer", "minimum": 1, "maximum": search.MAX_LIMIT},
            "offset": {"type": "integer", "minimum": 0, "maximum": search.MAX_OFFSET},
        }
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, item in spec["paths"].items():
            lists = {"type": "integer", "minimum": 1, "maximum": render.MAX_LIMIT}
            for operation in item.values():
                # every operation answers the one error shape; list endpoints also CSV
                responses = operation.setdefault("responses", {})
                for code, what in (("404", "Unknown country, edition or path"),
                                   ("414", security.TOO_LONG),
                                   ("422", "A parameter the endpoint cannot use")):  # fmt: skip
                    responses[code] = {"description": what, "content": error}
                names = {p["name"] for p in operation.get("parameters", [])}
                if "format" in names and "200" in responses:
                    content = responses["200"].setdefault("content", {})
                    content.setdefault("text/csv", {"schema": {"type": "string"}})
                for parameter in operation.get("parameters", []):
                    name = parameter["name"]
                    if parameter["in"] != "query":
                        continue
                    if name in values:
                        parameter["schema"] = {
                            "anyOf": [{"type": "string", "enum": values[name]}, {"type": "null"}]
                        }
                    elif name == "limit" and path in PAGED:
                        parameter["schema"] = {**parameter["schema"], **lists}  # paged lists
                    elif name in exact:
                        parameter["schema"] = {**parameter["schema"], **exact[name]}
                    else:  # the security layer refuses a NUL in any value (422)
                        parameter["schema"] = _without_nul(parameter["schema"])
        app.openapi_schema = spec
    return app.openapi_schema


def create_app_from_env() -> FastAPI:
    """The app for uvicorn's workers (`fiw serve --workers N`): settings from FIW_*."""
    from fiw.settings import get_settings

    return create_app(get_settings())


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int = 1,
    say: Callable[[str], None] = lambda message: None,
    progress: Progress | None = None,
) -> None:
    """Prepare the database (migrate; import the official data on first start), then run the
    explorer with uvicorn until interrupted."""
    import uvicorn

    from fiw.store.bootstrap import prepare_database

    prepare_database(settings, say=say, progress=progress)
    if progress is not None:
        progress.stop()  # the database is ready: no live display while serving
    if workers > 1:  # each worker builds its own app; the database makes them one server
        say(f"serving http://{host}:{port}/ with {workers} workers; Ctrl+C stops")
        uvicorn.run(
            "fiw.web.app:create_app_from_env", factory=True, workers=workers, host=host,
            port=port, log_level="warning", http="httptools", loop="uvloop",
        )  # fmt: skip
        return
    app = create_app(settings)
    gc.freeze()  # the snapshot lives as long as the process: keep it out of GC passes
    say(f"serving http://{host}:{port}/ (API docs at /api/docs); Ctrl+C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", http="httptools", loop="uvloop")

"""The web explorer's app factory: settings and data in, a FastAPI app out (no globals)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.middleware.gzip import GZipMiddleware

from fiw.settings import Settings
from fiw.web import errors
from fiw.web.caching import CacheHeaders, ResponseCache
from fiw.web.data import Dataset
from fiw.web.queries import status_slug
from fiw.web.views import analysis, assessments, countries, country, home, methodology, search

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


def open_dataset(settings: Settings) -> Dataset:
    """The data to serve. Until the store lands: the official workbook, read into memory."""
    from fiw.web.workbook_dataset import WorkbookDataset

    return WorkbookDataset(settings.all_data_workbook())


def create_app(settings: Settings, data: Dataset | None = None) -> FastAPI:
    """A FastAPI app serving `data` (opened from `settings` when not given)."""
    app = FastAPI(
        title="fiw",
        summary="Freedom in the World scores, ratings and statuses",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.data = data if data is not None else open_dataset(settings)
    app.state.templates = templates()
    errors.install(app)
    for module in (home, countries, country, methodology, assessments, search):
        app.include_router(module.router)
    analysis.install(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(CacheHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(ResponseCache)  # outermost: keeps the compressed bytes
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the explorer with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

"""`fiw serve`: the web explorer and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from fiw.cli.common import err


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="worker processes (over one PostgreSQL they act as one)")
    ] = 1,
) -> None:
    """Serve the web explorer and the JSON API (http://HOST:PORT/, API docs at /api/docs).

    On first start it migrates the database and imports the official workbooks (from
    FIW_DATA_DIR, else downloaded) and the report pages under FIW_PAGES_DIR.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from fiw.settings import get_settings
    from fiw.web import serve

    columns = (TextColumn("{task.description:<40}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as progress:

        def say(message: str) -> None:
            progress.console.print(message, highlight=False, markup=False, soft_wrap=True)

        serve(get_settings(), host=host, port=port, workers=workers, progress=progress, say=say)

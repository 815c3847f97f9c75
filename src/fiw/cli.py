"""The `fiw` command: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from fiw.methodology import ScoreError, load_index, score

app = typer.Typer(
    name="fiw",
    help="Freedom in the World: score, audit, parse, import and explore the ratings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Freedom in the World: score, audit, parse, import and explore the ratings."""


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a library error without a traceback and exit with `code`."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(value: object) -> None:
    """Exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


# --- methodology ---------------------------------------------------------------------------


@app.command("score")
def score_command(
    assignments: Annotated[
        list[str], typer.Argument(help="CODE=SCORE pairs: A1=0 … G4=2, optionally Q=0, ADD_A=0")
    ],
    edition: Annotated[int, typer.Option(help="edition year, e.g. 2023")] = ...,  # type: ignore[assignment]
    index: Annotated[str, typer.Option(help="fiw (Freedom in the World) or fotn")] = "fiw",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Score one assessment: subtotals, aggregates, ratings and status."""
    scores: dict[str, object] = {}
    bad = []
    for item in assignments:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            bad.append(f"{item!r}: expected CODE=SCORE, e.g. A1=3")
            continue
        key = code.strip().upper()
        if key in scores:
            bad.append(f"{key} is given twice")
        scores[key] = value.strip()
    if bad:
        fail("\n".join(bad))
    try:
        result = score(edition, scores, index=index)
    except ScoreError as exc:
        fail(str(exc))
    except KeyError as exc:
        fail(str(exc.args[0]))
    if as_json:
        print_json(result.to_dict())
        return
    rules = load_index(index)
    table = Table(title=f"{rules.name} {edition}", show_header=True)
    table.add_column("")
    table.add_column("score", justify="right")
    table.add_column("of", justify="right")
    for cat in rules.categories:
        table.add_row(f"{cat.code} {cat.name}", str(result.subtotals[cat.code]), str(cat.max))
    for dcode, points in result.discretionary.items():
        d = next(x for x in rules.discretionary if x.code == dcode)
        table.add_row(f"{dcode} ({'-' if d.sign < 0 else '+'})", str(points), str(d.max))
    for agg in rules.aggregates:
        rating = result.ratings.get(agg.code)
        label = f"{agg.code} {agg.name}" + (f" (rating {rating})" if rating else "")
        table.add_row(label, str(result.aggregates[agg.code]), str(agg.max), style="bold")
    table.add_row(rules.total_name, str(result.total), str(rules.total_max), style="bold")
    out.print(table)
    out.print(f"Status: [bold]{result.status}[/bold]")


# --- sources -------------------------------------------------------------------------------


@app.command("download")
def download_command(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="where to save the workbooks (default: FIW_CACHE_DIR)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Fetch both official workbooks (URLs from FIW_ALL_DATA_URL, FIW_RATINGS_URL) with sha256."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    from fiw.sources.download import DownloadError, download_workbooks

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=as_json) as progress:
            files = download_workbooks(directory=directory, progress=progress)
    except DownloadError as exc:
        fail(str(exc))
    if as_json:
        print_json({"files": [f.to_dict() for f in files]})
        return
    table = Table(show_header=True)
    for column in ("workbook", "file", "bytes", "sha256"):
        table.add_column(column, justify="right" if column == "bytes" else "left")
    for f in files:
        table.add_row(f.kind, str(f.path), f"{f.size:,}", f.sha256)
    out.print(table)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

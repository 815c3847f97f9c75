"""The `fiw` command: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

import json
import sys
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
    for code, points in result.discretionary.items():
        d = next(x for x in rules.discretionary if x.code == code)
        table.add_row(f"{code} ({'-' if d.sign < 0 else '+'})", str(points), str(d.max))
    for agg in rules.aggregates:
        rating = result.ratings.get(agg.code)
        label = f"{agg.code} {agg.name}" + (f" (rating {rating})" if rating else "")
        table.add_row(label, str(result.aggregates[agg.code]), str(agg.max), style="bold")
    table.add_row(rules.total_name, str(result.total), str(rules.total_max), style="bold")
    out.print(table)
    out.print(f"Status: [bold]{result.status}[/bold]")


# --- web ---------------------------------------------------------------------------------


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the web explorer and the JSON API (http://HOST:PORT/, API docs at /api/docs)."""
    from fiw.settings import SharedDataMissing, get_settings
    from fiw.web import serve

    try:
        serve(get_settings(), host=host, port=port)
    except SharedDataMissing as exc:
        fail(str(exc))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

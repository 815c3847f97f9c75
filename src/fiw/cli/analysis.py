"""`fiw changes`, `trends`, `rating-changes`, `transitions`, `longrun`: fiw.analysis over
the store's frames."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from fiw.cli.common import (
    DatabaseOption,
    JsonOption,
    TerritoriesOption,
    frame,
    out,
    print_json,
    signed,
)
from fiw.errors import ParameterError
from fiw.methodology import AGGREGATES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fiw.analysis import TotalChange


def _change_table(title: str, rows: Sequence[TotalChange], style: str) -> Table:
    table = Table(title=title, title_justify="left", show_header=True)
    table.add_column("country")
    for column in ("from", "to", "change"):
        table.add_column(column, justify="right")
    for c in rows:
        table.add_row(
            escape(c.country), str(c.before), str(c.after), f"[{style}]{signed(c.change)}[/]"
        )
    return table


def changes_command(
    edition: Annotated[
        int | None, typer.Option(help="edition year with scores, 2014 on (default: the latest)")
    ] = None,
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who improved, declined or stayed in an edition, and whose status changed."""
    from fiw.analysis import edition_changes

    scores = frame(database)
    if edition is None and not scores.empty:
        edition = int(scores["edition"].max())
    result = edition_changes(scores, edition or 0, territories=territories)
    if as_json:
        print_json(result.to_dict())
        return
    who = "countries and territories" if territories else "countries"
    out.print(
        f"[bold]Freedom in the World {result.edition}[/bold] against {result.previous} "
        f"({who}): [red]{len(result.declined)} declined[/red], "
        f"[green]{len(result.improved)} improved[/green], {result.unchanged} unchanged; "
        f"net decline {signed(result.net_decline)}",
        highlight=False,
    )
    out.print(_change_table("Improved", result.improved, "green"))
    out.print(_change_table("Declined", result.declined, "red"))
    table = Table(title="Status changes", title_justify="left", show_header=True)
    for column in ("country", "from", "to"):
        table.add_column(column)
    for s in result.status_changes:
        table.add_row(escape(s.country), s.before, s.after)
    out.print(table if result.status_changes else "No status changes.")
    if result.not_compared:
        names = ", ".join(result.not_compared)
        out.print(f"Not compared (no previous edition): {names}", markup=False)


def trends_command(
    region: Annotated[
        str | None, typer.Option(help="one region, or Global (default: all, one column each)")
    ] = None,
    measure: Annotated[
        str, typer.Option(help="total, pr, cl or a subcategory A … G (table only)")
    ] = "total",
    regions: Annotated[
        str, typer.Option(help="current (today's regions) or historical (as at the time)")
    ] = "current",
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Average scores per edition, globally and per region (each country counts once)."""
    from fiw.analysis import MEASURES, trends

    key = measure if measure in MEASURES else measure.upper()
    if key not in MEASURES:
        raise ParameterError("--measure", measure, f"one of {', '.join(MEASURES)}")
    result = trends(frame(database), region, territories, regions)  # type: ignore[arg-type]
    if as_json:
        print_json(result.to_dict())
        return
    names = list(dict.fromkeys(p.region for p in result.points))
    editions = sorted({p.edition for p in result.points})
    if len(names) == 1:
        table = Table(title=f"{names[0]}: average scores per edition", show_header=True)
        table.add_column("edition")
        table.add_column("entities", justify="right")
        for m in MEASURES:
            table.add_column(m, justify="right")
        for p in result.points:
            table.add_row(
                str(p.edition), str(p.entities), *(f"{p.averages[m]:.2f}" for m in MEASURES)
            )
    else:
        table = Table(title=f"Average {key} per edition ({regions} regions)", show_header=True)
        table.add_column("edition")
        for name in names:
            table.add_column(name, justify="right")
        cells = {(p.region, p.edition): p.averages[key] for p in result.points}
        for e in editions:
            table.add_row(
                str(e), *(f"{cells[(n, e)]:.2f}" if (n, e) in cells else "" for n in names)
            )
    out.print(table)
    if result.unconfirmed:
        out.print(f"Earlier region unconfirmed: {', '.join(result.unconfirmed)}", markup=False)


def rating_changes_command(
    edition: Annotated[
        str | None,
        typer.Option(help='edition of the history since 1973: label ("1983-84") or order'),
    ] = None,
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """PR rating, CL rating and status changes against the previous edition of the history."""
    from fiw.analysis import rating_changes

    ratings = frame(database, ratings=True)
    if edition is None and not ratings.empty:
        edition = str(int(ratings["order"].max()))
    result = rating_changes(ratings, edition or "", territories)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        f"[bold]{result.edition.label}[/bold] against {result.previous.label}: "
        f"{result.compared} compared, [green]{result.improved} improved[/green], "
        f"[red]{result.declined} declined[/red], {len(result.status_changes)} status changes",
        highlight=False,
    )
    table = Table(show_header=True)
    for column in ("country", *AGGREGATES, "status"):
        table.add_column(column)
    for c in result.changes:
        status = f"{c.status_from} → {c.status_to}" if c.status_from != c.status_to else ""
        table.add_row(
            escape(c.country), f"{c.pr_from} → {c.pr_to}", f"{c.cl_from} → {c.cl_to}", status
        )
    out.print(table if result.changes else "No rating or status changes.")


def transitions_command(
    start: Annotated[
        str, typer.Option("--from", help='edition label ("Jan.-Feb. 1973", "1983-84") or order')
    ] = "1",
    end: Annotated[str | None, typer.Option("--to", help="edition (default: the latest)")] = None,
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """How many countries moved between Free, Partly Free and Not Free from one edition to
    another of the ratings history since 1973."""
    from fiw.analysis import transitions

    ratings = frame(database, ratings=True)
    if end is None and not ratings.empty:
        end = str(int(ratings["order"].max()))
    result = transitions(ratings, start, end or "", territories)
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(title=f"Status in {result.start.label} (rows) → {result.end.label} (columns)")
    table.add_column("from \\ to")
    statuses = list(result.matrix)
    for status in statuses:
        table.add_column(status, justify="right")
    table.add_column("total", justify="right")
    for a in statuses:
        row = result.matrix[a]
        table.add_row(a, *(str(row[b]) for b in statuses), str(sum(row.values())), style=None)
    out.print(table)
    for label, names in (
        (f"Only in {result.start.label}", result.only_in_start),
        (f"Only in {result.end.label}", result.only_in_end),
    ):
        if names:
            out.print(f"{label} ({len(names)}): {', '.join(names)}", highlight=False, markup=False)


def longrun_command(
    start: Annotated[
        int | None, typer.Option("--from", help="first edition (default: ten before --to)")
    ] = None,
    end: Annotated[int | None, typer.Option("--to", help="last edition (default: latest)")] = None,
    limit: Annotated[int, typer.Option(help="how many of each list")] = 10,
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Largest gains and declines of total score over a span, and the longest runs of decline."""
    from fiw.analysis import long_run

    if limit < 1:
        raise ParameterError("--limit", limit, "1 or more")
    result = long_run(frame(database), start, end, territories, limit)
    if as_json:
        print_json(result.to_dict())
        return
    span = result.span
    out.print(_change_table(f"Largest gains, {span.start} → {span.end}", span.gains, "green"))
    out.print(_change_table(f"Largest declines, {span.start} → {span.end}", span.declines, "red"))
    table = Table(title=f"Longest runs of decline within {span.start}–{span.end}")
    table.add_column("country")
    for column in ("editions", "first", "last", "from", "to", "change"):
        table.add_column(column, justify="right")
    for r in result.runs:
        last = f"{r.last} (ongoing)" if r.ongoing else str(r.last)
        table.add_row(
            escape(r.country), str(r.length), str(r.first), last, str(r.before), str(r.after),
            f"[red]{signed(r.after - r.before)}[/]",
        )  # fmt: skip
    out.print(table)

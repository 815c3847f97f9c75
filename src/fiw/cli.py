"""The `fiw` command: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from fiw.methodology import ScoreError, Status, load_index, score

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from fiw.analysis import TotalChange
    from fiw.pages import Report

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
    try:
        result = score(edition, scores, index=index)
    except ScoreError as exc:
        fail("\n".join([*bad, str(exc)]))
    except KeyError as exc:
        fail(str(exc.args[0]))
    if bad:
        fail("\n".join(bad))
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


@app.command("audit")
def audit_command(
    workbook: Annotated[Path, typer.Argument(help="the official All_data_FIW workbook (.xlsx)")],
    ratings: Annotated[
        Path | None,
        typer.Option(help="the ratings-and-statuses workbook, to check the published counts"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Recompute every row of the official workbook and compare every published field.

    Exit 0 when everything agrees, 1 when a value disagrees or is invalid, 2 when a file
    cannot be read as the expected workbook.
    """
    from fiw.sources.all_data import read_all_data
    from fiw.sources.audit import audit
    from fiw.sources.errors import WorkbookError

    try:
        book = read_all_data(workbook)
        distribution = None
        if ratings is not None:
            from fiw.sources.ratings import read_ratings

            distribution = read_ratings(ratings).distribution
    except WorkbookError as exc:
        fail(str(exc))
    report = audit(book.records, distribution)
    if as_json:
        print_json(report.to_dict())
    else:
        out.print(f"{workbook.name}: {report.rows:,} rows recomputed.")
        if report.mismatches:
            out.print(f"[red]{len(report.mismatches)} mismatch(es):[/red]")
            for mismatch in report.mismatches:
                out.print(f"  {mismatch}", highlight=False)
        else:
            out.print("[green]Every published field agrees with the methodology.[/green]")
        if report.distribution:
            table = Table(title="Countries by status: published / computed")
            for column in ("edition", "Free", "Partly Free", "Not Free", "match"):
                table.add_column(column, justify="right")
            for edition, check in sorted(report.distribution.items()):
                cells = [f"{check.published[s]} / {check.computed.get(s, 0)}" for s in Status]
                table.add_row(str(edition), *cells, "yes" if check.match else "[red]NO[/red]")
            out.print(table)
    raise typer.Exit(0 if report.ok else 1)


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


# --- pages ---------------------------------------------------------------------------------


def _page_summary(report: Report) -> None:
    """A readable summary of one parsed page."""
    from fiw.pages import remarks

    edition = report.edition if report.edition is not None else "edition unknown"
    mark = " (territory)" if report.territory else ""
    out.print(f"[bold]{report.country}{mark}[/bold], Freedom in the World {edition}")
    status = report.status.value if report.status else "unknown"
    last = (
        f", last year {report.last_year.total} {report.last_year.status}"
        if report.last_year
        else ""
    )
    out.print(
        f"Status [bold]{status}[/bold]: total {report.total}/100, PR {report.pr}/40, "
        f"CL {report.cl}/60{last}"
    )
    table = Table(show_header=False, box=None, pad_edge=False)
    for _ in range(5):
        table.add_column(justify="left")
    cells = [f"{i.code} {i.score}/{i.max}" for i in report.indicators]
    if report.add_q is not None:
        cells.append(f"Q {report.add_q.score}")
    for start in range(0, len(cells), 5):
        table.add_row(*cells[start : start + 5])
    out.print(table)
    for note in report.notes:
        out.print(f"{note.label}: {note.text[:100]}")
    out.print(f"Key developments: {len(report.key_developments)}")
    for label, standing in (
        ("Site's latest Global Freedom Score", report.site_latest),
        ("Internet Freedom Score", report.internet_freedom),
    ):
        if standing is not None:
            out.print(f"{label}: {standing.total}/100 {standing.status}")
    for remark in remarks(report):
        out.print(f"[dim]note: {remark}[/dim]")
    for problem in report.problems:
        out.print(f"[red]problem:[/red] {problem}", highlight=False)
    if not report.problems:
        out.print("[green]no problems[/green]")


@app.command("parse")
def parse_command(
    path: Annotated[Path, typer.Argument(help="a page saved as text, or a folder of them")],
    edition: Annotated[
        int | None, typer.Option(help="edition, where the page has no 'Key Developments in YEAR'")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="a folder: one JSON object per page, with its file")
    ] = False,
) -> None:
    """Parse country report pages and check them against the methodology.

    Exit 0: parsed without problems; 1: parsed with problems; 2: not a readable page.
    """
    from fiw.pages import ParseError, parse_file, report_to_json
    from fiw.pages.batch import parse_folder, parse_folder_jsonl

    if path.is_dir():
        code = 0
        if jsonl or as_json:
            for line, page_code in parse_folder_jsonl(path, edition=edition):
                sys.stdout.write(line + "\n")
                code = max(code, page_code)
            raise typer.Exit(code)
        summary = Table("file", "country", "edition", "status", "total", "problems")
        for result in parse_folder(path, edition=edition):
            name = str(result.file)
            if result.error is not None:
                code = 2
                summary.add_row(name, "", "", "", "", f"[red]{result.error}[/red]")
                continue
            report = result.report
            assert report is not None
            if report.problems:
                code = max(code, 1)
            summary.add_row(
                name,
                report.country,
                str(report.edition),
                str(report.status),
                str(report.total),
                "; ".join(str(p) for p in report.problems),
            )
        out.print(summary)
        raise typer.Exit(code)
    try:
        report = parse_file(path, edition=edition)
    except ParseError as exc:
        fail(str(exc), 2)
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", 2)
    if as_json or jsonl:
        print_json(report_to_json(report))
    else:
        _page_summary(report)
    raise typer.Exit(1 if report.problems else 0)


@app.command("render")
def render_command(
    path: Annotated[Path, typer.Argument(help="a report as `fiw parse --json` printed it")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (the page shape), md or html")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write here instead of stdout")
    ] = None,
) -> None:
    """Render a parsed report as a page: text, Markdown, or a standalone printable HTML page."""
    from fiw.pages import ReportFormatError, report_from_json
    from fiw.pages.render import FORMATS, render

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}", 2)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", 2)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"{path}: not JSON ({exc})", 2)
    try:
        report = report_from_json(data)
    except ReportFormatError as exc:
        fail(f"{path}: {exc}", 2)
    text = render(report, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


# --- web ---------------------------------------------------------------------------------


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the web explorer and the JSON API (http://HOST:PORT/, API docs at /api/docs).

    On first start it migrates the database and imports the official workbooks (from
    FIW_DATA_DIR, else downloaded) and the report pages under FIW_PAGES_DIR.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from fiw.settings import SharedDataMissing, get_settings
    from fiw.sources.download import DownloadError
    from fiw.store.errors import StoreError
    from fiw.web import serve

    columns = (TextColumn("{task.description:<40}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())  # fmt: skip
    try:
        with Progress(*columns, console=err, transient=True) as progress:

            def say(message: str) -> None:
                progress.console.print(message, highlight=False, soft_wrap=True)

            serve(get_settings(), host=host, port=port, progress=progress, say=say)
    except (SharedDataMissing, DownloadError, StoreError) as exc:
        fail(str(exc))


# --- store ---------------------------------------------------------------------------------

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", envvar="FIW_DATABASE_URL", show_envvar=False,
        help="database URL (default: FIW_DATABASE_URL, else a SQLite file in the data dir)",
    ),
]  # fmt: skip
db_app = typer.Typer(help="Manage fiw's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade_command(database: DatabaseOption = None) -> None:
    """Create or migrate the database to fiw's newest schema (Alembic revisions)."""
    from fiw.store.database import describe, make_engine
    from fiw.store.errors import StoreError
    from fiw.store.migrate import upgrade

    try:
        engine = make_engine(database)
        before, after = upgrade(engine)
    except StoreError as exc:
        fail(str(exc))
    where = describe(engine)
    if before == after:
        out.print(f"{where} is up to date (revision {after})", highlight=False)
    else:
        out.print(f"{where}: revision {before or '(empty)'} → {after}", highlight=False)


@app.command("import")
def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="workbooks, fiw exports, report pages (.txt) or folders of pages"),
    ],
    database: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="skip (and list) pages that cannot be parsed")
    ] = False,
) -> None:
    """Import official workbooks, fiw exports and report pages in one transaction."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from fiw.store.database import make_engine
    from fiw.store.errors import StoreError
    from fiw.store.importer import import_files

    columns = (TextColumn("{task.description:<40}"), BarColumn(), TimeElapsedColumn())
    try:
        engine = make_engine(database)
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("importing", total=1.0)

            def advance(description: str, done: float) -> None:
                progress.update(task, description=description, advance=done)

            reports = import_files(engine, files, progress=advance, skip_bad=skip_bad)
    except StoreError as exc:
        fail(str(exc))
    if as_json:
        print_json({"files": [r.to_dict() for r in reports]})
        return
    for report in reports:
        state = "new file" if report.new_file else "already imported"
        out.print(
            f"[bold]{report.path.name}[/bold] ({report.kind}, {state}, sha256 "
            f"{report.sha256[:12]}…)",
            highlight=False,
        )
        table = Table(show_header=True)
        for column in ("table", "added", "changed", "unchanged"):
            table.add_column(column, justify="left" if column == "table" else "right")
        for name, counts in report.counts.items():
            table.add_row(name, f"{counts.added:,}", f"{counts.changed:,}", f"{counts.unchanged:,}")
        out.print(table)
        for change in report.changes[:20]:
            out.print(f"  changed: {change}", highlight=False)
        if len(report.changes) > 20:
            out.print(f"  … {len(report.changes) - 20} more (--json lists them)")
        for label, lines in (
            ("warning", report.warnings),
            ("problem", report.problems),
            ("skipped", report.skipped),
        ):
            for line in lines[:20]:
                out.print(f"  {label}: {line}", highlight=False, markup=False, soft_wrap=True)
            if len(lines) > 20:
                out.print(f"  … {len(lines) - 20} more {label} (--json lists them)")
        if not report.changed_anything:
            out.print("  nothing changed")


def _editions_text(years: tuple[int, ...]) -> str:
    """1973-2009 style ranges of consecutive years (editions skip 1983)."""
    parts: list[str] = []
    start = prev = None
    for year in years:
        if prev is not None and year - prev <= (2 if prev == 1982 else 1):
            prev = year
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = year
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


@app.command("countries")
def countries_command(
    database: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """List countries: id, name, ISO3, regions, editions as a country and as a territory."""
    from fiw.store.dataset import open_dataset
    from fiw.store.errors import StoreError

    try:
        summaries = open_dataset(database).country_summaries()
    except StoreError as exc:
        fail(str(exc))
    if as_json:
        print_json({"countries": [s.to_dict() for s in summaries]})
        return
    table = Table(show_header=True)
    for column in ("id", "name", "iso3", "regions", "country in", "territory in"):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            s.id, s.name, s.iso3 or "", ", ".join(s.regions),
            _editions_text(s.country_editions), _editions_text(s.territory_editions),
        )  # fmt: skip
    out.print(table)


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, json, parquet or xlsx")] = "csv",
    edition: Annotated[int | None, typer.Option(help="only this edition (year)")] = None,
    table: Annotated[str, typer.Option(help="scores (2013 on) or ratings (1973 on)")] = "scores",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Export the scores or the ratings history as tidy columns (docs/store.md)."""
    from fiw.store.dataset import open_dataset
    from fiw.store.errors import StoreError
    from fiw.store.export import FORMATS, TABLES, export

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if table not in TABLES:
        fail(f"--table {table!r}: expected one of {', '.join(TABLES)}")
    if output is None and fmt in ("parquet", "xlsx"):
        fail(f"--format {fmt} writes a binary file: give --output FILE")
    try:
        dataset = open_dataset(database)
        destination = output if output is not None else sys.stdout.buffer
        rows = export(dataset, fmt, destination, table, edition)  # type: ignore[arg-type]
    except StoreError as exc:
        fail(str(exc))
    if output is not None:
        err.print(f"{rows:,} rows of {table} written to {output}", highlight=False)


# --- analysis ------------------------------------------------------------------------------

TerritoriesOption = Annotated[
    bool, typer.Option("--territories", help="count territories too (default: countries only)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="print one JSON object")]


def _frames(database: str | None, ratings: bool = False) -> pd.DataFrame:
    """The store's scores (or ratings) frame; store errors end the command."""
    from fiw.store.dataset import open_dataset
    from fiw.store.errors import StoreError

    try:
        dataset = open_dataset(database)
        return dataset.ratings() if ratings else dataset.scores()
    except StoreError as exc:
        fail(str(exc))


def _signed(value: int | float) -> str:
    return f"+{value}" if value > 0 else str(value)


def _change_table(title: str, rows: Sequence[TotalChange], style: str) -> Table:
    table = Table(title=title, title_justify="left", show_header=True)
    table.add_column("country")
    for column in ("from", "to", "change"):
        table.add_column(column, justify="right")
    for c in rows:
        table.add_row(c.country, str(c.before), str(c.after), f"[{style}]{_signed(c.change)}[/]")
    return table


@app.command("changes")
def changes_command(
    edition: Annotated[
        int | None, typer.Option(help="edition year with scores, 2014 on (default: the latest)")
    ] = None,
    territories: TerritoriesOption = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who improved, declined or stayed in an edition, and whose status changed."""
    from fiw.analysis import AnalysisError, edition_changes

    scores = _frames(database)
    if edition is None and not scores.empty:
        edition = int(scores["edition"].max())
    try:
        result = edition_changes(scores, edition or 0, territories=territories)
    except AnalysisError as exc:
        fail(str(exc))
    if as_json:
        print_json(result.to_dict())
        return
    who = "countries and territories" if territories else "countries"
    out.print(
        f"[bold]Freedom in the World {result.edition}[/bold] against {result.previous} "
        f"({who}): [red]{len(result.declined)} declined[/red], "
        f"[green]{len(result.improved)} improved[/green], {result.unchanged} unchanged; "
        f"net decline {_signed(result.net_decline)}",
        highlight=False,
    )
    out.print(_change_table("Improved", result.improved, "green"))
    out.print(_change_table("Declined", result.declined, "red"))
    table = Table(title="Status changes", title_justify="left", show_header=True)
    for column in ("country", "from", "to"):
        table.add_column(column)
    for s in result.status_changes:
        table.add_row(s.country, s.before, s.after)
    out.print(table if result.status_changes else "No status changes.")
    if result.not_compared:
        out.print(f"Not compared (no previous edition): {', '.join(result.not_compared)}")


@app.command("trends")
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
    from fiw.analysis import MEASURES, AnalysisError, trends

    key = measure if measure in MEASURES else measure.upper()
    if key not in MEASURES:
        fail(f"--measure {measure!r}: expected one of {', '.join(MEASURES)}")
    scores = _frames(database)
    try:
        result = trends(scores, region, territories, regions)  # type: ignore[arg-type]
    except AnalysisError as exc:
        fail(str(exc))
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
        out.print(f"Earlier region unconfirmed: {', '.join(result.unconfirmed)}")


@app.command("rating-changes")
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
    from fiw.analysis import AnalysisError, rating_changes

    ratings = _frames(database, ratings=True)
    if edition is None and not ratings.empty:
        edition = str(int(ratings["edition_order"].max()))
    try:
        result = rating_changes(ratings, edition or "", territories)
    except AnalysisError as exc:
        fail(str(exc))
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
    for column in ("country", "PR", "CL", "status"):
        table.add_column(column)
    for c in result.changes:
        status = f"{c.status_from} → {c.status_to}" if c.status_from != c.status_to else ""
        table.add_row(c.country, f"{c.pr_from} → {c.pr_to}", f"{c.cl_from} → {c.cl_to}", status)
    out.print(table if result.changes else "No rating or status changes.")


@app.command("transitions")
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
    from fiw.analysis import AnalysisError, transitions

    ratings = _frames(database, ratings=True)
    if end is None and not ratings.empty:
        end = str(int(ratings["edition_order"].max()))
    try:
        result = transitions(ratings, start, end or "", territories)
    except AnalysisError as exc:
        fail(str(exc))
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
            out.print(f"{label} ({len(names)}): {', '.join(names)}", highlight=False)


@app.command("longrun")
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
    from fiw.analysis import AnalysisError, long_run

    if limit < 1:
        fail(f"--limit {limit}: expected 1 or more")
    scores = _frames(database)
    try:
        result = long_run(scores, start, end, territories, limit)
    except AnalysisError as exc:
        fail(str(exc))
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
            r.country, str(r.length), str(r.first), last, str(r.before), str(r.after),
            f"[red]{_signed(r.after - r.before)}[/]",
        )  # fmt: skip
    out.print(table)


docs_app = typer.Typer(help="Generate fiw's documentation from the data.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")


@docs_app.command("analysis")
def docs_analysis_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="file to write or check")] = Path(
        "docs/analysis.md"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 when the file is out of date")
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Regenerate docs/analysis.md (fiw's figures beside the publisher's) from the store."""
    from fiw.analysis import AnalysisError
    from fiw.analysis.report import analysis_doc

    try:
        text = analysis_doc(_frames(database))
    except AnalysisError as exc:
        fail(str(exc))
    if check:
        current = output.read_text("utf-8") if output.exists() else None
        if current != text:
            state = "is missing" if current is None else "is out of date"
            fail(f"{output} {state}: run `fiw docs analysis` to regenerate it", 1)
        out.print(f"{output} is current", highlight=False)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {output}", highlight=False)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

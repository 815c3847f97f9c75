"""`fiw db upgrade`, `fiw import`, `fiw countries`, `fiw export`: the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from fiw.cli.common import DatabaseOption, JsonOption, err, out, print_json
from fiw.errors import ParameterError

if TYPE_CHECKING:
    from fiw.store.importer import ImportReport

db_app = typer.Typer(help="Manage fiw's database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade_command(database: DatabaseOption = None) -> None:
    """Create or migrate the database to fiw's newest schema (Alembic revisions)."""
    from fiw.store.database import describe, make_engine
    from fiw.store.migrate import upgrade

    engine = make_engine(database)
    before, after = upgrade(engine)
    where = describe(engine)
    if before == after:
        out.print(f"{where} is up to date (revision {after})", highlight=False, markup=False)
    else:
        out.print(
            f"{where}: revision {before or '(empty)'} → {after}", highlight=False, markup=False
        )


def _print_import(report: ImportReport) -> None:
    """One imported file: its counts table, then changes, warnings, problems and skips."""
    state = "new file" if report.new_file else "already imported"
    out.print(
        Text.assemble(
            (report.path.name, "bold"), f" ({report.kind}, {state}, sha256 {report.sha256[:12]}…)"
        ),
        highlight=False,
    )
    table = Table(show_header=True)
    for column in ("table", "added", "changed", "unchanged"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, counts in report.counts.items():
        table.add_row(name, f"{counts.added:,}", f"{counts.changed:,}", f"{counts.unchanged:,}")
    out.print(table)
    for label, lines in (
        ("changed", [str(c) for c in report.changes]),
        ("warning", report.warnings),
        ("problem", report.problems),
        ("skipped", report.skipped),
        ("derived", report.derived),
    ):
        for line in lines[:20]:
            out.print(f"  {label}: {line}", highlight=False, markup=False, soft_wrap=True)
        if len(lines) > 20:
            more = "" if label == "changed" else f" {label}"
            out.print(f"  … {len(lines) - 20} more{more} (--json lists them)")
    if not report.changed_anything:
        out.print("  nothing changed")


def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="workbooks, fiw exports, report pages (.txt) or folders of pages"),
    ],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="skip (and list) pages that cannot be parsed")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(help="seconds to wait for another import to finish (then exit 3)", min=0),
    ] = 60.0,
) -> None:
    """Import official workbooks, fiw exports and report pages in one transaction (one import
    at a time: another one waits, or exits 3 after --wait seconds)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from fiw.store.database import make_engine
    from fiw.store.importer import import_files

    columns = (TextColumn("{task.description:<40}", markup=False), BarColumn(), TimeElapsedColumn())
    engine = make_engine(database)
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("importing", total=1.0)

        def advance(description: str, done: float) -> None:
            progress.update(task, description=description, advance=done)

        reports = import_files(engine, files, progress=advance, skip_bad=skip_bad, wait=wait)
    if as_json:
        print_json({"files": [r.to_dict() for r in reports]})
        return
    for report in reports:
        _print_import(report)


def editions_text(years: tuple[int, ...]) -> str:
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


countries_app = typer.Typer(
    help="List countries; add countries, territories and names (kept in the database).",
    invoke_without_command=True,
)


@countries_app.callback()
def countries_command(
    ctx: typer.Context, database: DatabaseOption = None, as_json: JsonOption = False
) -> None:
    """List countries: id, name, ISO3, regions, editions as a country and as a territory;
    then those users added (`fiw countries add`, `fiw countries alias`)."""
    if ctx.invoked_subcommand is not None:
        return
    from fiw.store.dataset import open_dataset
    from fiw.store.user_countries import added

    dataset = open_dataset(database)
    summaries = dataset.country_summaries()
    with dataset.engine.connect() as connection:
        countries, aliases = added(connection)
    if as_json:
        print_json({
            "countries": [s.to_dict() for s in summaries],
            "added_countries": [c.to_dict() for c in countries],
            "added_aliases": [a.to_dict() for a in aliases],
        })  # fmt: skip
        return
    table = Table(show_header=True)
    for column in ("id", "name", "iso3", "regions", "country in", "territory in"):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            s.id, escape(s.name), s.iso3 or "", escape(", ".join(s.regions)),
            editions_text(s.country_editions), editions_text(s.territory_editions),
        )  # fmt: skip
    out.print(table)
    if countries or aliases:
        mine = Table(show_header=True, title="added to this database")
        for column in ("id or name", "name or maps to", "kind", "iso3", "region"):
            mine.add_column(column)
        for c in countries:
            mine.add_row(c.id, escape(c.name), c.kind, c.iso3 or "", escape(c.region or ""))
        for a in aliases:
            mine.add_row(escape(a.name), f"→ {a.country_id}", "alias", "", "")
        out.print(mine)


@countries_app.command("add")
def countries_add_command(
    cid: Annotated[str, typer.Option("--id", help="the new id: a lowercase slug")],
    name: Annotated[str, typer.Option("--name", help="the name as the workbook spells it")],
    kind: Annotated[str, typer.Option("--kind", help="country or territory")],
    iso3: Annotated[
        str | None, typer.Option("--iso3", help="ISO 3166-1 alpha-3 code, if it has one")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="its region")] = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a country or territory the package does not know, in the database (an upgrade of
    fiw keeps it); workbooks that name it then import."""
    from fiw.store.database import make_engine
    from fiw.store.user_countries import add_country

    row = add_country(make_engine(database), cid, name, kind, iso3, region)
    if as_json:
        print_json({"added": row.to_dict()})
        return
    out.print(f"added {row.kind} {row.id} ({row.name})", highlight=False, markup=False)


@countries_app.command("alias")
def countries_alias_command(
    name: Annotated[str, typer.Argument(help="the name as another source spells it")],
    cid: Annotated[str, typer.Argument(metavar="ID", help="the country id it names")],
    database: DatabaseOption = None,
) -> None:
    """Map a name to a country id, in the database; a name the package maps to another
    country is refused."""
    from fiw.store.database import make_engine
    from fiw.store.user_countries import add_alias

    alias, new = add_alias(make_engine(database), name, cid)
    state = "added" if new else "already known"
    out.print(f"{state}: {alias.name!r} → {alias.country_id}", highlight=False, markup=False)


def export_command(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv, json, parquet or xlsx; long: the tidy long table (one row per country, "
            "edition and variable) as csv, or parquet / jsonl by --output's suffix",
        ),
    ] = "csv",
    edition: Annotated[int | None, typer.Option(help="only this edition (year)")] = None,
    table: Annotated[
        str, typer.Option(help="scores (2013 on) or ratings (1973 on); long holds both")
    ] = "scores",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option("--schema", help="print the JSON Schema of a format's rows (long) and exit"),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Export the scores or the ratings history as tidy columns (docs/store.md), or both as
    one long table (docs/data-dictionary.md)."""
    from fiw.store.dataset import open_dataset
    from fiw.store.export import FORMATS, TABLES, export
    from fiw.store.long_table import LONG_FORMATS, export_long, long_format, shipped_long_schema

    if schema is not None:
        if schema != "long":
            raise ParameterError("--schema", schema, "long (the long table's JSON Schema)")
        sys.stdout.write(shipped_long_schema())
        return
    if fmt == "long":
        written = long_format(output)
        if written is None:
            raise ParameterError(
                "--output", str(output), f"a file ending {', '.join(LONG_FORMATS)}"
            )
        rows = export_long(open_dataset(database), output or sys.stdout.buffer, written, edition)
        if output is not None:
            err.print(f"{rows:,} rows of the long table written to {output}",
                      highlight=False, markup=False)  # fmt: skip
        return
    if fmt not in FORMATS:
        raise ParameterError("--format", fmt, f"one of {', '.join(FORMATS)} or long")
    if table not in TABLES:
        raise ParameterError("--table", table, f"one of {', '.join(TABLES)}")
    if output is None and fmt in ("parquet", "xlsx"):
        raise ParameterError(
            "--format", fmt, "a text format on stdout", fix="give --output FILE for a binary file"
        )
    dataset = open_dataset(database)
    destination = output if output is not None else sys.stdout.buffer
    rows = export(dataset, fmt, destination, table, edition)  # type: ignore[arg-type]
    if output is not None:
        err.print(f"{rows:,} rows of {table} written to {output}", highlight=False, markup=False)

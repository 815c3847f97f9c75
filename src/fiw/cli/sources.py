"""`fiw audit` and `fiw download`: the official workbooks, fetched and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from fiw.cli.common import JsonOption, err, out, print_json
from fiw.methodology import STATUSES, Status


def audit_command(
    workbook: Annotated[Path, typer.Argument(help="the official All_data_FIW workbook (.xlsx)")],
    ratings: Annotated[
        Path | None,
        typer.Option(help="the ratings-and-statuses workbook, to check the published counts"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute every row of the official workbook and compare every published field.

    Exit 0 when everything agrees, 1 when a value disagrees or is invalid, 2 when a file
    cannot be read as the expected workbook.
    """
    from fiw.sources.all_data import read_all_data
    from fiw.sources.audit import audit

    book = read_all_data(workbook)
    distribution = None
    if ratings is not None:
        from fiw.sources.ratings import read_ratings

        distribution = read_ratings(ratings).distribution
    report = audit(book.records, distribution)
    if as_json:
        print_json(report.to_dict())
    else:
        out.print(
            f"{workbook.name}: {report.rows:,} rows recomputed.", highlight=False, markup=False
        )
        if report.mismatches:
            out.print(f"[red]{len(report.mismatches)} mismatch(es):[/red]")
            for mismatch in report.mismatches:
                out.print(f"  {mismatch}", highlight=False, markup=False)
        else:
            out.print("[green]Every published field agrees with the methodology.[/green]")
        if report.distribution:
            table = Table(title="Countries by status: published / computed")
            for column in ("edition", *STATUSES, "match"):
                table.add_column(column, justify="right")
            for edition, check in sorted(report.distribution.items()):
                cells = [f"{check.published[s]} / {check.computed.get(s, 0)}" for s in Status]
                table.add_row(str(edition), *cells, "yes" if check.match else "[red]NO[/red]")
            out.print(table)
    raise typer.Exit(0 if report.ok else 1)


def download_command(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="where to save the workbooks (default: FIW_CACHE_DIR)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch both official workbooks (URLs from FIW_ALL_DATA_URL, FIW_RATINGS_URL) with sha256."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    from fiw.sources.download import download_workbooks

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(*columns, console=err, transient=as_json) as progress:
        files = download_workbooks(directory=directory, progress=progress)
    if as_json:
        print_json({"files": [f.to_dict() for f in files]})
        return
    table = Table(show_header=True)
    for column in ("workbook", "file", "bytes", "sha256"):
        table.add_column(column, justify="right" if column == "bytes" else "left")
    for f in files:
        table.add_row(f.kind, escape(str(f.path)), f"{f.size:,}", f.sha256)
    out.print(table)

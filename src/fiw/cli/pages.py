"""`fiw parse` and `fiw render`: country report pages read and written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from fiw.cli.common import JsonOption, out, print_json
from fiw.errors import FileUnreadable, ParameterError

if TYPE_CHECKING:
    from fiw.pages import Report


def _page_summary(report: Report) -> None:
    """A readable summary of one parsed page; text from the page is printed as data (`Text`),
    never read as Rich markup."""
    from fiw.methodology import AGGREGATE_MAX, TOTAL_MAX
    from fiw.pages import remarks

    edition = report.edition if report.edition is not None else "edition unknown"
    mark = " (territory)" if report.territory else ""
    out.print(
        Text.assemble((f"{report.country}{mark}", "bold"), f", Freedom in the World {edition}")
    )
    status = report.status.value if report.status else "unknown"
    last = (
        f", last year {report.last_year.total} {report.last_year.status}"
        if report.last_year
        else ""
    )
    out.print(
        f"Status [bold]{status}[/bold]: total {report.total}/{TOTAL_MAX}, "
        f"PR {report.pr}/{AGGREGATE_MAX['PR']}, CL {report.cl}/{AGGREGATE_MAX['CL']}{last}"
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
        out.print(Text(f"{note.label}: {note.text[:100]}"))
    out.print(f"Key developments: {len(report.key_developments)}")
    for label, standing in (
        ("Site's latest Global Freedom Score", report.site_latest),
        ("Internet Freedom Score", report.internet_freedom),
    ):
        if standing is not None:
            out.print(f"{label}: {standing.total}/{TOTAL_MAX} {standing.status}")
    for remark in remarks(report):
        out.print(Text(f"note: {remark}", style="dim"))
    for problem in report.problems:
        out.print(Text.assemble(("problem:", "red"), f" {problem}"), highlight=False)
    if not report.problems:
        out.print("[green]no problems[/green]")


def _parse_folder(path: Path, edition: int | None, as_json: bool) -> int:
    """Parse every page of a folder: JSON lines or a summary table; the worst exit code."""
    from fiw.pages.batch import parse_folder, parse_folder_jsonl

    code = 0
    if as_json:
        for line, page_code in parse_folder_jsonl(path, edition=edition):
            sys.stdout.write(line + "\n")
            code = max(code, page_code)
        return code
    summary = Table("file", "country", "edition", "status", "total", "problems")
    for result in parse_folder(path, edition=edition):
        name = Text(str(result.file))  # cells are Text: page text is data, not markup
        if result.error is not None:
            code = 2
            summary.add_row(name, "", "", "", "", Text(str(result.error), style="red"))
            continue
        report = result.report
        assert report is not None
        if report.problems:
            code = max(code, 1)
        summary.add_row(
            name,
            Text(report.country),
            str(report.edition),
            str(report.status),
            str(report.total),
            Text("; ".join(str(p) for p in report.problems)),
        )
    out.print(summary)
    return code


def parse_command(
    path: Annotated[Path, typer.Argument(help="a page saved as text, or a folder of them")],
    edition: Annotated[
        int | None, typer.Option(help="edition, where the page has no 'Key Developments in YEAR'")
    ] = None,
    as_json: JsonOption = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="a folder: one JSON object per page, with its file")
    ] = False,
) -> None:
    """Parse country report pages and check them against the methodology.

    Exit 0: parsed without problems; 1: parsed with problems; 2: not a readable page.
    """
    from fiw.pages import parse_file, report_to_json

    if path.is_dir():
        raise typer.Exit(_parse_folder(path, edition, jsonl or as_json))
    try:
        report = parse_file(path, edition=edition)
    except OSError as exc:
        raise FileUnreadable(path, exc.strerror or str(exc)) from exc
    if as_json or jsonl:
        print_json(report_to_json(report))
    else:
        _page_summary(report)
    raise typer.Exit(1 if report.problems else 0)


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
        raise ParameterError("--format", fmt, f"one of {', '.join(FORMATS)}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileUnreadable(path, exc.strerror or str(exc)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FileUnreadable(path, f"not JSON ({exc})") from exc
    try:
        report = report_from_json(data)
    except ReportFormatError as exc:
        raise FileUnreadable(path, str(exc)) from exc
    text = render(report, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")

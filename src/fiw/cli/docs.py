"""`fiw docs …`: documentation generated from the data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fiw.cli.common import DatabaseOption, err, frame, out

docs_app = typer.Typer(help="Generate fiw's documentation from the data.", no_args_is_help=True)


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
    from fiw.analysis.report import analysis_doc

    text = analysis_doc(frame(database))
    if check:
        current = output.read_text("utf-8") if output.exists() else None
        if current != text:
            state = "is missing" if current is None else "is out of date"
            err.print(
                f"error: {output} {state}: run `fiw docs analysis` to regenerate it",
                highlight=False,
                markup=False,
            )
            raise typer.Exit(1)
        out.print(f"{output} is current", highlight=False, markup=False)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {output}", highlight=False, markup=False)

"""The `fiw` command: a thin layer that parses options, calls the library and prints.

Each area has its module (methodology, sources, pages, store, analysis, web, docs); this
module registers their commands on one Typer app, whose root group (`FiwGroup`) maps every
library error (`fiw.errors.FiwError`) to `error: …` on stderr and its exit code, once.
"""

from __future__ import annotations

from typing import Annotated

import typer

from fiw.cli import analysis, assist, methodology, pages, releases, sources, store, web, workbench
from fiw.cli.common import FiwGroup
from fiw.cli.docs import docs_app
from fiw.cli.version import version_callback

app = typer.Typer(
    name="fiw",
    help="Freedom in the World: score, audit, parse, import and explore the ratings.",
    cls=FiwGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=version_callback,
            help="print fiw's version and the data releases in the database (FIW_DATABASE_URL)",
        ),
    ] = False,
) -> None:  # fmt: skip
    """Freedom in the World: score, audit, parse, import and explore the ratings."""


app.command("score")(methodology.score_command)
app.command("audit")(sources.audit_command)
app.command("download")(sources.download_command)
app.command("parse")(pages.parse_command)
app.command("render")(pages.render_command)
app.command("serve")(web.serve_command)
app.add_typer(store.db_app, name="db")
app.command("import")(store.import_command)
app.add_typer(store.countries_app, name="countries")
app.command("export")(store.export_command)
app.command("releases")(releases.releases_command)
app.command("diff")(releases.diff_command)
app.command("changes")(analysis.changes_command)
app.command("trends")(analysis.trends_command)
app.command("rating-changes")(analysis.rating_changes_command)
app.command("transitions")(analysis.transitions_command)
app.command("longrun")(analysis.longrun_command)
app.add_typer(docs_app, name="docs")
app.add_typer(workbench.user_app, name="user")
app.add_typer(workbench.edition_app, name="edition")
app.add_typer(assist.assist_app, name="assist")


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]

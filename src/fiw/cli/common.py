"""What every `fiw` command shares: the consoles, the common options, JSON output, and the
one place a library error (`FiwError`) becomes a message on stderr and an exit code."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from fiw.errors import FiwError

if TYPE_CHECKING:
    import pandas as pd

out = Console()
err = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", envvar="FIW_DATABASE_URL", show_envvar=False,
        help="database URL (default: FIW_DATABASE_URL, else a SQLite file in the data dir)",
    ),
]  # fmt: skip
JsonOption = Annotated[bool, typer.Option("--json", help="print one JSON object")]
TerritoriesOption = Annotated[
    bool, typer.Option("--territories", help="count territories too (default: countries only)")
]


def print_json(value: object) -> None:
    """Exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def report_error(exc: FiwError) -> None:
    """`error: <detail>` on stderr, the text printed as data (never read as Rich markup)."""
    err.print(Text.assemble(("error:", "red"), " ", exc.detail()), highlight=False, soft_wrap=True)


class FiwGroup(TyperGroup):
    """The root command group: every command runs inside its `invoke`, so a `FiwError`
    raised by any of them is reported here, once, without a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except FiwError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None


def frame(database: str | None, ratings: bool = False) -> pd.DataFrame:
    """The store's scores (or ratings) frame."""
    from fiw.store.dataset import open_dataset

    dataset = open_dataset(database)
    return dataset.ratings() if ratings else dataset.scores()


def signed(value: float) -> str:
    """+3, -2, 0."""
    return f"+{value}" if value > 0 else str(value)

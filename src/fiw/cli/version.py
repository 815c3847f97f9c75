"""`fiw --version`: the package version and the data releases in the database."""

from __future__ import annotations

import typer
from rich.text import Text

from fiw import __version__
from fiw.cli.common import out
from fiw.errors import FiwError


def _say(line: str) -> None:
    out.print(Text(line), highlight=False, soft_wrap=True)  # names and URLs are data


def print_version(database: str | None = None) -> None:
    """Print `fiw X.Y.Z`, then each file imported into the database (name, kind, sha256 and
    when), or why there are none: no database yet, an empty one, one that cannot be read."""
    from fiw.store.inventory import inventory

    _say(f"fiw {__version__}")
    try:
        held = inventory(database)
    except FiwError as exc:
        _say(f"database: {exc.detail()}")
        return
    if not held.exists:
        _say(f"database: none at {held.database} (fiw import FILE… or fiw serve makes it)")
        return
    _say(f"database: {held.database} (schema {held.revision or 'none'})")
    if not held.files:
        _say("data releases: none imported")
        return
    _say(f"data releases: {len(held.files)}")
    for f in held.files:
        when = f.imported_at.strftime("%Y-%m-%d %H:%M")
        _say(f"  {f.name}  {f.kind}  sha256 {f.sha256}  imported {when}")


def version_callback(value: bool) -> None:
    """Typer's eager `--version` option: print and stop before any command runs."""
    if value:
        print_version()
        raise typer.Exit()

"""`fiw releases` and `fiw diff`: the imported releases, and what one release changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from fiw.cli.common import DatabaseOption, JsonOption, out, print_json
from fiw.errors import ParameterError

if TYPE_CHECKING:
    from fiw.store.vintages import Rows


def releases_command(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """List the imported releases (workbooks and exports): id, file, sha256, imported at."""
    from fiw.store.dataset import open_dataset

    found = open_dataset(database).releases()
    if as_json:
        print_json({"releases": [r.to_dict() for r in found]})
        return
    table = Table(show_header=True)
    for column in ("id", "file", "kind", "sha256", "imported at", "editions"):
        table.add_column(column)
    for r in found:
        years = sorted({y for e in r.editions.values() for y in e})
        span = f"{years[0]}-{years[-1]}" if years else ""
        table.add_row(
            str(r.id), escape(r.name), r.kind, r.short,
            r.imported_at.strftime("%Y-%m-%d %H:%M:%S %Z"), span,
        )  # fmt: skip
    out.print(table)


def _vintage(key: str, database: str | None) -> tuple[dict[str, Any], dict[str, Rows]]:
    """A workbook or export file (read, the database untouched), or an imported release (by
    id or sha256 prefix): what it is, and its rows."""
    from fiw.store import vintages

    path = Path(key)
    if path.is_file() or path.suffix or "/" in key:  # a file, not an id or a sha256 prefix
        if not path.is_file():
            raise ParameterError("file", key, "an existing workbook or export file")
        from fiw.store.importer import file_digest, read_source

        batch = read_source(path)
        sha256, _ = file_digest(path)
        return {"file": str(path), "kind": batch.kind, "sha256": sha256}, vintages.batch_rows(batch)
    from fiw.store.dataset import open_dataset

    dataset = open_dataset(database)
    with dataset.engine.connect() as connection:
        release = vintages.find_release(connection, key)
        rows = vintages.release_rows(connection, release)
    about = {
        "release": release.id, "file": release.name, "kind": release.kind,
        "sha256": release.sha256, "imported_at": release.imported_at.isoformat(),
    }  # fmt: skip
    return about, rows


def diff_command(
    old: Annotated[
        str, typer.Argument(help="a workbook or export file, or a release id or sha256 prefix")
    ],
    new: Annotated[str, typer.Argument(help="the later file or release to compare with OLD")],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every published value that differs from OLD to NEW: country, edition, field (as
    the workbook heads its column), old and new value (null: no such row)."""
    from fiw.store.vintages import diff

    old_about, old_rows = _vintage(old, database)
    new_about, new_rows = _vintage(new, database)
    if not old_rows.keys() & new_rows.keys():
        raise ParameterError(
            "NEW", new, f"a release holding the same table as OLD ({', '.join(old_rows) or 'none'})"
        )
    changes = diff(old_rows, new_rows)
    if as_json:
        print_json({"old": old_about, "new": new_about, "changes": [c.to_dict() for c in changes]})
        return
    table = Table(show_header=True)
    for column in ("table", "country_id", "edition", "field", "old", "new"):
        table.add_column(column, justify="right" if column == "edition" else "left")
    for c in changes:
        table.add_row(
            c.table, c.country_id, str(c.edition), escape(c.field),
            escape(_shown(c.old)), escape(_shown(c.new)),
        )  # fmt: skip
    out.print(table)
    out.print(f"{len(changes):,} value(s) differ", highlight=False)


def _shown(value: object) -> str:
    return "—" if value is None else str(value)

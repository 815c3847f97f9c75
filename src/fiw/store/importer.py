"""`fiw import`: recognise each file by its contents, then load it in one transaction.

Importing is idempotent: rows are compared with the database by natural key and only the
difference is written (bulk executemany), so a second import of the same file changes
nothing. Any failure rolls the whole import back. New source kinds (report pages, issue 4)
register a detector and a reader in SOURCE_KINDS.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from fiw.sources.all_data import read_all_data
from fiw.sources.countries import PACKAGE, Resolver
from fiw.sources.detect import detect_workbook
from fiw.sources.errors import WorkbookError
from fiw.sources.ratings import read_ratings
from fiw.store import derived, user_countries
from fiw.store.batch import PROVENANCE, TABLE_KEYS, Batch, Row, all_data_batch, ratings_batch
from fiw.store.errors import ImportFailed
from fiw.store.export import EXPORT_SUFFIXES, detect_export, read_export
from fiw.store.lock import DEFAULT_WAIT, import_transaction
from fiw.store.migrate import upgrade
from fiw.store.report_pages import PageSet, is_pages_source, map_countries, read_pages
from fiw.store.report_versions import PagesOutcome, write_pages
from fiw.store.schema import Base, SourceFile, public_name
from fiw.store.state import bump_data_version
from fiw.store.vintages import record as record_vintage

Progress = Callable[[str, float], None]
"""Called with a description and the fraction of the work done since the last call."""

MAX_CHANGES_LISTED = 200


@dataclass(frozen=True)
class SourceKind:
    """A kind of file fiw imports: how to read it into a Batch."""

    name: str
    read: Callable[[Path, Resolver], Batch]  # the resolver: package and added countries


def _read_all_data(path: Path, names: Resolver) -> Batch:
    return all_data_batch(path, read_all_data(path).records, names)


def _read_ratings(path: Path, names: Resolver) -> Batch:
    workbook = read_ratings(path)
    return ratings_batch(path, workbook.editions, workbook.records, names)


SOURCE_KINDS: dict[str, SourceKind] = {
    "all_data": SourceKind("all_data", _read_all_data),  # the indicator workbook (All_data)
    "ratings": SourceKind("ratings", _read_ratings),  # ratings and statuses since 1973
    "export": SourceKind("export", read_export),  # a `fiw export` file, scores or ratings
}


def detect_source(path: Path) -> str:
    """The kind of a file, from its contents; ImportFailed says what was expected."""
    if path.is_dir():
        raise ImportFailed(path, "is a folder: fiw imports files (workbooks or fiw exports)")
    if not path.exists():
        raise ImportFailed(path, "no such file")
    if path.suffix.lower() in EXPORT_SUFFIXES:
        detect_export(path)
        return "export"
    try:
        return detect_workbook(path)
    except WorkbookError as exc:
        if detect_export(path, strict=False):
            return "export"
        raise ImportFailed(
            path,
            f"{exc.reason}; fiw imports the Freedom in the World workbooks (All_data, "
            "Country and Territory Ratings and Statuses) and its own exports",
        ) from exc


@dataclass(frozen=True)
class TableCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0  # rows of its editions an official workbook no longer has (vintages)


@dataclass(frozen=True)
class ImportReport:
    """What importing one file did: per table, rows added, changed and unchanged."""

    path: Path
    kind: str
    sha256: str
    size: int
    new_file: bool
    counts: dict[str, TableCounts]
    changes: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())
    skipped: tuple[str, ...] = field(default=())
    derived: tuple[str, ...] = field(default=())  # ratings derived from All_data, replaced

    @property
    def changed_anything(self) -> bool:
        return self.new_file or any(c.added or c.changed or c.removed for c in self.counts.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "kind": self.kind,
            "sha256": self.sha256,
            "size": self.size,
            "new_file": self.new_file,
            "counts": {t: vars(c) for t, c in self.counts.items()},
            "changes": list(self.changes),
            "warnings": list(self.warnings),
            "problems": list(self.problems),
            "skipped": list(self.skipped),
            "derived": list(self.derived),
        }


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_source(path: Path, names: Resolver = PACKAGE) -> Batch:
    """Detect a file's kind and read it into a Batch (no database needed): country names
    through `names`, the package mapping unless the database added some."""
    kind = detect_source(path)
    try:
        return SOURCE_KINDS[kind].read(path, names)
    except WorkbookError as exc:
        raise ImportFailed(path, exc.reason) from exc


def import_files(
    engine: Engine,
    paths: Sequence[Path | str],
    *,
    urls: Mapping[Path, str] | None = None,
    progress: Progress | None = None,
    skip_bad: bool = False,
    wait: float = DEFAULT_WAIT,
) -> list[ImportReport]:
    """Import files into the database (migrated first) in ONE transaction, all or nothing.

    Workbooks and exports are recognised by content; a folder (walked for `*.txt`) or a
    `.txt` file holds report pages, written after the workbooks so that their scores are
    compared with the official ones. `skip_bad` skips pages that cannot be parsed (listed).
    One import writes at a time (`fiw.store.lock`): another one waits up to `wait` seconds,
    then fails with ImportBusy.
    """
    files = [Path(p) for p in paths]
    step = 1.0 / (2 * len(files)) if files else 0.0
    batches: list[tuple[Batch, str, int]] = []
    page_sets: list[PageSet] = []
    names = user_countries.resolver(engine)  # the package's countries and the added ones
    for path in files:
        if progress:
            progress(f"reading {path.name}", 0)
        if is_pages_source(path):
            page_sets.append(read_pages(path, skip_bad=skip_bad))
        else:
            batch = read_source(path, names)
            batches.append((batch, *file_digest(path)))
        if progress:
            progress(f"read {path.name}", step)
    mapping = map_countries(page_sets, names) if page_sets else {}
    # Files whose rows only fill gaps (weak tables) go last, so that a fresh import of both
    # workbooks reports additions only, never its own edition rows as "changed".
    order = sorted(range(len(batches)), key=lambda i: bool(batches[i][0].weak))
    upgrade(engine)
    written: dict[int, ImportReport] = {}
    pages_reports: list[ImportReport] = []
    with import_transaction(engine, wait) as connection:
        for i in order:
            batch, sha256, size = batches[i]
            if progress:
                progress(f"writing {batch.path.name}", 0)
            url = (urls or {}).get(batch.path)
            try:
                user_countries.add_countries(connection, batch.rows.pop("user_countries", []))
                replaced = derived.replace_derived(connection, batch)
                written[i] = write_batch(connection, batch, sha256, size, url)
                written[i] = dataclasses.replace(written[i], derived=replaced.lines())
            except SQLAlchemyError as exc:
                detail = getattr(exc, "orig", None) or exc
                raise ImportFailed(
                    batch.path, f"the database refused its rows, nothing was imported ({detail})"
                ) from exc
            if progress:
                progress(f"wrote {batch.path.name}", step)
        _derive(connection, written)
        for pages in page_sets:
            if progress:
                progress(f"writing {pages.path.name}", 0)
            try:
                outcome = write_pages(connection, pages, mapping)
            except SQLAlchemyError as exc:
                detail = getattr(exc, "orig", None) or exc
                raise ImportFailed(
                    pages.path, f"the database refused its rows, nothing was imported ({detail})"
                ) from exc
            pages_reports.append(pages_report(pages, outcome))
            if progress:
                progress(f"wrote {pages.path.name}", step)
        if any(r.changed_anything for r in (*written.values(), *pages_reports)):
            bump_data_version(connection)  # running servers reload what they serve
    # in the order the files were given, pages last
    return [*(written[i] for i in range(len(batches))), *pages_reports]


def _derive(connection: Connection, written: dict[int, ImportReport]) -> None:
    """Extend the ratings history from All_data for editions the ratings workbook lacks; the
    counts join the report of the (last) scores file imported."""
    made = derived.derive_ratings(connection)
    if not (made.added or made.changed) or not written:
        return
    keys = sorted(written)
    at = next((i for i in reversed(keys) if written[i].kind == "all_data"), keys[-1])
    label = f"ratings (derived from {derived.DERIVED_FROM})"
    counts = {**written[at].counts, label: TableCounts(made.added, made.changed, made.unchanged)}
    written[at] = dataclasses.replace(written[at], counts=counts)


def pages_report(pages: PageSet, outcome: PagesOutcome) -> ImportReport:
    """The ImportReport of a set of pages: reports added, new versions, unchanged."""
    return ImportReport(
        path=pages.path,
        kind="pages",
        sha256=pages.sha256,
        size=pages.size,
        new_file=outcome.new_files > 0,
        counts={"reports": TableCounts(outcome.added, outcome.versions, outcome.unchanged)},
        changes=tuple(outcome.changes),
        warnings=tuple(outcome.disagreements),
        problems=tuple(outcome.problems),
        skipped=tuple(pages.skipped),
    )


def _source_file(
    connection: Connection, batch: Batch, sha256: str, size: int, url: str | None
) -> tuple[int, bool]:
    table = Base.metadata.tables[SourceFile.__tablename__]
    found = connection.execute(select(table.c.id).where(table.c.sha256 == sha256)).scalar()
    if found is not None:
        return int(found), False
    values = {
        "name": batch.path.name,
        "kind": batch.kind,
        "sha256": sha256,
        "size": size,
        "url": url,
        "imported_at": datetime.now(UTC),
    }
    new_id = connection.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
    return int(new_id), True


def write_batch(
    connection: Connection, batch: Batch, sha256: str, size: int, url: str | None = None
) -> ImportReport:
    """Write a Batch's difference from the database on `connection` (inside its transaction)."""
    file_id, new_file = _source_file(connection, batch, sha256, size, url)
    counts: dict[str, TableCounts] = {}
    changes: list[str] = []
    vintage = record_vintage(connection, batch, file_id)  # revisions; drops vanished rows
    for name in TABLE_KEYS:
        rows = batch.rows.get(name)
        if rows is None:
            continue
        table = Base.metadata.tables[name]
        counts[name] = _merge(
            connection, table, rows, file_id, weak=name in batch.weak, changes=changes
        )
        gone = vintage.removed.get(name, [])
        if gone:
            counts[name] = replace(counts[name], removed=len(gone))
            changes += [f"{name} {cid} {year}: not in this release (removed)" for cid, year in gone]
    if len(changes) > MAX_CHANGES_LISTED:
        more = len(changes) - MAX_CHANGES_LISTED
        changes = [*changes[:MAX_CHANGES_LISTED], f"… and {more} more"]
    return ImportReport(
        path=batch.path,
        kind=batch.kind,
        sha256=sha256,
        size=size,
        new_file=new_file,
        counts=counts,
        changes=tuple(changes),
    )


def _merge(
    connection: Connection,
    table: Table,
    rows: Iterable[Row],
    file_id: int,
    *,
    weak: bool,
    changes: list[str],
) -> TableCounts:
    """Insert new rows and update changed ones (by natural key) in two bulk statements."""
    keys = TABLE_KEYS[table.name]
    rows = list(rows)
    if not rows:
        return TableCounts()
    compared = [c for c in rows[0] if c not in keys and c not in PROVENANCE]
    columns = [table.c[c] for c in (*keys, *compared)]
    existing = {
        tuple(r[: len(keys)]): tuple(r[len(keys) :]) for r in connection.execute(select(*columns))
    }
    added: list[Row] = []
    changed: list[Row] = []
    unchanged = 0
    for row in rows:
        key = tuple(row[k] for k in keys)
        old = existing.get(key)
        if old is None:
            added.append({**row, "source_file_id": file_id})
            continue
        new = tuple(row[c] for c in compared)
        if weak or old == new:
            unchanged += 1
            continue
        diff = [
            f"{public_name(c)} {o!r} → {n!r}"
            for c, o, n in zip(compared, old, new, strict=True)
            if o != n
        ]
        changes.append(f"{table.name} {' '.join(map(str, key))}: {', '.join(diff)}")
        changed.append({**row, "source_file_id": file_id})
    if added:
        connection.execute(insert(table), added)
    if changed:
        values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in changed[0] if c not in keys}
        statement = (
            update(table)
            .where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys)))
            .values(values)
        )
        connection.execute(
            statement,
            [
                {**{f"k_{k}": r[k] for k in keys}, **{f"v_{c}": r[c] for c in values}}
                for r in changed
            ],
        )
    return TableCounts(added=len(added), changed=len(changed), unchanged=unchanged)

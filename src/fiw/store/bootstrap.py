"""A database ready to serve: what `fiw serve` does on start.

Migrate the database; when it holds no scores, import the official workbooks from
FIW_DATA_DIR (or, when they are not there, download them first); import the report pages
under FIW_PAGES_DIR when the database has none. Every step says what it does through `say`,
and long steps advance a Rich progress display when one is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from fiw.settings import Settings, SharedDataMissing
from fiw.store.database import describe, make_engine
from fiw.store.importer import ImportReport, import_files
from fiw.store.migrate import upgrade
from fiw.store.schema import Assessment, SourceFile

if TYPE_CHECKING:
    from rich.progress import Progress

Say = Callable[[str], None]


@dataclass(frozen=True)
class Preparation:
    """What `prepare_database` did."""

    database: str
    revision: tuple[str | None, str]
    downloaded: tuple[Path, ...] = ()
    imported: tuple[ImportReport, ...] = field(default=())


def prepare_database(
    settings: Settings,
    *,
    say: Say = lambda message: None,
    progress: Progress | None = None,
) -> Preparation:
    """Migrate the database at settings.database_url and import the data it lacks."""
    engine = make_engine(settings.database_url)
    try:
        where = describe(engine)
        before, after = upgrade(engine)
        if before != after:
            say(f"{where}: migrated {before or '(empty)'} → {after}")
        with engine.connect() as connection:
            assessments = connection.execute(select(func.count()).select_from(Assessment)).scalar()
            page_files = connection.execute(
                select(func.count()).select_from(SourceFile).where(SourceFile.kind == "pages")
            ).scalar()
        downloaded: tuple[Path, ...] = ()
        reports: list[ImportReport] = []
        if assessments:
            say(f"{where} holds {assessments:,} assessments")
        else:
            files, urls = _workbooks(settings, say, progress)
            downloaded = tuple(urls)
            say(f"importing {', '.join(p.name for p in files)} into {where}")
            reports += _import(engine, files, urls, progress)
            for report in reports:
                added = sum(c.added for c in report.counts.values())
                say(f"imported {report.path.name}: {added:,} rows")
        reports += _pages(engine, settings, bool(page_files), say, progress)
        return Preparation(where, (before, after), downloaded, tuple(reports))
    finally:
        engine.dispose()


def _workbooks(
    settings: Settings, say: Say, progress: Progress | None
) -> tuple[list[Path], dict[Path, str]]:
    """The two official workbooks: from FIW_DATA_DIR, else downloaded into the cache."""
    try:
        return [settings.all_data_workbook(), settings.ratings_workbook()], {}
    except SharedDataMissing:
        pass
    from fiw.sources.download import download_workbooks

    say(f"no official workbooks in {settings.fiw_data_dir}: downloading them from the publisher")
    fetched = download_workbooks(settings, progress=progress)
    return [f.path for f in fetched], {f.path: f.url for f in fetched}


def _import(
    engine: Engine,
    files: list[Path],
    urls: dict[Path, str],
    progress: Progress | None,
    skip_bad: bool = False,
) -> list[ImportReport]:
    if progress is None:
        return import_files(engine, files, urls=urls, skip_bad=skip_bad)
    task = progress.add_task("importing", total=1.0)

    def advance(description: str, done: float) -> None:
        progress.update(task, description=description, advance=done)

    try:
        return import_files(engine, files, urls=urls, progress=advance, skip_bad=skip_bad)
    finally:
        progress.update(task, completed=1.0)


def _pages(
    engine: Engine, settings: Settings, imported: bool, say: Say, progress: Progress | None
) -> tuple[ImportReport, ...]:
    """Import the report pages under FIW_PAGES_DIR when the database has none (pages that
    cannot be parsed are skipped and counted)."""
    folder = settings.fiw_pages_dir
    if imported:
        return ()
    if not folder.is_dir():
        say(f"no report pages at {folder}: country pages show scores without narratives")
        return ()
    say(f"importing the report pages under {folder}")
    reports = _import(engine, [folder], {}, progress, skip_bad=True)
    for report in reports:
        counts = report.counts.get("reports")
        added = counts.added if counts else 0
        say(
            f"imported {added:,} reports from {folder}"
            + (f" ({len(report.skipped):,} pages skipped)" if report.skipped else "")
        )
    return tuple(reports)

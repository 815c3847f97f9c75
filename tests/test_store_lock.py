"""Imports under pressure, through the real `fiw` command: one import at a time (the database
holds the lock, on SQLite and PostgreSQL), `--skip-bad` with nothing importable fails, parser
workers die with a `kill -9`-ed import, and workbook errors name the right file and sheet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from fiw.sources.errors import WorkbookError
from fiw.sources.ratings import read_ratings
from fiw.store.database import make_engine
from fiw.store.lock import ImportBusy, import_transaction
from fiw.store.schema import Rating
from tests.conftest import _fresh_url
from tests.processes import alive, children
from tests.reports_data import pages_dir

FIW = str(Path(sys.executable).with_name("fiw"))


def fiw_import(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [FIW, "import", "--database", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def ratings_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(Rating)).scalar_one())


def test_two_imports_at_once_both_succeed_one_after_the_other(
    engine: Engine, database_url: str, ratings_path: Path
) -> None:
    """The second import waits for the first (it used to fail with "the database refused its
    rows…"); the rows are there once."""
    runs = [fiw_import(database_url, str(ratings_path)) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
    states = sorted("new file" in stdout for stdout, _ in outputs)
    assert states == [False, True]  # one wrote the file, the other found it imported
    assert ratings_count(engine) == len(read_ratings(ratings_path).records)


def test_an_import_that_cannot_wait_says_so_and_exits_3(
    engine: Engine, database_url: str, ratings_path: Path
) -> None:
    with import_transaction(engine, wait=0):  # another import holds the lock
        run = fiw_import(database_url, "--wait", "0.5", str(ratings_path))
        _, stderr = run.communicate(timeout=120)
        code = run.returncode
    assert code == 3, stderr
    assert "another import is running" in stderr
    assert "nothing was imported" in stderr
    assert "refused" not in stderr and "Traceback" not in stderr
    assert ratings_count(engine) == 0


@pytest.mark.postgres
def test_imports_into_two_stores_of_one_postgresql_database_do_not_wait(tmp_path: Path) -> None:
    """Advisory locks are database-wide; the import lock is the store's (its schema's)."""
    for first in _fresh_url("postgresql", tmp_path):
        for second in _fresh_url("postgresql", tmp_path):
            engines = [make_engine(url) for url in (first, second, first)]
            try:
                with import_transaction(engines[0], wait=0):
                    with import_transaction(engines[1], wait=0):
                        pass  # another store: no wait
                    with pytest.raises(ImportBusy), import_transaction(engines[2], wait=0):
                        pass  # the same store still waits
            finally:
                for engine in engines:
                    engine.dispose()


def test_skip_bad_with_nothing_importable_fails(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "empty-pages"
    folder.mkdir()
    for i in range(1000):
        (folder / f"page-{i:04}.txt").write_text("")
    run = fiw_import(database_url, "--skip-bad", str(folder))
    _, stderr = run.communicate(timeout=300)
    code = run.returncode
    assert code == 2, stderr
    assert "none of its 1,000 pages can be parsed, nothing was imported" in stderr
    assert "empty-pages/page-0000.txt" in stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_parser_workers_die_with_a_killed_import(tmp_path: Path) -> None:
    """`kill -9` of `fiw import` used to leave its parser workers running."""
    run = fiw_import(f"sqlite:///{tmp_path / 'fiw.sqlite'}", str(pages_dir()))
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = children(run.pid)
        time.sleep(0.05)
    assert workers, "the import started no parser workers"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(alive, workers)):
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "parser workers outlived their import"


def _renamed(source: Path, target: Path, old: str, new: str) -> Path:
    """A copy of a workbook with a sheet renamed in its XML (values kept as saved)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in ("xl/workbook.xml", "docProps/app.xml"):
                data = data.replace(old.encode(), new.encode())
            zout.writestr(item, data)
    return target


def test_a_renamed_country_sheet_is_named_in_the_error(ratings_path: Path, tmp_path: Path) -> None:
    country = next(s for s in openpyxl.load_workbook(ratings_path, read_only=True).sheetnames
                   if s.startswith("Country"))  # fmt: skip
    for new, said in (("Scores", "sheet 'Scores' has the ratings layout"),
                      ("Territory Ratings 2", "'Territory Ratings 2'")):  # fmt: skip
        copy = _renamed(ratings_path, tmp_path / f"{new}.xlsx", country, new)
        with pytest.raises(WorkbookError) as caught:
            read_ratings(copy)
        assert str(caught.value).startswith(f"{copy.name}: "), caught.value
        assert said in str(caught.value)


def test_a_workbook_saved_without_formula_values_says_so(
    ratings_path: Path, tmp_path: Path
) -> None:
    """Renaming a sheet with openpyxl drops every formula's saved value, so the error is in
    the distribution sheet: it names that sheet, and says why its cells are empty."""
    book = openpyxl.load_workbook(ratings_path)
    country = next(s for s in book.sheetnames if s.startswith("Country"))
    book[country].title = "Countries"
    copy = tmp_path / "resaved.xlsx"
    book.save(copy)
    with pytest.raises(WorkbookError) as caught:
        read_ratings(copy)
    message = str(caught.value)
    assert message.startswith("resaved.xlsx: sheet 'Historical distribution', row 2")
    assert "a formula without its saved value" in message

"""`fiw --version`: the package version and the data releases (files imported, sha256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from fiw import __version__
from fiw.cli import app

runner = CliRunner()


def test_version_lists_each_imported_workbook_with_its_sha256(
    imported_url: str, workbooks: list[Path]
) -> None:
    result = runner.invoke(app, ["--version"], env={"FIW_DATABASE_URL": imported_url})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"fiw {__version__}"
    assert lines[1].startswith("database: ") and "(schema " in lines[1]
    assert f"data releases: {len(workbooks)}" in lines
    for workbook in workbooks:
        digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
        (line,) = [x for x in lines if workbook.name in x]
        assert f"sha256 {digest}" in line and " imported " in line, line


def test_version_without_a_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    database = tmp_path / "none" / "fiw.sqlite"
    result = runner.invoke(app, ["--version"], env={"FIW_DATABASE_URL": f"sqlite:///{database}"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"fiw {__version__}",
        f"database: none at sqlite:///{database} (fiw import FILE… or fiw serve makes it)",
    ]
    assert not database.exists() and not database.parent.exists()


def test_version_on_an_empty_database_and_an_unreachable_server(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    result = runner.invoke(app, ["--version"], env={"FIW_DATABASE_URL": f"sqlite:///{empty}"})
    assert result.exit_code == 0 and "(schema none)" in result.stdout, result.output
    assert "data releases: none imported" in result.stdout
    down = "postgresql://postgres@127.0.0.1:1/fiw"
    result = runner.invoke(app, ["--version"], env={"FIW_DATABASE_URL": down})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"fiw {__version__}\ndatabase: cannot read ")
    assert "Traceback" not in result.output

"""The store's commands: fiw db upgrade, fiw import, fiw countries, fiw export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from fiw.cli import app
from fiw.store.migrate import head_revision
from tests.reports_data import pages_dir, variants_dir

runner = CliRunner()


def test_import_reports_counts_then_nothing_changed(tmp_path: Path, workbooks: list[Path]) -> None:
    url = f"sqlite:///{tmp_path / 'fiw.sqlite'}"
    args = ["import", *map(str, workbooks), "--database", url, "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    files = json.loads(first.stdout)["files"]
    assert files[0]["counts"]["assessments"]["added"] == 2515
    assert files[1]["counts"]["ratings"]["added"] == 9757
    again = runner.invoke(app, args[:-1])
    assert again.exit_code == 0, again.output
    assert again.stdout.count("nothing changed") == 2


def test_import_of_a_foreign_file_fails_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "scores.xlsx"
    bad.write_text("hello")
    result = runner.invoke(app, ["import", str(bad), "--database", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "scores.xlsx" in result.stderr
    assert "Traceback" not in result.output


def test_db_upgrade_countries_and_export(imported_url: str, tmp_path: Path) -> None:
    fresh = f"sqlite:///{tmp_path / 'new.sqlite'}"
    upgraded = runner.invoke(app, ["db", "upgrade", "--database", fresh])
    assert upgraded.exit_code == 0 and head_revision() in upgraded.stdout
    listed = runner.invoke(app, ["countries", "--json", "--database", imported_url])
    assert listed.exit_code == 0, listed.output
    countries = {c["id"]: c for c in json.loads(listed.stdout)["countries"]}
    assert countries["kazakhstan"]["iso3"] == "KAZ"
    assert 2009 in countries["kosovo"]["territory_editions"]
    exported = runner.invoke(app, ["export", "--edition", "2024", "--database", imported_url])
    assert exported.exit_code == 0
    lines = exported.stdout.splitlines()
    assert lines[0].startswith("country_id,iso3,iso2,iso_numeric,un_m49,cow,gw,name,kind,region,")
    assert all(",2024," in line for line in lines[1:])
    binary = runner.invoke(app, ["export", "-f", "parquet", "--database", imported_url])
    assert binary.exit_code == 2 and "--output" in binary.stderr


def test_countries_on_an_empty_database_says_how_to_fix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["countries", "--database", f"sqlite:///{tmp_path}/e.sqlite"])
    assert result.exit_code == 2 and "fiw db upgrade" in result.stderr


def test_import_pages_lists_skipped_pages_and_reimports_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fiw.sqlite'}"
    folder = tmp_path / "pages" / "2022"
    folder.mkdir(parents=True)
    shutil.copy(pages_dir() / "2022" / "kenya.txt", folder)
    shutil.copy(variants_dir() / "refuse-stub.txt", folder / "stub.txt")
    failed = runner.invoke(app, ["import", str(tmp_path / "pages"), "--database", url])
    assert failed.exit_code == 2 and "stub.txt" in failed.stderr and "--skip-bad" in failed.stderr
    args = ["import", str(tmp_path / "pages"), "--database", url, "--skip-bad", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    (report,) = json.loads(first.stdout)["files"]
    assert report["kind"] == "pages" and report["counts"]["reports"]["added"] == 1
    assert len(report["skipped"]) == 1 and "stub.txt" in report["skipped"][0]
    again = runner.invoke(app, args[:-1])
    assert again.exit_code == 0 and "nothing changed" in again.stdout
    assert "skipped: pages/2022/stub.txt" in again.stdout


def test_import_pages_with_unknown_countries_fails_listing_them(tmp_path: Path) -> None:
    for variant in ("2018-capital-combined.txt", "2024-territory.txt"):
        shutil.copy(variants_dir() / variant, tmp_path / variant)
    url = f"sqlite:///{tmp_path / 'fiw.sqlite'}"
    files = [str(tmp_path / "2018-capital-combined.txt"), str(tmp_path / "2024-territory.txt")]
    result = runner.invoke(app, ["import", *files, "--database", url])
    assert result.exit_code == 2
    assert "'Freedonia'" in result.stderr and "'Utopia'" in result.stderr
    assert "Traceback" not in result.output

"""`fiw audit`: recompute the official workbook and report exactly the cells that disagree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fiw.cli import app
from fiw.sources.all_data import read_all_data
from fiw.sources.audit import audit

runner = CliRunner()
BAND_EDGES = {36, 30, 24, 18, 12, 6}


def test_the_official_workbook_recomputes_without_a_mismatch(all_data_path: Path) -> None:
    report = audit(read_all_data(all_data_path).records)
    assert report.rows == 2515
    assert report.mismatches == ()


@pytest.fixture(scope="module")
def altered(
    all_data_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, set[tuple[int, str]]]:
    """A copy of the workbook with six cells altered, and the (row, field) each should flag."""
    path = tmp_path_factory.mktemp("audit") / "altered.xlsx"
    shutil.copy(all_data_path, path)
    book = openpyxl.load_workbook(path)
    sheet = book["FIW13-24"]
    header = {str(c.value).strip(): c.column for c in sheet[2] if c.value}
    rows = list(sheet.iter_rows(min_row=3, values_only=True))

    def value(row: int, column: str) -> object:
        return rows[row - 3][header[column] - 1]

    def put(row: int, column: str, new: object) -> None:
        sheet.cell(row=row, column=header[column], value=new)

    expected: set[tuple[int, str]] = set()
    put(10, "PR", int(value(10, "PR")) + 1)  # type: ignore[call-overload]
    expected.add((10, "PR"))
    put(20, "PR rating", 1 if value(20, "PR rating") != 1 else 2)
    expected.add((20, "PR rating"))
    put(30, "Status", "F" if value(30, "Status") != "F" else "NF")
    expected.add((30, "Status"))
    put(40, "B3", "x")
    expected.add((40, "B3"))
    put(50, "D1", 7)
    expected.add((50, "D1"))
    # Add Q one higher where that moves PR and Total but no rating or status:
    q_row = next(
        r
        for r in range(60, len(rows) + 3)
        if value(r, "Add Q") == 0
        and int(value(r, "PR")) not in BAND_EDGES  # type: ignore[call-overload]
        and int(value(r, "PR")) > 0  # type: ignore[call-overload]
    )
    put(q_row, "Add Q", 1)
    expected |= {(q_row, "PR"), (q_row, "Total")}
    book.save(path)
    return path, expected


def test_altered_cells_are_reported_at_exactly_their_rows_and_fields(
    altered: tuple[Path, set[tuple[int, str]]],
) -> None:
    path, expected = altered
    report = audit(read_all_data(path).records)
    assert {(m.row, m.field) for m in report.mismatches} == expected
    invalid = {m.field: m for m in report.mismatches if m.message}
    assert invalid["B3"].published == "x" and "0 to 4" in invalid["B3"].message
    assert invalid["D1"].published == 7
    assert all(m.sheet == "FIW13-24" for m in report.mismatches)


def test_audit_json_names_rows_and_exits_1_on_a_mismatch(
    altered: tuple[Path, set[tuple[int, str]]],
) -> None:
    path, expected = altered
    result = runner.invoke(app, ["audit", str(path), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == 2515
    pr = next(m for m in report["mismatches"] if m["row"] == 10)
    assert pr["field"] == "PR" and pr["computed"] == pr["published"] - 1
    assert {(m["row"], m["field"]) for m in report["mismatches"]} == expected


def test_audit_exits_0_on_the_official_workbook(all_data_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(all_data_path)])
    assert result.exit_code == 0, result.output
    assert "2,515 rows" in result.stdout


def test_a_file_that_is_not_a_workbook_exits_2_naming_it(tmp_path: Path) -> None:
    bogus = tmp_path / "scores.xlsx"
    bogus.write_text("not a spreadsheet")
    result = runner.invoke(app, ["audit", str(bogus)])
    assert result.exit_code == 2
    assert "scores.xlsx" in result.stderr and "xlsx" in result.stderr


def test_a_workbook_without_a_needed_column_exits_2_naming_it(
    all_data_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "no-add-q.xlsx"
    book = openpyxl.load_workbook(all_data_path)
    sheet = book["FIW13-24"]
    for cell in sheet[2]:
        if cell.value == "Add Q":
            cell.value = "Something else"
    book.save(path)
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert "Add Q" in result.stderr and "no-add-q.xlsx" in result.stderr


def test_with_ratings_the_published_counts_match_for_every_edition(
    all_data_path: Path, ratings_path: Path
) -> None:
    result = runner.invoke(
        app, ["audit", str(all_data_path), "--ratings", str(ratings_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(report["distribution"]) == [str(y) for y in range(2013, 2025)]
    assert all(check["match"] for check in report["distribution"].values())
    assert report["distribution"]["2024"]["published"] == {
        "Free": 83,
        "Partly Free": 56,
        "Not Free": 56,
    }


def test_an_altered_published_count_fails_the_distribution_check(
    all_data_path: Path, ratings_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ratings.xlsx"
    book = openpyxl.load_workbook(ratings_path, data_only=True)  # formulas → their values
    sheet = book["Historical distribution"]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[0].value == 2023
    )  # a row of literal values
    row[3].value = row[3].value + 1  # Number of F Countries
    book.save(path)
    result = runner.invoke(app, ["audit", str(all_data_path), "--ratings", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["mismatches"] == []
    failed = {e for e, check in report["distribution"].items() if not check["match"]}
    assert failed == {"2023"}
    assert report["distribution"]["2023"]["published"]["Free"] == (
        report["distribution"]["2023"]["computed"]["Free"] + 1
    )

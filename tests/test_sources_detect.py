"""Workbooks are recognised by their contents; anything else is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from fiw.settings import Settings
from fiw.sources.detect import detect_workbook
from fiw.sources.errors import WorkbookError


def test_recognises_both_workbooks_even_under_each_others_names(tmp_path: Path) -> None:
    settings = Settings()
    swapped_ratings = tmp_path / settings.all_data_workbook().name
    swapped_all_data = tmp_path / settings.ratings_workbook().name
    shutil.copyfile(settings.ratings_workbook(), swapped_ratings)
    shutil.copyfile(settings.all_data_workbook(), swapped_all_data)
    assert detect_workbook(swapped_ratings) == "ratings"
    assert detect_workbook(swapped_all_data) == "all_data"


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_rejects_a_truncated_workbook(tmp_path: Path, keep: float) -> None:
    data = Settings().ratings_workbook().read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(WorkbookError, match=r"cut\.xlsx: .*(truncated|damaged)"):
        detect_workbook(cut)


def test_rejects_a_file_that_is_not_xlsx(tmp_path: Path) -> None:
    text = tmp_path / "ratings.xlsx"
    text.write_text("country,pr,cl\nKenya,4,4\n")
    with pytest.raises(WorkbookError, match=r"ratings\.xlsx: is not an xlsx workbook"):
        detect_workbook(text)


def test_rejects_a_foreign_workbook_naming_its_sheets(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Budget"
    sheet.append(["Item", "Cost"])
    book.save(path)
    with pytest.raises(
        WorkbookError, match=r"not a Freedom in the World workbook \(sheets: Budget\)"
    ):
        detect_workbook(path)


def test_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="no such file"):
        detect_workbook(tmp_path / "absent.xlsx")

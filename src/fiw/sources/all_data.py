"""Reader for the indicator-score workbook (All_data_FIW_2013-2024.xlsx), via python-calamine.

The sheet is found by its header row, not its name, so later editions of the file
("FIW13-25") read the same way. Cells are kept as read; checking them is the audit's job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from fiw.methodology import Status, load_index
from fiw.sources.cells import cell
from fiw.sources.errors import WorkbookError
from fiw.sources.records import PUBLISHED_FIELDS, AssessmentRecord, Kind, Origin

IDENTITY_COLUMNS = ("Country/Territory", "Region", "C/T", "Edition")
DISCRETIONARY_COLUMNS = ("Add Q", "Add A")


@dataclass(frozen=True)
class AllDataWorkbook:
    """The records of one indicator workbook and where they came from."""

    path: Path
    sheet: str
    records: tuple[AssessmentRecord, ...]


def required_columns() -> tuple[str, ...]:
    """Every column the reader needs, in the order the audit reports them."""
    indicators = load_index("fiw").indicator_codes()
    return IDENTITY_COLUMNS + indicators + DISCRETIONARY_COLUMNS + PUBLISHED_FIELDS


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    for i, row in enumerate(rows[:10]):
        cells = {str(c).strip() for c in row}
        if {"Country/Territory", "Edition", "A1"} <= cells:
            return i
    return None


def open_workbook(path: Path) -> CalamineWorkbook:
    """Open an xlsx file, turning any failure into a WorkbookError that names the file."""
    if not path.exists():
        raise WorkbookError(path, "no such file")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several exception types for bad files
        raise WorkbookError(path, f"cannot be read as an xlsx workbook ({exc})") from exc


def read_all_data(path: Path | str) -> AllDataWorkbook:
    """Read every country-edition row of an All_data workbook."""
    path = Path(path)
    book = open_workbook(path)
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise WorkbookError(path, f"sheet {name!r} cannot be read ({exc})") from exc
        header_at = _find_header(rows)
        if header_at is not None:
            return _records(path, name, rows, header_at)
    raise WorkbookError(
        path,
        "no sheet with a header row of 'Country/Territory', 'Edition', 'A1' …: "
        "expected the Freedom in the World All_data workbook",
    )


def _records(
    path: Path, sheet: str, rows: Sequence[Sequence[object]], header_at: int
) -> AllDataWorkbook:
    header = [str(c).strip() for c in rows[header_at]]
    missing = [c for c in required_columns() if c not in header]
    if missing:
        raise WorkbookError(path, f"sheet {sheet!r} lacks the column(s) {', '.join(missing)}")
    col = {name: header.index(name) for name in required_columns()}
    indicators = load_index("fiw").indicator_codes()
    records: list[AssessmentRecord] = []
    width = len(header)
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        row = list(raw) + [""] * (width - len(raw))
        name = cell(row[col["Country/Territory"]])
        if name in ("", None):
            continue
        kind_cell = str(cell(row[col["C/T"]])).lower()
        kind: Kind = "territory" if kind_cell == "t" else "country"
        if kind_cell not in ("c", "t"):
            raise WorkbookError(
                path, f"sheet {sheet!r}, row {offset}: C/T is {row[col['C/T']]!r}, expected c or t"
            )
        edition = cell(row[col["Edition"]])
        if not isinstance(edition, int):
            raise WorkbookError(
                path, f"sheet {sheet!r}, row {offset}: Edition is {edition!r}, expected a year"
            )
        published: dict[str, object] = {f: cell(row[col[f]]) for f in PUBLISHED_FIELDS}
        status = published["Status"]
        if isinstance(status, str):
            with contextlib.suppress(ValueError):
                published["Status"] = Status.parse(status)
        add_a = cell(row[col["Add A"]])
        records.append(
            AssessmentRecord(
                name=str(name),
                region=str(cell(row[col["Region"]])),
                kind=kind,
                edition=edition,
                scores={code: cell(row[col[code]]) for code in indicators},
                q=cell(row[col["Add Q"]]),
                add_a=None if add_a in ("N/A", "") else add_a,
                published=published,
                origin=Origin(path.name, sheet, offset),
            )
        )
    return AllDataWorkbook(path=path, sheet=sheet, records=tuple(records))

"""Tell the two official workbooks apart by their contents, never by their file names."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from fiw.sources.all_data import _find_header, open_workbook
from fiw.sources.errors import WorkbookError
from fiw.sources.ratings import is_distribution_sheet, is_ratings_sheet

WorkbookKind = Literal["all_data", "ratings"]


def detect_workbook(path: Path | str) -> WorkbookKind:
    """ "all_data" (indicator scores) or "ratings" (ratings and statuses since 1973).

    Raises WorkbookError for a missing, truncated or non-xlsx file, and for an xlsx file that
    is neither workbook.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(
            path, "is not an xlsx workbook (not a zip archive: truncated, or another format)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(path, f"is a damaged xlsx archive ({exc})") from exc
    if broken is not None:
        raise WorkbookError(path, f"is a damaged xlsx archive: member {broken} fails its CRC")
    book = open_workbook(path)
    ratings = distribution = False
    for sheet in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise WorkbookError(path, f"sheet {sheet!r} cannot be read ({exc})") from exc
        if _find_header(rows) is not None:
            return "all_data"
        ratings = ratings or is_ratings_sheet(rows)
        distribution = distribution or is_distribution_sheet(rows)
    if ratings and distribution:
        return "ratings"
    raise WorkbookError(
        path,
        f"is not a Freedom in the World workbook (sheets: {', '.join(book.sheet_names)}): "
        "expected either a sheet with the header 'Country/Territory', 'Edition', 'A1' … "
        "(All_data) or sheets starting 'Survey Edition' plus a 'Historical distribution' "
        "table (ratings and statuses)",
    )

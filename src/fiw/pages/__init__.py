"""Country report pages: parse published pages into reports, check them, render them back."""

from fiw.pages.check import check, derived_status, remarks
from fiw.pages.errors import ParseError, RefusedPage
from fiw.pages.model import (
    AddQ,
    Indicator,
    Note,
    Problem,
    Report,
    ReportFormatError,
    ScoreChange,
    Standing,
    report_from_json,
    report_to_json,
)
from fiw.pages.parse import MAX_PAGE_BYTES, parse_file, parse_page, score_change

__all__ = [
    "MAX_PAGE_BYTES",
    "AddQ",
    "Indicator",
    "Note",
    "ParseError",
    "Problem",
    "RefusedPage",
    "Report",
    "ReportFormatError",
    "ScoreChange",
    "Standing",
    "check",
    "derived_status",
    "parse_file",
    "parse_page",
    "remarks",
    "report_from_json",
    "report_to_json",
    "score_change",
]

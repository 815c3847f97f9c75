"""Reader for the ratings workbook (Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx).

The workbook holds one wide sheet per kind (three columns per edition: PR, CL, Status) and
the "Historical distribution" sheet of published counts. Sheets are recognised by their
header cells, not their names; cells that are not plain ratings are kept as published.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fiw.methodology import AGGREGATES, Status, statuses_for_ratings
from fiw.sources.all_data import open_workbook
from fiw.sources.cells import cell_text
from fiw.sources.errors import WorkbookError
from fiw.sources.records import DistributionRecord, EditionRecord, Kind, Origin, RatingRecord

StatusRule = Literal["follows", "either", "contradicts", "split"]

EDITION_HEADER = "Survey Edition"
PERIOD_HEADER = "Year(s) Under Review"
DISTRIBUTION_HEADERS = (
    "Total Countries",
    "Number of F Countries",
    "Number of PF Countries",
    "Number of NF Countries",
)
NOT_RATED = ("-", "")
_FIRST_VALUE = re.compile(r"^\s*(\d+|F|PF|NF)\b\s*\(", re.IGNORECASE)

Rows = Sequence[Sequence[object]]


@dataclass(frozen=True)
class RatingsWorkbook:
    """Editions, rated entries and published distribution of one ratings workbook."""

    path: Path
    editions: tuple[EditionRecord, ...]
    records: tuple[RatingRecord, ...]
    distribution: tuple[DistributionRecord, ...]

    def edition(self, key: int | str) -> EditionRecord:
        """An edition by order (1 … 51) or by label as in the country sheet ("1983-84")."""
        for edition in self.editions:
            if key == edition.order or (isinstance(key, str) and key.strip() == edition.label):
                return edition
        raise KeyError(f"no edition {key!r} in {self.path.name}")


def publication_year(label: str) -> int:
    """The year an edition was published from its label: "Jan.-Feb. 1973" 1973, "1983-84" 1984."""
    numbers = re.findall(r"\d+", label)
    if not numbers or len(numbers[0]) != 4:
        raise ValueError(f"edition label {label!r} has no year")
    last = numbers[-1]
    if len(last) == 2:
        return int(numbers[0][:2] + last) + (100 if last < numbers[0][2:] else 0)
    return int(last)


def _row(rows: Rows, index: int, width: int) -> list[object]:
    row = list(rows[index]) if index < len(rows) else []
    return row + [""] * (width - len(row))


def is_ratings_sheet(rows: Rows) -> bool:
    """True where the first column starts "Survey Edition", "Year(s) Under Review"."""
    return (
        len(rows) >= 3
        and bool(rows[0])
        and bool(rows[1])
        and cell_text(rows[0][0]) == EDITION_HEADER
        and cell_text(rows[1][0]) == PERIOD_HEADER
    )


def is_distribution_sheet(rows: Rows) -> bool:
    """True where the first row holds the "Total Countries", "Number of F Countries" … headers."""
    return bool(rows) and set(DISTRIBUTION_HEADERS) <= {cell_text(c) for c in rows[0]}


def _sheet_kind(path: Path, sheet: str) -> Kind:
    words = sheet.strip().lower()
    if words.startswith("countr"):
        return "country"
    if words.startswith("territor"):
        return "territory"
    raise WorkbookError(
        path,
        f"sheet {sheet!r} has the ratings layout but its name says neither "
        "'Country …' nor 'Territory …'",
    )


def _editions(path: Path, sheet: str, rows: Rows) -> tuple[EditionRecord, ...]:
    width = max(len(r) for r in rows[:3])
    labels, periods, heads = (_row(rows, i, width) for i in range(3))
    editions: list[EditionRecord] = []
    for col in range(1, width, 3):
        label = cell_text(labels[col])
        if not label:
            if any(cell_text(c) for c in labels[col:]):
                raise WorkbookError(
                    path, f"sheet {sheet!r}, row 1, column {col + 1}: expected an edition label"
                )
            break
        got = tuple(cell_text(h).upper() for h in heads[col : col + 3])
        if got != (*AGGREGATES, "STATUS"):
            raise WorkbookError(
                path,
                f"sheet {sheet!r}, row 3, columns {col + 1}-{col + 3} under {label!r}: "
                f"expected PR, CL, Status, found {', '.join(got)}",
            )
        period = cell_text(periods[col])
        if not period:
            raise WorkbookError(
                path,
                f"sheet {sheet!r}, row 2, column {col + 1}: edition {label!r} has no "
                "year(s) under review",
            )
        try:
            year = publication_year(label)
        except ValueError as exc:
            raise WorkbookError(path, f"sheet {sheet!r}, row 1, column {col + 1}: {exc}") from exc
        editions.append(
            EditionRecord(order=len(editions) + 1, label=label, period=period, year=year)
        )
    if not editions:
        raise WorkbookError(path, f"sheet {sheet!r}: row 1 names no edition")
    return tuple(editions)


def _first_value(cell: str) -> str:
    """The value before a parenthesis in a two-population cell: "2(5)" 2, "F (NF)" F."""
    match = _FIRST_VALUE.match(cell)
    return match.group(1) if match else cell


def _rating(path: Path, where: str, value: object) -> int:
    text = _first_value(value) if isinstance(value, str) else value
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if not number.is_integer() or not 1 <= number <= 7:
        raise WorkbookError(path, f"{where}: {value!r} is not a rating; expected 1 to 7, or '-'")
    return int(number)


def _status(path: Path, where: str, value: object) -> Status:
    try:
        return Status.parse(_first_value(str(value)))
    except ValueError:
        raise WorkbookError(
            path, f"{where}: {value!r} is not a status; expected F, PF or NF, or '-'"
        ) from None


def _records(
    path: Path, sheet: str, rows: Rows, editions: tuple[EditionRecord, ...]
) -> list[RatingRecord]:
    kind = _sheet_kind(path, sheet)
    width = 1 + 3 * len(editions)
    records: list[RatingRecord] = []
    for index in range(3, len(rows)):
        row = _row(rows, index, width)
        name = " ".join(cell_text(row[0]).split())
        if not name:
            if any(cell_text(c) for c in row):
                raise WorkbookError(
                    path, f"sheet {sheet!r}, row {index + 1}: ratings without a name in column A"
                )
            continue
        for edition in editions:
            col = 1 + 3 * (edition.order - 1)
            cells = row[col : col + 3]
            texts = [cell_text(c) for c in cells]
            where = f"sheet {sheet!r}, row {index + 1} ({name}, {edition.label})"
            if all(t in NOT_RATED for t in texts):
                continue
            if any(t in NOT_RATED for t in texts):
                raise WorkbookError(
                    path,
                    f"{where}: PR, CL, Status are {', '.join(map(repr, texts))}; "
                    "expected all three rated or all three '-'",
                )
            pr = _rating(path, f"{where}, PR", cells[0])
            cl = _rating(path, f"{where}, CL", cells[1])
            status = _status(path, f"{where}, Status", cells[2])
            plain = (
                not isinstance(cells[0], str)
                and not isinstance(cells[1], str)
                and "(" not in texts[2]  # one status, however spelt (Status.parse)
            )
            records.append(
                RatingRecord(
                    name=name,
                    kind=kind,
                    edition=edition,
                    pr_rating=pr,
                    cl_rating=cl,
                    status=status,
                    raw=None if plain else "; ".join(texts),
                    origin=Origin(path.name, sheet, index + 1),
                )
            )
    return records


def _count(path: Path, sheet: str, row: int, column: str, value: object) -> int:
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    blank = (
        " (a formula without its saved value? a program that does not compute formulas, such "
        "as openpyxl, saves none: open the file in a spreadsheet program and save it again)"
        if value in ("", None)
        else ""
    )
    raise WorkbookError(
        path,
        f"sheet {sheet!r}, row {row}, {column}: {value!r}; expected a count of countries{blank}",
    )


def _distribution(
    path: Path, sheet: str, rows: Rows, editions: tuple[EditionRecord, ...]
) -> list[DistributionRecord]:
    """The published counts, matched to the ratings sheets' editions by order (labels differ)."""
    header = [cell_text(c) for c in rows[0]]
    col = {name: header.index(name) for name in DISTRIBUTION_HEADERS}
    found: list[tuple[int, list[object]]] = []
    for index in range(1, len(rows)):
        row = _row(rows, index, len(header))
        if not cell_text(row[0]):
            break  # the table ends at the first blank row; notes follow
        found.append((index + 1, row))
    if len(found) != len(editions):
        raise WorkbookError(
            path,
            f"the distribution sheet lists {len(found)} editions but the ratings "
            f"sheets {len(editions)}; they are matched by order and must agree",
        )
    records = []
    for position, (row_number, row) in enumerate(found):
        counts = {
            name: _count(path, sheet, row_number, name, row[col[name]])
            for name in DISTRIBUTION_HEADERS
        }
        order = len(found) - position  # newest first in the sheet
        records.append(
            DistributionRecord(
                order=order,
                year=editions[order - 1].year,
                label=cell_text(row[0]),
                period=cell_text(row[1]),
                countries=counts["Total Countries"],
                free=counts["Number of F Countries"],
                partly_free=counts["Number of PF Countries"],
                not_free=counts["Number of NF Countries"],
                origin=Origin(path.name, sheet, row_number),
            )
        )
    return sorted(records, key=lambda r: r.order)


def read_ratings(path: Path | str) -> RatingsWorkbook:
    """Read every rated entry and the published distribution of a ratings workbook."""
    path = Path(path)
    book = open_workbook(path)
    editions: tuple[EditionRecord, ...] | None = None
    first_sheet = ""
    records: list[RatingRecord] = []
    distribution_sheet: tuple[str, Rows] | None = None
    sheets: list[str] = []  # the ratings sheets, as named
    for sheet in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise WorkbookError(path, f"sheet {sheet!r} cannot be read ({exc})") from exc
        if is_ratings_sheet(rows):
            these = _editions(path, sheet, rows)
            if editions is None:
                editions, first_sheet = these, sheet
            elif these != editions:
                raise WorkbookError(
                    path, f"sheet {sheet!r} lists other editions than sheet {first_sheet!r}"
                )
            records.extend(_records(path, sheet, rows, editions))
            sheets.append(sheet)
        elif is_distribution_sheet(rows):
            distribution_sheet = (sheet, rows)
    if editions is None:
        raise WorkbookError(
            path,
            "no sheet starts with 'Survey Edition' / 'Year(s) Under Review': expected the "
            "Freedom in the World ratings-and-statuses workbook",
        )
    if distribution_sheet is None:
        raise WorkbookError(
            path,
            "no sheet with the 'Total Countries', 'Number of F Countries' … headers: "
            "expected a 'Historical distribution' sheet",
        )
    distribution = _distribution(path, *distribution_sheet, editions)
    kinds = {r.kind for r in records}
    if "country" not in kinds:
        named = ", ".join(repr(sheet) for sheet in sheets)
        raise WorkbookError(
            path,
            f"no sheet of country ratings: the sheets with the ratings layout ({named}) are "
            "named for territories; expected one whose name starts 'Country'",
        )
    return RatingsWorkbook(
        path=path,
        editions=editions,
        records=tuple(records),
        distribution=tuple(distribution),
    )


def classify_status(record: RatingRecord) -> StatusRule:
    """How the published status relates to the rule of its edition's time.

    "follows": the only status the ratings allow; "either": a 5.5 average before the 2004
    edition, which Freedom House could grade Partly Free or Not Free; "contradicts": the
    status is not one the rule allows (kept as published, never corrected); "split": the
    cells rate two populations (`raw` set: South Africa in 1972), so no one status applies.
    """
    if record.raw is not None:
        return "split"
    if record.pr_rating is None or record.cl_rating is None or record.status is None:
        raise ValueError(f"{record.origin}: {record.name} has no ratings to classify")
    allowed = statuses_for_ratings((record.pr_rating, record.cl_rating), record.edition.year)
    if record.status not in allowed:
        return "contradicts"
    return "either" if len(allowed) > 1 else "follows"


def published_counts(
    records: Sequence[RatingRecord],
) -> dict[int, dict[Status, int]]:
    """F/PF/NF counts of countries per edition order, as the distribution sheet counts them.

    Territories are left out ("This table includes countries but not territories"), and so
    are entries whose cells rate two populations (`raw` set: South Africa in 1972), which
    the published 1973 totals do not count.
    """
    counts: dict[int, dict[Status, int]] = {}
    for record in records:
        if record.kind != "country" or record.raw is not None or record.status is None:
            continue
        per = counts.setdefault(record.edition.order, dict.fromkeys(Status, 0))
        per[record.status] += 1
    return counts

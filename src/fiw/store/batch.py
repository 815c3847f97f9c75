"""What one source file contributes to each table, as plain rows ready to compare and write.

A source kind (indicator workbook, ratings workbook, fiw export, later report pages) turns
its records into a Batch; the importer compares it with the database and writes the
difference. Rows use the tables' column names; `source_file_id` is added by the importer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fiw.methodology import Status, load_index
from fiw.sources.countries import Country, UnmappedNames, map_names
from fiw.sources.ratings import classify_status
from fiw.sources.records import AssessmentRecord, EditionRecord, Origin, RatingRecord
from fiw.store.errors import ImportFailed
from fiw.store.schema import INDICATORS, SUBTOTALS

Row = dict[str, object]

# Tables in the order they are written (foreign keys point backwards), with natural keys.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "countries": ("id",),
    "country_names": ("name",),
    "editions": ("year",),
    "assessments": ("country_id", "edition"),
    "ratings": ("country_id", "edition"),
}
# Where a value came from, not what it is: never compared, rewritten only with the values.
PROVENANCE = ("source_file_id", "source_sheet", "source_row")


@dataclass
class Batch:
    """Rows per table from one file. Tables in `weak` only add missing rows (the file uses
    them without defining them, as the indicator workbook uses editions)."""

    path: Path
    kind: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    weak: frozenset[str] = frozenset()

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


@cache
def _changes() -> tuple[int, ...]:
    return tuple(sorted(change.edition for change in load_index("fiw").changes))


def methodology_version(year: int) -> str:
    """The edition whose rules an edition follows: the latest methodology change up to it."""
    applicable = [edition for edition in _changes() if edition <= year]
    return f"fiw-{applicable[-1] if applicable else year}"


def edition_row(edition: EditionRecord) -> Row:
    return {
        "year": edition.year,
        "order": edition.order,
        "label": edition.label,
        "period": edition.period,
        "methodology_version": methodology_version(edition.year),
    }


def year_only_edition(year: int) -> Row:
    """An edition known only by its year (indicator workbook): labelled by the year, covering
    the year before, its order left to the ratings workbook."""
    return {
        "year": year,
        "order": None,
        "label": str(year),
        "period": str(year - 1),
        "methodology_version": methodology_version(year),
    }


def identify(path: Path, names: Iterable[str]) -> dict[str, Country]:
    """Map every name to a country, failing with every unmapped name at once."""
    try:
        return map_names(sorted(set(names)))
    except UnmappedNames as exc:
        raise ImportFailed(path, str(exc)) from exc


def country_rows(countries: Iterable[Country]) -> list[Row]:
    unique = {c.id: c for c in countries}
    return [{"id": c.id, "name": c.name, "iso3": c.iso3} for c in unique.values()]


def name_rows(mapping: Mapping[str, Country]) -> list[Row]:
    return [{"name": name, "country_id": c.id} for name, c in mapping.items()]


def check_unique(path: Path, table: str, rows: list[Row], origins: list[str]) -> None:
    """Fail when two rows share a natural key, naming both places."""
    seen: dict[tuple[object, ...], str] = {}
    for row, origin in zip(rows, origins, strict=True):
        key = tuple(row[k] for k in TABLE_KEYS[table])
        if key in seen:
            raise ImportFailed(
                path,
                f"{origin} and {seen[key]} are both {table} for "
                f"{', '.join(map(str, key))}: (country, edition) must be unique",
            )
        seen[key] = origin


def whole(path: Path, where: str, label: str, value: object, low: int, high: int) -> int:
    """`value` as an int within [low, high], or a clear ImportFailed."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ImportFailed(
            path, f"{where}: {label} = {value!r}, expected a whole number {low} to {high}"
        )
    return value


def _where(origin: Origin, name: str, edition: int) -> str:
    return f"sheet {origin.sheet.strip()}, row {origin.row} ({name}, {edition})"


def assessment_row(path: Path, record: AssessmentRecord, country_id: str) -> Row:
    """A checked `assessments` row from one indicator-workbook record."""
    where = _where(record.origin, record.name, record.edition)
    row: Row = {
        "country_id": country_id,
        "edition": record.edition,
        "kind": record.kind,
        "region": record.region,
    }
    for code in INDICATORS:
        row[code.lower()] = whole(path, where, code, record.scores[code], 0, 4)
    row["q"] = whole(path, where, "Add Q", record.q, 0, 4)
    row["add_a"] = None if record.add_a is None else whole(path, where, "Add A", record.add_a, 0, 4)
    published = record.published
    for code in SUBTOTALS:
        row[code] = whole(path, where, code.upper(), published[code.upper()], 0, 16)
    row["pr"] = whole(path, where, "PR", published["PR"], -4, 40)
    row["cl"] = whole(path, where, "CL", published["CL"], 0, 60)
    row["total"] = whole(path, where, "Total", published["Total"], -4, 100)
    row["pr_rating"] = whole(path, where, "PR rating", published["PR rating"], 1, 7)
    row["cl_rating"] = whole(path, where, "CL rating", published["CL rating"], 1, 7)
    status = published["Status"]
    if not isinstance(status, Status):
        raise ImportFailed(
            path, f"{where}: Status = {status!r}, expected Free, Partly Free or Not Free (F/PF/NF)"
        )
    row["status"] = status.value
    row["source_sheet"] = record.origin.sheet.strip()
    row["source_row"] = record.origin.row
    return row


def all_data_batch(path: Path, records: Iterable[AssessmentRecord]) -> Batch:
    """The indicator workbook's rows: countries, names, editions (weak) and assessments."""
    records = list(records)
    mapping = identify(path, (r.name for r in records))
    assessments = [assessment_row(path, r, mapping[r.name].id) for r in records]
    check_unique(path, "assessments", assessments, [str(r.origin) for r in records])
    years = sorted({r.edition for r in records})
    return Batch(
        path=path,
        kind="all_data",
        rows={
            "countries": country_rows(mapping.values()),
            "country_names": name_rows(mapping),
            "editions": [year_only_edition(y) for y in years],
            "assessments": assessments,
        },
        weak=frozenset({"editions"}),
    )


def rating_row(record: RatingRecord, country_id: str) -> Row:
    """A `ratings` row from one rated entry; `status_rule` says how its status fits the rule."""
    rule = None if record.status is None or record.pr_rating is None else classify_status(record)
    return {
        "country_id": country_id,
        "edition": record.edition.year,
        "kind": record.kind,
        "pr_rating": record.pr_rating,
        "cl_rating": record.cl_rating,
        "status": None if record.status is None else Status(record.status).value,
        "raw": record.raw,
        "status_rule": rule,
        "source_sheet": record.origin.sheet.strip(),
        "source_row": record.origin.row,
    }


def ratings_batch(
    path: Path, editions: Iterable[EditionRecord], records: Iterable[RatingRecord]
) -> Batch:
    """The ratings workbook's rows: countries, names, editions and the ratings history."""
    records = list(records)
    mapping = identify(path, (r.name for r in records))
    ratings = [rating_row(r, mapping[r.name].id) for r in records]
    check_unique(
        path, "ratings", ratings, [f"{r.origin} ({r.name}, {r.edition.label})" for r in records]
    )
    return Batch(
        path=path,
        kind="ratings",
        rows={
            "countries": country_rows(mapping.values()),
            "country_names": name_rows(mapping),
            "editions": [edition_row(e) for e in editions],
            "ratings": ratings,
        },
    )

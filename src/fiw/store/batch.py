"""What one source file contributes to each table, as plain rows ready to compare and write.

A source kind (indicator workbook, ratings workbook, fiw export, later report pages) turns
its records into a Batch; the importer compares it with the database and writes the
difference. Rows use the tables' column names; `source_file_id` is added by the importer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fiw.methodology import (
    AGGREGATE_RANGE,
    AGGREGATES,
    DISCRETIONARY_COLUMNS,
    DISCRETIONARY_RANGE,
    INDICATOR_MAX,
    INDICATOR_MIN,
    INDICATORS,
    RATING_RANGE,
    STATUSES,
    SUBCATEGORIES,
    SUBCATEGORY_MAX,
    TOTAL_RANGE,
    Status,
    load_index,
)
from fiw.sources.countries import PACKAGE, Country, Resolver, UnmappedNames
from fiw.sources.ratings import classify_status
from fiw.sources.records import AssessmentRecord, EditionRecord, Origin, RatingRecord
from fiw.store.errors import ImportFailed

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


def identify(path: Path, names: Iterable[str], resolver: Resolver = PACKAGE) -> dict[str, Country]:
    """Map every name to a country (the package mapping and, through `resolver`, what a user
    added to the database), failing with every unmapped name at once."""
    try:
        return resolver.map_names(sorted(set(names)))
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


def checked_scores(
    path: Path, where: str, values: Mapping[str, object], labels: Mapping[str, str]
) -> Row:
    """The one check of an assessment's figures, bounds from the methodology: `values` keyed
    by the scores row's names (A1 … G4, Q, add_a, A … G, pr, cl, total, pr_rating,
    cl_rating, status, as `SCORE_COLUMNS` spells them), `labels` the source's name of each
    where it differs (for the message). The row comes back keyed by the database's columns
    (lowercase); a discretionary question may be None (Add A after 2017), nothing else."""
    row: Row = {}

    def check(key: str, bounds: tuple[int, int]) -> int:
        return whole(path, where, labels.get(key, key), values[key], *bounds)

    for code in INDICATORS:
        row[code.lower()] = check(code, (INDICATOR_MIN[code], INDICATOR_MAX[code]))
    for code, key in DISCRETIONARY_COLUMNS.items():
        optional = key != DISCRETIONARY_COLUMNS["Q"]
        value = values[key]
        row[key.lower()] = (
            None if optional and value is None else check(key, DISCRETIONARY_RANGE[code])
        )
    for code in SUBCATEGORIES:
        row[code.lower()] = check(code, (0, SUBCATEGORY_MAX[code]))
    for aggregate in AGGREGATES:
        row[aggregate.lower()] = check(aggregate.lower(), AGGREGATE_RANGE[aggregate])
    row["total"] = check("total", TOTAL_RANGE)
    for aggregate in AGGREGATES:
        row[f"{aggregate.lower()}_rating"] = check(f"{aggregate.lower()}_rating", RATING_RANGE)
    status = values["status"]
    if isinstance(status, str) and status not in STATUSES:
        with contextlib.suppress(ValueError):
            status = Status.parse(status)  # "PF", "Partially Free" … (Status.parse)
    if isinstance(status, Status) or status in STATUSES:
        row["status"] = Status(status).value
    else:
        label = labels.get("status", "status")
        raise ImportFailed(
            path, f"{where}: {label} = {status!r}, expected one of {', '.join(STATUSES)}"
        )
    return row


# The indicator workbook's names of the figures a scores row names otherwise (also the
# `field` of a vintage revision).
WORKBOOK_LABELS = {
    "Q": "Add Q",
    "add_a": "Add A",
    "total": "Total",
    "status": "Status",
    **{a.lower(): a for a in AGGREGATES},
    **{f"{a.lower()}_rating": f"{a} rating" for a in AGGREGATES},
}


def assessment_row(path: Path, record: AssessmentRecord, country_id: str) -> Row:
    """A checked `assessments` row from one indicator-workbook record."""
    published = record.published
    values = {
        **record.scores,
        DISCRETIONARY_COLUMNS["Q"]: record.q,
        DISCRETIONARY_COLUMNS["ADD_A"]: record.add_a,
        **{key: published[label] for key, label in WORKBOOK_LABELS.items() if label in published},
        **{code: published[code] for code in SUBCATEGORIES},
    }
    where = _where(record.origin, record.name, record.edition)
    return {
        "country_id": country_id,
        "edition": record.edition,
        "kind": record.kind,
        "region": record.region,
        **checked_scores(path, where, values, WORKBOOK_LABELS),
        "source_sheet": record.origin.sheet.strip(),
        "source_row": record.origin.row,
    }


def all_data_batch(
    path: Path, records: Iterable[AssessmentRecord], resolver: Resolver = PACKAGE
) -> Batch:
    """The indicator workbook's rows: countries, names, editions (weak) and assessments."""
    records = list(records)
    mapping = identify(path, (r.name for r in records), resolver)
    assessments = [assessment_row(path, r, mapping[r.name].id) for r in records]
    check_unique(path, "assessments", assessments, [str(r.origin) for r in records])
    editions = [year_only_edition(y) for y in sorted({r.edition for r in records})]
    return _named_batch(path, "all_data", mapping, editions, "assessments", assessments)


def rating_row(record: RatingRecord, country_id: str) -> Row:
    """A `ratings` row from one rated entry; `status_rule` says how its status fits the rule.
    An entry whose cells rate two populations keeps them in `raw`, with no status (the
    published distribution does not count it) and the rule `split`."""
    rated = record.raw is not None or None not in (record.status, record.pr_rating)
    rule = classify_status(record) if rated else None
    status = None if rule == "split" or record.status is None else Status(record.status).value
    return {
        "country_id": country_id,
        "edition": record.edition.year,
        "kind": record.kind,
        "pr_rating": record.pr_rating,
        "cl_rating": record.cl_rating,
        "status": status,
        "raw": record.raw,
        "status_rule": rule,
        "source_sheet": record.origin.sheet.strip(),
        "source_row": record.origin.row,
    }


def ratings_batch(
    path: Path,
    editions: Iterable[EditionRecord],
    records: Iterable[RatingRecord],
    resolver: Resolver = PACKAGE,
) -> Batch:
    """The ratings workbook's rows: countries, names, editions and the ratings history."""
    records = list(records)
    mapping = identify(path, (r.name for r in records), resolver)
    ratings = [rating_row(r, mapping[r.name].id) for r in records]
    check_unique(
        path, "ratings", ratings, [f"{r.origin} ({r.name}, {r.edition.label})" for r in records]
    )
    rows = [edition_row(e) for e in editions]
    return _named_batch(path, "ratings", mapping, rows, "ratings", ratings, weak=frozenset())


def _named_batch(
    path: Path,
    kind: str,
    mapping: Mapping[str, Country],
    editions: list[Row],
    table: str,
    rows: list[Row],
    weak: frozenset[str] = frozenset({"editions"}),
) -> Batch:
    """A workbook's Batch: the countries its names map to, those names, its editions and the
    rows of `table`. The indicator workbook only uses editions (weak); the ratings one
    defines them."""
    return Batch(
        path=path,
        kind=kind,
        rows={
            "countries": country_rows(mapping.values()),
            "country_names": name_rows(mapping),
            "editions": editions,
            table: rows,
        },
        weak=weak,
    )

"""The published values of the versioned tables, named as the workbooks head their columns,
and the one rule that compares two sets of rows (`compare`): recording an import compares a
file's rows with the stored ones by it, `fiw diff` two files or releases (`diff`).
"""

from __future__ import annotations

import json
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from fiw.store.batch import PROVENANCE, TABLE_KEYS, WORKBOOK_LABELS, Batch
from fiw.store.schema import Base, public_name

VERSIONED = ("assessments", "ratings")
"""The tables whose values have vintages (one row per country-edition)."""
RELEASE_KINDS = ("all_data", "ratings", "export")
"""Source kinds that are releases: files whose rows the importer merges by key."""
WHOLE_EDITION_KINDS = ("all_data", "ratings")
"""Official workbooks hold whole editions: a row of one of their editions that a later
workbook lacks is dropped (and reported, new = null). An export may hold a subset."""
DERIVED = frozenset({"status_rule", "derived_from"})
"""Columns fiw derives rather than reads (a status rule; whether a ratings entry was derived
from All_data): versioned so that a vintage rebuilds exactly, never listed as a revision."""
# Identity columns of the indicator workbook that the tables keep under another name.
_IDENTITY_HEADINGS = {"kind": "C/T", "region": "Region"}

Key = tuple[str, int]
Values = dict[str, Any]
Rows = dict[Key, Values]


def columns(table: str) -> tuple[str, ...]:
    """The versioned columns of a table, in its order: every column but the key, the row id
    and where the row came from."""
    keys = TABLE_KEYS[table]
    return tuple(
        c.name
        for c in Base.metadata.tables[table].columns
        if c.name not in keys and c.name not in PROVENANCE and c.name != "id"
    )


def field_name(column: str) -> str:
    """A column as the workbooks head it: A1, Add Q, Add A, A, PR, Total, PR rating, Status,
    C/T, Region (the ratings workbook's PR, CL and Status under an edition are the PR rating,
    CL rating and Status); other columns by their own name (raw, status_rule)."""
    if column in _IDENTITY_HEADINGS:
        return _IDENTITY_HEADINGS[column]
    name = public_name(column)
    return WORKBOOK_LABELS.get(name, name)


def column_of(table: str, field: str) -> str:
    """The column a field name stands for in `table` (the inverse of `field_name`)."""
    for column in columns(table):
        if field_name(column) == field:
            return column
    raise KeyError(f"{table} has no field {field!r}")


def encode(value: object) -> str | None:
    """A value as `value_revisions` stores it (JSON text; None: no value)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def decode(text: str | None) -> Any:
    """A value `encode` stored."""
    return None if text is None else json.loads(text)


@dataclass(frozen=True)
class Change:
    """One published value that differs between two vintages (None: no such value)."""

    table: str
    country_id: str
    edition: int
    column: str
    old: Any
    new: Any

    @property
    def field(self) -> str:
        return field_name(self.column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "country_id": self.country_id,
            "edition": self.edition,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "table": self.table,
        }


def compare(
    table: str,
    old: Mapping[Key, Values],
    new: Mapping[Key, Values],
    *,
    added_in: Container[int],
    removed_in: Container[int],
) -> list[Change]:
    """Every value that differs from `old` to `new`, by key then column order. A row only in
    `new` counts where its edition is in `added_in` (the editions `old` held: a new edition is
    not a revision), a row only in `old` where its edition is in `removed_in`."""
    order = columns(table)
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0])):
        before, after = old.get(key), new.get(key)
        if before is None and key[1] not in added_in:
            continue
        if after is None and key[1] not in removed_in:
            continue
        for column in order:
            a = None if before is None else before.get(column)
            b = None if after is None else after.get(column)
            if a != b:
                changes.append(Change(table, key[0], key[1], column, a, b))
    return changes


def batch_rows(batch: Batch) -> dict[str, Rows]:
    """A file's rows of the versioned tables, by table and key (no database needed)."""
    found: dict[str, Rows] = {}
    for table in VERSIONED:
        rows = batch.rows.get(table)
        if rows:
            order = columns(table)
            found[table] = {
                (str(r["country_id"]), int(str(r["edition"]))): {c: r.get(c) for c in order}
                for r in rows
            }
    return found


def diff(old: Mapping[str, Rows], new: Mapping[str, Rows]) -> list[Change]:
    """The published values that differ from one vintage to another, table by table: rows
    only in `new` count in the editions `old` holds, rows only in `old` in those `new` holds."""
    changes: list[Change] = []
    for table in VERSIONED:
        if table in old and table in new:
            before, after = old[table], new[table]
            changes += compare(
                table, before, after,
                added_in={k[1] for k in before}, removed_in={k[1] for k in after},
            )  # fmt: skip
    return [c for c in changes if c.column not in DERIVED]

"""`fiw export`: the scores or the ratings history as tidy files, and reading them back.

An export holds exactly the columns of `ds.scores()` or `ds.ratings()` (docs/store.md), so
`fiw import` recognises it by its header and a round trip gives the same rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from fiw.methodology import (
    IDENTITY_COLUMNS,
    RATING_COLUMNS,
    RATING_RANGE,
    SCORE_COLUMNS,
    SCORE_FIGURES,
    STATUSES,
    Status,
)
from fiw.numerals import ascii_digits
from fiw.sources.cells import cell_text
from fiw.sources.codes import CODE_FIELDS, NO_CODES, NUMERIC_CODES, all_codes
from fiw.sources.countries import PACKAGE, Country, Resolver, UnknownCountry
from fiw.sources.ratings import publication_year
from fiw.store.batch import (
    Batch,
    Row,
    check_unique,
    checked_scores,
    country_rows,
    methodology_version,
    whole,
    year_only_edition,
)
from fiw.store.dataset import Dataset
from fiw.store.errors import ImportFailed
from fiw.store.formats import deliver, frame_bytes, records
from fiw.store.long_table import LONG_COLUMNS
from fiw.store.schema import KINDS, STATUS_RULES

if TYPE_CHECKING:
    import pandas as pd

Format = Literal["csv", "json", "parquet", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "json", "parquet", "xlsx")
ExportTable = Literal["scores", "ratings"]
TABLES: dict[str, tuple[str, ...]] = {"scores": SCORE_COLUMNS, "ratings": RATING_COLUMNS}
# The ratings header of exports written before the ratings frame had `year`, `edition_label`
# and `order` (fiw 0.1): still read back.
OLD_RATINGS_HEADER = (
    *IDENTITY_COLUMNS, "edition", "edition_order", "period",
    *RATING_COLUMNS[RATING_COLUMNS.index("period") + 1 :],
)  # fmt: skip


def _with_code_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    at = columns.index("iso3") + 1
    return (*columns[:at], *CODE_FIELDS, *columns[at:])


ALIASES_COLUMN = "aliases"
"""The last column of an export: the names users added for the row's country (`fiw countries
alias`), a JSON array of strings (a list in JSON exports); empty where none."""

# What `fiw export` writes: the table's columns with the country codes after iso3, and the
# users' aliases last
EXPORT_COLUMNS = {
    table: (*_with_code_columns(columns), ALIASES_COLUMN) for table, columns in TABLES.items()
}
# Columns an export carries beside the table's own: derived (codes) or optional (aliases,
# which exports written before fiw carried them lack)
_EXTRA_COLUMNS = frozenset((*CODE_FIELDS, ALIASES_COLUMN))
EXPORT_SUFFIXES = (".csv", ".json", ".parquet")


def export_frame(
    dataset: Dataset, table: ExportTable = "scores", edition: int | None = None
) -> pd.DataFrame:
    """The rows an export holds: `ds.scores()` or `ds.ratings()`, optionally one edition,
    with the country codes other datasets join on after `iso3` (CODE_FIELDS)."""
    frame = (
        dataset.scores(edition=edition) if table == "scores" else dataset.ratings(edition=edition)
    )
    return with_aliases(with_codes(frame), dataset.names().aliases)


def with_aliases(frame: pd.DataFrame, aliases: Mapping[str, str]) -> pd.DataFrame:
    """The frame with the `aliases` column: each row's country's user-added names (`name →
    country_id`, as `Resolver.aliases`), a JSON array sorted by name; missing where none."""
    import pandas as pd

    by_id: dict[str, list[str]] = {}
    for name, cid in sorted(aliases.items()):
        by_id.setdefault(cid, []).append(name)
    cells = {cid: json.dumps(names, ensure_ascii=False) for cid, names in by_id.items()}
    frame = frame.copy()
    values = frame["country_id"].astype(object).map(cells).to_numpy()
    frame[ALIASES_COLUMN] = pd.Series(values, index=frame.index, dtype="string")
    return frame


def with_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with iso2, iso_numeric, un_m49, cow and gw inserted after `iso3`, from each
    row's country_id (fiw.sources.codes; integers as nullable Int64)."""
    import pandas as pd

    codes = all_codes()
    frame = frame.copy()
    at = list(frame.columns).index("iso3") + 1
    ids = frame["country_id"].astype(object)
    for offset, field in enumerate(CODE_FIELDS):
        by_id = {cid: getattr(codes.get(cid, NO_CODES), field) for cid in ids.unique()}
        values = ids.map(by_id).to_numpy()  # one look-up per country, not per row
        kind = "Int64" if field in NUMERIC_CODES else "string"
        frame.insert(at + offset, field, pd.Series(values, index=frame.index, dtype=kind))
    return frame


def write_export(
    frame: pd.DataFrame, fmt: Format, destination: Path | BinaryIO, table: ExportTable
) -> None:
    """Write a frame's export columns (`EXPORT_COLUMNS[table]`) as csv, json (an array of
    objects), parquet or xlsx (sheet `table`); codes are added where the frame lacks them."""
    if not set(CODE_FIELDS) <= set(frame.columns):
        frame = with_codes(frame)
    if ALIASES_COLUMN not in frame.columns:
        frame = with_aliases(frame, {})
    frame = frame[list(EXPORT_COLUMNS[table])]
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        rows = records(frame)
        for row in rows:  # a list of names in JSON, not JSON text
            if row[ALIASES_COLUMN] is not None:
                row[ALIASES_COLUMN] = json.loads(row[ALIASES_COLUMN])
        data = (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode()
    else:
        data = frame_bytes(frame, fmt, sheet=table)
    deliver(data, destination)


def export(
    dataset: Dataset,
    fmt: Format,
    destination: Path | BinaryIO,
    table: ExportTable = "scores",
    edition: int | None = None,
) -> int:
    """Export one table of the dataset; returns the number of rows written."""
    frame = export_frame(dataset, table, edition)
    write_export(frame, fmt, destination, table)
    return len(frame)


# --- reading an export back ---------------------------------------------------------------


def _header(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8", errors="replace") as handle:
            return [c.strip() for c in handle.readline().strip().split(",")]
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ImportFailed(path, f"is not valid JSON ({exc})") from exc
        if isinstance(data, list) and data and isinstance(data[0], dict):
            return list(data[0])
        return []
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:
            raise ImportFailed(path, f"is not a readable parquet file ({exc})") from exc
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(nrows=1)
    except Exception:
        return []
    return [str(c).strip() for c in rows[0]] if rows else []


def detect_export(path: Path, strict: bool = True) -> ExportTable | None:
    """Which table a fiw export holds, by its header; None (or ImportFailed when strict)."""
    # codes are derived, not read; aliases are optional (older exports lack them)
    header = [c for c in _header(path) if c not in _EXTRA_COLUMNS]
    for table, columns in TABLES.items():
        if tuple(header) == columns:
            return table  # type: ignore[return-value]
    if tuple(header) == OLD_RATINGS_HEADER:
        return "ratings"
    if not strict:
        return None
    if tuple(header) == tuple(c for c in LONG_COLUMNS if c not in CODE_FIELDS):
        raise ImportFailed(
            path,
            "is fiw's long table (`fiw export --format long`), which is written for other "
            "tools and not read back: import the workbooks or a `fiw export --table scores` "
            "or `--table ratings` file instead",
        )
    raise ImportFailed(
        path,
        f"is not a fiw export: its columns are {', '.join(header[:8]) or 'missing'}…, expected "
        f"those of `fiw export` ({', '.join(SCORE_COLUMNS[:6])}, …; docs/store.md)",
    )


def _records(path: Path) -> list[dict[str, Any]]:
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    elif suffix == ".json":
        return list(json.loads(path.read_text(encoding="utf-8")))
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_excel(path, sheet_name=0, engine="calamine")
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return [{str(k): v for k, v in r.items()} for r in records]


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _int(value: object) -> object:
    """Whole numbers as int whatever the format wrote (2, 2.0, "2"); others unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and ascii_digits(value.strip().removeprefix("-")):
        return int(value)
    return value


def _text(value: object) -> str | None:
    return None if _blank(value) else cell_text(value)


def _choice(path: Path, where: str, label: str, value: object, allowed: Sequence[str]) -> str:
    text = _text(value)
    if text is None or text not in allowed:
        raise ImportFailed(path, f"{where}: {label} = {value!r}, expected one of {allowed}")
    return text


def _status(path: Path, where: str, value: object) -> str:
    """A status as a fiw export or another dataset spells it ("PF", "Partially Free")."""
    try:
        return Status.parse(str(value)).value
    except ValueError:
        return _choice(path, where, "status", value, STATUSES)


def _aliases(path: Path, line: int, value: object) -> list[str]:
    """The names of an export's `aliases` cell: a list (JSON exports) or JSON array text."""
    if _blank(value):
        return []
    names: object = value
    if isinstance(value, str):
        try:
            names = json.loads(value)
        except ValueError:
            names = None
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise ImportFailed(
            path,
            f"row {line}: {ALIASES_COLUMN} = {value!r}, expected a JSON array of names "
            '(["Occupied Ukraine"]) or nothing',
        )
    return [" ".join(n.split()) for n in names]


def read_export(path: Path, names: Resolver = PACKAGE) -> Batch:
    """A fiw export as a Batch: its countries are ids of the package mapping or added to the
    database (`names`); an id known to neither, written by a database where a user added it
    (`fiw countries add`), is added again from the row's name, ISO3, kind and region, and the
    names users added (`aliases`) come as `user_aliases` rows."""
    table = detect_export(path)
    assert table is not None
    records = _records(path)
    countries: dict[str, Country] = {}
    added: dict[str, Row] = {}
    aliases: dict[str, Row] = {}
    for line, record in enumerate(records, start=2):
        cid = _text(record["country_id"]) or ""
        for name in _aliases(path, line, record.get(ALIASES_COLUMN)):
            aliases.setdefault(name, {"name": name, "country_id": cid})
        if cid not in countries:
            try:
                countries[cid] = names.find(cid)
            except UnknownCountry as exc:
                if not _text(record.get("name")) or _text(record.get("kind")) not in KINDS:
                    raise ImportFailed(path, f"row {line}: {exc}") from exc
                iso3 = _text(record.get("iso3"))
                countries[cid] = Country(cid, _text(record["name"]) or cid, iso3)
                added[cid] = {
                    "id": cid, "name": countries[cid].name, "iso3": iso3,
                    "kind": record["kind"], "region": _text(record.get("region")),
                }  # fmt: skip
    rows = _score_row if table == "scores" else _rating_row
    parsed = [rows(path, line, r, table) for line, r in enumerate(records, start=2)]
    check_unique(path, table if table == "ratings" else "assessments", [p[0] for p in parsed],
                 [f"row {line}" for line in range(2, len(parsed) + 2)])  # fmt: skip
    if table == "scores":
        years = sorted({int(str(p[0]["edition"])) for p in parsed})
        editions = [year_only_edition(y) for y in years]
    else:
        editions = list({int(str(p[1]["year"])): p[1] for p in parsed}.values())
    return Batch(
        path=path,
        kind="export",
        rows={
            "countries": country_rows(countries.values()),
            **({"user_countries": list(added.values())} if added else {}),
            **({"user_aliases": list(aliases.values())} if aliases else {}),
            "editions": editions,
            "assessments" if table == "scores" else "ratings": [p[0] for p in parsed],
        },
        weak=frozenset({"editions"}) if table == "scores" else frozenset(),
    )


def _score_row(path: Path, line: int, record: dict[str, Any], table: str) -> tuple[Row, Row]:
    where = f"{table} row {line} ({record.get('country_id')}, {record.get('edition')})"
    row: Row = {
        "country_id": _text(record["country_id"]),
        "edition": whole(path, where, "edition", _int(record["edition"]), 1973, 9999),
        "kind": _choice(path, where, "kind", record["kind"], KINDS),
        "region": _text(record["region"]),
    }
    values = {key: None if _blank(record[key]) else _int(record[key]) for key in SCORE_FIGURES}
    values["status"] = _text(record["status"])
    row.update(checked_scores(path, where, values, {}))
    row["source_sheet"] = table
    row["source_row"] = line
    return row, {}


def _rating_row(path: Path, line: int, record: dict[str, Any], table: str) -> tuple[Row, Row]:
    old = "edition_label" not in record  # an export of fiw 0.1 (OLD_RATINGS_HEADER)
    label = _text(record["edition" if old else "edition_label"]) or ""
    where = f"{table} row {line} ({record.get('country_id')}, {label})"
    try:
        year = publication_year(label)
    except ValueError as exc:
        raise ImportFailed(path, f"{where}: {exc}") from exc
    if not old and _int(record["year"]) != year:
        raise ImportFailed(
            path, f"{where}: year = {record['year']!r}, but the edition {label!r} is {year}"
        )
    order_column = "edition_order" if old else "order"
    edition: Row = {
        "year": year,
        "order": whole(path, where, order_column, _int(record[order_column]), 1, 999),
        "label": label,
        "period": _text(record["period"]),
        "methodology_version": methodology_version(year),
    }

    def rating(label: str) -> int | None:
        value = record[label]
        return None if _blank(value) else whole(path, where, label, _int(value), *RATING_RANGE)

    raw = _text(record["raw"])
    status = None if raw is not None else record["status"]  # two populations: no one status
    rule = "split" if raw is not None else record["status_rule"]
    row: Row = {
        "country_id": _text(record["country_id"]),
        "edition": year,
        "kind": _choice(path, where, "kind", record["kind"], KINDS),
        "pr_rating": rating("pr_rating"),
        "cl_rating": rating("cl_rating"),
        "status": None if _blank(status) else _status(path, where, status),
        "raw": raw,
        "status_rule": None
        if _blank(rule)
        else _choice(path, where, "status_rule", rule, STATUS_RULES),
        "source_sheet": table,
        "source_row": line,
    }
    return row, edition

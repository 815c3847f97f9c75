"""The tidy long table of `fiw export --format long`: one row per country, edition and variable,
with every country code beside it so it joins other datasets on any of them.

The variables are the score columns of `ds.scores()` (indicators, subcategories, PR, CL, total,
ratings and status) for the editions a country has scores, and the ratings history's columns
of `ds.ratings()` for the editions it has only ratings (1973 to 2012, or a country without
scores): both lists and every range come from `fiw.methodology`, never typed here. Numbers go
in `value`, words (status, split ratings, the status rule) in `value_text`; a variable a row
lacks (Q and add_a for most countries) is left out. `long_schema()` is the JSON Schema of a
row (shipped as `data/long-export.schema.json`); docs/data-dictionary.md describes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from fiw.methodology import (
    AGGREGATE_RANGE,
    DISCRETIONARY_COLUMNS,
    DISCRETIONARY_RANGE,
    INDICATOR_MAX,
    INDICATOR_MIN,
    RATING_COLUMNS,
    RATING_RANGE,
    SCORE_FIGURES,
    STATUSES,
    SUBCATEGORY_MAX,
    TOTAL_RANGE,
)
from fiw.sources.codes import CODE_FIELDS, NUMERIC_CODES
from fiw.store.formats import deliver, frame_bytes
from fiw.store.schema import KINDS, STATUS_RULES

if TYPE_CHECKING:
    import pandas as pd

    from fiw.store.dataset import Dataset

__all__ = [
    "LONG_COLUMNS", "LONG_FORMATS", "LONG_SOURCES", "RATING_VARIABLES", "SCORE_VARIABLES",
    "export_long", "long_format", "long_frame", "long_schema", "shipped_long_schema",
    "write_long",
]  # fmt: skip

# The row: who (with every code), when, where the value comes from, what and how much
LONG_COLUMNS = (
    "country_id", "name", "kind", "iso3", *CODE_FIELDS,
    "edition", "year", "source", "variable", "value", "value_text",
)  # fmt: skip
_DTYPES = {
    "country_id": "string", "name": "string", "kind": "string", "iso3": "string",
    "edition": "int64", "year": "int64", "source": "string", "variable": "string",
    "value": "Int64", "value_text": "string",
}  # fmt: skip
LONG_FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl"}
LONG_SOURCES = ("scores", "ratings")  # ds.scores() (2013 on) or ds.ratings() (1973 on)
SCORE_VARIABLES = SCORE_FIGURES
RATING_VARIABLES = RATING_COLUMNS[RATING_COLUMNS.index("period") + 1 :]
SCHEMA_FILE = "long-export.schema.json"


def _numeric_ranges() -> dict[str, tuple[int, int]]:
    """Each numeric variable's (minimum, maximum), from the methodology."""
    ranges = {code: (INDICATOR_MIN[code], INDICATOR_MAX[code]) for code in INDICATOR_MAX}
    ranges |= {DISCRETIONARY_COLUMNS[k]: DISCRETIONARY_RANGE[k] for k in DISCRETIONARY_COLUMNS}
    ranges |= {code: (0, top) for code, top in SUBCATEGORY_MAX.items()}
    ranges |= {code.lower(): bounds for code, bounds in AGGREGATE_RANGE.items()}
    ranges["total"] = TOTAL_RANGE
    ranges |= {column: RATING_RANGE for column in ("pr_rating", "cl_rating")}
    return ranges


def _text_values() -> dict[str, tuple[str, ...] | None]:
    """Each text variable's allowed words (None: free text, such as a split rating)."""
    return {"status": STATUSES, "status_rule": STATUS_RULES, "raw": None}


def variables() -> dict[str, tuple[str, ...]]:
    """Every variable the long table can hold → the sources that give it."""
    found: dict[str, tuple[str, ...]] = {}
    for source, names in (("scores", SCORE_VARIABLES), ("ratings", RATING_VARIABLES)):
        for name in names:
            found[name] = (*found.get(name, ()), source)
    ranges, texts = _numeric_ranges(), _text_values()
    unknown = [name for name in found if name not in ranges and name not in texts]
    if unknown:  # a new methodology column needs its range or words here
        raise ValueError(f"the long table has no range or words for {unknown}")
    return found


def long_frame(dataset: Dataset, edition: int | None = None) -> pd.DataFrame:
    """The long table: the scores of each country and edition that has them, the ratings
    history for the others, melted to one row per variable with the codes joined."""
    import pandas as pd

    from fiw.store.export import with_codes

    scores = dataset.scores(edition=edition)
    ratings = dataset.ratings(edition=edition).rename(columns={"year": "edition"})
    scored = pd.MultiIndex.from_frame(scores[["country_id", "edition"]])
    ratings = ratings[~pd.MultiIndex.from_frame(ratings[["country_id", "edition"]]).isin(scored)]
    ids = ["country_id", "name", "kind", "iso3", "edition"]
    melted = (
        _melt(scores, ids, SCORE_VARIABLES, "scores"),
        _melt(ratings, ids, RATING_VARIABLES, "ratings"),
    )
    parts = [part for part in melted if len(part)]
    if parts:
        frame = pd.concat(parts, ignore_index=True)
    else:  # an empty database: the header alone
        frame = pd.DataFrame({c: [] for c in (*ids, "source", "variable", "value", "value_text")})
    frame = with_codes(frame)
    frame["year"] = frame["edition"] - 1
    order = {name: at for at, name in enumerate(variables())}
    frame["_order"] = frame["variable"].map(order)
    frame = frame.sort_values(["edition", "country_id", "source", "_order"], kind="stable")
    frame = frame[list(LONG_COLUMNS)].reset_index(drop=True)
    return frame.astype(_DTYPES)


def _melt(frame: pd.DataFrame, ids: list[str], names: tuple[str, ...], source: str) -> pd.DataFrame:
    """One row per (id columns, variable) with a value: numbers to `value`, words to
    `value_text`; empty cells dropped."""
    import pandas as pd

    texts = _text_values()
    pieces = []
    for name in names:
        column = frame[name]
        piece = frame[ids].copy()
        piece["source"], piece["variable"] = source, name
        if name in texts:
            piece["value"] = pd.array([pd.NA] * len(frame), dtype="Int64")
            piece["value_text"] = column.astype("string").to_numpy()
        else:
            piece["value"] = column.astype("Int64").to_numpy()
            piece["value_text"] = pd.array([pd.NA] * len(frame), dtype="string")
        pieces.append(piece[column.notna().to_numpy()])
    if not pieces:
        return frame[ids].iloc[0:0]
    return pd.concat(pieces, ignore_index=True)


def long_format(path: Path | None) -> str | None:
    """The file format for a long export by its suffix (stdout: csv; None: no such format)."""
    if path is None:
        return "csv"
    return LONG_FORMATS.get(path.suffix.lower())


def write_long(frame: pd.DataFrame, fmt: str, destination: Path | BinaryIO) -> None:
    """Write the long table as csv, parquet or JSON Lines (one row object a line)."""
    if fmt not in LONG_FORMATS.values():
        raise ValueError(f"unknown long format {fmt!r}: expected one of {LONG_FORMATS}")
    deliver(frame_bytes(frame, fmt), destination)


def export_long(
    dataset: Dataset, destination: Path | BinaryIO, fmt: str = "csv", edition: int | None = None
) -> int:
    """Export the long table; returns the number of rows written."""
    frame = long_frame(dataset, edition)
    write_long(frame, fmt, destination)
    return len(frame)


# --- the JSON Schema of a row --------------------------------------------------------------


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    return {**schema, "type": [kind, "null"]}


def long_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of one row of the long table, built from the methodology:
    each variable's source, its range (numbers) or its words (text)."""
    found = variables()
    ranges, texts = _numeric_ranges(), _text_values()
    code_schemas: dict[str, dict[str, Any]] = {
        "iso2": _nullable({"type": "string", "pattern": "^[A-Z]{2}$",
                           "description": "ISO 3166-1 alpha-2 (ISO 3166-3 for former states)"}),
        "iso_numeric": _nullable({"type": "integer", "minimum": 1, "maximum": 999,
                                  "description": "ISO 3166-1 numeric"}),
        "un_m49": _nullable({"type": "integer", "minimum": 1, "maximum": 999,
                             "description": "UN M49 area code"}),
        "cow": _nullable({"type": "integer", "minimum": 1, "maximum": 999,
                          "description": "Correlates of War state number (ccode)"}),
        "gw": _nullable({"type": "integer", "minimum": 1, "maximum": 999,
                         "description": "Gleditsch-Ward state number"}),
    }  # fmt: skip
    assert set(code_schemas) == set(CODE_FIELDS) and set(NUMERIC_CODES) < set(code_schemas)
    properties: dict[str, Any] = {
        "country_id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                       "description": "fiw's country or territory id (slug)"},
        "name": {"type": "string", "minLength": 1, "description": "fiw's display name"},
        "kind": {"enum": list(KINDS), "description": "how the edition rates it"},
        "iso3": _nullable({"type": "string", "pattern": "^[A-Z]{3}$",
                           "description": "ISO 3166-1 alpha-3 (3166-3 for former states)"}),
        **code_schemas,
        "edition": {"type": "integer", "minimum": 1973,
                    "description": "the edition (year of publication)"},
        "year": {"type": "integer", "minimum": 1972,
                 "description": "the year the events cover: edition - 1"},
        "source": {"enum": list(LONG_SOURCES),
                   "description": "scores: ds.scores() (All_data workbook, 2013 on); "
                                  "ratings: ds.ratings() (ratings history, 1973 on)"},
        "variable": {"enum": list(found), "description": "the column of ds.scores() or "
                     "ds.ratings() the value comes from (docs/data-dictionary.md)"},
        "value": _nullable({"type": "integer", "description": "a numeric variable's value"}),
        "value_text": _nullable({"type": "string", "description": "a text variable's value"}),
    }  # fmt: skip
    rules: list[dict[str, Any]] = []
    for name, sources in found.items():
        if name in ranges:
            low, high = ranges[name]
            then = {"value": {"type": "integer", "minimum": low, "maximum": high},
                    "value_text": {"type": "null"}}  # fmt: skip
        else:
            words = texts[name]
            text = {"type": "string"} if words is None else {"enum": list(words)}
            then = {"value": {"type": "null"}, "value_text": text}
        rules.append(
            {
                "if": {"properties": {"variable": {"const": name}}},
                "then": {"properties": {"source": {"enum": list(sources)}, **then}},
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fiw long table row",
        "description": "One row of `fiw export --format long`: a country's variable in one "
        "edition, with the codes to join other datasets (docs/data-dictionary.md).",
        "type": "object",
        "properties": properties,
        "required": list(LONG_COLUMNS),
        "additionalProperties": False,
        "allOf": rules,
    }


@cache
def shipped_long_schema() -> str:
    """The schema file the package ships (what `fiw export --schema long` prints)."""
    return resources.files("fiw.store").joinpath("data", SCHEMA_FILE).read_text("utf-8")


def render_long_schema() -> str:
    """`long_schema()` as the shipped file's text (regenerate with `python -m
    fiw.store.long_table > src/fiw/store/data/long-export.schema.json`)."""
    return json.dumps(long_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped schema
    import sys

    sys.stdout.write(render_long_schema())

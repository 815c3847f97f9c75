"""`fiw export --format long`: the tidy long table (one row per country, edition and variable)
from a database holding both official workbooks, on SQLite and PostgreSQL. Every row is
valid under the JSON Schema the package ships, the table pivots back to `ds.scores()` and
`ds.ratings()`, and it joins other datasets on each country code."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema_rs
import pandas as pd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import fiw
from fiw.cli import app
from fiw.methodology import SCORE_FIGURES, STATUSES
from fiw.sources.codes import CODE_FIELDS, NUMERIC_CODES
from fiw.store.long_table import (
    LONG_COLUMNS,
    RATING_VARIABLES,
    long_frame,
    long_schema,
    render_long_schema,
    shipped_long_schema,
)

runner = CliRunner()
DICTIONARY = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"


@pytest.fixture(scope="module")
def validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(json.loads(shipped_long_schema()))


def _export(url: str, path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--format", "long", "--output", str(path), "--database", url]
    )
    assert result.exit_code == 0, result.output
    assert "rows of the long table written" in result.output


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_every_row_is_valid_under_the_shipped_schema(
    imported_url: str, tmp_path: Path, validator: jsonschema_rs.Validator
) -> None:
    path = tmp_path / "long.jsonl"
    _export(imported_url, path)
    rows = _read_jsonl(path)
    editions = {row["edition"] for row in rows}
    assert min(editions) == 1973 and max(editions) == 2024  # type: ignore[type-var]
    assert len(rows) > 100_000, len(rows)
    invalid = [
        (row, next(validator.iter_errors(row))) for row in rows if not validator.is_valid(row)
    ]
    assert not invalid, invalid[:3]
    assert all(row["year"] == row["edition"] - 1 for row in rows)  # type: ignore[operator]
    assert all(tuple(row) == LONG_COLUMNS for row in rows)


def test_the_schema_rejects_what_the_methodology_rules_out(
    validator: jsonschema_rs.Validator,
) -> None:
    good = {
        "country_id": "kazakhstan", "name": "Kazakhstan", "kind": "country", "iso3": "KAZ",
        "iso2": "KZ", "iso_numeric": 398, "un_m49": 398, "cow": 705, "gw": 705,
        "edition": 2024, "year": 2023, "source": "scores", "variable": "A1", "value": 0,
        "value_text": None,
    }  # fmt: skip
    assert validator.is_valid(good)
    bad = [
        {**good, "value": 5},  # an indicator scores 0 to 4
        {**good, "variable": "total", "value": 101},
        {**good, "variable": "status", "value": None, "value_text": "Mostly Free"},
        {**good, "variable": "status", "value": 1, "value_text": None},
        {**good, "source": "ratings"},  # the ratings history has no indicators
        {**good, "variable": "status_rule", "value": None, "value_text": "follows"},  # ratings'
        {**good, "iso2": "kz"},
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "gw"},
    ]
    assert [validator.is_valid(row) for row in bad] == [False] * len(bad)


def test_the_shipped_schema_is_the_one_the_methodology_gives() -> None:
    assert shipped_long_schema() == render_long_schema(), (
        "regenerate: python -m fiw.store.long_table > src/fiw/store/data/long-export.schema.json"
    )
    variables = long_schema()["properties"]["variable"]["enum"]
    assert set(variables) == set(SCORE_FIGURES) | set(RATING_VARIABLES)


def test_csv_parquet_and_jsonl_hold_the_same_table(imported_url: str, tmp_path: Path) -> None:
    for suffix in ("csv", "parquet", "jsonl"):
        _export(imported_url, tmp_path / f"long.{suffix}")
    dtypes = {f: "Int64" for f in (*NUMERIC_CODES, "edition", "year", "value")}
    from_csv = pd.read_csv(tmp_path / "long.csv", dtype=str, keep_default_na=False, na_values=[""])
    from_csv = from_csv.astype(dtypes)
    from_parquet = pd.read_parquet(tmp_path / "long.parquet").astype(dtypes)
    from_jsonl = pd.DataFrame(_read_jsonl(tmp_path / "long.jsonl")).astype(dtypes)
    assert tuple(from_csv.columns) == LONG_COLUMNS
    for other in (from_parquet, from_jsonl):
        pd.testing.assert_frame_equal(
            from_csv.astype(str), other.astype(str), check_dtype=False, check_names=False
        )


def test_pivoting_2024_back_gives_ds_scores(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    long = long_frame(ds, edition=2024)
    assert set(long["source"]) == {"scores"}
    numbers = long.pivot(index="country_id", columns="variable", values="value")
    words = long.pivot(index="country_id", columns="variable", values="value_text")
    scores = ds.scores(edition=2024).set_index("country_id").sort_index()
    assert len(scores) > 200
    for column in SCORE_FIGURES:
        source = words if column == "status" else numbers
        if column not in source:  # a variable no country has this edition
            assert scores[column].isna().all(), column
            continue
        back = source[column].reindex(scores.index)
        assert back.astype(str).tolist() == scores[column].astype(str).tolist(), column
    assert set(words["status"]) == set(STATUSES)


def test_the_ratings_history_fills_the_editions_without_scores(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    long = long_frame(ds, edition=1990)
    assert set(long["source"]) == {"ratings"}
    ratings = ds.ratings(edition=1990).set_index("country_id").sort_index()
    for column in RATING_VARIABLES:
        rows = long[long["variable"] == column].set_index("country_id")
        values = rows["value_text" if column in ("status", "raw", "status_rule") else "value"]
        expected = ratings[column].dropna()
        assert values.reindex(expected.index).astype(str).tolist() == expected.astype(str).tolist()
    ussr = long[(long["country_id"] == "ussr") & (long["variable"] == "status")]
    assert ussr[["iso2", "un_m49", "cow", "gw", "year"]].iloc[0].tolist() == [
        "SU",
        810,
        365,
        365,
        1989,
    ]


@pytest.mark.parametrize("code", CODE_FIELDS)
def test_the_table_joins_other_datasets_on_each_code(imported_url: str, code: str) -> None:
    """A dataset of 2024 keyed by any one code (here: fiw's own list of the countries rated
    then, by that code alone) joins the 2024 rows one to one, to the same country. (A code
    can name two entities of different times: Serbia and Montenegro's `CS` was
    Czechoslovakia's.)"""
    ds = fiw.open(imported_url)
    long = long_frame(ds, edition=2024)
    totals = long[long["variable"] == "total"].dropna(subset=[code])
    rated = set(ds.scores(edition=2024)["country_id"])
    countries = ds.countries()
    other = countries[countries["id"].isin(rated)][["id", code]].dropna(subset=[code])
    joined = totals.merge(other, on=code, how="left", validate="many_to_one")
    assert joined["id"].notna().all() and (joined["id"] == joined["country_id"]).all()
    assert len(totals) >= 190, (code, len(totals))


def test_cli_prints_the_schema_and_refuses_an_unknown_suffix(
    imported_url: str, tmp_path: Path
) -> None:
    printed = runner.invoke(app, ["export", "--schema", "long"])
    assert printed.exit_code == 0 and printed.stdout == shipped_long_schema()
    wrong = runner.invoke(app, ["export", "--schema", "wide"])
    assert wrong.exit_code != 0 and "--schema" in wrong.output
    refused = runner.invoke(
        app, ["export", "-f", "long", "-o", str(tmp_path / "x.xlsx"), "--database", imported_url]
    )
    assert refused.exit_code != 0 and ".parquet" in refused.output
    assert not (tmp_path / "x.xlsx").exists()
    long = tmp_path / "long.csv"
    _export(imported_url, long)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    imported = runner.invoke(app, ["import", str(long), "--database", fresh])
    assert imported.exit_code != 0 and "long table" in imported.output, imported.output
    assert "--table scores" in imported.output
    stdout = runner.invoke(
        app, ["export", "-f", "long", "--edition", "2024", "--database", imported_url]
    )
    assert stdout.exit_code == 0, stdout.output
    frame = pd.read_csv(io.StringIO(stdout.stdout), dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == LONG_COLUMNS and set(frame["edition"]) == {"2024"}


def test_an_empty_database_gives_the_header_alone(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    url = engine.url.render_as_string(hide_password=False)
    _export(url, path)
    assert path.read_text("utf-8") == ",".join(LONG_COLUMNS) + "\n"


def _table(text: str, heading: str) -> list[list[str]]:
    """The cells of the first markdown table after `heading` (header row left out)."""
    lines = text.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[2:]


def test_the_data_dictionary_describes_every_column_and_variable() -> None:
    text = DICTIONARY.read_text("utf-8")
    columns = [row[0].strip("`") for row in _table(text, "## Columns")]
    assert tuple(columns) == LONG_COLUMNS
    schema = long_schema()
    rules = {
        rule["if"]["properties"]["variable"]["const"]: rule["then"]["properties"]
        for rule in schema["allOf"]
    }
    described = {row[0].strip("`"): row for row in _table(text, "## Variables")}
    assert list(described) == schema["properties"]["variable"]["enum"]
    for name, (_, _, kind, values, sources) in described.items():
        then = rules[name]
        assert sources.split(", ") == then["source"]["enum"], name
        if "minimum" in then["value"]:
            assert kind.startswith("integer"), name
            assert values == f"{then['value']['minimum']} to {then['value']['maximum']}", name
        else:
            assert kind.startswith("text"), name
            words = then["value_text"].get("enum")
            assert values == (", ".join(f"`{w}`" for w in words) if words else "free text")

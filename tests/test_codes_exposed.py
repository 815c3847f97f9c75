"""The country codes where users read countries: `ds.countries()`, `fiw countries --json`,
`fiw export` and the API's country objects, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import fiw
from fiw.cli import app
from fiw.sources.codes import CODE_FIELDS, all_codes
from fiw.store.database import make_engine
from fiw.store.export import EXPORT_COLUMNS, export
from fiw.store.importer import import_files

runner = CliRunner()


def test_dataset_countries_carry_the_codes(imported_url: str) -> None:
    frame = fiw.open(imported_url).countries()
    assert list(frame.columns[:8]) == ["id", "name", "iso3", *CODE_FIELDS]
    assert str(frame["cow"].dtype) == "Int64"  # joins on integers, gaps as <NA>
    rows = frame.set_index("id")
    assert rows.loc["kazakhstan", ["iso2", "un_m49", "cow", "gw"]].tolist() == ["KZ", 398, 705, 705]
    assert rows.loc["ussr", "iso2"] == "SU" and rows.loc["ussr", "un_m49"] == 810
    assert rows.loc["tibet", ["iso2", "cow", "gw"]].isna().all()
    codes = all_codes()
    for cid, row in rows.iterrows():
        for field in CODE_FIELDS:
            expected = getattr(codes[str(cid)], field)
            value = row[field]
            assert (None if pd.isna(value) else value) == expected, (cid, field, value)


def test_countries_json_carries_the_codes(imported_url: str) -> None:
    listed = runner.invoke(app, ["countries", "--json", "--database", imported_url])
    assert listed.exit_code == 0, listed.output
    countries = {c["id"]: c for c in json.loads(listed.stdout)["countries"]}
    assert {k: countries["germany"][k] for k in CODE_FIELDS} == {
        "iso2": "DE", "iso_numeric": 276, "un_m49": 276, "cow": 255, "gw": 260,
    }  # fmt: skip
    assert {k: countries["east-germany"][k] for k in CODE_FIELDS} == {
        "iso2": "DD", "iso_numeric": 278, "un_m49": 278, "cow": 265, "gw": 265,
    }  # fmt: skip
    assert all(countries["crimea"][k] is None for k in CODE_FIELDS)


def test_export_carries_the_codes_and_imports_back(imported_url: str, tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    export(fiw.open(imported_url), "csv", path, "ratings", edition=1990)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == EXPORT_COLUMNS["ratings"]
    rows = frame.set_index("country_id")
    assert rows.loc["ussr", ["iso2", "un_m49", "cow", "gw"]].tolist() == ["SU", "810", "365", "365"]
    assert rows.loc["west-germany", ["iso2", "un_m49", "cow"]].tolist() == ["", "280", "260"]
    assert rows.loc["east-germany", "cow"] == "265"
    fresh = f"sqlite:///{tmp_path / 'again.sqlite'}"
    (report,) = import_files(make_engine(fresh), [path])
    assert report.counts["ratings"].added == len(frame)

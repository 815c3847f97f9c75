"""`fiw export`: tidy files that `fiw import` reads back to the same rows."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from fiw.sources.all_data import read_all_data
from fiw.store.batch import assessment_row
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.errors import ImportFailed
from fiw.store.export import (
    EXPORT_COLUMNS,
    FORMATS,
    OLD_RATINGS_HEADER,
    export,
    read_export,
    write_export,
)
from fiw.store.importer import import_files


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_round_trips(
    fmt: str, imported_url: str, fresh_twin_url: str, tmp_path: Path
) -> None:
    source = open_dataset(imported_url)
    engine = make_engine(fresh_twin_url)
    scores = tmp_path / f"scores.{fmt}"
    ratings = tmp_path / f"ratings.{fmt}"
    assert export(source, fmt, scores, "scores") == 2515  # type: ignore[arg-type]
    assert export(source, fmt, ratings, "ratings") == 9757  # type: ignore[arg-type]
    reports = import_files(engine, [scores, ratings])
    assert [r.kind for r in reports] == ["export", "export"]
    copy = open_dataset(engine.url)
    pd.testing.assert_frame_equal(copy.scores(), source.scores())
    pd.testing.assert_frame_equal(copy.ratings(), source.ratings())
    pd.testing.assert_frame_equal(copy.editions().drop(columns="order"),
                                  source.editions().drop(columns="order"))  # fmt: skip


def test_importing_an_export_into_its_own_database_changes_nothing(
    engine: Engine, workbooks: list[Path], tmp_path: Path
) -> None:
    import_files(engine, workbooks)
    ds = open_dataset(engine.url)
    path = tmp_path / "scores.csv"
    export(ds, "csv", path, "scores")
    [report] = import_files(engine, [path])
    assert report.new_file
    assert all(c.added == c.changed == 0 for c in report.counts.values()), report.counts


def test_csv_export_has_the_documented_columns_and_one_edition(
    imported_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    rows = export(open_dataset(imported_url), "csv", path, "scores", edition=2024)
    frame = pd.read_csv(path)
    assert tuple(frame.columns) == EXPORT_COLUMNS["scores"]
    assert len(frame) == rows and set(frame["edition"]) == {2024}
    documented = (Path(__file__).parents[1] / "docs" / "store.md").read_text()
    ranges = {"A1": "`A1` … `G4`", "A": "`A` … `G`"}  # documented as ranges
    for column in (*EXPORT_COLUMNS["scores"], *EXPORT_COLUMNS["ratings"]):
        if column[0] in "ABCDEFG" and column[1:].isdigit():
            column = "A1"
        elif len(column) == 1 and column in "ABCDEFG":
            column = "A"
        assert ranges.get(column, f"`{column}`") in documented, f"{column} is not documented"


def test_json_export_is_an_array_of_objects_with_nulls(imported_url: str, tmp_path: Path) -> None:
    path = tmp_path / "ratings.json"
    export(open_dataset(imported_url), "json", path, "ratings", edition=1973)
    data = json.loads(path.read_text())
    assert isinstance(data, list) and list(data[0]) == list(EXPORT_COLUMNS["ratings"])
    assert all(row["edition_label"] == "Jan.-Feb. 1973" and row["year"] == 1973 for row in data)
    assert any(row["raw"] is not None for row in data) and any(row["raw"] is None for row in data)
    split = [row for row in data if row["raw"] is not None]
    assert [(r["status"], r["status_rule"]) for r in split] == [(None, "split")]


def test_a_ratings_export_of_the_earlier_shape_is_read_back(
    imported_url: str, fresh_twin_url: str, tmp_path: Path
) -> None:
    """Exports written before `year`, `edition_label` and `order` (edition = the label,
    edition_order, and South Africa 1972 with its first status) import to the same rows."""
    source = open_dataset(imported_url)
    frame = source.ratings(edition=[1973, 1984])
    earlier = frame.rename(columns={"edition_label": "edition", "order": "edition_order"})
    old = earlier[[*OLD_RATINGS_HEADER]].copy()
    old.loc[old["raw"].notna(), ["status", "status_rule"]] = ["Free", "follows"]
    path = tmp_path / "ratings-0.1.csv"
    old.to_csv(path, index=False)
    engine = make_engine(fresh_twin_url)
    [report] = import_files(engine, [path])
    assert report.kind == "export"
    pd.testing.assert_frame_equal(open_dataset(engine.url).ratings(), frame)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_subset_of_rows_round_trips(
    data: st.DataObject, imported_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    source = open_dataset(imported_url)
    table = data.draw(st.sampled_from(["scores", "ratings"]))
    fmt = data.draw(st.sampled_from(["csv", "json", "parquet"]))
    frame = source.scores() if table == "scores" else source.ratings()
    rows = sorted(data.draw(st.sets(st.integers(0, len(frame) - 1), min_size=1, max_size=40)))
    subset = frame.iloc[rows].reset_index(drop=True)
    folder = tmp_path_factory.mktemp("subset")
    path = folder / f"{table}.{fmt}"
    write_export(subset, fmt, path, table)  # type: ignore[arg-type]
    engine = make_engine(f"sqlite:///{folder / 'copy.sqlite'}")
    import_files(engine, [path])
    copy = open_dataset(engine.url)
    back = copy.scores() if table == "scores" else copy.ratings()
    engine.dispose()
    order = ["year" if table == "ratings" else "edition", "country_id"]
    expected = subset.sort_values(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(back.reset_index(drop=True), expected)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("A", 13, "0 to 12"),  # A, C and E hold three indicators: 12 at most
        ("C", 13, "0 to 12"),
        ("B", 17, "0 to 16"),
        ("B", "²", "0 to 16"),  # str.isdigit says yes, int() refuses: refused by name
        ("pr", "--5", "-4 to 40"),  # one sign at most: int() refuses two
        ("cl", 61, "0 to 60"),
        ("pr", -5, "-4 to 40"),
        ("pr_rating", 8, "1 to 7"),
        ("status", "Mostly Free", "Free, Partly Free, Not Free"),
    ],
)
def test_an_export_row_outside_the_methodologys_bounds_is_refused(
    imported_url: str, tmp_path: Path, column: str, value: object, expected: str
) -> None:
    path = tmp_path / "scores.csv"
    export(open_dataset(imported_url), "csv", path, "scores", edition=2024)
    frame = pd.read_csv(path)
    frame[column] = frame[column].astype(object)
    frame.loc[3, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(ImportFailed) as caught:
        read_export(path)
    message = str(caught.value)
    assert "scores row 5" in message and f"{column} = " in message and expected in message


def test_an_export_row_at_the_real_maxima_is_read(imported_url: str, tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    export(open_dataset(imported_url), "csv", path, "scores", edition=2024)
    frame = pd.read_csv(path)
    frame.loc[0, ["A", "B", "G"]] = [12, 16, 16]
    frame.to_csv(path, index=False)
    [row, *_] = read_export(path).rows["assessments"]
    assert (row["a"], row["b"], row["g"]) == (12, 16, 16)


def test_a_workbook_subtotal_above_its_maximum_is_refused(all_data_path: Path) -> None:
    record = read_all_data(all_data_path).records[0]
    bad = replace(record, published={**record.published, "E": 13})
    with pytest.raises(ImportFailed, match=r"row \d+ .*: E = 13, expected a whole number 0 to 12"):
        assessment_row(all_data_path, bad, "somewhere")
    assert assessment_row(all_data_path, record, "somewhere")["e"] == record.published["E"]


def test_a_changed_score_is_reported_with_its_code(
    imported_url: str, fresh_twin_url: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "scores.csv", tmp_path / "scores-fixed.csv"
    export(open_dataset(imported_url), "csv", first, "scores", edition=2024)
    frame = pd.read_csv(first)
    before = int(frame.loc[0, "A1"])
    frame.loc[0, "A1"] = after = (before + 1) % 5
    frame.to_csv(second, index=False)
    engine = make_engine(fresh_twin_url)
    import_files(engine, [first])
    [report] = import_files(engine, [second])
    who = f"{frame.loc[0, 'country_id']} 2024"
    assert report.changes == (f"assessments {who}: A1 {before} → {after}",)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_names_users_added_travel_with_an_export(
    fmt: str, imported_url: str, fresh_twin_url: str, tmp_path: Path
) -> None:
    """`fiw countries alias` names are carried in the `aliases` column and added again by
    the import into a fresh database; a name that database maps elsewhere is refused."""
    from sqlalchemy.engine import make_url

    from fiw.store.user_countries import add_alias, added
    from tests.conftest import _fresh_url

    subset = tmp_path / "subset.csv"
    export(open_dataset(imported_url), "csv", subset, "scores", edition=2024)
    first = make_engine(fresh_twin_url)
    import_files(first, [subset])
    add_alias(first, "Qazaqstan", "kazakhstan")
    add_alias(first, "Kenia", "kenya")
    path = tmp_path / f"scores.{fmt}"
    export(open_dataset(first.url), fmt, path, "scores")  # type: ignore[arg-type]
    if fmt == "json":
        rows = json.loads(path.read_text())
        assert next(r for r in rows if r["country_id"] == "kenya")["aliases"] == ["Kenia"]
        assert next(r for r in rows if r["country_id"] == "chile")["aliases"] is None
    backend = make_url(fresh_twin_url).get_backend_name()
    for other in _fresh_url(backend, tmp_path / "other"):
        copy = make_engine(other)
        import_files(copy, [path])
        with copy.connect() as connection:
            aliases = {(a.name, a.country_id) for a in added(connection)[1]}
        assert aliases == {("Kenia", "kenya"), ("Qazaqstan", "kazakhstan")}
        assert open_dataset(other).country("qazaqstan").id == "kazakhstan"
        [again] = import_files(copy, [path])  # idempotent: nothing new
        assert not again.changed_anything
        copy.dispose()
    for other in _fresh_url(backend, tmp_path / "clash"):
        copy = make_engine(other)
        import_files(copy, [subset])
        add_alias(copy, "Kenia", "kazakhstan")
        with pytest.raises(ImportFailed, match=r"'Kenia'.*already names 'kazakhstan'"):
            import_files(copy, [path])
        assert len(open_dataset(other).scores()) == len(open_dataset(first.url).scores())
        copy.dispose()
    first.dispose()

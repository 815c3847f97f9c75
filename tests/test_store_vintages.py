"""Vintages: a revised workbook imported after the original keeps what the original said.

The revised copies are written once per module with openpyxl: a few back values changed (two
indicator scores and a PR rating in All_data, a PR rating and a Status in the ratings
workbook) and one All_data row dropped. `ds.revisions()`, `fiw diff` (files and releases)
must list exactly those values, and both vintages read back, in Python and on the web.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import fiw
from fiw.cli import app
from fiw.settings import Settings
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.store.migrate import upgrade
from fiw.store.vintages.releases import UnknownRelease
from tests.conftest import BACKENDS, _fresh_url
from tests.web_server import ThreadServer

# (workbook column heading, country name as the workbook writes it, edition)
SCORE_EDITS = [("A1", "Kazakhstan", 2020), ("G2", "Nicaragua", 2018), ("PR rating", "Kenya", 2016)]
DROPPED = ("Abkhazia", 2015)
RATING_EDITS = [("PR", "Chile", 2000), ("Status", "Kenya", 2010)]
STATUS_NAMES = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}
IDS = {"Kazakhstan": "kazakhstan", "Nicaragua": "nicaragua", "Kenya": "kenya",
       "Abkhazia": "abkhazia", "Chile": "chile"}  # fmt: skip


@dataclass(frozen=True)
class Revised:
    all_data: Path
    ratings: Path
    expected: set[tuple[str, int, str, Any, Any]]  # country_id, edition, field, old, new
    dropped: dict[str, Any]  # field -> old value of the dropped row


def _other(value: int, low: int, high: int) -> int:
    return value + 1 if value < high else value - 1


def _revise_all_data(source: Path, target: Path, expected: set[Any]) -> dict[str, Any]:
    book = openpyxl.load_workbook(source, data_only=True)
    sheet = next(s for s in book.worksheets if s.max_column > 40)
    header_at, header = next(
        (i, [str(c.value).strip() for c in row])
        for i, row in enumerate(sheet.iter_rows(max_row=5), start=1)
        if any(c.value == "Country/Territory" for c in row)
    )
    col = {name: header.index(name) + 1 for name in header if name}
    rows = {
        (sheet.cell(r, col["Country/Territory"]).value, sheet.cell(r, col["Edition"]).value): r
        for r in range(header_at + 1, sheet.max_row + 1)
    }
    for field, name, edition in SCORE_EDITS:
        cell = sheet.cell(rows[name, edition], col[field])
        old = cell.value
        new = _other(old, 1, 7) if field.endswith("rating") else _other(old, 0, 4)
        cell.value = new
        expected.add((IDS[name], edition, field, old, new))
    row = rows[DROPPED]
    dropped = {h: sheet.cell(row, col[h]).value for h in header if h}
    sheet.delete_rows(row)
    book.save(target)
    return dropped


def _revise_ratings(source: Path, target: Path, expected: set[Any]) -> None:
    book = openpyxl.load_workbook(source, data_only=True)
    sheet = next(s for s in book.worksheets if str(s.title).startswith("Country"))
    editions = {
        int(str(sheet.cell(1, c).value)[-4:]): c
        for c in range(2, sheet.max_column + 1, 3)
        if str(sheet.cell(1, c).value or "")[-4:].isdigit()
    }
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    for field, name, edition in RATING_EDITS:
        if field == "PR":
            cell = sheet.cell(rows[name], editions[edition])
            old = cell.value
            cell.value = _other(old, 1, 7)
            expected.add((IDS[name], edition, "PR rating", old, cell.value))
        else:
            cell = sheet.cell(rows[name], editions[edition] + 2)
            old = cell.value
            cell.value = "NF" if old != "NF" else "PF"
            change = (STATUS_NAMES[old], STATUS_NAMES[cell.value])
            expected.add((IDS[name], edition, "Status", *change))
    book.save(target)


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]) -> Revised:
    folder = tmp_path_factory.mktemp("revised")
    expected: set[Any] = set()
    all_data, ratings = folder / "All_data_revised.xlsx", folder / "Ratings_revised.xlsx"
    dropped = _revise_all_data(workbooks[0], all_data, expected)
    _revise_ratings(workbooks[1], ratings, expected)
    return Revised(all_data, ratings, expected, dropped)


@dataclass(frozen=True)
class Vintages:
    url: str
    scores: pd.DataFrame  # as the database read after the original workbooks only
    ratings: pd.DataFrame


@pytest.fixture(scope="module", params=BACKENDS)
def vintages(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    workbooks: list[Path],
    revised: Revised,
) -> Iterator[Vintages]:
    """A database with the original workbooks, then the revised ones (two imports)."""
    for url in _fresh_url(request.param, tmp_path_factory.mktemp("vintages")):
        engine = make_engine(url)
        import_files(engine, workbooks)
        first = fiw.open(url)
        scores, ratings = first.scores(), first.ratings()
        import_files(engine, [revised.all_data, revised.ratings])
        engine.dispose()
        yield Vintages(url, scores, ratings)


@pytest.fixture(scope="module")
def vintages_url(vintages: Vintages) -> str:
    return vintages.url


def test_migration_0007_makes_releases_of_files_imported_before(database_url: str) -> None:
    """A database imported before vintages existed: each release file gets one import and
    the editions of the rows it wrote, and reads as of itself."""
    engine = make_engine(database_url)
    upgrade(engine, "0005")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO source_files (id, name, kind, sha256, size, imported_at) "
            "VALUES (1, 'r.xlsx', 'ratings', 'ab12cd34', 1, CURRENT_TIMESTAMP)",
            "INSERT INTO countries (id, name, iso3, source_file_id) "
            "VALUES ('chile', 'Chile', 'CHL', 1)",
            'INSERT INTO editions (year, "order", label, period, methodology_version, '
            "source_file_id) VALUES (1990, 18, '1989-90', 'Nov.1988-Dec.1989', 'fiw-1990', 1)",
            "INSERT INTO ratings (country_id, edition, kind, pr_rating, cl_rating, status, "
            "status_rule, source_file_id) VALUES ('chile', 1990, 'country', 2, 2, 'Free', "
            "'follows', 1)",
        ):
            connection.execute(text(statement))
    upgrade(engine)
    ds = fiw.open(database_url)
    (release,) = ds.releases()
    assert (release.name, release.editions) == ("r.xlsx", {"ratings": (1990,)})
    assert ds.revisions().empty
    assert ds.as_of("ab12").ratings()["pr_rating"].tolist() == [2]
    engine.dispose()


def _listed(rows: list[dict[str, Any]]) -> set[tuple[str, int, str, Any, Any]]:
    return {(r["country_id"], r["edition"], r["field"], r["old"], r["new"]) for r in rows}


def _expected_with_drop(revised: Revised) -> set[tuple[str, int, str, Any, Any]]:
    """The edits, and every value of the dropped row with new = null (C/T as the table
    spells it, Status in full)."""
    name, edition = DROPPED
    drop = set()
    for field, value in revised.dropped.items():
        if field in ("Country/Territory", "Edition") or value in (None, "N/A"):
            continue
        if field == "C/T":
            value = {"c": "country", "t": "territory"}[value]
        if field == "Status":
            value = STATUS_NAMES[value]
        drop.add((IDS[name], edition, field, value, None))
    return revised.expected | drop


def test_a_first_import_records_no_revision(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    assert ds.revisions().empty
    assert {r.kind for r in ds.releases()} == {"all_data", "ratings"}


def test_revisions_list_exactly_the_changed_values(vintages_url: str, revised: Revised) -> None:
    revisions = fiw.open(vintages_url).revisions()
    assert list(revisions.columns[:5]) == ["country_id", "edition", "field", "old", "new"]
    assert _listed(revisions.to_dict("records")) == _expected_with_drop(revised)
    assert set(revisions["file"]) == {revised.all_data.name, revised.ratings.name}
    assert "status_rule" not in set(revisions["field"])  # derived, never published


def test_revisions_filter_by_release_country_and_edition(
    vintages_url: str, revised: Revised
) -> None:
    ds = fiw.open(vintages_url)
    release = next(r for r in ds.releases() if r.name == revised.ratings.name)
    by_release = ds.revisions(release=release.sha256[:10])
    assert set(by_release["field"]) == {"PR rating", "Status"}
    kenya = ds.revisions(country="KEN", edition=2010)
    assert _listed(kenya.to_dict("records")) == {
        e for e in revised.expected if e[0] == "kenya" and e[1] == 2010
    }


@pytest.mark.parametrize("key", ["²", "１", "٣"])
def test_a_release_key_of_other_digits_is_refused_by_name(vintages_url: str, key: str) -> None:
    """Superscript, full-width or Arabic-Indic digits pass `str.isdigit`; they are not ids."""
    ds = fiw.open(vintages_url)
    with pytest.raises(UnknownRelease, match="expected a release id or 4 or more hex digits"):
        ds.revisions(release=key)


def test_both_vintages_read_back(vintages: Vintages, revised: Revised) -> None:
    """As of the original releases the database reads exactly as it did before the revised
    ones were imported; by default it reads the revised values."""
    ds = fiw.open(vintages.url)
    revised_names = {revised.all_data.name, revised.ratings.name}
    first = {r.kind: r for r in ds.releases() if r.name not in revised_names}
    pd.testing.assert_frame_equal(ds.as_of(first["all_data"].id).scores(), vintages.scores)
    pd.testing.assert_frame_equal(ds.as_of(first["ratings"].sha256).ratings(), vintages.ratings)
    # both workbooks of one `fiw import` are one state: as of either, the other reads too
    pd.testing.assert_frame_equal(ds.as_of(first["ratings"].id).scores(), vintages.scores)
    assert not ds.scores().equals(vintages.scores)
    now = ds.scores(country="kazakhstan", edition=2020)
    then = ds.as_of(first["all_data"].sha256[:8]).scores(country="kazakhstan", edition=2020)
    old, new = next((o, n) for c, _, f, o, n in revised.expected if c == "kazakhstan")
    assert (then.loc[0, "A1"], now.loc[0, "A1"]) == (old, new)
    assert ds.scores(country="abkhazia", edition=2015).empty
    assert len(ds.as_of(first["all_data"].id).scores(country="abkhazia", edition=2015)) == 1


def test_each_value_knows_the_releases_that_published_it(
    vintages_url: str, workbooks: list[Path], revised: Revised
) -> None:
    ds = fiw.open(vintages_url)
    old, new = next((o, n) for c, _, f, o, n in revised.expected if c == "kazakhstan")
    a1 = ds.published("kazakhstan", 2020, "A1")
    assert list(zip(a1["file"], a1["value"], strict=True)) == [
        (workbooks[0].name, old),
        (revised.all_data.name, new),
    ]
    same = ds.published("kazakhstan", 2020, "A2")
    assert len(set(same["value"])) == 1 and len(same) == 2
    status = ds.published("kenya", 2010, "Status")  # in both workbooks' tables
    ratings = status[status["table"] == "ratings"]
    assert list(ratings["file"]) == [workbooks[1].name, revised.ratings.name]
    assert ratings["value"].iloc[0] != ratings["value"].iloc[1]


def _diff(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["diff", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_fiw_diff_of_files_and_of_releases(
    vintages_url: str, workbooks: list[Path], revised: Revised
) -> None:
    expected = _expected_with_drop(revised)
    files = _diff(str(workbooks[0]), str(revised.all_data))
    files_r = _diff(str(workbooks[1]), str(revised.ratings))
    assert _listed(files["changes"]) | _listed(files_r["changes"]) == expected
    ds = fiw.open(vintages_url)
    by_name = {r.name: r for r in ds.releases()}
    old, new = by_name[workbooks[0].name], by_name[revised.all_data.name]
    releases = _diff(old.sha256[:12], str(new.id), "--database", vintages_url)
    assert releases["changes"] == files["changes"]
    assert releases["new"]["sha256"] == new.sha256


def test_fiw_releases_lists_every_import(vintages_url: str, revised: Revised) -> None:
    result = CliRunner().invoke(app, ["releases", "--json", "--database", vintages_url])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["releases"]
    assert [r["kind"] for r in listed] == ["ratings", "all_data", "ratings", "all_data"]
    assert listed[-1]["file"] == revised.all_data.name and len(listed[-1]["sha256"]) == 64
    unknown = CliRunner().invoke(app, ["diff", "ffffffff", "1", "--database", vintages_url])
    assert unknown.exit_code != 0 and "no imported release 'ffffffff'" in unknown.output


@pytest.fixture(scope="module")
def served(vintages_url: str) -> Iterator[httpx.Client]:
    with (
        ThreadServer(Settings(database_url=vintages_url)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


def test_the_explorer_shows_an_assessment_as_a_release_had_it(
    served: httpx.Client, vintages_url: str, workbooks: list[Path], revised: Revised
) -> None:
    ds = fiw.open(vintages_url)
    original = next(r for r in ds.releases() if r.name == workbooks[0].name)
    old, new = next((o, n) for c, _, f, o, n in revised.expected if c == "kazakhstan")

    def a1(body: dict[str, Any]) -> int:
        return next(
            i["score"] for c in body["categories"] for i in c["indicators"] if i["code"] == "A1"
        )

    current = served.get("/country/kazakhstan/2020.json").json()
    then = served.get(f"/country/kazakhstan/2020.json?release={original.short}").json()
    assert (a1(then), a1(current)) == (old, new)
    assert then["release"]["sha256"] == original.sha256
    assert then["release"]["file"] == original.name and current["release"] is None
    html = served.get(f"/country/kazakhstan/2020?release={original.short}").text
    assert original.name in html and original.sha256 in html
    assert 'href="/country/kazakhstan/2020"' in html
    api = served.get("/api/v1/assessments", params={"country": "kazakhstan", "edition": 2020,
                                                     "release": original.short})  # fmt: skip
    assert api.status_code == 200, api.text
    assert api.json()[0]["A1"] == old
    history = served.get("/api/v1/countries/kazakhstan/history",
                         params={"release": original.short})  # fmt: skip
    assert history.status_code == 200, history.text
    assert next(e["A1"] for e in history.json()["editions"] if e["edition"] == 2020) == old
    now = served.get("/api/v1/countries/kazakhstan/history").json()
    assert next(e["A1"] for e in now["editions"] if e["edition"] == 2020) == new
    for key in ("kazakhstan", "KAZ"):  # the latest edition, the release kept
        moved = served.get(f"/country/{key}", params={"release": original.short})
        assert moved.status_code == 308, moved.text
        assert moved.headers["location"] == f"/country/kazakhstan/2024?release={original.short}"
    picked = served.get("/country/KAZ", params={"edition": 2020, "release": original.short})
    assert picked.headers["location"] == f"/country/kazakhstan/2020?release={original.short}"
    assert served.get("/country/kazakhstan", params={"release": "abcdef0123"}).status_code == 404
    latest = served.get("/api/v1/countries/abkhazia", params={"release": original.short})
    assert latest.status_code == 200, latest.text
    missing = served.get("/api/v1/assessments", params={"release": "abcdef0123"})
    assert missing.status_code == 404
    odd = served.get("/api/v1/countries/kazakhstan/history", params={"release": "²"})
    assert odd.status_code == 404 and "expected a release id" in odd.json()["error"]["message"]

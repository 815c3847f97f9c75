"""A new release, as a user meets it: a 2025 scores workbook (made here from the shared 2013-2024
one) with a new consolidated territory, Crimea and Eastern Donbas gone, and no ratings workbook
for 2025 yet; later the ratings workbook that has 2025.

The story runs through the real CLI and a real `fiw serve`, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from fiw.cli import app
from fiw.methodology import AGGREGATES, INDICATORS, SUBCATEGORIES, Status, score
from fiw.settings import Settings
from fiw.sources.countries import lookup_name
from fiw.store.dataset import open_dataset
from tests.web_server import start_server, stop

runner = CliRunner()

NEW_NAME = "Russian-Occupied Territories of Ukraine"
NEW_ID = "russian-occupied-territories-of-ukraine"
GONE = ("Crimea", "Eastern Donbas")
CHANGED = "Kazakhstan"  # 2025: two more points in B2, so its PR rating moves 7 → 6
Rows = list[list[object]]


@dataclass(frozen=True)
class Release:
    scores: Path  # All_data with a 2025 edition
    ratings: Path  # the 2024 ratings workbook, as published
    later_ratings: Path  # the ratings workbook with a 2025 edition
    derived: dict[str, tuple[int, int, str]]  # id → PR rating, CL rating, status from All_data
    published: dict[str, tuple[int, int, str]]  # id → the later ratings workbook's 2025 values


def _sheets(path: Path) -> dict[str, Rows]:
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        for name in book.sheet_names
    }


def _write(path: Path, sheets: dict[str, Rows]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if c == "" else c for c in row])
    book.save(path)


def _rescored(header: list[str], row: list[object], edition: int) -> list[object]:
    """A copy of a 2024 row as the 2025 edition, every published figure recomputed."""
    col = {name: i for i, name in enumerate(header)}
    new = list(row)
    new[col["Edition"]] = edition
    result = score(
        edition, {**{c: int(row[col[c]]) for c in INDICATORS}, "Q": int(row[col["Add Q"]])}
    )  # type: ignore[call-overload]
    for code in SUBCATEGORIES:
        new[col[code]] = result.subtotals[code]
    for aggregate in AGGREGATES:
        new[col[aggregate]] = result.aggregates[aggregate]
        new[col[f"{aggregate} rating"]] = result.ratings[aggregate]
    new[col["Total"]] = result.total
    assert result.status is not None
    new[col["Status"]] = result.status.short
    return new


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    settings = Settings()
    folder = tmp_path_factory.mktemp("release-2025")
    scores = _sheets(settings.all_data_workbook())
    data_name = next(n for n, rows in scores.items() if len(rows) > 100)
    rows = scores[data_name]
    at = next(i for i, r in enumerate(rows) if "Country/Territory" in r)
    header = [str(c).strip() for c in rows[at]]
    col = {name: i for i, name in enumerate(header)}
    latest = [r for r in rows[at + 1 :] if r[col["Edition"]] == 2024.0]
    new_rows: Rows = []
    for row in latest:
        name = str(row[0])
        if name in GONE:
            continue
        if name == CHANGED:
            row = list(row)
            row[col["B2"]] = int(row[col["B2"]]) + 2
        new_rows.append(_rescored(header, row, 2025))
    crimea = next(r for r in latest if r[0] == "Crimea")
    new_rows.append(_rescored(header, [NEW_NAME, *crimea[1:]], 2025))
    scores_path = folder / "All_data_FIW_2013-2025.xlsx"
    _write(scores_path, {"FIW13-25": [*rows[: at + 1], *new_rows, *rows[at + 1 :]]})

    def values(row: list[object]) -> tuple[int, int, str]:
        status = Status.parse(str(row[col["Status"]])).value
        return int(row[col["PR rating"]]), int(row[col["CL rating"]]), status  # type: ignore[call-overload]

    def cid(name: str) -> str | None:
        found = lookup_name(name)
        return NEW_ID if name.strip() == NEW_NAME else (found.id if found else None)

    by_id = {cid(str(r[0])): r for r in new_rows}
    derived = {key: values(r) for key, r in by_id.items() if key is not None}
    # The ratings workbook that has 2025: Kazakhstan's PR rating as in 2024 (7), not the
    # scores workbook's 6; every other entry as the scores workbook gave it.
    ratings_path = settings.ratings_workbook()
    sheets = _sheets(ratings_path)
    published: dict[str, tuple[int, int, str]] = {}
    counts = dict.fromkeys(("F", "PF", "NF"), 0)
    for name, sheet in sheets.items():
        if not (sheet and sheet[0] and sheet[0][0] == "Survey Edition"):
            continue
        width = max(len(r) for r in sheet[:3])
        if name.startswith("Territor"):
            sheet.append([NEW_NAME, *["-"] * (width - 1)])
        for row in sheet:
            row.extend([""] * (width - len(row)))
        sheet[0] += [2025, "", ""]
        sheet[1] += [2024, "", ""]
        sheet[2] += ["PR", "CL", "Status"]
        for row in sheet[3:]:
            key = cid(str(row[0])) if str(row[0]).strip() else None
            kind = "c" if name.startswith("Countr") else "t"
            if key not in by_id or by_id[key][col["C/T"]] != kind:
                row += ["-", "-", "-"] if str(row[0]).strip() else ["", "", ""]
                continue
            pr, cl, status = derived[key]  # type: ignore[index]
            if key == "kazakhstan":
                pr = 7
            published[key] = (pr, cl, status)  # type: ignore[index]
            short = Status(status).short
            row += [pr, cl, short]
            if name.startswith("Countr"):
                counts[short] += 1
    distribution = next(s for s in sheets.values() if s and "Total Countries" in s[0])
    head = [str(c) for c in distribution[0]]
    newest = list(distribution[1])
    newest[0], newest[1] = 2025, 2024
    total = sum(counts.values())
    for short, label in (("F", "F"), ("PF", "PF"), ("NF", "NF")):
        newest[head.index(f"Number of {label} Countries")] = counts[short]
        newest[head.index(f"% of {label} Countries")] = counts[short] / total
    newest[head.index("Total Countries")] = total
    distribution.insert(1, newest)
    later = folder / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2025.xlsx"
    _write(later, sheets)
    return Release(scores_path, ratings_path, later, derived, published)


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_2025_release_with_a_new_territory_and_ratings_derived_until_published(
    release: Release, database_url: str, tmp_path: Path
) -> None:
    db = ("--database", database_url)
    # 1. The new territory is refused, naming the fix a pip-installed user can apply.
    code, output = cli("import", str(release.ratings), str(release.scores), *db)
    assert code == 2, output
    assert NEW_NAME in output and "fiw countries add" in output and "names.csv" not in output
    assert re.search(r"\(close: [^)]*\bukraine\b", output), output  # a close match named
    assert "Traceback" not in output
    # 2. After `fiw countries add`, the same import succeeds.
    code, output = cli(
        "countries", "add", "--id", NEW_ID, "--name", NEW_NAME, "--kind", "territory",
        "--region", "Eurasia", *db,
    )  # fmt: skip
    assert code == 0, output
    code, output = cli("import", str(release.ratings), str(release.scores), *db, "--json")
    assert code == 0, output
    files = json.loads(output)["files"]
    derived_counts = files[1]["counts"]["ratings (derived from All_data)"]
    assert derived_counts["added"] == len(release.derived)
    # 3. The 2025 ratings are derived from the scores workbook, and say so.
    ds = open_dataset(database_url)
    ratings = ds.ratings(edition=2025)
    got = {r.country_id: (r.pr_rating, r.cl_rating, r.status) for r in ratings.itertuples()}
    assert got == release.derived
    assert set(ratings["derived_from"]) == {"All_data"}
    assert {"crimea", "eastern-donbas"} & set(got) == set()
    history = ds.country("KAZ").history()
    assert history.iloc[-1]["year"] == 2025 and history.iloc[-1]["derived_from"] == "All_data"
    assert history.iloc[-2]["year"] == 2024 and history.iloc[-2]["derived_from"] != "All_data"
    assert ds.country(NEW_NAME).id == NEW_ID
    listed = json.loads(cli("countries", "--json", *db)[1])
    assert [c["id"] for c in listed["added_countries"]] == [NEW_ID]
    assert any(c["id"] == NEW_ID for c in listed["countries"])
    # 4. The analysis, the explorer and the API show 2025 with no code change.
    code, output = cli("changes", "--edition", "2025", "--json", *db)
    assert code == 0, output
    changes = json.loads(output)
    assert changes["edition"] == 2025
    assert "kazakhstan" in json.dumps(changes["improved"])
    # no report pages: the story is about the workbooks (and the start stays quick)
    no_pages = {"FIW_DATABASE_URL": database_url, "FIW_PAGES_DIR": str(tmp_path / "none")}
    process, url = start_server(no_pages)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            page = client.get("/country/kazakhstan/2025")
            assert page.status_code == 200 and "2025" in page.text
            home = client.get("/", params={"edition": 2025})
            assert home.status_code == 200 and NEW_NAME in home.text
            country = client.get("/api/v1/countries/kazakhstan").json()
            assert "2025" in json.dumps(country)
            entries = client.get("/api/v1/countries/kazakhstan/history").json()["ratings"]
            assert entries[-1]["year"] == 2025 and entries[-1]["derived_from"] == "All_data"
            assert entries[-2]["derived_from"] is None
            rows = client.get("/api/v1/assessments", params={"edition": 2025, "limit": 1000})
            assert rows.status_code == 200, rows.text
            assert len(rows.json()) == len(release.derived)
            assert {r["edition"] for r in rows.json()} == {2025}
    finally:
        stop(process)
    # 5. The ratings workbook that has 2025 replaces the derived values, listing each change.
    code, output = cli("import", str(release.later_ratings), *db)
    assert code == 0, output
    assert "kazakhstan 2025: PR rating 6 → 7" in output
    assert f"{len(release.derived) - 1} derived entries confirmed" in output
    after = ds.ratings(edition=2025)
    assert after["derived_from"].isna().all()
    assert {
        r.country_id: (r.pr_rating, r.cl_rating, r.status) for r in after.itertuples()
    } == release.published
    # 6. The added territory travels with an export into another database.
    exported = tmp_path / "scores-2025.csv"
    code, output = cli("export", "--edition", "2025", "-o", str(exported), *db)
    assert code == 0, output
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    code, output = cli("import", str(exported), "--database", other)
    assert code == 0, output
    again = json.loads(cli("countries", "--json", "--database", other)[1])
    assert [(c["id"], c["kind"]) for c in again["added_countries"]] == [(NEW_ID, "territory")]

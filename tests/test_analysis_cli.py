"""The analysis commands over a real store: fiw changes, trends, transitions, longrun, docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fiw.cli import app

runner = CliRunner()
DOC = Path(__file__).resolve().parent.parent / "docs" / "analysis.md"


def run_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_changes_json_has_the_documented_shape(imported_url: str) -> None:
    found = run_json("changes", "--edition", "2019", "--database", imported_url)
    assert list(found) == [
        "edition", "improved", "declined", "unchanged", "status_changes", "net_decline",
    ]  # fmt: skip
    assert found["edition"] == 2019
    # methodology.md section 5: 68 declined and 50 improved in the 2019 edition.
    assert (len(found["declined"]), len(found["improved"])) == (68, 50)
    assert found["net_decline"] == 18
    assert len(found["declined"]) + len(found["improved"]) + found["unchanged"] == 195
    first = found["improved"][0]
    assert list(first) == ["country", "id", "from", "to", "change"]
    assert first["change"] == first["to"] - first["from"] > 0
    assert {"country": "Hungary", "id": "hungary", "from": "Free", "to": "Partly Free"} in found[
        "status_changes"
    ]


def test_changes_with_territories_count_them_too(imported_url: str) -> None:
    countries = run_json("changes", "--edition", "2020", "--database", imported_url)
    everything = run_json(
        "changes", "--edition", "2020", "--territories", "--database", imported_url
    )
    total = sum(len(x[k]) for x in (countries,) for k in ("improved", "declined"))
    wide = sum(len(everything[k]) for k in ("improved", "declined"))
    assert wide + everything["unchanged"] > total + countries["unchanged"]
    assert "Indian Kashmir" in {c["country"] for c in everything["status_changes"]}
    assert "Indian Kashmir" not in {c["country"] for c in countries["status_changes"]}


def test_changes_prints_readable_tables(imported_url: str) -> None:
    result = runner.invoke(app, ["changes", "--edition", "2024", "--database", imported_url])
    assert result.exit_code == 0, result.output
    assert "Improved" in result.stdout and "Declined" in result.stdout
    assert "Status changes" in result.stdout and "net decline" in result.stdout


def test_changes_of_an_edition_without_scores_fails_cleanly(imported_url: str) -> None:
    result = runner.invoke(app, ["changes", "--edition", "1999", "--database", imported_url])
    assert result.exit_code == 2
    assert "1999" in result.stderr and "2013–2024" in result.stderr
    assert "Traceback" not in result.output


def test_trends_global_and_one_region(imported_url: str) -> None:
    found = run_json("trends", "--database", imported_url)
    points = {(p["region"], p["edition"]): p for p in found["points"]}
    assert points[("Global", 2024)]["entities"] == 195
    europe = run_json("trends", "--region", "europe", "--database", imported_url)
    assert {p["region"] for p in europe["points"]} == {"Europe"}
    then = run_json("trends", "--regions", "historical", "--database", imported_url)
    counts = {(p["region"], p["edition"]): p["entities"] for p in then["points"]}
    assert (counts[("Africa", 2021)], counts[("Middle East", 2021)]) == (49, 18)
    bad = runner.invoke(app, ["trends", "--region", "Atlantis", "--database", imported_url])
    assert bad.exit_code == 2 and "Atlantis" in bad.stderr


def test_transitions_by_label_and_by_order_agree(imported_url: str) -> None:
    by_label = run_json(
        "transitions", "--from", "Jan.-Feb. 1973", "--to", "2024", "--database", imported_url
    )
    by_order = run_json("transitions", "--from", "1", "--to", "51", "--database", imported_url)
    assert by_label == by_order
    assert (by_label["from"], by_label["to"]) == ("Jan.-Feb. 1973", "2024")
    assert set(by_label["matrix"]) == {"Free", "Partly Free", "Not Free"}
    table = runner.invoke(app, ["transitions", "--from", "1983-84", "--database", imported_url])
    assert table.exit_code == 0 and "1983-84" in table.stdout
    bad = runner.invoke(app, ["transitions", "--from", "1899", "--database", imported_url])
    assert bad.exit_code == 2 and "1899" in bad.stderr


def test_longrun_lists_the_largest_changes_and_runs(imported_url: str) -> None:
    found = run_json(
        "longrun", "--from", "2014", "--to", "2024", "--limit", "3", "--database", imported_url
    )
    assert (found["from"], found["to"]) == (2014, 2024)
    assert len(found["gains"]) == len(found["declines"]) == len(found["decline_runs"]) == 3
    assert all(g["change"] > 0 for g in found["gains"])
    sizes = [d["change"] for d in found["declines"]]
    assert sizes == sorted(sizes) and sizes[0] < 0
    runs = [r["editions"] for r in found["decline_runs"]]
    assert runs == sorted(runs, reverse=True)
    assert all(2015 <= r["first"] <= r["last"] <= 2024 for r in found["decline_runs"])


def test_docs_analysis_regenerates_and_checks(imported_url: str, tmp_path: Path) -> None:
    target = tmp_path / "analysis.md"
    stale = runner.invoke(app, ["docs", "analysis", "--check", "-o", str(target),
                                "--database", imported_url])  # fmt: skip
    assert stale.exit_code == 1 and "missing" in stale.stderr
    wrote = runner.invoke(app, ["docs", "analysis", "-o", str(target), "--database", imported_url])
    assert wrote.exit_code == 0, wrote.output
    assert target.read_text("utf-8") == DOC.read_text("utf-8"), (
        "docs/analysis.md is out of date: run `fiw docs analysis`"
    )
    target.write_text(target.read_text("utf-8").replace("2019", "2018"), "utf-8")
    changed = runner.invoke(app, ["docs", "analysis", "--check", "-o", str(target),
                                  "--database", imported_url])  # fmt: skip
    assert changed.exit_code == 1 and "out of date" in changed.stderr


def test_rating_changes_follow_the_ratings_workbook(imported_url: str, ratings_path: Path) -> None:
    from fiw.sources.ratings import read_ratings

    book = read_ratings(ratings_path)
    by_order: dict[int, dict[str, tuple[object, ...]]] = {}
    for r in book.records:
        if r.kind == "country":
            by_order.setdefault(r.edition.order, {})[r.name] = (r.pr_rating, r.cl_rating, r.status)
    before, after = by_order[10], by_order[11]  # "1982" → "1983-84"
    moved = {n for n in before.keys() & after.keys() if before[n] != after[n]}
    found = run_json("rating-changes", "--edition", "1983-84", "--database", imported_url)
    assert (found["edition"], found["previous"]) == ("1983-84", "1982")
    assert found["compared"] == len(before.keys() & after.keys())
    assert {c["country"] for c in found["changes"]} == moved
    assert found["improved"] + found["declined"] <= len(moved)
    by_label = run_json("rating-changes", "--edition", "11", "--database", imported_url)
    assert by_label == found


def test_rating_changes_name_an_unknown_edition(imported_url: str) -> None:
    result = runner.invoke(app, ["rating-changes", "--edition", "1899", "--database", imported_url])
    assert result.exit_code == 2
    assert "1899" in result.stderr and "Jan.-Feb. 1973" in result.stderr

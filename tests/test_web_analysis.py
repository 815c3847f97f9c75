"""The analysis endpoints and pages against a real `fiw serve`: /api/v1/changes, trends,
transitions, longrun (JSON and CSV), the /changes and /trends twins, and their errors."""

from __future__ import annotations

import csv
import io
from collections import Counter

import httpx

from tests.reports_data import reports_url
from tests.test_web import error_of, workbook_rows
from tests.web_server import client, server

__all__ = ["client", "reports_url", "server"]  # fixtures


def published_totals(edition: int) -> dict[str, int]:
    return {
        name: int(str(r.published["Total"]))
        for name, r in workbook_rows(edition).items()
        if r.kind == "country"
    }


def test_changes_api_counts_against_the_workbook(client: httpx.Client) -> None:
    found = client.get("/api/v1/changes/2019").json()
    assert list(found) == [
        "edition", "improved", "declined", "unchanged", "status_changes", "net_decline",
    ]  # fmt: skip
    before, after = published_totals(2018), published_totals(2019)
    signs = Counter(
        (after[n] > before[n]) - (after[n] < before[n]) for n in after.keys() & before.keys()
    )
    assert (len(found["improved"]), len(found["declined"]), found["unchanged"]) == (
        signs[1], signs[-1], signs[0],
    )  # fmt: skip
    assert (len(found["declined"]), len(found["improved"])) == (68, 50)  # methodology.md, sec. 5
    wide = client.get("/api/v1/changes/2019", params={"territories": "true"}).json()
    assert len(wide["improved"]) + len(wide["declined"]) + wide["unchanged"] > 195


def test_changes_api_csv_lists_improved_and_declined(client: httpx.Client) -> None:
    r = client.get("/api/v1/changes/2024", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    found = client.get("/api/v1/changes/2024").json()
    assert len(rows) == len(found["improved"]) + len(found["declined"])
    assert {row["list"] for row in rows} == {"improved", "declined"}
    assert all(int(row["change"]) == int(row["to"]) - int(row["from"]) for row in rows)


def test_changes_errors(client: httpx.Client) -> None:
    assert "1999" in error_of(client.get("/api/v1/changes/1999"), 404)
    assert "2013" in error_of(client.get("/api/v1/changes/2013"), 404)
    error_of(client.get("/api/v1/changes/2024", params={"territories": "maybe"}), 422)
    error_of(client.get("/api/v1/changes/2024", params={"format": "xml"}), 422)
    assert "1999" in error_of(client.get("/changes/1999.json"), 404)


def test_trends_api_and_csv(client: httpx.Client) -> None:
    found = client.get("/api/v1/trends").json()
    glob = {p["edition"]: p for p in found["points"] if p["region"] == "Global"}
    totals = published_totals(2024)
    assert glob[2024]["entities"] == len(totals) == 195
    assert glob[2024]["total"] == round(sum(totals.values()) / len(totals), 2)
    europe = client.get("/api/v1/trends", params={"region": "europe"}).json()
    assert {p["region"] for p in europe["points"]} == {"Europe"}
    then = client.get("/api/v1/trends", params={"regions": "historical"}).json()
    counts = {(p["region"], p["edition"]): p["entities"] for p in then["points"]}
    assert (counts[("Africa", 2021)], counts[("Middle East", 2021)]) == (49, 18)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/trends?format=csv").text)))
    assert len(rows) == len(found["points"]) and "total" in rows[0]
    assert "Atlantis" in error_of(client.get("/api/v1/trends", params={"region": "Atlantis"}), 422)
    error_of(client.get("/api/v1/trends", params={"regions": "ancient"}), 422)


def test_transitions_api(client: httpx.Client) -> None:
    found = client.get("/api/v1/transitions", params={"from": "2014", "to": "2024"}).json()
    before = {
        n: str(r.published["Status"]) for n, r in workbook_rows(2014).items() if r.kind == "country"
    }
    after = {
        n: str(r.published["Status"]) for n, r in workbook_rows(2024).items() if r.kind == "country"
    }
    expected = Counter((before[n], after[n]) for n in before.keys() & after.keys())
    matrix = {(a, b): n for a, row in found["matrix"].items() for b, n in row.items() if n}
    assert matrix == dict(expected)
    params = {"from": "2014", "to": "2024", "format": "csv"}
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/transitions", params=params).text)))
    assert len(rows) == 9 and sum(int(r["count"]) for r in rows) == sum(expected.values())
    assert "1899" in error_of(
        client.get("/api/v1/transitions", params={"from": "1899", "to": "2024"}), 404
    )
    error_of(client.get("/api/v1/transitions", params={"to": "2024"}), 422)


def test_longrun_api(client: httpx.Client) -> None:
    found = client.get("/api/v1/longrun", params={"from": 2014, "to": 2024, "limit": 5}).json()
    start, end = published_totals(2014), published_totals(2024)
    change = {n: end[n] - start[n] for n in start.keys() & end.keys()}
    assert [d["change"] for d in found["declines"]] == sorted(change.values())[:5]
    assert [g["change"] for g in found["gains"]] == sorted(change.values(), reverse=True)[:5]
    assert len(found["decline_runs"]) == 5
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/longrun?format=csv&limit=2").text)))
    assert [r["list"] for r in rows] == ["gain", "gain", "decline", "decline"]
    assert "before" in error_of(
        client.get("/api/v1/longrun", params={"from": 2024, "to": 2014}), 422
    )
    assert "1990" in error_of(client.get("/api/v1/longrun", params={"from": 1990}), 404)
    error_of(client.get("/api/v1/longrun", params={"limit": 0}), 422)


def test_changes_and_trends_pages_and_twins(client: httpx.Client) -> None:
    page = client.get("/changes/2024.json").json()
    api = client.get("/api/v1/changes/2024").json()
    assert [c["id"] for c in page["improved"]] == [c["id"] for c in api["improved"]]
    assert len(page["indicator_tally"]) == 25
    assert sum(t["up"] + t["down"] for t in page["indicator_tally"]) == len(page["indicator_moves"])
    html = client.get("/changes/2024")
    assert html.status_code == 200 and "<h1>What changed in Freedom in the World 2024" in html.text
    latest = client.get("/changes", follow_redirects=False)
    assert latest.status_code == 307 and latest.headers["location"] == "/changes/2024"
    trends = client.get("/trends.json").json()
    assert trends["region_names"][0] == "Global"
    assert [n["edition"] for n in trends["net_decline"]] == list(range(2014, 2025))
    assert all(round(sum(s["shares"].values())) == 100 for s in trends["status_shares"])
    assert all(sum(s["counts"].values()) == s["rated"] for s in trends["status_shares"])
    assert client.get("/trends").status_code == 200


def test_country_page_shows_its_own_largest_changes(client: httpx.Client) -> None:
    html = client.get("/country/nicaragua/2024").text
    assert 'id="own-changes-h"' in html and "Largest declines" in html

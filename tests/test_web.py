"""The JSON API, the pages' JSON twins, errors and HTTP caching, against a real `fiw serve`."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from functools import cache
from typing import Any

import httpx
import pytest

from fiw.pages import parse_file
from fiw.sources.all_data import read_all_data
from fiw.sources.ratings import read_ratings
from tests.reports_data import pages_dir, reports_url
from tests.web_server import client, first_start, server, shared_dir, sqlite_client

__all__ = ["client", "first_start", "reports_url", "server", "sqlite_client"]  # fixtures

INDICATORS = [f"{c}{n}" for c, k in zip("ABCDEFG", (3, 4, 3, 4, 3, 4, 4), strict=True)
              for n in range(1, k + 1)]  # fmt: skip


@cache
def workbook_rows(edition: int) -> dict[str, Any]:
    """The official workbook's rows of `edition` by name: the independent reference."""
    book = read_all_data(shared_dir() / "data" / "fiw" / "All_data_FIW_2013-2024.xlsx")
    return {r.name: r for r in book.records if r.edition == edition}


@cache
def ratings_of(name: str) -> list[Any]:
    """The ratings workbook's entries of `name`, oldest first: the independent reference."""
    book = read_ratings(
        shared_dir()
        / "data"
        / "fiw"
        / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"
    )
    return sorted((r for r in book.records if r.name == name), key=lambda r: r.edition.order)


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == status
    message: str = body["error"]["message"]
    assert message
    return message


# --- pages' JSON twins ---------------------------------------------------------------------


def test_kazakhstan_2023_matches_the_published_page(client: httpx.Client) -> None:
    page = client.get("/country/kazakhstan/2023.json").json()
    assert (page["pr"], page["cl"], page["total"], page["status"]) == (5, 18, 23, "Not Free")
    official = workbook_rows(2023)["Kazakhstan"]
    scores = {i["code"]: i["score"] for cat in page["categories"] for i in cat["indicators"]}
    assert list(scores) == INDICATORS
    assert scores == dict(official.scores)
    assert page["last_year"]["edition"] == 2022
    assert page["last_year"]["total"] == workbook_rows(2022)["Kazakhstan"].published["Total"]


def test_kazakhstan_2023_carries_the_narratives_of_its_report(client: httpx.Client) -> None:
    page = client.get("/country/kazakhstan/2023.json").json()
    report = parse_file(pages_dir() / "2023" / "kazakhstan.txt")
    assert page["report_imported"] is True
    assert page["report"]["overview"] == report.overview
    assert page["report"]["key_developments"] == list(report.key_developments)
    assert [(n["label"], n["text"]) for n in page["report"]["notes"]] == [
        (n.label, n.text) for n in report.notes
    ]
    indicators = {i["code"]: i for cat in page["categories"] for i in cat["indicators"]}
    for told in report.indicators:
        assert indicators[told.code]["paragraphs"] == list(told.paragraphs), told.code
        got, expected = indicators[told.code]["score_change"], told.score_change
        if expected is None:
            assert got is None, told.code
        else:
            assert (got["from_score"], got["to_score"], got["reason"]) == (
                expected.from_score, expected.to_score, expected.reason)  # fmt: skip


def test_an_edition_without_a_report_says_so(client: httpx.Client) -> None:
    page = client.get("/country/kazakhstan/2013.json").json()
    assert page["report_imported"] is False and page["report"] is None
    assert all(not i["paragraphs"] for cat in page["categories"] for i in cat["indicators"])
    html = client.get("/country/kazakhstan/2013").text
    assert "no report text from Freedom House for Kazakhstan in the 2013 edition" in html
    assert "fiw import" not in html  # readers get no operator instructions


def test_country_page_has_an_anchor_for_every_indicator_and_section(client: httpx.Client) -> None:
    html = client.get("/country/kazakhstan/2023").text
    for anchor in [*INDICATORS, "overview", "key-developments"]:
        assert f'id="{anchor}"' in html, anchor


def test_iso3_redirects_to_the_slug_keeping_the_twin(client: httpx.Client) -> None:
    r = client.get("/country/KAZ/2023.json")
    assert r.status_code == 308
    assert r.headers["location"] == "/country/kazakhstan/2023.json"
    assert client.get("/country/kaz").headers["location"] == "/country/kazakhstan/2024"


def test_home_twin_counts_statuses_of_the_edition(client: httpx.Client) -> None:
    page = client.get("/index.json", params={"edition": 2023}).json()
    published = Counter(str(r.published["Status"]) for r in workbook_rows(2023).values())
    assert page["counts"] == {s: published[s] for s in ("Free", "Partly Free", "Not Free")}
    assert len(page["entries"]) == len(workbook_rows(2023))
    assert all(c["change"] > 0 for c in page["gains"])
    assert all(c["change"] < 0 for c in page["declines"])


def test_countries_twin_filters_and_sorts(client: httpx.Client) -> None:
    page = client.get(
        "/countries.json",
        params={"edition": 2024, "status": "nf", "sort": "total", "order": "desc"},
    ).json()
    rows = page["rows"]
    assert rows and all(r["status"] == "Not Free" for r in rows)
    totals = [r["total"] for r in rows]
    assert totals == sorted(totals, reverse=True)
    eurasia = client.get("/countries.json", params={"region": "eurasia", "kind": "territory"})
    names = {r["name"] for r in eurasia.json()["rows"]}
    expected = {n for n, r in workbook_rows(2024).items()
                if r.region == "Eurasia" and r.kind == "territory"}  # fmt: skip
    assert names == expected


def test_countries_csv_download_has_every_row(client: httpx.Client) -> None:
    r = client.get("/countries.csv", params={"edition": 2024})
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(workbook_rows(2024))
    assert {"name", "total", "status", "change"} <= set(rows[0])


def test_methodology_twin_labels_confidence_and_paraphrase(client: httpx.Client) -> None:
    page = client.get("/api/v1/methodology/2024").json()
    questions = [q for cat in page["categories"] for q in cat["questions"]]
    assert [q["code"] for q in questions] == INDICATORS
    assert all(q["text"] and q["confidence"] for q in questions)
    assert "paraphrase" in page["guidance_note"]
    assert [b["value"] for b in page["status_rule"]["bands"]] == ["Free", "Partly Free",
                                                                  "Not Free"]  # fmt: skip
    old = client.get("/methodology.json", params={"edition": 1990}).json()
    assert old["scored"] is False and old["status_rule"] is not None


# --- API -----------------------------------------------------------------------------------


def test_assessments_of_2024_match_the_workbook(client: httpx.Client) -> None:
    rows = client.get("/api/v1/assessments", params={"edition": 2024}).json()
    official = workbook_rows(2024)
    assert len(rows) == len(official)
    for row in rows:
        rec = official[row["name"]]
        assert [row[c] for c in INDICATORS] == [rec.scores[c] for c in INDICATORS]
        got = (row["pr"], row["cl"], row["total"], row["pr_rating"], row["cl_rating"])
        pub = rec.published
        assert got == (pub["PR"], pub["CL"], pub["Total"], pub["PR rating"], pub["CL rating"]), row[
            "name"
        ]
        assert row["status"] == str(pub["Status"]), row["name"]


def test_assessments_filter_by_country_and_as_csv(client: httpx.Client) -> None:
    rows = client.get("/api/v1/assessments", params={"country": "KAZ"}).json()
    assert {r["country_id"] for r in rows} == {"kazakhstan"}
    assert sorted(r["edition"] for r in rows) == list(range(2013, 2025))
    text = client.get("/api/v1/assessments", params={"edition": 2024, "format": "csv"}).text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(workbook_rows(2024))
    assert set(INDICATORS) <= set(table[0])


def test_countries_list_and_one_country(client: httpx.Client) -> None:
    countries = client.get("/api/v1/countries").json()
    assert {"id", "iso3", "name", "region"} <= set(countries[0])
    assert any(c["id"] == "kazakhstan" and c["iso3"] == "KAZ" for c in countries)
    one = client.get("/api/v1/countries/KAZ").json()
    assert one["id"] == "kazakhstan" and one["latest"]["edition"] == 2024
    assert one["latest"]["total"] == workbook_rows(2024)["Kazakhstan"].published["Total"]
    assert one["latest_rating"]["year"] == 2024
    csv_rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/countries", params={"format": "csv"}).text)))  # fmt: skip
    assert [r["id"] for r in csv_rows] == [c["id"] for c in countries]


def test_history_has_every_edition_with_scores_and_every_rating_since_1973(
    client: httpx.Client,
) -> None:
    history = client.get("/api/v1/countries/kazakhstan/history").json()
    assert [e["edition"] for e in history["editions"]] == list(range(2013, 2025))
    official = ratings_of("Kazakhstan")
    got = [(r["order"], r["pr_rating"], r["cl_rating"], r["status"]) for r in history["ratings"]]
    assert got == [
        (r.edition.order, r.pr_rating, r.cl_rating, str(r.status)) for r in official
    ]  # fmt: skip
    us = client.get("/api/v1/countries/USA/history").json()["ratings"]
    assert us[0]["year"] == 1973 and us[-1]["year"] == 2024
    assert len(us) == len(ratings_of("United States"))


def test_a_former_state_has_ratings_but_no_assessment(client: httpx.Client) -> None:
    countries = client.get("/api/v1/countries").json()
    former = [c for c in countries if c["region"] is None]
    assert former, "the ratings workbook holds states that no longer exist"
    one = client.get(f"/api/v1/countries/{former[0]['id']}").json()
    assert one["latest"] is None and one["latest_rating"]["status"]


def test_edition_summary_counts_countries_and_territories(client: httpx.Client) -> None:
    body = client.get("/api/v1/editions/2024").json()
    kinds = Counter(r.kind for r in workbook_rows(2024).values())
    assert (body["countries"], body["territories"]) == (kinds["country"], kinds["territory"])
    assert sum(body["counts"].values()) == len(workbook_rows(2024))
    totals = [r.published["Total"] for r in workbook_rows(2024).values()]
    assert body["average_total"] == round(sum(totals) / len(totals), 2)


def test_edition_before_2013_counts_ratings_without_averages(client: httpx.Client) -> None:
    body = client.get("/api/v1/editions/1990").json()
    assert body["scored"] is False and body["average_total"] is None
    editions = client.get("/api/v1/editions").json()
    assert editions[0]["edition"] == 1973 and editions[-1]["edition"] == 2024
    assert [e["edition"] for e in editions if e["scored"]] == list(range(2013, 2025))
    csv_rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/editions", params={"format": "csv"}).text)))  # fmt: skip
    assert len(csv_rows) == len(editions)


# --- compare ---------------------------------------------------------------------------------


def test_compare_puts_countries_side_by_side(client: httpx.Client) -> None:
    page = client.get("/compare.json", params=[("c", "kazakhstan"), ("c", "kyrgyzstan"),
                                               ("edition", "2023")]).json()  # fmt: skip
    names = [c["country"]["name"] for c in page["countries"]]
    assert names == ["Kazakhstan", "Kyrgyzstan"]
    rows = {r["code"]: r["values"] for r in page["subcategories"]}
    official = workbook_rows(2023)
    assert rows["PR"] == [official[n].published["PR"] for n in names]
    assert rows["Total"] == [official[n].published["Total"] for n in names]
    indicators = {r["code"]: r["values"] for r in page["indicators"]}
    assert list(indicators) == INDICATORS
    assert indicators["B1"] == [official[n].scores["B1"] for n in names]
    assert page["editions_over_time"] == list(range(2013, 2025))


def test_compare_sends_iso3_codes_to_the_canonical_address(client: httpx.Client) -> None:
    r = client.get("/compare.json", params=[("c", "KAZ"), ("c", "kgz")])
    assert r.status_code == 308
    assert r.headers["location"] == "/compare.json?c=kazakhstan&c=kyrgyzstan"
    assert client.get("/compare").status_code == 200  # the form alone


def test_openapi_documents_every_api_route(client: httpx.Client) -> None:
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert paths == {
        "/api/v1/assessments", "/api/v1/countries", "/api/v1/countries/{key}",
        "/api/v1/countries/{key}/history", "/api/v1/editions", "/api/v1/editions/{edition}",
        "/api/v1/methodology/{edition}", "/api/v1/rules/{index}", "/api/v1/search",
        "/api/v1/changes/{edition}", "/api/v1/trends", "/api/v1/transitions", "/api/v1/longrun",
        "/api/v1/rating-changes/{edition}", "/api/v1/assist/suggest", "/api/v1/assist/check",
    }  # fmt: skip
    assert client.get("/api/docs").status_code == 200


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/api/v1/countries/atlantis", "atlantis"),
        ("/api/v1/countries/atlantis/history", "atlantis"),
        ("/api/v1/editions/1899", "1899"),
        ("/api/v1/methodology/1900", "1900"),
        ("/api/v1/assessments?edition=2031", "2031"),
        ("/api/v1/assessments?country=atlantis", "atlantis"),
        ("/country/kazakhstan/1985.json", "1985"),  # rated from the 1991-92 edition on
        ("/country/atlantis/2023.json", "atlantis"),
        ("/countries.json?edition=1850", "1850"),
        ("/no/such/page.json", "/no/such/page.json"),
        ("/compare.json?c=kazakhstan&c=atlantis", "atlantis"),
    ],
)
def test_unknown_things_are_404_in_one_shape(client: httpx.Client, path: str, needle: str) -> None:
    assert needle in error_of(client.get(path), 404)


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/api/v1/assessments?edition=twenty", "edition"),
        ("/api/v1/assessments?status=free-ish", "status"),
        ("/api/v1/assessments?kind=planet", "kind"),
        ("/api/v1/assessments?region=Atlantis", "region"),
        ("/api/v1/assessments?format=xml", "format"),
        ("/api/v1/editions/latest", "edition"),
        ("/countries.json?sort=colour", "sort"),
        ("/countries.json?order=up", "order"),
        ("/index.json?edition=x", "edition"),
        ("/api/v1/countries?format=xml", "format"),
        ("/api/v1/editions?format=xml", "format"),
        ("/compare.json?c=kazakhstan", "c"),
        ("/api/v1/search?q=election&offset=99999999999999999999999", "offset"),
        ("/compare.json?c=kazakhstan&c=kyrgyzstan&c=russia&c=china&c=india&c=chile&c=peru", "c"),
    ],
)
def test_bad_parameters_are_422_in_one_shape(client: httpx.Client, path: str, needle: str) -> None:
    assert needle in error_of(client.get(path), 422)


def test_html_pages_answer_errors_in_html(client: httpx.Client) -> None:
    r = client.get("/country/atlantis/2023")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "atlantis" in r.text


# --- HTTP caching and compression ------------------------------------------------------------


def test_etag_answers_304_when_unchanged(client: httpx.Client) -> None:
    first = client.get("/api/v1/assessments", params={"edition": 2024})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = client.get(
        "/api/v1/assessments", params={"edition": 2024}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/assessments", params={"edition": 2023},
                       headers={"If-None-Match": etag})  # fmt: skip
    assert other.status_code == 200


def test_responses_are_gzipped_when_asked(client: httpx.Client) -> None:
    r = client.get("/countries", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    raw = client.get("/countries", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert r.text == raw.text
    assert len(gzip.compress(raw.content)) < len(raw.content) / 3


def test_vendored_assets_are_served_with_long_cache(client: httpx.Client) -> None:
    r = client.get("/static/vendor/world-atlas/countries-110m.json")
    assert r.status_code == 200, "run `make assets` to install the npm packages"
    assert r.json()["type"] == "Topology"
    assert "max-age=86400" in r.headers["cache-control"]


# --- first start -----------------------------------------------------------------------------


def test_first_start_migrates_and_imports_the_workbooks(
    first_start: tuple[str, Any], sqlite_client: httpx.Client
) -> None:
    log = first_start[1].read_text()
    assert "migrated (empty)" in log, log
    assert "imported All_data_FIW_2013-2024.xlsx" in log, log
    assert "imported Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx" in log, log
    rows = sqlite_client.get("/api/v1/assessments", params={"edition": 2024}).json()
    assert len(rows) == len(workbook_rows(2024))

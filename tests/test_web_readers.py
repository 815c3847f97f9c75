"""What readers rely on (issue 12): every edition since 1973, CSV twins, API paging,
alternative names, citations, highlighted search words; against a real `fiw serve`."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import httpx
import pytest

from tests.reports_data import reports_url
from tests.test_web import INDICATORS, ratings_of, workbook_rows
from tests.web_server import client, server

__all__ = ["client", "reports_url", "server"]  # fixtures


def csv_of(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def official_1999(name: str) -> tuple[int | None, int | None, str]:
    """The ratings workbook's entry of `name` in the 1998-99 edition (published 1999)."""
    entry = next(r for r in ratings_of(name) if r.edition.label == "1998-99")
    return entry.pr_rating, entry.cl_rating, str(entry.status)


# --- every edition since 1973 ----------------------------------------------------------------


def test_map_of_1990_has_that_editions_statuses(client: httpx.Client) -> None:
    page = client.get("/index.json", params={"edition": 1990}).json()
    assert page["label"] == "1989-90" and page["scored"] is False
    assert page["period"] == "Nov.1988-Dec.1989"
    assert page["editions"][0] == 1973 and page["editions"][-1] == 2024
    assert page["gains"] == [] and page["declines"] == []
    ussr = next(e for e in page["entries"] if e["name"].startswith("USSR"))
    assert ussr["total"] is None and ussr["status"] == "Not Free"
    kazakhstan = client.get("/country/kazakhstan/1999.json").json()
    assert kazakhstan["editions"][0] == 1992  # rated from the 1991-92 edition on
    html = client.get("/", params={"edition": 1990})
    assert html.status_code == 200 and "covers Nov.1988-Dec.1989" in html.text
    assert 'data-slider="edition"' in html.text and '<option value="1973"' in html.text


def test_countries_table_of_1999_has_ratings_and_statuses(client: httpx.Client) -> None:
    page = client.get("/countries.json", params={"edition": 1999}).json()
    rows = {r["name"]: r for r in page["rows"]}
    for name in ("Kazakhstan", "Kenya", "United States"):
        r = rows[name]
        assert (r["pr_rating"], r["cl_rating"], r["status"]) == official_1999(name)
        assert r["total"] is None
    assert client.get("/countries", params={"edition": 1999}).status_code == 200
    table = csv_of(client.get("/countries.csv", params={"edition": 1999}))
    assert len(table) == len(rows)


def test_country_page_of_1999_has_ratings_status_and_period(client: httpx.Client) -> None:
    page = client.get("/country/kazakhstan/1999.json").json()
    assert (page["pr_rating"], page["cl_rating"], page["status"]) == official_1999("Kazakhstan")
    assert page["scored"] is False and page["categories"] == []
    assert page["source"]["covers"] == "1998"
    html = client.get("/country/kazakhstan/1999")
    assert html.status_code == 200 and "covers 1998" in html.text
    rows = csv_of(client.get("/country/kazakhstan/1999.csv"))
    got = {r["code"]: r["score"] for r in rows}
    pr, cl, status = official_1999("Kazakhstan")
    assert got == {"PR rating": str(pr), "CL rating": str(cl), "Status": status}
    assert client.get("/country/kazakhstan/1983").status_code == 404  # no 1983 edition


def _links_and_ids(html: str) -> tuple[list[str], set[str]]:
    return re.findall(r'href="([^"]*)"', html), set(re.findall(r'\sid="([^"]+)"', html))


@pytest.mark.parametrize("path", ["/country/kazakhstan/1999", "/country/kazakhstan/2023"])
def test_every_edition_the_country_was_rated_links_to_its_page(
    client: httpx.Client, path: str
) -> None:
    """Issue 12: the ratings table and the heat map link each edition's page (the one shown
    marked as current); no anchor points at a section the page does not have, as the heat
    map's indicators did on pages of editions without scores."""
    page = client.get(path + ".json").json()
    html = client.get(path).text
    links, ids = _links_and_ids(html)
    rated = page["editions"]
    assert rated[0] == 1992 and rated[-1] == 2024
    for year in rated:
        assert f"/country/kazakhstan/{year}" in links, year
    assert f'<a href="{path}" aria-current="page">' in html
    broken = [link for link in links if link.startswith("#") and link[1:] not in ids]
    assert broken == []
    for link in {link for link in links if link.startswith("/country/kazakhstan/")}:
        target, _, fragment = link.partition("#")
        response = client.get(target)
        assert response.status_code == 200, link
        if fragment:
            assert f'id="{fragment}"' in response.text, link


def test_a_ratings_only_page_shows_the_edition_before(client: httpx.Client) -> None:
    html = client.get("/country/kazakhstan/1999").text
    before = next(r for r in ratings_of("Kazakhstan") if r.edition.label == "1997-98")
    label = r'Edition before \(<a href="/country/kazakhstan/1998">1997-98</a>\)</dt>'
    shown = re.search(label + r"<dd>PR <strong>(\d)</strong>, CL <strong>(\d)</strong>", html)
    assert shown is not None
    assert (int(shown[1]), int(shown[2])) == (before.pr_rating, before.cl_rating)
    assert "Indicator scores start with the 2013 edition" in html


def test_country_page_says_what_the_edition_covers_and_cites_it(client: httpx.Client) -> None:
    page = client.get("/country/kazakhstan/2024.json").json()
    source = page["source"]
    assert source["covers"] == "2023"
    url = "https://freedomhouse.org/country/kazakhstan/freedom-world/2024"
    assert source["report_url"] == url
    for citation in (source["apa"], source["bibtex"]):
        assert "Freedom in the World 2024" in citation and url in citation
        assert f"fiw {source['fiw_version']}" in citation and "1973-2024" in citation
    assert source["bibtex"].startswith("@misc{")
    html = client.get("/country/kazakhstan/2024").text
    assert f'href="{url}"' in html and "Cite this" in html and "covers 2023" in html


# --- CSV twins and API paging ------------------------------------------------------------------


def test_country_csv_has_one_row_per_indicator(client: httpx.Client) -> None:
    rows = csv_of(client.get("/country/kazakhstan/2023.csv"))
    official = workbook_rows(2023)["Kazakhstan"]
    indicators = [r for r in rows if r["code"] in INDICATORS]
    assert [r["code"] for r in indicators] == INDICATORS
    assert {r["code"]: int(r["score"]) for r in indicators} == dict(official.scores)
    total = next(r for r in rows if r["code"] == "Total")
    assert int(total["score"]) == official.published["Total"]


def test_compare_csv_has_a_column_per_country(client: httpx.Client) -> None:
    params = [("c", "kazakhstan"), ("c", "kyrgyzstan"), ("edition", "2023")]
    rows = csv_of(client.get("/compare.csv", params=params))
    by_code = {r["code"]: r for r in rows}
    for name, cid in (("Kazakhstan", "kazakhstan"), ("Kyrgyzstan", "kyrgyzstan")):
        official = workbook_rows(2023)[name]
        assert {c: int(by_code[c][cid]) for c in INDICATORS} == dict(official.scores)
    iso = client.get("/compare.csv", params=[("c", "KAZ"), ("c", "KGZ")])
    assert iso.status_code == 308 and iso.headers["location"].startswith("/compare.csv?")


def test_countries_csv_has_indicators_on_request(client: httpx.Client) -> None:
    rows = csv_of(client.get("/countries.csv", params={"edition": 2024, "indicators": "true"}))
    official = workbook_rows(2024)
    assert len(rows) == len(official)
    kenya = next(r for r in rows if r["name"] == "Kenya")
    assert {c: int(kenya[c]) for c in INDICATORS} == dict(official["Kenya"].scores)
    assert {"A", "B", "C", "D", "E", "F", "G"} <= set(kenya)


def test_assessments_are_paged_with_links_and_total(client: httpx.Client) -> None:
    first = client.get("/api/v1/assessments", params={"limit": 2})
    rows = first.json()
    assert len(rows) == 2
    total = int(first.headers["x-total-count"])
    assert total == sum(len(workbook_rows(e)) for e in range(2013, 2025))
    links = dict(
        (rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["link"])
    )
    assert set(links) == {"first", "next", "last"}
    following = client.get(links["next"]).json()
    assert len(following) == 2 and following[0] != rows[0]
    everything = client.get("/api/v1/assessments", params={"limit": 5000}).json()
    assert everything[2:4] == following
    last = client.get(links["last"]).json()
    assert last and last[-1] == everything[-1]
    assert client.get("/api/v1/assessments", params={"limit": 5001}).status_code == 422
    assert client.get("/api/v1/assessments", params={"limit": 0}).status_code == 422
    countries = client.get("/api/v1/countries", params={"limit": 3})
    assert len(countries.json()) == 3 and int(countries.headers["x-total-count"]) > 200


# --- names ---------------------------------------------------------------------------------


def test_alternative_names_reach_their_countries(client: httpx.Client) -> None:
    for key, cid in (("ivory-coast", "cote-divoire"), ("turkiye", "turkey"),
                     ("czechia", "czech-republic"), ("burma", "myanmar"),
                     ("swaziland", "eswatini")):  # fmt: skip
        r = client.get(f"/country/{key}")
        assert r.status_code == 308, key
        assert r.headers["location"] == f"/country/{cid}/2024", key
    kept = client.get("/country/Turkiye/2023.json")
    assert kept.headers["location"] == "/country/turkey/2023.json"


def test_unknown_country_suggests_the_close_ones(client: httpx.Client) -> None:
    r = client.get("/country/kazakstan")
    assert r.status_code == 404
    assert '<a href="/country/kazakhstan">Kazakhstan</a>' in r.text
    body = client.get("/country/kazakstan/2023.json")
    assert body.status_code == 404 and "did you mean Kazakhstan" in body.json()["error"]["message"]


def test_table_filter_accepts_other_names_and_spellings(client: httpx.Client) -> None:
    def ids(q: str) -> set[str]:
        page = client.get("/countries.json", params={"edition": 2024, "q": q}).json()
        return {r["country_id"] for r in page["rows"]}

    for q in ("Ivory Coast", "Côte", "cote d'ivoire", "CIV", "Côte d’Ivoire"):
        assert ids(q) == {"cote-divoire"}, q
    for q, cid in (("Turkiye", "turkey"), ("Türkiye", "turkey"), ("Czechia", "czech-republic"),
                   ("Burma", "myanmar"), ("Swaziland", "eswatini"), ("Eswatini", "eswatini"),
                   ("South Korea", "south-korea")):  # fmt: skip
        assert ids(q) == {cid}, q
    assert ids("Kenya") == {"kenya"} and ids("Atlantis") == set()


# --- home and /changes rank the same --------------------------------------------------------


def test_home_ranks_countries_as_changes_does(client: httpx.Client) -> None:
    home = client.get("/index.json", params={"edition": 2024}).json()
    changes = client.get("/changes/2024.json").json()
    assert home["declines"] == changes["declined"][: len(home["declines"])]
    assert home["gains"] == changes["improved"][: len(home["gains"])]
    kinds = Counter(r.kind for r in workbook_rows(2024).values())
    assert kinds["territory"] > 0
    with_territories = client.get("/index.json", params={"edition": 2024, "territories": True})
    assert with_territories.json()["territories"] is True


# --- highlighted words ----------------------------------------------------------------------


def test_searched_words_are_marked_and_escaped(client: httpx.Client) -> None:
    html = client.get("/country/kazakhstan/2023", params={"hl": "protests <b>"}).text
    assert re.search(r"<mark>protest\w*</mark>", html, re.IGNORECASE)
    assert "<b>" not in html  # the parameter is data, never markup
    plain = client.get("/country/kazakhstan/2023").text
    assert "<mark>" not in plain


# --- weight ---------------------------------------------------------------------------------


def test_first_visit_of_every_page_stays_under_200_kb_compressed(client: httpx.Client) -> None:
    """HTML and its scripts and styles as sent gzipped (the map's geometry aside)."""
    for path in ("/", "/?edition=1990", "/countries", "/countries?edition=1999",
                 "/country/kazakhstan/2023", "/country/kazakhstan/1999", "/changes/2024",
                 "/compare?c=kazakhstan&c=kyrgyzstan", "/trends", "/methodology",
                 "/search?q=internet+shutdowns"):  # fmt: skip
        page = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200, path
        sent = page.num_bytes_downloaded
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', page.text):
            if "world-atlas" not in asset:
                sent += client.get(asset, headers={"Accept-Encoding": "gzip"}).num_bytes_downloaded
        assert sent < 200_000, f"{path}: {sent:,} bytes"


def test_history_sections_come_from_the_cache_as_rendered(client: httpx.Client) -> None:
    """A country page's history sections are rendered once per country and edition
    (`Snapshot.fragment`): a second render is the same page, and each edition's page keeps
    its own current edition in the tables and the heat map."""
    first = client.get("/country/kazakhstan/2022?_=1").text
    assert client.get("/country/kazakhstan/2022?_=2").text == first
    for edition in (2021, 2022, 2023):
        html = client.get(f"/country/kazakhstan/{edition}?_=3").text
        current = set(re.findall(r'<a href="/country/kazakhstan/(\d+)" aria-current="page">', html))
        assert current == {str(edition)}, edition
        assert html.count('aria-current="page"') == 3  # scores table, ratings table, heat map

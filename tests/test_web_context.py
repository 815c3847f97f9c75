"""The context is the contract: for every page, the `.json` twin is exactly the context object
the template received (as datasette's test_template_context), and the template receives
nothing else that carries data. Also the shapes every face shares: the same keys for the
same concept on a page's twin and on the API, one tie order and one rounding rule.

The app runs in-process under uvicorn on a free loopback port, with a Jinja environment that
records what each render is given.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
import uvicorn
from jinja2 import Template

from fiw.analysis.shape import json_of
from fiw.settings import Settings
from fiw.web.app import create_app
from tests.reports_data import reports_url
from tests.test_web import error_of, workbook_rows
from tests.web_server import ThreadServer

__all__ = ["reports_url"]  # fixture

# A page's path (without query) and a query that exercises it.
PAGES = [
    ("/", {"edition": "2023"}),
    ("/countries", {"edition": "2024", "status": "nf", "sort": "total", "order": "desc"}),
    ("/country/kazakhstan/2023", {}),
    ("/country/nicaragua/2024", {}),
    ("/compare", {"c": ["kazakhstan", "kyrgyzstan"], "edition": "2023"}),
    ("/methodology", {"edition": "2024"}),
    ("/methodology", {"edition": "1990"}),
    ("/search", {"q": "election", "edition": "2024", "limit": "5"}),
    ("/changes/2024", {}),
    ("/changes/2019", {"territories": "true"}),
    ("/trends", {"regions": "historical"}),
]


class Recorder:
    """What each template render was given, by template name (the last render wins)."""

    def __init__(self) -> None:
        self.renders: dict[str, dict[str, Any]] = {}

    def template_class(self) -> type[Template]:
        renders = self.renders

        class Recording(Template):
            def render(self, *args: Any, **kwargs: Any) -> str:
                if self.name is not None:
                    renders[self.name] = dict(*args, **kwargs)
                return super().render(*args, **kwargs)

        return Recording


@pytest.fixture(scope="module")
def served(reports_url: str) -> Iterator[tuple[httpx.Client, Recorder]]:
    """The explorer over the imported store, served by uvicorn in a thread, and its recorder."""
    app = create_app(Settings(database_url=reports_url))
    recorder = Recorder()
    app.state.templates.template_class = recorder.template_class()
    with ThreadServer(app) as served, httpx.Client(base_url=served.url, timeout=30) as client:
        yield client, recorder


_requests = itertools.count()


def fresh(query: dict[str, Any]) -> dict[str, Any]:
    """`query` with a parameter no view reads, unique per call: past the response cache."""
    return {**query, "_fresh": str(next(_requests))}


def twin(path: str) -> str:
    return "/index.json" if path == "/" else f"{path}.json"


@pytest.mark.parametrize(("path", "query"), PAGES)
def test_json_twin_is_the_context_the_template_received(
    served: tuple[httpx.Client, Recorder], path: str, query: dict[str, Any]
) -> None:
    client, recorder = served
    recorder.renders.clear()
    query = fresh(query)
    html = client.get(path, params=query)
    assert html.status_code == 200, html.text
    # a part rendered from the same context (the country page's history sections) is fine
    pages = list(
        {id(r["page"]): r["page"] for r in recorder.renders.values() if "page" in r}.values()
    )
    assert len(pages) == 1, f"{path}: one context per page, got {len(pages)}"
    context = pages[0]
    received = json_of(context)
    answered = client.get(twin(path), params=query).json()
    assert answered == received, path


@pytest.mark.parametrize(("path", "query"), PAGES)
def test_templates_get_data_only_through_the_context(
    served: tuple[httpx.Client, Recorder], path: str, query: dict[str, Any]
) -> None:
    """Besides `page`, a render gets the request and drawings (charts, the map's own data):
    no template global carries data (the country's changes once did)."""
    client, recorder = served
    recorder.renders.clear()
    client.get(path, params=fresh(query))
    assert recorder.renders, f"{path} was not rendered"
    for name, given in recorder.renders.items():
        extra = set(given) - {"page", "request"}
        allowed = {"chart", "atlas_url", "map_ready", "map_entries", "scores_chart",
                   "ratings_chart", "slots", "columns", "row_html", "csv_rows",
                   "averages_chart", "shares_chart", "net_chart",
                   "r", "edition", "status_order", "highlight", "history"}  # fmt: skip
        assert extra <= allowed, f"{name} got {sorted(extra - allowed)}"


def test_country_twin_carries_its_own_changes(served: tuple[httpx.Client, Recorder]) -> None:
    client, _ = served
    page = client.get("/country/nicaragua/2023.json").json()
    changes = page["changes"]
    assert changes["country_id"] == "nicaragua"
    assert changes["declines"] and all(s["change"] < 0 for s in changes["declines"])
    assert all(s["change"] == s["to"] - s["from"] for s in changes["declines"] + changes["gains"])
    assert changes["longest_decline"]["editions"] >= 1
    html = client.get("/country/nicaragua/2023").text
    first = changes["declines"][0]
    assert f"{first['from']} → {first['to']}" in html


# --- one shape per concept ---------------------------------------------------------------------


def test_changes_page_and_api_spell_a_change_the_same_way(
    served: tuple[httpx.Client, Recorder],
) -> None:
    client, _ = served
    page = client.get("/changes/2024.json").json()
    api = client.get("/api/v1/changes/2024").json()
    for key in ("improved", "declined", "status_changes"):
        assert page[key] == api[key], key
    assert set(page["improved"][0]) == {"country", "id", "from", "to", "change"}
    assert set(page["status_changes"][0]) == {"country", "id", "from", "to"}
    assert page["net_decline"] == api["net_decline"]
    moves = page["indicator_moves"]
    assert set(moves[0]) == {"country", "id", "indicator", "from", "to", "change"}


def test_home_gains_and_declines_are_the_changes_rows_in_the_same_order(
    served: tuple[httpx.Client, Recorder],
) -> None:
    """One tie order: largest first, then A→Z by name, on the home page and on /changes."""
    client, _ = served
    for edition in (2019, 2023, 2024):
        home = client.get("/index.json", params={"edition": edition}).json()
        changes = client.get(f"/changes/{edition}.json").json()  # countries, as the home page
        n = len(home["gains"])
        assert home["gains"] == changes["improved"][:n], edition
        assert home["declines"] == changes["declined"][: len(home["declines"])], edition
        for rows in (changes["improved"], changes["declined"]):
            keys = [(-abs(r["change"]), r["country"]) for r in rows]
            assert keys == sorted(keys), edition
        both = client.get("/index.json", params={"edition": edition, "territories": "true"})
        with_territories = client.get(f"/changes/{edition}.json", params={"territories": "true"})
        assert both.json()["declines"] == with_territories.json()["declined"][:5], edition


def test_trends_page_and_api_give_the_same_points(served: tuple[httpx.Client, Recorder]) -> None:
    client, _ = served
    page = client.get("/trends.json").json()
    api = client.get("/api/v1/trends").json()
    assert page["averages"] == api["points"]
    assert page["unconfirmed_regions"] == api["unconfirmed_regions"]


def test_country_lists_share_one_country_shape(served: tuple[httpx.Client, Recorder]) -> None:
    client, _ = served
    listed = {c["id"]: c for c in client.get("/api/v1/countries").json()}
    page = client.get("/country/kazakhstan/2023.json").json()
    assert page["country"] == listed["kazakhstan"]
    compared = client.get("/compare.json", params=[("c", "kazakhstan"), ("c", "kyrgyzstan")])
    assert compared.json()["countries"][0]["country"] == listed["kazakhstan"]
    one = client.get("/api/v1/countries/kazakhstan").json()
    assert {k: one[k] for k in listed["kazakhstan"]} == listed["kazakhstan"]


def test_edition_averages_round_half_away_from_zero(
    served: tuple[httpx.Client, Recorder],
) -> None:
    """One rounding rule: the edition summary rounds as the trends do (exact, half up)."""
    client, _ = served
    for edition in range(2013, 2025):
        body = client.get(f"/api/v1/editions/{edition}").json()
        totals = [int(str(r.published["Total"])) for r in workbook_rows(edition).values()]
        exact = Decimal(sum(totals)) / Decimal(len(totals))
        expected = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        assert body["average_total"] == expected, edition


# --- one error mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "where"),
    [
        ("/api/v1/longrun?to=1990", 404, "to"),
        ("/api/v1/longrun?from=1990", 404, "from"),
        ("/api/v1/longrun?from=2024&to=2014", 422, "from"),
        ("/api/v1/changes/2013", 404, "edition"),
        ("/changes/2013.json", 404, "edition"),
        ("/api/v1/transitions?from=1&to=3000", 404, "to"),
        ("/api/v1/transitions?from=1973&to=2024", 404, "from"),
        ("/api/v1/rating-changes/1", 404, "edition"),
        ("/api/v1/trends?region=Atlantis", 422, "region"),
        ("/api/v1/assessments?country=atlantis", 404, "country"),
        ("/api/v1/countries/atlantis", 404, "key"),
        ("/api/v1/search?q=!!!", 422, "q"),
        ("/countries.json?sort=colour", 422, "sort"),
        ("/api/v1/editions/latest", 422, "edition"),
    ],
)
def test_errors_name_the_parameter_at_fault(
    served: tuple[httpx.Client, Recorder], path: str, status: int, where: str
) -> None:
    client, _ = served
    response = client.get(path)
    error_of(response, status)
    assert response.json()["error"]["where"] == where


def test_library_errors_answer_an_html_page_on_pages(
    served: tuple[httpx.Client, Recorder],
) -> None:
    client, _ = served
    r = client.get("/changes/2013")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "first with scores" in r.text


def test_status_counts_have_one_shape(served: tuple[httpx.Client, Recorder]) -> None:
    """Counts by status are {"Free": n, "Partly Free": n, "Not Free": n} on the home page, the
    edition summary and the trends' shares; the history leaves out cells published as more
    than one rating (South Africa 1972), as Freedom House's totals do."""
    client, _ = served
    home = client.get("/index.json", params={"edition": 2024}).json()
    summary = client.get("/api/v1/editions/2024").json()
    assert home["counts"] == summary["counts"]
    assert list(home["counts"]) == ["Free", "Partly Free", "Not Free"]
    shares = client.get("/trends.json", params={"territories": "true"}).json()["status_shares"]
    assert home["history"] == shares
    assert home["history"][-1]["counts"] == home["counts"]

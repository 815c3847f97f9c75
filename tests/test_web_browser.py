"""The explorer in Debian's Chromium (Playwright) against a real `fiw serve`: content,
sorting, filtering, the map, keyboard use and no console errors. Screenshots go to
test-artifacts/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.web_server import ARTIFACTS, first_start, open_page, sqlite_client

__all__ = ["first_start", "sqlite_client"]  # fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def server(first_start: tuple[str, object]) -> str:
    """A `fiw serve` that imported the shared workbooks into a new SQLite file itself."""
    return first_start[0]


@pytest.fixture
def client(sqlite_client: httpx.Client) -> httpx.Client:
    return sqlite_client


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page whose console errors and uncaught exceptions fail the test."""
    yield from open_page(browser, server, {"width": 1280, "height": 900})


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_kazakhstan_2023_page_shows_scores_status_and_indicators(page: Page) -> None:
    page.goto("/country/kazakhstan/2023")
    headline = page.locator("section.headline")
    expect(headline).to_contain_text("5/40")
    expect(headline).to_contain_text("18/60")
    expect(headline.locator(".badge").first).to_have_text("Not Free")
    expect(page.locator("section.indicator")).to_have_count(25)
    expect(page.locator("h1")).to_contain_text("Kazakhstan")
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.locator("#B1 p.score")).to_contain_text("/4")
    last_year = headline.locator("div", has_text="Last year")
    expect(last_year).to_contain_text("2022")
    expect(last_year.locator(".badge")).to_have_text("Not Free")
    expect(page.locator("#overview p.overview")).not_to_be_empty()
    expect(page.locator("#key-developments li").first).to_be_visible()
    expect(page.locator("#A1 p:not(.score)").first).not_to_be_empty()
    expect(page.get_by_text("No report imported")).to_have_count(0)
    expect(page.locator("#ratings-h")).to_contain_text("since 1973")
    expect(page.locator("svg#ratings, svg.chart").last).to_contain_text("1973")
    shot(page, "country-kazakhstan-2023")
    page.screenshot(path=str(ARTIFACTS / "country-kazakhstan-2023-top.png"))
    page.goto("/country/kazakhstan/2023#B4")
    page.screenshot(path=str(ARTIFACTS / "country-kazakhstan-2023-B4.png"))


def test_an_edition_without_a_report_says_so(page: Page) -> None:
    page.goto("/country/kazakhstan/2013")
    expect(page.get_by_text("no report text from Freedom House")).to_be_visible()
    expect(page.locator("section.indicator")).to_have_count(25)


def test_indicator_anchor_scrolls_to_its_section(page: Page) -> None:
    page.goto("/country/kazakhstan/2023#C2")
    expect(page.locator("section.indicator:target")).to_have_attribute("id", "C2")
    expect(page.locator("#C2")).to_be_in_viewport()


def test_compare_shows_the_chosen_countries(page: Page) -> None:
    page.goto("/compare")
    page.get_by_label("Country 1").fill("Kazakhstan")  # type-ahead: a datalist of the names
    page.get_by_label("Country 2").fill("Kyrgyzstan")
    page.get_by_label("Country 3").fill("uzbekistan")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url("/compare?c=kazakhstan&c=kyrgyzstan&c=uzbekistan&edition=2024")
    heads = page.locator("table.compare").first.locator("thead th a")
    expect(heads).to_have_text(["Kazakhstan", "Kyrgyzstan", "Uzbekistan"])
    expect(page.locator("svg.chart polyline")).to_have_count(3)
    expect(page.get_by_label("Country 2")).to_have_value("Kyrgyzstan")
    shot(page, "compare")


@pytest.mark.parametrize(
    "path",
    ["/", "/countries", "/country/kazakhstan/2023", "/compare?c=kazakhstan&c=kyrgyzstan",
     "/methodology", "/methodology?edition=1990", "/country/south-africa/2013",
     "/search?q=election", "/changes/2024", "/trends"],
)  # fmt: skip
def test_no_console_errors(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_count(1)


def test_edition_selector_moves_between_editions(page: Page) -> None:
    page.goto("/country/kazakhstan/2023")
    page.get_by_label("Edition", exact=True).select_option("2019")  # applies at once
    expect(page).to_have_url("/country/kazakhstan/2019")
    expect(page.locator("h1")).to_contain_text("2019")


def test_map_colours_every_country_with_a_shape(page: Page, client: httpx.Client) -> None:
    page.goto("/?edition=2024")
    svg = page.locator("#map svg")
    expect(svg).to_be_visible()
    entries = client.get("/index.json", params={"edition": 2024}).json()["entries"]
    unmapped = {e["country_id"] for e in client.get("/index.json").json()["without_shape"]}
    with_shape = [e for e in entries if e["country_id"] not in unmapped]
    coloured = page.locator("#map path.shape.free, #map path.shape.partly-free, "
                            "#map path.shape.not-free")  # fmt: skip
    expect(coloured).to_have_count(len(with_shape))
    for e in with_shape[:: max(1, len(with_shape) // 12)]:  # a sample across the alphabet
        status = e["status"].lower().replace(" ", "-")
        expect(page.locator(f'#map path[data-shape="{e["shape"]}"]')).to_have_class(
            f"shape {status}"
        )
    expect(page.locator(".unmapped li")).to_have_count(len(unmapped))
    expect(page.locator(".unmapped")).to_contain_text("Crimea")
    shot(page, "home-2024")


def test_table_sorts_by_clicking_and_by_keyboard(page: Page) -> None:
    page.goto("/countries?edition=2024")
    total = page.locator("thead th", has_text="Total")
    total.locator("a").click()
    expect(total).to_have_attribute("aria-sort", "descending")
    values = [int(v) for v in page.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    total.locator("a").focus()
    page.keyboard.press("Enter")
    expect(total).to_have_attribute("aria-sort", "ascending")
    values = [int(v) for v in page.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert values == sorted(values)
    assert "sort=total" in page.url and "order=asc" in page.url
    shot(page, "countries-sorted")


def test_table_filters_with_the_form(page: Page) -> None:
    page.goto("/countries?edition=2024")
    page.get_by_label("Status").select_option("Not Free")  # selects apply at once
    page.wait_for_url("**/countries?*status=Not+Free*")
    page.get_by_label("Region").select_option("Eurasia")
    page.wait_for_url("**/countries?*region=Eurasia*")  # the filtered page, not the old one
    page.wait_for_load_state("load")
    badges = page.locator("tbody .badge").all_inner_texts()
    assert badges and set(badges) == {"Not Free"}
    regions = set(page.locator("tbody tr td:nth-child(2)").all_inner_texts())
    assert regions == {"Eurasia"}
    page.get_by_label("Name").fill("stan")
    page.get_by_label("Name").press("Enter")
    page.wait_for_url("**/countries?*q=stan*")  # the filtered page, not the old one
    page.wait_for_load_state("load")
    names = page.locator("tbody th a").all_inner_texts()
    assert names and all("stan" in n.lower() for n in names)
    shot(page, "countries-filtered")


def test_sorting_works_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    pg = context.new_page()
    pg.goto("/countries?edition=2024")
    pg.locator("thead th", has_text="PR rating").locator("a").click()
    expect(pg.locator("thead th", has_text="PR rating")).to_have_attribute(
        "aria-sort", "descending"
    )
    values = [int(v) for v in pg.locator("tbody tr td:nth-child(6)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    context.close()


def test_skip_link_is_the_first_stop_and_reaches_the_content(page: Page) -> None:
    page.goto("/methodology")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_text("fiw's paraphrase of the guidance").first).to_be_visible()
    shot(page, "methodology")


def test_error_page_is_html(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server)  # the 404 itself is logged to the console
    pg = context.new_page()
    response = pg.goto("/country/atlantis/2023")
    assert response is not None and response.status == 404
    expect(pg.locator("h1")).to_have_text("Not found")
    expect(pg.locator(".error-message")).to_contain_text("atlantis")
    context.close()


def test_changes_page_renders_bars_and_tables(page: Page) -> None:
    page.goto("/changes/2024")
    expect(page.locator("h1")).to_contain_text("2024")
    expect(page.get_by_role("heading", name="Gains", exact=True)).to_be_visible()
    expect(page.locator("table.bars .bar.up").first).to_be_visible()
    expect(page.locator("table.bars .bar.down").first).to_be_visible()
    page.get_by_label("Edition", exact=True).select_option("2020")
    expect(page).to_have_url("/changes/2020")
    page.goto("/changes/2024")
    shot(page, "changes-2024")


def test_trends_page_renders_three_charts(page: Page) -> None:
    page.goto("/trends")
    expect(page.locator("h1")).to_have_text("Trends")
    expect(page.locator("svg.chart")).to_have_count(3)
    page.get_by_label("Regions").select_option("historical")
    expect(page).to_have_url("/trends?regions=historical")
    shot(page, "trends")


def test_api_docs_work_offline_from_fiws_own_files(page: Page, server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("fiw")
    expect(page.get_by_text("/api/v1/assessments").first).to_be_visible()
    foreign = [url for url in requested if not url.startswith(server)]
    assert not foreign, f"/api/docs fetched from outside fiw: {foreign}"

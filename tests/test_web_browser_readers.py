"""Every page of the navigation on a phone (390x844) and a laptop (1366x900) in Debian's
Chromium: no sideways scrolling, chart text of 11 px or more, no console errors, no serious
or critical axe-core violation; the menu button, the edition slider and chart downloads.
Screenshots of each page at both widths go to test-artifacts/readers/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.web_server import ARTIFACTS, ROOT, first_start, open_page, sqlite_client

__all__ = ["first_start", "sqlite_client"]  # fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
AXE = ROOT / "src" / "fiw" / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ARTIFACTS / "readers"
PAGES = {  # the navigation's pages, and the pages they lead to
    "home": "/",
    "home-1990": "/?edition=1990",
    "countries": "/countries",
    "countries-1999": "/countries?edition=1999",
    "country": "/country/kazakhstan/2023",
    "country-1999": "/country/kazakhstan/1999",
    "compare-form": "/compare",
    "compare": "/compare?c=kazakhstan&c=kyrgyzstan&c=bosnia-and-herzegovina",
    "changes": "/changes",
    "trends": "/trends",
    "search": "/search?q=internet+shutdowns",
    "methodology": "/methodology",
}


@pytest.fixture(scope="session")
def server(first_start: tuple[str, object]) -> str:
    """A `fiw serve` that imported the shared workbooks into a new SQLite file itself."""
    return first_start[0]


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    yield from open_page(browser, server, PHONE)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_reads_and_passes_axe(
    browser: Browser, server: str, name: str, viewport: dict[str, int]
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    for pg in open_page(browser, server, viewport):
        response = pg.goto(PAGES[name])
        assert response is not None and response.status == 200
        pg.wait_for_load_state("networkidle")
        expect(pg.locator("h1")).to_have_count(1)
        overflow = pg.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {viewport}"
        smallest = pg.evaluate(
            """() => Math.min(1e9, ...Array.from(document.querySelectorAll("svg.chart text"))
                 .map(t => parseFloat(getComputedStyle(t).fontSize)
                           * t.ownerSVGElement.getScreenCTM().a))"""
        )
        assert smallest >= 10.9, f"chart text of {smallest:.1f} px on {name} at {viewport}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
        pg.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
        violations = pg.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.help + " — " +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
        )
        assert not violations, f"{name} at {viewport}:\n" + "\n".join(violations)


def test_navigation_folds_behind_a_menu_button_on_a_phone(phone: Page) -> None:
    phone.goto("/countries")
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    trends = phone.get_by_role("link", name="Trends")
    expect(trends).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(trends).to_be_visible()
    trends.click()
    expect(phone).to_have_url("/trends")


def test_edition_slider_moves_the_map_with_keys_and_play(phone: Page) -> None:
    phone.goto("/?edition=1975")
    slider = phone.get_by_role("slider", name="Edition (slider)")
    expect(slider).to_be_visible()
    slider.focus()
    phone.keyboard.press("ArrowLeft")  # keyboard: one edition back
    expect(phone).to_have_url("/?edition=1974")
    expect(phone.locator("h1")).to_contain_text("1974")
    phone.get_by_role("button", name="Play").click()
    phone.wait_for_url("**/?edition=1976*play=1*", timeout=10_000)  # and on, by itself
    phone.get_by_role("button", name="Pause").click()
    phone.wait_for_url("**/?edition=197*")
    assert "play=1" not in phone.url


def test_chart_data_downloads_as_csv_svg_and_png(phone: Page, tmp_path: Path) -> None:
    phone.goto("/country/kazakhstan/2023")
    box = phone.locator(".chart-box").first
    for label, suffix in (("Data (CSV)", ".csv"), ("SVG", ".svg"), ("PNG", ".png")):
        with phone.expect_download() as info:
            box.get_by_role("button", name=f"Download this chart as {label}").click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.suffix == suffix and saved.stat().st_size > 100
    text = (tmp_path / "fiw-scores.csv").read_text()
    assert text.splitlines()[0].startswith("label,Total") and "2023" in text
    assert (tmp_path / "fiw-scores.png").read_bytes()[:4] == b"\x89PNG"


def test_point_shows_its_value_on_focus(phone: Page) -> None:
    phone.goto("/country/kazakhstan/2023")
    dot = phone.locator("svg.chart circle.dot").first
    dot.focus()
    expect(dot).to_be_focused()
    expect(dot.locator("title")).to_have_text("2013: Total (of 100) 26")

"""The workbench end to end, in Debian's Chromium against a real `fiw serve` on PostgreSQL.

An admin opens the 2025 edition and adds an analyst and a reviewer; the analyst drafts
Kazakhstan 2025 from 2024, changes two scores with reasons while the totals and the status
update in the browser, and submits; the reviewer returns it with a comment on one indicator;
the analyst fixes it and submits again; the reviewer approves and publishes; the explorer's
page and the API then show the new numbers, and the history shows every step. A second test
has two analysts save the same revision: one gets the conflict panel, and keeps their text.
Screenshots go to var/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Route,
    expect,
)

from fiw.methodology import load_index, score
from fiw.sources.all_data import read_all_data
from fiw.sources.audit import engine_input
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.workbench import Workbench
from tests.conftest import _fresh_url
from tests.web_server import ROOT, shared_dir, start_server, stop

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

SCREENSHOTS = ROOT / "var" / "screenshots"
COUNTRY, NAME, EDITION, PREVIOUS = "kazakhstan", "Kazakhstan", 2025, 2024
PASSWORD = "correct horse battery staple"
EDITOR = f"/workbench/drafts/{COUNTRY}/{EDITION}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]) -> Iterator[str]:
    """`fiw serve` on a new PostgreSQL schema holding both workbooks, with one admin."""
    for url in _fresh_url("postgresql", tmp_path_factory.mktemp("workbench")):
        engine = make_engine(url)
        import_files(engine, workbooks)
        Workbench(engine).add_user("boss", "admin", PASSWORD)
        engine.dispose()
        nowhere = tmp_path_factory.mktemp("workbench") / "none"  # no report pages
        env = {"FIW_DATABASE_URL": url, "FIW_PAGES_DIR": str(nowhere),
               "FIW_ASSIST_MODEL": str(nowhere / "assist.joblib")}  # fmt: skip
        process, base = start_server(env)
        yield base
        stop(process)


class Person:
    """One user's browser: own cookies, console errors collected."""

    def __init__(
        self,
        browser: Browser,
        server: str,
        name: str,
        phone: bool = False,
        allow: tuple[str, ...] = (),
    ) -> None:
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        self.context: BrowserContext = browser.new_context(base_url=server, viewport=size)
        self.page: Page = self.context.new_page()
        self.name = name
        self.problems: list[str] = []
        self.context.on("weberror", lambda e: self.problems.append(f"{name}: {e.error}"))
        self.allow = allow  # a console error expected (the browser logs refused requests)
        self.context.on("console", self._console)
        self.context.on("request", self._request)

    def _request(self, request: Request) -> None:
        """Every unsafe request the pages send carries the CSRF token (login has none yet)."""
        unsafe = request.method in ("POST", "PUT", "PATCH", "DELETE")
        login = request.url.endswith("/api/v1/auth/login")
        if unsafe and not login and not request.headers.get("x-csrf-token"):
            self.problems.append(f"{self.name}: {request.method} {request.url} without CSRF")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(a in message.text for a in self.allow):
            self.problems.append(f"{self.name} console: {message.text}")

    def login(self, target: str = "/workbench") -> None:
        page = self.page
        page.goto(target)
        expect(page).to_have_url(re.compile(r"/workbench/login\?next="))
        page.get_by_label("User name").fill(self.name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(target)

    def api(self, path: str) -> Any:
        answer = self.context.request.get(path)
        assert answer.ok, f"{path}: {answer.status} {answer.text()}"
        return answer.json()

    def check_page(self) -> None:
        """CSP-ready (no inline script or handler) and every form control labelled."""
        found = self.page.evaluate(
            """() => ({
              inline: [...document.scripts].filter((s) => !s.src).length,
              handlers: [...document.querySelectorAll("*")].flatMap((e) =>
                [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
              unlabelled: [...document.querySelectorAll("input, textarea, select")]
                .filter((e) => e.type !== "hidden" && !e.labels.length
                               && !e.getAttribute("aria-label"))
                .map((e) => e.id || e.name),
            })"""
        )
        assert found == {"inline": 0, "handlers": [], "unlabelled": []}, (self.page.url, found)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def kazakhstan_2024() -> dict[str, int]:
    book = read_all_data(shared_dir() / "data" / "fiw" / "All_data_FIW_2013-2024.xlsx")
    record = next(r for r in book.records if r.name == NAME and r.edition == PREVIOUS)
    return {k: int(v) for k, v in engine_input(record).items()}  # type: ignore[call-overload]


def two_changes(before: dict[str, int]) -> dict[str, int]:
    """The first two indicator changes (methodology order, largest moves first) that change
    the status: the test then sees the status, not only the totals, move as it types."""
    rules = load_index("fiw")
    old = score(EDITION, before)
    for a, b in itertools.combinations(rules.indicators, 2):
        for va, vb in itertools.product(range(a.max, a.min - 1, -1), range(b.max, b.min - 1, -1)):
            if va == before[a.code] or vb == before[b.code]:
                continue
            new = score(EDITION, {**before, a.code: va, b.code: vb})
            if new.status != old.status:
                return {a.code: va, b.code: vb}
    raise AssertionError("no two indicator changes move Kazakhstan's status")


def wait_saved(page: Page) -> None:
    expect(page.locator("#save-state")).to_have_text(
        re.compile(r"Saved revision \d+|All changes saved"), timeout=10_000
    )


def test_draft_review_publish_end_to_end(browser: Browser, server: str) -> None:
    before = kazakhstan_2024()
    changes = two_changes(before)
    after = score(EDITION, {**before, **changes})
    old = score(PREVIOUS, before)
    first, second = changes

    # an admin opens 2025 and adds an analyst (assigned Kazakhstan) and a reviewer
    boss = Person(browser, server, "boss")
    boss.login("/workbench/admin")
    page = boss.page
    page.get_by_label("Open edition").fill(str(EDITION))
    page.get_by_role("button", name="Open (one draft per country and territory)").click()
    expect(page.locator("#wb-status")).to_contain_text(f"Edition {EDITION} open from {PREVIOUS}")
    expect(page.locator("#editions tbody")).to_contain_text(str(EDITION))
    boss.check_page()
    for name, role in (("ana", "analyst"), ("rita", "reviewer")):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Role").select_option(role)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Add user").click()
        expect(page.locator("#users tbody")).to_contain_text(name)
    page.get_by_label("Countries of ana (ids, comma-separated)").fill(COUNTRY)
    page.locator("#users tr", has_text="ana").get_by_role("button", name="Assign").click()
    expect(page.locator("#users tr", has_text="ana")).to_contain_text(COUNTRY)
    shot(page, "admin")
    page.goto(f"/workbench?edition={EDITION}&country=STAN")  # any part of the name
    expect(page.locator("#drafts-caption")).to_have_text(re.compile(r"\d+ drafts"))  # loaded
    names = page.locator("#drafts-table tbody th").all_inner_texts()
    assert len(names) > 1 and all("stan" in n.lower() for n in names), names

    # the analyst finds the draft and sees it pre-filled from 2024
    ana = Person(browser, server, "ana")
    ana.login()
    page = ana.page
    page.goto(f"/workbench?edition={EDITION}")
    rows = page.locator("#drafts-table tbody tr")
    expect(rows).to_have_count(1)  # an analyst sees only their countries
    shot(page, "drafts")
    rows.get_by_role("link", name=NAME, exact=True).click()
    expect(page).to_have_url(EDITOR)
    expect(page.locator("#draft-state")).to_have_text("draft")
    ana.check_page()
    # no assistant model: a quiet note, no suggestion, nothing broken
    expect(page.locator("#assistant-note")).to_contain_text("ask an admin")
    expect(page.locator("[data-suggestion]:visible")).to_have_count(0)
    for code, value in before.items():
        expect(page.locator(f"#score-{code}")).to_have_value(str(value))
    board = page.locator("#scoreboard")
    expect(board.locator("tr[data-key=total] .now")).to_have_text(f"{old.total}/100")
    expect(board.locator("[data-key=status] .now")).to_have_text(old.status.value)

    # two scores change: the totals and the status follow as the analyst types
    page.locator(f"#score-{first}").fill(str(changes[first]))
    expect(page.locator(f"#reason-box-{first}")).to_be_visible()
    expect(page.locator(f"#reason-{first}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#problems")).to_contain_text(f"{first}: a reason")
    page.locator(f"#score-{second}").press("Control+a")
    page.keyboard.type(str(changes[second]))  # by keyboard, as a person would
    expect(board.locator("tr[data-key=total] .now")).to_have_text(f"{after.total}/100")
    expect(board.locator("tr[data-key=pr] .now")).to_have_text(f"{after.pr}/40")
    expect(board.locator("tr[data-key=cl] .now")).to_have_text(f"{after.cl}/60")
    expect(board.locator("[data-key=status] .now")).to_have_text(after.status.value)
    expect(board.locator("tr[data-key=total]")).to_contain_text(f"+{after.total - old.total}")
    expect(page.locator("#save-state")).to_contain_text("Not saved")  # held until reasons
    page.locator(f"#reason-{first}").fill("The 2025 election was observed as competitive.")
    page.locator(f"#reason-{second}").fill("New parties registered without obstruction.")
    page.locator(f"#narrative-{first}").fill(
        "Observers *noted* progress. <script>alert(1)</script>"
    )
    wait_saved(page)
    expect(page.locator("#problems")).to_be_hidden()
    page.locator(f"[data-preview={first}]").click()
    preview = page.locator(f"#preview-{first}")
    expect(preview.locator("em")).to_have_text("noted")
    expect(preview.locator("script")).to_have_count(0)
    saved = ana.api(f"/api/v1/workbench/drafts/{COUNTRY}/{EDITION}")
    assert {code: saved["scores"][code] for code in changes} == changes
    assert set(saved["reasons"]) >= set(changes)
    assert saved["result"] == after.to_dict()
    shot(page, "editor")
    page.locator(f"#{second}").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "editor-viewport.png"))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#draft-state")).to_have_text("submitted")
    expect(page.locator(f"#score-{first}")).to_have_attribute("readonly", "")

    # the reviewer returns it with a comment on one indicator
    rita = Person(browser, server, "rita")
    rita.login(EDITOR)
    page = rita.page
    comment = "Cite the observers' report for this change."
    rita.check_page()
    page.get_by_label(f"Comment for the analyst on {first}").fill(comment)
    page.get_by_role("button", name="Return to the analyst with comments").click()
    expect(page.locator("#draft-state")).to_have_text("returned")

    # the analyst sees the comment, fixes the text and submits again
    page = ana.page
    page.reload()
    expect(page.locator("#comments")).to_contain_text(f"{first}: {comment}")
    expect(page.locator(f"#comment-{first}")).to_contain_text(comment)
    page.locator(f"#reason-{first}").fill("The OSCE observers' report (2025) found it competitive.")
    wait_saved(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#draft-state")).to_have_text("submitted")

    # the reviewer approves and publishes
    page = rita.page
    page.reload()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#draft-state")).to_have_text("approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#draft-state")).to_have_text("published")

    # the explorer and the API show the new numbers (every worker reloads within seconds)
    deadline = time.monotonic() + 10
    while True:
        latest = httpx.get(f"{server}/api/v1/countries/{COUNTRY}", timeout=10).json()["latest"]
        if latest["edition"] == EDITION or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert latest["edition"] == EDITION
    assert (latest["total"], latest["pr"], latest["cl"], latest["status"]) == (
        after.total, after.pr, after.cl, after.status.value,
    )  # fmt: skip
    page.goto(f"/country/{COUNTRY}/{EDITION}")
    headline = page.locator("section.headline")
    expect(headline).to_contain_text(f"{after.pr}/40")
    expect(headline).to_contain_text(f"{after.cl}/60")
    expect(headline.locator(".badge").first).to_have_text(after.status.value)

    # the history shows every step, and any two revisions side by side
    page = ana.page
    page.goto(f"{EDITOR}/history")
    steps = page.locator("#transitions tbody tr")
    expect(steps).to_have_count(5)
    expected = [("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
                ("submitted", "approved"), ("approved", "published")]  # fmt: skip
    for row, (was, now) in zip(steps.all(), expected, strict=True):
        expect(row.locator("td").nth(0)).to_have_text(was)
        expect(row.locator("td").nth(1)).to_have_text(now)
    expect(steps.nth(1)).to_contain_text(comment)
    revisions = page.locator("#revisions tbody tr")
    assert revisions.count() >= 3  # opened, then at least the two saves
    revisions.first.get_by_label("revision 1 as A").check()
    revisions.last.locator("input[name=b]").check()
    page.get_by_role("button", name="Compare the two chosen revisions").click()
    diff = page.locator("#diff")
    expect(diff).to_be_visible()
    for code, value in changes.items():
        row = diff.locator("tr", has=page.locator("th", has_text=f"scores.{code}"))
        expect(row.locator("td").nth(0)).to_have_text(str(before[code]))
        expect(row.locator("td").nth(1)).to_have_text(str(value))
    shot(page, "history")
    ana.check_page()

    # the progress page counts it and lists the changed scores with their reasons
    page = boss.page
    page.goto(f"/workbench/editions/{EDITION}/progress")
    expect(page.locator("#by-state")).to_contain_text("1 published")
    changed = page.locator("#changed tbody")
    for code in changes:
        expect(changed.locator("tr", has_text=NAME).filter(has_text=code)).to_have_count(1)
    expect(page.locator("#missing tbody")).to_contain_text("Every changed score has its reason")
    shot(page, "progress")
    boss.check_page()

    # on a phone the editor is one column and still usable
    phone = Person(browser, server, "ana", phone=True)
    phone.login(EDITOR)
    expect(phone.page.locator("#scoreboard")).to_be_visible()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the editor scrolls sideways on a phone ({width} px)"
    shot(phone.page, "editor-phone")
    phone.page.locator(f"#{second}").scroll_into_view_if_needed()
    expect(phone.page.locator("#scoreline")).to_be_in_viewport()  # totals stay in sight
    expect(phone.page.locator("#scoreline")).to_contain_text(after.status.value)
    phone.page.screenshot(path=str(SCREENSHOTS / "editor-phone-viewport.png"))
    for person in (phone, boss, ana, rita):
        person.close()


def test_two_saves_of_the_same_revision_lose_no_text(browser: Browser, server: str) -> None:
    """The second save gets the conflict panel with both versions; "keep mine" saves the
    user's fields on top of the other's, so both edits survive."""
    country = "kyrgyzstan"
    editor = f"/workbench/drafts/{country}/{EDITION}"
    boss = Person(browser, server, "boss", allow=("status of 409", "status of 401"))
    boss.login("/workbench/admin")
    if EDITION not in [e["edition"] for e in boss.api("/api/v1/workbench/editions")]:
        token = boss.api("/api/v1/auth/me")["csrf_token"]
        opened = boss.context.request.post(
            f"/api/v1/workbench/editions/{EDITION}/open", headers={"X-CSRF-Token": token}
        )
        assert opened.ok, opened.text()
    first, second = boss.page, boss.context.new_page()  # two tabs on the same revision
    for tab in (first, second):
        tab.goto(editor)
        expect(tab.locator("#save-state")).to_have_text("Up to date")
    code = load_index("fiw").indicator_codes()[0]
    first.locator(f"#narrative-{code}").fill("Written in the first tab.")
    wait_saved(first)
    second.locator("#overview").fill("Overview written in the second tab.")
    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible(timeout=10_000)
    expect(conflict.locator("tbody tr", has_text="overview")).to_contain_text(
        "Overview written in the second tab."
    )
    expect(second.locator("#overview")).to_have_value("Overview written in the second tab.")
    shot(second, "editor-conflict")
    second.get_by_role("button", name="Keep mine (save it over the saved version)").click()
    wait_saved(second)
    saved = boss.api(f"/api/v1/workbench/drafts/{country}/{EDITION}")
    assert saved["overview"] == "Overview written in the second tab."
    assert saved["narratives"][code] == "Written in the first tab."
    second.close()

    # the session ends while typing: the text stays, and saves once logged in again
    page = boss.page
    page.goto(editor)
    expect(page.locator("#save-state")).to_have_text("Up to date")
    token = boss.api("/api/v1/auth/me")["csrf_token"]
    assert boss.context.request.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token}).ok
    page.locator("#overview").fill("Typed after the session ended.")
    expect(page.locator("#save-state")).to_contain_text("your session has ended")
    expect(page).to_have_url(editor)
    expect(page.locator("#overview")).to_have_value("Typed after the session ended.")
    again = boss.context.request.post(
        "/api/v1/auth/login", data={"username": "boss", "password": PASSWORD}
    )
    assert again.ok
    page.get_by_role("button", name="Save now").click()
    wait_saved(page)
    assert boss.api(f"/api/v1/workbench/drafts/{country}/{EDITION}")["overview"] == (
        "Typed after the session ended."
    )

    # the history restores the opened revision as a new one
    page = boss.page
    page.goto(f"{editor}/history")
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(4)  # opened, the first tab's save, "keep mine", after login
    opened_text = boss.api(f"/api/v1/workbench/drafts/{country}/{EDITION}/revisions/1")
    page.get_by_role("button", name="Restore revision 1").click()
    expect(page.locator("#wb-status")).to_contain_text("Revision 1 restored as revision 5")
    expect(rows).to_have_count(5)
    expect(rows.last.locator("td").first).to_have_text("restore")
    restored = boss.api(f"/api/v1/workbench/drafts/{country}/{EDITION}")
    assert restored["revision"] == 5
    assert restored["overview"] == opened_text["overview"]
    assert restored["narratives"].get(code, "") == opened_text["narratives"].get(code, "")
    boss.close()


def test_buttons_wait_until_the_page_has_wired_them(browser: Browser, server: str) -> None:
    """While the admin page still loads its tables, its buttons are disabled: a click then
    would reload the page (a native submit) instead of opening an edition. Once the
    script has wired them they are enabled."""
    boss = Person(browser, server, "boss")
    boss.login("/workbench/admin")
    page = boss.page
    held: list[Route] = []
    page.route("**/api/v1/workbench/users", lambda route: held.append(route))
    with page.expect_request("**/api/v1/workbench/users"):  # the script waits on it
        page.reload()
    buttons = [
        page.get_by_role("button", name="Open (one draft per country and territory)"),
        page.get_by_role("button", name="Add user"),
    ]
    for button in buttons:
        expect(button).to_be_disabled()
    assert len(held) == 1
    held[0].continue_()
    for button in buttons:
        expect(button).to_be_enabled()
    expect(page.locator("#users tbody")).to_contain_text("boss")
    boss.close()

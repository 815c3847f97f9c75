"""The workbench's browser scorer (static/workbench/scorer.js) in real Chromium against the
Python engine: every row of the official workbook, bad input, and the other index (FOTN).

The scorer reads the rules from a running `fiw serve` (GET /api/v1/rules/{index}), the
document the engine reads, so this also checks that the route serves the engine's data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from fiw.methodology import ScoreError, load_index, score
from fiw.sources.all_data import read_all_data
from fiw.sources.audit import engine_input
from tests.web_server import shared_dir, start_server, stop

pytestmark = pytest.mark.browser

WORKBOOK_ROWS = 2515  # rows of All_data_FIW_2013-2024.xlsx

# Runs in the page: import the scorer module, fetch the rules once, score every case.
SCORE_ALL = """
async ([index, cases]) => {
  const scorer = await import("/static/workbench/scorer.js");
  const rules = await (await fetch(`/api/v1/rules/${index}`)).json();
  return cases.map(([edition, scores]) => {
    try {
      return {result: scorer.score(rules, edition, scores)};
    } catch (error) {
      if (!(error instanceof scorer.ScoreError)) return {crash: String(error)};
      return {problems: error.problems.map((p) => [p.field, p.value, p.expected])};
    }
  });
}
"""


def _plain(value: object) -> object:
    """A cell value as JSON can carry it to the browser (dates as their text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def engine_answer(edition: Any, scores: dict[str, object], index: str = "fiw") -> dict[str, Any]:
    """What the Python engine says, in the shape SCORE_ALL returns."""
    try:
        return {"result": score(edition, scores, index=index).to_dict()}
    except ScoreError as exc:
        return {"problems": [[p.field, _plain(p.value), p.expected] for p in exc.problems]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `fiw serve` that imported the workbooks into a new SQLite file (no report pages)."""
    folder = tmp_path_factory.mktemp("scorer")
    process, url = start_server(
        {"FIW_DATABASE_URL": f"sqlite:///{folder / 'fiw.sqlite'}",
         "FIW_PAGES_DIR": str(folder / "no-pages")},
        timeout=180,
    )  # fmt: skip
    yield url
    stop(process)


@pytest.fixture(scope="module")
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto("/api/v1/rules/fiw")  # any same-origin page lets the module load
    yield pg
    context.close()
    assert not errors, errors


def in_browser(page: Page, index: str, cases: list[tuple[Any, dict[str, object]]]) -> list[Any]:
    return page.evaluate(SCORE_ALL, [index, [[e, s] for e, s in cases]])  # type: ignore[no-any-return]


def test_rules_route_serves_the_engines_data(server: str) -> None:
    for index in ("fiw", "fotn"):
        answer = httpx.get(f"{server}/api/v1/rules/{index}", timeout=30)
        assert answer.status_code == 200
        assert answer.json() == load_index(index).model_dump(mode="json", by_alias=True)
    missing = httpx.get(f"{server}/api/v1/rules/nope", timeout=30)
    assert missing.status_code == 404
    assert "fiw, fotn" in missing.json()["error"]["message"]


def test_browser_scorer_agrees_with_the_engine_on_every_workbook_row(page: Page) -> None:
    path: Path = shared_dir() / "data" / "fiw" / "All_data_FIW_2013-2024.xlsx"
    records = read_all_data(path).records
    assert len(records) == WORKBOOK_ROWS
    cases = [(r.edition, {k: _plain(v) for k, v in engine_input(r).items()}) for r in records]
    browser = in_browser(page, "fiw", cases)
    disagreements = []
    for record, (edition, _sent), got in zip(records, cases, browser, strict=True):
        want = engine_answer(edition, dict(engine_input(record)))
        if got != want:
            disagreements.append(f"{record.origin}: engine {want}, browser {got}")
    assert not disagreements, "\n".join(disagreements[:20])
    scored = [a["result"] for a in browser if "result" in a]
    assert len(scored) == WORKBOOK_ROWS  # the official rows are all valid
    assert {r["status"] for r in scored} == {"Free", "Partly Free", "Not Free"}


def test_browser_scorer_reports_the_engines_problems(page: Page) -> None:
    rules = load_index("fiw")
    good = {code: 2 for code in rules.indicator_codes()}
    first, second, *_ = rules.indicator_codes()
    absent = next(d for d in rules.discretionary if d.last is not None)  # Add A: to 2017
    top = rules.indicator(first).max
    cases: list[tuple[Any, dict[str, object]]] = [
        (2024, {**good, first: top + 1, second: "x"}),
        (2024, {k: v for k, v in good.items() if k != first}),
        (2024, {**good, "Q": -2}),
        (2024, {**good, "Q": "3"}),
        (2024, {**good, first: "3.0", second: " −0 "}),
        (2024, {**good, first: 2.5, second: True}),
        (absent.last + 1, {**good, absent.code: 1}),
        (absent.last, {**good, absent.code: 2}),
        (2024, {**good, "Z9": 1}),
        (rules.first_scored_edition - 1, good),
        (2031, {code: rules.indicator(code).max for code in good}),
        (2024, {code: 0 for code in good} | {"Q": 4}),  # PR below zero: rating 7
    ]
    got = in_browser(page, "fiw", cases)
    want = [engine_answer(edition, scores) for edition, scores in cases]
    assert got == want
    assert "problems" in got[0] and len(got[0]["problems"]) == 2


def test_browser_scorer_follows_the_other_index(page: Page) -> None:
    """Freedom on the Net: categories without aggregates, status graded on the total."""
    rules = load_index("fotn")
    rng = random.Random(2024)
    edition = max(rules.first_scored_edition, 2024)
    cases: list[tuple[Any, dict[str, object]]] = [
        (edition, {i.code: rng.randint(i.min, i.max) for i in rules.indicators}) for _ in range(200)
    ]
    got = in_browser(page, "fotn", cases)
    assert got == [engine_answer(e, s, index="fotn") for e, s in cases]
    assert len({g["result"]["status"] for g in got}) > 1

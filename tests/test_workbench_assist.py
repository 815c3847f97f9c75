"""The score assistant in the workbench (SQLite and PostgreSQL): a draft's narratives judged
like the store's reports, the suggestion per indicator through the draft's access rules, a
warning on a score the text does not support, and a quiet note (never an error) without a
model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from fiw.assist import UNSUPPORTED, load_corpus, suggest_draft, unsupported
from fiw.methodology.vocabulary import INDICATORS
from fiw.pages import parse_file
from fiw.settings import Settings
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.workbench import Workbench
from tests.assist_data import Slice, assist_slice  # noqa: F401  (the fixture)
from tests.conftest import _fresh_url
from tests.web_server import ThreadServer
from tests.workbench_support import PASSWORD, login

EDITION = 2025  # after the workbooks' last edition: the workbench drafts it
DRAFT = f"/api/v1/workbench/drafts/kazakhstan/{EDITION}"


def _narratives(path: Path) -> dict[str, str]:
    return {i.code: "\n\n".join(i.paragraphs) for i in parse_file(path).indicators}


def test_a_draft_is_judged_as_the_same_report_in_the_store(assist_slice: Slice) -> None:  # noqa: F811
    """Narratives typed into a draft get the probabilities `fiw assist check` gives the same
    text as a stored report (same history, same answer-free text)."""
    ds = assist_slice.dataset()
    stored = [c for c in load_corpus(ds, [2023]).cells if c.country_id == "kazakhstan"]
    expected = assist_slice.model.judge(stored)
    report = parse_file(assist_slice.pages / "2023" / "kazakhstan.txt")
    scores = {i.code: i.score for i in report.indicators}
    got = suggest_draft(
        assist_slice.model, "kazakhstan", "Kazakhstan", 2023, scores,
        _narratives(assist_slice.pages / "2023" / "kazakhstan.txt"),
        ds.report("kazakhstan", 2022),
    )  # fmt: skip
    ds.engine.dispose()
    assert [s.indicator for s in got] == list(INDICATORS)
    by_code = {s.indicator: s for s in expected}
    for row in got:
        assert row.previous is not None  # the 2022 report is the history
        assert row.probabilities == pytest.approx(by_code[row.indicator].probabilities, abs=1e-9)
        assert unsupported(row) == (row.suspicion is not None and row.suspicion >= UNSUPPORTED)


@pytest.fixture(scope="module")
def drafted(
    assist_slice: Slice,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    workbooks: list[Path],
) -> Iterator[str]:
    """A store (the slice's backend) with the workbooks and the slice's pages, its users, and
    edition 2025 opened for drafting."""
    backend = "sqlite" if assist_slice.url.startswith("sqlite") else "postgresql"
    for url in _fresh_url(backend, tmp_path_factory.mktemp("wb-assist")):
        engine = make_engine(url)
        import_files(engine, [*workbooks, assist_slice.pages])
        wb = Workbench(engine)
        for name, role in {"admin": "admin", "ana": "analyst", "bob": "analyst",
                           "rita": "reviewer"}.items():  # fmt: skip
            wb.add_user(name, role, PASSWORD)
        wb.assign("ana", ["kazakhstan"])
        wb.assign("bob", ["Russia"])
        wb.open_edition(wb.system_actor("admin"), EDITION)
        yield url
        engine.dispose()


@contextmanager
def _client(server: ThreadServer, name: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        login(c, name)
        yield c


def _plant(ana: httpx.Client, pages: Path) -> tuple[int, dict[str, object]]:
    """Write the 2023 Kazakhstan narratives into the draft, then set C2 to the score the
    assistant gives the least probability; that score and the first answer's C2."""
    draft = ana.get(DRAFT).json()
    narratives = _narratives(pages / "2023" / "kazakhstan.txt")
    saved = ana.put(DRAFT, json={"narratives": narratives},
                    headers={"If-Match": str(draft["revision"])})  # fmt: skip
    assert saved.status_code == 200, saved.text
    first = ana.get(DRAFT + "/suggestions").json()
    assert first["available"] is True and first["threshold"] == UNSUPPORTED
    assert list(first["suggestions"]) == list(INDICATORS)
    c2: dict[str, object] = first["suggestions"]["C2"]
    probabilities = first["suggestions"]["C2"]["probabilities"]
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-3)
    worst = min(range(len(probabilities)), key=lambda s: probabilities[s])
    edit: dict[str, object] = {"scores": {"C2": worst}}
    if worst != draft["previous"]["scores"]["C2"]:
        edit["reasons"] = {"C2": "a planted score"}
    again = ana.put(DRAFT, json=edit, headers={"If-Match": str(saved.json()["revision"])})
    assert again.status_code == 200, again.text
    return worst, c2


def test_the_editor_gets_a_suggestion_per_score_and_a_warning_on_an_unsupported_one(
    drafted: str,
    assist_slice: Slice,  # noqa: F811
) -> None:
    settings = Settings(database_url=drafted, assist_model=assist_slice.model_path)
    with ThreadServer(settings) as server, _client(server, "ana") as ana:
        worst, _ = _plant(ana, assist_slice.pages)
        answer = ana.get(DRAFT + "/suggestions").json()
        flagged = answer["suggestions"]["C2"]
        assert flagged["score"] == worst and flagged["unsupported"] is True
        assert flagged["suspicion"] == pytest.approx(1 - flagged["probabilities"][worst], abs=1e-3)
        for row in answer["suggestions"].values():
            assert row["unsupported"] == (row["suspicion"] >= UNSUPPORTED)
        with _client(server, "rita") as rita:  # the reviewer sees the same warning
            seen = rita.get(DRAFT + "/suggestions")
            assert seen.status_code == 200
            assert seen.json()["suggestions"]["C2"]["unsupported"] is True
        with _client(server, "bob") as bob:  # not his country: the draft's own rule
            assert bob.get(DRAFT + "/suggestions").status_code == 403


def test_without_a_model_the_editor_gets_a_quiet_note_naming_the_command(
    drafted: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=drafted, assist_model=tmp_path / "none.joblib")
    with ThreadServer(settings) as server:
        with _client(server, "admin") as admin:
            r = admin.get(DRAFT + "/suggestions")
            assert r.status_code == 200
            body = r.json()
            assert body["available"] is False and body["suggestions"] == {}
            assert "fiw assist train" in body["note"]
        with _client(server, "ana") as ana:
            note = ana.get(DRAFT + "/suggestions").json()["note"]
            assert "admin" in note and str(tmp_path) not in note


@pytest.mark.browser
def test_the_editor_page_shows_the_suggestion_and_the_warning(
    drafted: str,
    assist_slice: Slice,  # noqa: F811
    browser: Browser,
) -> None:
    settings = Settings(database_url=drafted, assist_model=assist_slice.model_path)
    with ThreadServer(settings) as server:
        with _client(server, "ana") as ana:
            worst, c2 = _plant(ana, assist_slice.pages)
        context = browser.new_context(base_url=server.url)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        editor = f"/workbench/drafts/kazakhstan/{EDITION}"
        page.goto(editor)
        page.get_by_label("User name").fill("rita")  # the reviewer sees it too
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(editor)
        slot = page.locator('[data-suggestion="C2"]')
        expect(slot).to_contain_text(f"Suggested: {c2['suggested']}")
        expect(page.locator("#assist-C2")).to_contain_text(f"does not support {worst}")
        expect(page.locator("#assistant-note")).to_be_hidden()
        assert errors == []
        context.close()

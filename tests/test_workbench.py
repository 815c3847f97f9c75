"""The workbench library on SQLite and PostgreSQL: opening an edition, revisions with
optimistic locking, validation, review, publishing into the store, progress, export."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from fiw.methodology.vocabulary import INDICATORS
from fiw.pages import parse_page
from fiw.store.dataset import Dataset
from fiw.store.state import data_version
from fiw.workbench import Edit
from fiw.workbench.drafts import prefilled
from fiw.workbench.errors import Conflict, Forbidden, Invalid, StateError
from tests.conftest import BACKENDS
from tests.workbench_support import EDITION, Store, assert_inert_html, make_store

SCRIPTED = (
    "Protests <script>alert('x')</script> spread. <img src=x onerror=alert(1)> "
    '[see](javascript:alert(2)) <a href="javascript:alert(3)">link</a>'
)


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[Store]:
    yield from make_store(request.param, tmp_path_factory.mktemp("wb"), workbooks)


def _scores_2024(store: Store, country: str) -> dict[str, int]:
    row = Dataset(store.workbench.engine).scores(edition=2024, country=country).iloc[0]
    return {code: int(row[code]) for code in INDICATORS}


def test_opening_an_edition_drafts_every_country_of_the_previous_one(store: Store) -> None:
    admin = store.actor("admin")
    drafts = store.workbench.drafts(admin, edition=EDITION)
    previous = Dataset(store.workbench.engine).scores(edition=2024)
    assert sorted(d["country_id"] for d in drafts) == sorted(previous["country_id"])
    kaz = store.workbench.draft(admin, "kazakhstan", EDITION)
    assert kaz["state"] == "draft" and kaz["revision"] == 1
    assert kaz["scores"] == _scores_2024(store, "kazakhstan")
    assert kaz["previous"]["edition"] == 2024
    assert kaz["result"]["total"] == kaz["previous"]["result"]["total"]
    again = store.workbench.open_edition(admin, EDITION)
    assert again["created"] == []


def test_a_draft_is_prefilled_from_the_previous_report(seed_path: Path) -> None:
    report = parse_page(seed_path.read_text(encoding="utf-8"), source=seed_path)
    row = {code.lower(): score for code, score in report.scores.items()} | {"q": report.q}

    class Row:
        _mapping = row
        q = report.q

    content = prefilled(Row(), report)
    assert content.scores == report.scores
    assert content.overview == report.overview
    assert content.key_developments == list(report.key_developments)
    assert content.narratives["A1"].startswith(report.indicator("A1").paragraphs[0][:40])
    assert not any("Score Change:" in text for text in content.narratives.values())


def test_only_an_admin_opens_an_edition(store: Store) -> None:
    with pytest.raises(Forbidden):
        store.workbench.open_edition(store.actor("ana"), 2026)


def test_a_save_is_a_new_revision_with_the_recomputed_result(store: Store) -> None:
    wb, ana = store.workbench, store.actor("ana")
    before = wb.draft(ana, "kyrgyzstan", EDITION)
    a1 = before["scores"]["A1"]
    new = a1 + 1 if a1 < 4 else a1 - 1
    saved = wb.save(ana, "kyrgyzstan", EDITION, before["revision"],
                    Edit(scores={"A1": new}, reasons={"A1": "a free election"}))  # fmt: skip
    assert saved["revision"] == before["revision"] + 1
    assert saved["scores"]["A1"] == new
    assert saved["result"]["total"] == before["result"]["total"] + (new - a1)
    assert saved["changed"] == ["A1"]
    history = wb.revisions(ana, "kyrgyzstan", EDITION)
    assert [r["kind"] for r in history][-1] == "save"
    assert history[-1]["author"] == "ana" and history[-1]["changed"] == ["scores.A1", "reasons.A1"]


def test_a_save_lists_every_problem_and_writes_nothing(store: Store) -> None:
    wb, admin = store.workbench, store.actor("admin")
    before = wb.draft(admin, "norway", EDITION)
    changed = 3 if before["scores"]["B1"] != 3 else 2
    with pytest.raises(Invalid) as caught:
        wb.save(admin, "norway", EDITION, before["revision"],
                Edit(scores={"A1": 5, "B1": changed, "Z9": 1}, q=7))  # fmt: skip
    fields = {p["field"] for p in caught.value.problems}
    assert fields == {"A1", "Q", "B1", "scores.Z9"}
    assert wb.draft(admin, "norway", EDITION)["revision"] == before["revision"]


def test_two_saves_on_one_revision_one_conflicts_and_no_text_is_lost(store: Store) -> None:
    wb, admin, ana = store.workbench, store.actor("admin"), store.actor("ana")
    base = wb.draft(ana, "kazakhstan", EDITION)["revision"]
    texts = {"admin": "Admin's account of the election.", "ana": "Ana's account of the vote."}
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def edit(name: str) -> None:
        who = admin if name == "admin" else ana
        start.wait()
        try:
            outcomes[name] = wb.save(who, "kazakhstan", EDITION, base,
                                     Edit(narratives={"A2": texts[name]}))  # fmt: skip
        except Conflict as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=edit, args=(n,)) for n in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = {n: o for n, o in outcomes.items() if isinstance(o, Conflict)}
    assert len(conflicts) == 1, outcomes
    ((loser, conflict),) = conflicts.items()
    winner = next(n for n in texts if n != loser)
    assert conflict.yours == {"narratives": {"A2": texts[loser]}}
    assert conflict.theirs["narratives"]["A2"] == texts[winner]
    assert conflict.theirs["revision"] == base + 1
    assert wb.draft(admin, "kazakhstan", EDITION)["narratives"]["A2"] == texts[winner]


def test_stale_save_is_refused_with_both_versions(store: Store) -> None:
    wb, admin = store.workbench, store.actor("admin")
    base = wb.draft(admin, "chile", EDITION)["revision"]
    wb.save(admin, "chile", EDITION, base, Edit(overview="First."))
    with pytest.raises(Conflict) as caught:
        wb.save(admin, "chile", EDITION, base, Edit(overview="Second."))
    assert caught.value.yours == {"overview": "Second."}
    assert caught.value.theirs["overview"] == "First."


def test_restore_adds_a_revision_with_the_old_content(store: Store) -> None:
    wb, admin = store.workbench, store.actor("admin")
    first = wb.draft(admin, "peru", EDITION)
    one = wb.save(admin, "peru", EDITION, first["revision"], Edit(overview="One."))
    two = wb.save(admin, "peru", EDITION, one["revision"], Edit(overview="Two."))
    diff = wb.diff(admin, "peru", EDITION, one["revision"], two["revision"])
    assert diff["changes"] == [{"field": "overview", "a": "One.", "b": "Two."}]
    restored = wb.restore(admin, "peru", EDITION, two["revision"], one["revision"])
    assert restored["overview"] == "One." and restored["revision"] == two["revision"] + 1
    kinds = [r["kind"] for r in wb.revisions(admin, "peru", EDITION)]
    assert kinds == ["open", "save", "save", "restore"]


def test_access_follows_roles_and_assignments(store: Store) -> None:
    wb, ana, rita = store.workbench, store.actor("ana"), store.actor("rita")
    with pytest.raises(Forbidden):
        wb.draft(ana, "russia", EDITION)
    assert {d["country_id"] for d in wb.drafts(ana, edition=EDITION)} == {
        "kazakhstan",
        "kyrgyzstan",
    }
    assert wb.draft(rita, "russia", EDITION)["country_id"] == "russia"
    with pytest.raises(Forbidden):
        wb.save(rita, "russia", EDITION, 1, Edit(overview="A reviewer's edit."))


def _change_one(store: Store, country: str, who: str) -> dict[str, object]:
    wb, actor = store.workbench, store.actor(who)
    draft = wb.draft(actor, country, EDITION)
    b2 = draft["scores"]["B2"]
    new = b2 + 1 if b2 < 4 else b2 - 1
    return wb.save(actor, country, EDITION, draft["revision"],
                   Edit(scores={"B2": new}, reasons={"B2": "opposition parties registered"},
                        narratives={"B2": SCRIPTED}))  # fmt: skip


def test_review_publish_and_provenance(store: Store) -> None:
    wb = store.workbench
    ana, rita, rene = store.actor("ana"), store.actor("rita"), store.actor("rene")
    saved = _change_one(store, "kazakhstan", "ana")
    with pytest.raises(Forbidden):
        wb.transition(ana, "kazakhstan", EDITION, "approve")
    with pytest.raises(StateError):
        wb.transition(rita, "kazakhstan", EDITION, "approve")  # not submitted yet
    wb.transition(ana, "kazakhstan", EDITION, "submit")
    with pytest.raises(StateError):
        wb.save(ana, "kazakhstan", EDITION, int(saved["revision"]), Edit(overview="late"))  # type: ignore[call-overload]
    returned = wb.transition(rita, "kazakhstan", EDITION, "return", {"B2": "cite the law"})
    assert returned["state"] == "returned" and returned["comments"] == {"B2": "cite the law"}
    fixed = wb.save(ana, "kazakhstan", EDITION, returned["revision"],
                    Edit(narratives={"B2": SCRIPTED + " The law is cited."}))  # fmt: skip
    wb.transition(ana, "kazakhstan", EDITION, "submit")
    wb.transition(rita, "kazakhstan", EDITION, "approve")
    with pytest.raises(Forbidden):
        wb.transition(ana, "kazakhstan", EDITION, "publish")
    with store.workbench.engine.connect() as connection:
        version = data_version(connection)
    published = wb.transition(rene, "kazakhstan", EDITION, "publish")
    assert published["state"] == "published"
    assert published["published"]["approver"] == "rita"
    assert published["published"]["publisher"] == "rene"
    assert published["published"]["revision"] == fixed["revision"]
    steps = [(t["from"], t["to"], t["user"]) for t in wb.transitions(rita, "kazakhstan", EDITION)]
    assert steps == [
        ("draft", "submitted", "ana"), ("submitted", "returned", "rita"),
        ("returned", "submitted", "ana"), ("submitted", "approved", "rita"),
        ("approved", "published", "rene"),
    ]  # fmt: skip
    engine = store.workbench.engine
    with engine.connect() as connection:
        assert data_version(connection) == version + 1
        source = connection.execute(
            text(
                "SELECT f.kind, f.name FROM assessments a JOIN source_files f "
                "ON f.id = a.source_file_id WHERE a.country_id = 'kazakhstan' AND a.edition = :e"
            ),
            {"e": EDITION},
        ).one()
    assert source.kind == "workbench"
    assert source.name == f"fiw workbench: kazakhstan {EDITION} revision {fixed['revision']}"
    ds = Dataset(engine)
    row = ds.scores(edition=EDITION, country="kazakhstan").iloc[0]
    assert int(row["B2"]) == fixed["scores"]["B2"] and int(row["total"]) == fixed["result"]["total"]
    assert row["status"] == fixed["result"]["status"]
    report = ds.report("kazakhstan", EDITION)
    assert report is not None and report.total == fixed["result"]["total"]
    b2 = report.indicator("B2")
    assert b2.score_change is not None and b2.score_change.to_score == fixed["scores"]["B2"]
    assert not any("<script" in p or "javascript:" in p for p in b2.paragraphs)


def test_self_approval_is_refused(store: Store) -> None:
    wb, admin = store.workbench, store.actor("admin")
    _change_one(store, "japan", "admin")
    wb.transition(admin, "japan", EDITION, "submit")
    with pytest.raises(Forbidden):
        wb.transition(admin, "japan", EDITION, "approve")


def test_a_published_assessment_changes_only_through_review_again(store: Store) -> None:
    wb, admin, rita = store.workbench, store.actor("admin"), store.actor("rita")
    _change_one(store, "ghana", "admin")
    for who, action in ((admin, "submit"), (rita, "approve"), (rita, "publish")):
        wb.transition(who, "ghana", EDITION, action)
    published = wb.draft(admin, "ghana", EDITION)
    edited = wb.save(admin, "ghana", EDITION, published["revision"], Edit(overview="Update."))
    assert edited["state"] == "draft"
    row = Dataset(wb.engine).report("ghana", EDITION)
    assert row is not None and row.overview != "Update."


def test_export_text_reads_back_to_the_same_scores_and_narratives_are_inert(store: Store) -> None:
    wb, ana = store.workbench, store.actor("ana")
    saved = _change_one(store, "kyrgyzstan", "ana")
    page, media = wb.export(ana, "kyrgyzstan", EDITION, "text")
    assert media.startswith("text/plain")
    report = parse_page(page.decode(), edition=EDITION)
    assert report.scores == saved["scores"]
    assert report.total == saved["result"]["total"] and report.q == saved["q"]
    assert report.status is not None and report.status.value == saved["result"]["status"]
    assert not report.problems
    for fmt in ("text", "md"):  # plain text: no tag and no script URL survives
        body = wb.export(ana, "kyrgyzstan", EDITION, fmt)[0].decode().lower()
        assert "<script" not in body and "onerror" not in body and "javascript:" not in body
        assert "protests" in body and "spread." in body
    html = wb.export(ana, "kyrgyzstan", EDITION, "html")[0].decode()
    assert_inert_html(html)
    assert "Protests" in html
    pdf, media = wb.export(ana, "kyrgyzstan", EDITION, "pdf")
    assert pdf.startswith(b"%PDF") and media == "application/pdf"


def test_progress_counts_states_and_missing_reasons(store: Store) -> None:
    wb, admin = store.workbench, store.actor("admin")
    draft = _change_one(store, "mali", "admin")
    report = wb.progress(admin, EDITION)
    assert report["total"] == len(wb.drafts(admin, edition=EDITION))
    assert sum(report["by_state"].values()) == report["total"]
    assert sum(report["by_analyst"]["ana"].values()) == 2
    assert all(c["reason"] for c in report["changed"])
    assert report["missing_reasons"] == []
    drafts = wb.drafts(admin, edition=EDITION)
    for region, counts in report["by_region"].items():
        assert sum(counts.values()) == sum(d["region"] == region for d in drafts)
    changed = {(c["country_id"], c["code"]) for c in report["changed"]}
    assert ("mali", "B2") in changed
    assert draft["problems"] == []


def test_passwords_are_stored_as_argon2_hashes(store: Store) -> None:
    with store.workbench.engine.connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM wb_users")).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_sessions_expire_rotate_and_end(store: Store) -> None:
    from fiw.workbench import LoginPolicy, Workbench
    from fiw.workbench.errors import NotLoggedIn, Throttled

    short = Workbench(store.workbench.engine, LoginPolicy(session_hours=0.5 / 3600, limit=3))
    first = short.login("rene", "correct horse battery", "10.0.0.1", None)
    assert short.session(first.token).actor.name == "rene"
    second = short.login("rene", "correct horse battery", "10.0.0.1", first.token)
    with pytest.raises(NotLoggedIn):
        short.session(first.token)  # the id rotated: the old one is gone
    time.sleep(0.6)
    with pytest.raises(NotLoggedIn):
        short.session(second.token)  # expired
    third = store.workbench.login("bob", "correct horse battery", "10.0.0.2", None)
    assert store.workbench.logout(third.token)
    with pytest.raises(NotLoggedIn):
        store.workbench.session(third.token)
    for _ in range(3):
        with pytest.raises(NotLoggedIn):
            short.login("nobody", "wrong", "10.0.0.3", None)
    with pytest.raises(Throttled):
        short.throttle_delay("nobody", "10.0.0.3")
    assert short.throttle_delay("rene", "10.0.0.9") == 0


def test_publishing_an_edition_whose_drafts_are_all_approved_completes_it(store: Store) -> None:
    wb = store.workbench
    admin, rita, rene = store.actor("admin"), store.actor("rita"), store.actor("rene")
    _change_one(store, "iceland", "admin")
    for who, action in ((admin, "submit"), (rita, "approve"), (rene, "publish")):
        wb.transition(who, "iceland", EDITION, action)
    later = EDITION + 1
    opened = wb.open_edition(admin, later)
    assert opened["previous"] == EDITION and "iceland" in {
        d["country_id"] for d in opened["created"]
    }
    first = opened["created"][0]["country_id"]
    wb.transition(admin, first, later, "submit")
    if len(opened["created"]) > 1:
        with pytest.raises(StateError):
            wb.publish_edition(rene, later)  # some drafts are not approved yet
    for draft in opened["created"]:
        if draft["country_id"] != first:
            wb.transition(admin, draft["country_id"], later, "submit")
        wb.transition(rita, draft["country_id"], later, "approve")
    done = wb.publish_edition(rene, later)
    assert sorted(done["published"]) == sorted(d["country_id"] for d in opened["created"])
    assert wb.progress(admin, later)["completed"] is True
    assert Dataset(wb.engine).scores(edition=later, country="iceland").shape[0] == 1


def test_a_save_is_one_read_and_one_write_and_every_revision_stays(store: Store) -> None:
    """A save reads the draft once and writes once (PostgreSQL: move and append in one
    statement; SQLite: both in one transaction), and the history keeps every revision."""
    wb, admin = store.workbench, store.actor("admin")
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()[:1]).upper())

    before = wb.draft(admin, "peru", EDITION)
    event.listen(wb.engine, "before_cursor_execute", record)
    try:
        saved = wb.save(admin, "peru", EDITION, before["revision"], Edit(narratives={"C1": "x"}))
    finally:
        event.remove(wb.engine, "before_cursor_execute", record)
    postgres = wb.engine.dialect.name == "postgresql"
    assert statements == (["SELECT", "WITH"] if postgres else ["SELECT", "UPDATE", "INSERT"])
    assert saved["revision"] == before["revision"] + 1 and saved["authors"] == ["admin"]
    history = wb.revisions(admin, "peru", EDITION)
    assert [r["revision"] for r in history] == list(range(1, saved["revision"] + 1))
    assert history[-1]["changed"] == ["narratives.C1"] and history[-1]["author"] == "admin"
    assert wb.draft(admin, "peru", EDITION) == saved


def test_an_active_session_is_seen_again_so_it_does_not_idle_out(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select, update

    from fiw.workbench.accounts import aware
    from fiw.workbench.sessions import SESSIONS, _digest

    wb = store.workbench
    opened = wb.login("rita", "correct horse battery", "10.0.0.7", None)
    earlier = datetime.now(UTC) - timedelta(minutes=5)
    with wb.engine.begin() as connection:
        connection.execute(
            update(SESSIONS).where(SESSIONS.c.id == _digest(opened.token)).values(seen_at=earlier)
        )
    assert wb.session(opened.token).actor.name == "rita"
    with wb.engine.connect() as connection:
        seen = connection.execute(
            select(SESSIONS.c.seen_at).where(SESSIONS.c.id == _digest(opened.token))
        ).scalar_one()
    assert aware(seen) > earlier + timedelta(minutes=4)  # written, and committed


def test_a_draft_submitted_between_a_saves_read_and_write_takes_no_edit(store: Store) -> None:
    """PostgreSQL reads the draft, then writes in a statement of its own: a submit that
    lands in between makes the write find nothing to move, and the save answers the state."""
    wb, admin = store.workbench, store.actor("admin")
    if wb.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads and writes a save in one transaction")
    before = wb.draft(admin, "uruguay", EDITION)
    submitted: list[str] = []

    def submit_first(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().startswith("WITH") and not submitted:
            submitted.append(wb.transition(admin, "uruguay", EDITION, "submit")["state"])

    event.listen(wb.engine, "before_cursor_execute", submit_first)
    try:
        with pytest.raises(StateError):
            wb.save(admin, "uruguay", EDITION, before["revision"], Edit(overview="Too late."))
    finally:
        event.remove(wb.engine, "before_cursor_execute", submit_first)
    assert submitted == ["submitted"]
    after = wb.draft(admin, "uruguay", EDITION)
    assert after["state"] == "submitted" and after["revision"] == before["revision"]
    assert after["overview"] == before["overview"]
    history = wb.revisions(admin, "uruguay", EDITION)
    assert [r["revision"] for r in history] == list(range(1, before["revision"] + 1))

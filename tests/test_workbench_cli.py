"""`fiw user …`, `fiw edition open`, and `fiw export` of a published assessment (both
backends)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiw.cli import app
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.workbench import Edit, Workbench
from tests.conftest import BACKENDS, _fresh_url

runner = CliRunner()


@pytest.fixture(scope="module", params=BACKENDS)
def url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[str]:
    for found in _fresh_url(request.param, tmp_path_factory.mktemp("wb-cli")):
        engine = make_engine(found)
        import_files(engine, workbooks)
        engine.dispose()
        yield found


def fiw(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_users_editions_and_export_of_a_published_assessment(url: str, tmp_path: Path) -> None:
    db = ["--database", url]
    assert fiw("user", "add", "root", "--role", "admin", "--password-stdin", *db,
               stdin="long enough secret\n")[0] == 0  # fmt: skip
    code, _, err = fiw("user", "add", "root", "--role", "admin", "--password-stdin", *db,
                       stdin="another secret\n")  # fmt: skip
    assert code == 2 and "exists already" in err
    code, _, err = fiw("user", "add", "x", "--role", "boss", "--password-stdin", *db, stdin="p" * 9)
    assert code == 2 and "role 'boss'" in err
    for name, role in (("ana", "analyst"), ("rita", "reviewer")):
        assert fiw("user", "add", name, "--role", role, "--password-stdin", *db,
                   stdin="long enough secret\n")[0] == 0  # fmt: skip
    code, out, _ = fiw("user", "assign", "ana", "KAZ", "Kyrgyzstan", *db)
    assert code == 0 and "kazakhstan, kyrgyzstan" in out
    code, _, err = fiw("user", "assign", "ana", "Atlantis", *db)
    assert code != 0 and "Atlantis" in err
    code, out, _ = fiw("edition", "open", "2025", "--json", *db)
    assert code == 0
    opened = json.loads(out)
    assert opened["previous"] == 2024 and len(opened["created"]) > 190
    code, out, _ = fiw("user", "list", "--json", *db)
    users = {u["name"]: u for u in json.loads(out)}
    assert (
        users["ana"]["countries"] == ["kazakhstan", "kyrgyzstan"]
        and users["rita"]["role"] == "reviewer"
    )
    assert fiw("user", "disable", "rita", *db)[0] == 0
    code, out, _ = fiw("user", "list", "--json", *db)
    assert {u["name"]: u["disabled"] for u in json.loads(out)}["rita"] is True

    wb = Workbench(make_engine(url))
    wb.add_user("rene", "reviewer", "long enough secret")
    ana, rene = wb.system_actor("ana"), wb.system_actor("rene")
    draft = wb.draft(ana, "kazakhstan", 2025)
    g1 = draft["scores"]["G1"]
    new = g1 + 1 if g1 < 4 else g1 - 1
    wb.save(ana, "kazakhstan", 2025, draft["revision"],
            Edit(scores={"G1": new}, reasons={"G1": "freedom of movement restored"}))  # fmt: skip
    for who, action in ((ana, "submit"), (rene, "approve"), (rene, "publish")):
        wb.transition(who, "kazakhstan", 2025, action)
    target = tmp_path / "scores.json"
    code, _, err = fiw(
        "export", "--format", "json", "--edition", "2025", *db, "--output", str(target)
    )
    assert code == 0, err
    rows = json.loads(target.read_text())
    kaz = [r for r in rows if r.get("country_id") == "kazakhstan"]
    assert len(kaz) == 1 and kaz[0]["G1"] == new

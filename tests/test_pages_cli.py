"""`fiw parse` and `fiw render`: output, exit codes, folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiw.cli import app
from tests.pages_corpus import shared

runner = CliRunner()


def test_parse_json_prints_one_object_and_exits_0() -> None:
    result = runner.invoke(app, ["parse", str(shared("seed", "kazakhstan-2023.txt")), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["pr"], data["cl"], data["total"], data["status"]) == (5, 18, 23, "Not Free")
    assert len(data["indicators"]) == 25


def test_parse_summary_is_readable() -> None:
    result = runner.invoke(app, ["parse", str(shared("seed", "kazakhstan-2023.txt"))])
    assert result.exit_code == 0
    assert "Kazakhstan" in result.stdout and "Not Free" in result.stdout
    assert "no problems" in result.stdout


def test_parse_with_problems_exits_1(tmp_path: Path) -> None:
    text = shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")
    page = tmp_path / "kazakhstan-2023.txt"
    page.write_text(text.replace("PR Political Rights 5 40", "PR Political Rights 6 40"))
    result = runner.invoke(app, ["parse", str(page), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert problems and problems[0]["lines"] == [2]


@pytest.mark.parametrize("name", ["refuse-empty", "refuse-stub", "refuse-nations-in-transit"])
def test_refused_page_exits_2_with_message_and_no_traceback(name: str) -> None:
    result = runner.invoke(app, ["parse", str(shared("data", "page-variants", f"{name}.txt"))])
    assert result.exit_code == 2
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_parse_folder_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "2019"
    folder.mkdir()
    source = shared("data", "pages", "2019")
    names = sorted(p.name for p in source.glob("*.txt"))[:12]
    for name in names:
        (folder / name).write_text((source / name).read_text(encoding="utf-8"))
    result = runner.invoke(app, ["parse", str(folder), "--jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["file"]).name for r in rows] == names
    assert all(r["edition"] == 2019 for r in rows)
    (folder / "zz-empty.txt").write_text("")
    result = runner.invoke(app, ["parse", str(folder), "--jsonl"])
    assert result.exit_code == 2
    assert "error" in json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_render_from_parse_json(tmp_path: Path, fmt: str) -> None:
    seed = shared("seed", "kazakhstan-2023.txt")
    parsed = runner.invoke(app, ["parse", str(seed), "--json"])
    report = tmp_path / "k.json"
    report.write_text(parsed.stdout)
    result = runner.invoke(app, ["render", str(report), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "text":
        assert result.stdout.rstrip() == seed.read_text(encoding="utf-8").rstrip()
    else:
        assert "Kazakhstan" in result.stdout


def test_render_bad_json_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"country": "X"}')
    result = runner.invoke(app, ["render", str(bad)])
    assert result.exit_code == 2
    assert "bad.json" in result.stderr and "Traceback" not in result.stderr


def test_page_text_is_printed_as_text_not_rich_markup(tmp_path: Path) -> None:
    text = shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "narnia.txt").write_text(text.replace("\nOn Kazakhstan\n", "\nOn [bold]Narnia\n"))
    single = runner.invoke(app, ["parse", str(folder / "narnia.txt")])
    assert "[bold]Narnia, Freedom in the World 2023" in single.stdout
    table = runner.invoke(app, ["parse", str(folder)])
    assert "[bold]Narnia" in table.stdout

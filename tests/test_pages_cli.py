"""`fiw parse` and `fiw render`: output, exit codes, folders."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiw.cli import app
from tests.fuzz_pages import fiw_command
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


# --- page text is data, never Rich markup -------------------------------------------------------

MARKUP_SEED = (
    shared("seed", "kazakhstan-2023.txt")
    .read_text(encoding="utf-8")
    .replace("\nOn Kazakhstan\n", "\nOn Kazakhstan[/x]\n")
    .replace(
        "header1 Overview",
        "header1 Note [bold]\n\nSee [/red] [link=x]here[/link].\n\nheader2 Overview",
    )
)


def test_parse_prints_page_text_that_looks_like_markup_as_text(tmp_path: Path) -> None:
    page = tmp_path / "kazakhstan-2023.txt"
    page.write_text(MARKUP_SEED, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(page)], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Kazakhstan[/x]" in result.stdout
    assert "Note [bold]: See [/red] [link=x]here[/link]." in result.stdout


def test_parse_errors_and_folders_print_markup_as_text(tmp_path: Path) -> None:
    good = tmp_path / "kazakhstan-2023.txt"
    good.write_text(MARKUP_SEED, encoding="utf-8")
    bad = tmp_path / "bad[red]-2023.txt"
    bad.write_text(
        MARKUP_SEED.replace("PR Political Rights 5 40", "PR [/x] 5 40"), encoding="utf-8"
    )
    one = runner.invoke(app, ["parse", str(bad)])
    assert one.exit_code == 2 and "Traceback" not in one.output
    assert "bad[red]-2023.txt, line 2" in one.stderr and "'PR [/x] 5 40'" in one.stderr
    folder = subprocess.run(
        [*fiw_command(), "parse", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        check=False,
    )
    assert folder.returncode == 2, folder.stderr
    assert "Kazakhstan[/x]" in folder.stdout and "PR [/x] 5 40" in folder.stdout
    assert "bad[red]-2023.txt" in folder.stdout and "Traceback" not in folder.stderr


def test_import_error_naming_markup_text_exits_2_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "kazakhstan-2023.txt"
    bad.write_text(
        MARKUP_SEED.replace("PR Political Rights 5 40", "PR [/x] 5 40"), encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 'fiw.sqlite'}"
    result = runner.invoke(app, ["import", str(bad), "--database", url])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "'PR [/x] 5 40'" in result.stderr


def test_a_changed_maximum_exits_1_with_its_line(tmp_path: Path) -> None:
    text = shared("seed", "kazakhstan-2023.txt").read_text(encoding="utf-8")
    page = tmp_path / "kazakhstan-2023.txt"
    page.write_text(text.replace("exploitation? 2.002 4.004", "exploitation? 2.002 0.000"))
    result = runner.invoke(app, ["parse", str(page), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [p["message"][:26] for p in problems] == [
        "G4 is printed out of 0, bu",
        "G4 is scored 2, outside it",
    ]

"""`fiw assist …` on the CLI: JSON lines in the issue's shape, exit codes, and a clear
message naming `fiw assist train` (never a traceback) when the model is missing or stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiw.cli import app
from tests.assist_data import COUNTRIES, Slice, assist_slice

runner = CliRunner()
FIELDS = [
    "country_id", "country", "edition", "indicator", "score", "suggested", "probabilities",
    "direction", "suspicion", "sentences",
]  # fmt: skip


def fiw(args: list[str], model: Path, url: str | None = None) -> object:
    env = {"FIW_ASSIST_MODEL": str(model)}
    if url is not None:
        env["FIW_DATABASE_URL"] = url
    return runner.invoke(app, ["assist", *args], env=env)


def test_check_edition_json_lines_most_suspicious_first(assist_slice: Slice) -> None:
    result = fiw(
        ["check", "--edition", "2023", "--top", "7", "--json"],
        assist_slice.model_path,
        assist_slice.url,
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert len(rows) == 7
    assert all(list(row) == FIELDS for row in rows)
    assert [r["suspicion"] for r in rows] == sorted((r["suspicion"] for r in rows), reverse=True)
    assert {r["country_id"] for r in rows} <= set(COUNTRIES)
    assert all(len(r["probabilities"]) == 5 and r["edition"] == 2023 for r in rows)


def test_check_edition_listing_names_cells_for_a_reviewer(assist_slice: Slice) -> None:
    result = fiw(
        ["check", "--edition", "2023", "--top", "3"], assist_slice.model_path, assist_slice.url
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "most suspicious first" in result.stdout  # type: ignore[attr-defined]
    assert "published" in result.stdout and "suggested" in result.stdout  # type: ignore[attr-defined]
    # each cell shows last edition's score beside the published one: a move is visible
    listed = fiw(
        ["check", "--edition", "2023", "--top", "3", "--json"],
        assist_slice.model_path,
        assist_slice.url,
    )
    assert listed.exit_code == 0, listed.output  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in listed.stdout.splitlines()]  # type: ignore[attr-defined]
    assert len(rows) == 3  # the same three cells, so the loop below checks every one
    ds = assist_slice.dataset()
    text = " ".join(result.stdout.split())  # type: ignore[attr-defined]  # lines wrap at spaces
    for row in rows:
        before = ds.report(row["country_id"], 2022)
        assert before is not None
        shown = f"published {row['score']} (2022: {before.scores[row['indicator']]})"
        assert shown in text


def test_check_folder_and_suggest_file(assist_slice: Slice) -> None:
    folder = assist_slice.pages / "2023"
    result = fiw(
        ["check", str(folder), "--json", "--top", "5"], assist_slice.model_path, assist_slice.url
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert len(result.stdout.splitlines()) == 5  # type: ignore[attr-defined]
    assert "1 page skipped, the same narrative under every indicator" in result.stderr  # type: ignore[attr-defined]
    assert "abkhazia.txt" in result.stderr  # type: ignore[attr-defined]
    page = folder / "kazakhstan.txt"
    result = fiw(["suggest", str(page), "--json"], assist_slice.model_path, assist_slice.url)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert [r["indicator"] for r in rows][:3] == ["A1", "A2", "A3"] and len(rows) == 25


def test_missing_model_exits_2_naming_train(tmp_path: Path, assist_slice: Slice) -> None:
    result = fiw(["check", "--edition", "2023"], tmp_path / "absent.joblib", assist_slice.url)
    assert result.exit_code == 2
    assert "fiw assist train" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("content", [b"", b"garbage", b"\x80\x04K\x01."])
def test_stale_model_exits_2_naming_train(tmp_path: Path, content: bytes) -> None:
    model = tmp_path / "model.joblib"
    model.write_bytes(content)
    page = tmp_path / "page.txt"
    page.write_text("x")
    result = fiw(["suggest", str(page)], model)
    assert result.exit_code == 2
    assert "fiw assist train" in result.output and "stale" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_check_edition_trained_on_exits_2(assist_slice: Slice) -> None:
    result = fiw(["check", "--edition", "2022"], assist_slice.model_path, assist_slice.url)
    assert result.exit_code == 2
    assert "fiw assist train --until 2022" in result.output  # type: ignore[attr-defined]


def test_check_needs_a_path_or_an_edition(assist_slice: Slice) -> None:
    result = fiw(["check"], assist_slice.model_path, assist_slice.url)
    assert result.exit_code == 2
    assert "--edition" in result.output  # type: ignore[attr-defined]


def test_train_saves_a_model_that_check_uses(tmp_path: Path, assist_slice: Slice) -> None:
    model = tmp_path / "trained.joblib"
    result = fiw(["train", "--until", "2023", "--json"], model, assist_slice.url)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    info = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert info["editions"] == [2021, 2022] and info["model"] == str(model)
    assert model.exists()
    result = fiw(["check", "--edition", "2023", "--json", "--top", "1"], model, assist_slice.url)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def test_evaluate_prints_three_measures_beside_baselines(
    tmp_path: Path, assist_slice: Slice
) -> None:
    model = tmp_path / "model.joblib"
    model.write_bytes(assist_slice.model_path.read_bytes())
    result = fiw(["evaluate", "--edition", "2023", "--json"], model, assist_slice.url)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["edition"] == 2023 and data["trained_on"] == [2021, 2022]
    change, history, text = data["change_detection"], data["history"], data["text_only"]
    assert history["cells"] == len(COUNTRIES) * 25 == text["cells"]
    for value in (change["recall"], change["baseline_recall"], history["exact"],
                  history["baseline_exact"], text["exact"], text["baseline_exact"]):  # fmt: skip
        assert 0.0 <= value <= 1.0
    assert text["mae"] >= 0 and text["baseline_mae"] >= 0
    from fiw.assist import load

    saved = load(model)
    assert saved.measures["history_exact"] == history["exact"]
    # what the figures came from, to tell a change of data from a change of machine
    origin = data["provenance"]
    assert origin["trained_cells"] == saved.info.digest
    from fiw.assist import load_corpus
    from fiw.assist.model import digest
    from fiw.store.dataset import open_dataset

    cells = load_corpus(open_dataset(assist_slice.url)).cells
    scored_2023 = [c for c in cells if c.edition == 2023 and c.score is not None]
    assert origin["evaluated_cells"] == digest(scored_2023) != origin["trained_cells"]
    assert origin["scikit_learn"] and origin["numpy"] and origin["scipy"] and origin["processor"]

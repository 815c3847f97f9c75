"""The `fiw` command line as a user types it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from fiw.cli import app

runner = CliRunner()
SEED = (
    "A1=0 A2=0 A3=1 B1=1 B2=0 B3=1 B4=1 C1=0 C2=1 C3=0 D1=0 D2=1 D3=2 D4=1 E1=1 E2=1 "
    "E3=0 F1=1 F2=1 F3=1 F4=1 G1=2 G2=2 G3=2 G4=2"
).split()


def test_score_json_prints_exactly_one_object() -> None:
    result = runner.invoke(app, ["score", "--edition", "2023", "--json", *SEED, "Q=0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "edition": 2023,
        "subtotals": {"A": 1, "B": 3, "C": 1, "D": 4, "E": 2, "F": 4, "G": 8},
        "pr": 5,
        "cl": 18,
        "total": 23,
        "pr_rating": 7,
        "cl_rating": 5,
        "status": "Not Free",
    }


def test_score_prints_a_readable_table() -> None:
    result = runner.invoke(app, ["score", "--edition", "2023", *SEED])
    assert result.exit_code == 0
    assert "Political Rights" in result.stdout and "Not Free" in result.stdout


def test_invalid_scores_exit_2_with_every_problem_on_stderr() -> None:
    args = [a for a in SEED if not a.startswith("G4=")] + ["A1=5", "Q=-1", "ADD_A=1"]
    result = runner.invoke(app, ["score", "--edition", "2023", *args])
    assert result.exit_code == 2
    for field in ("A1", "G4", "Q", "ADD_A"):
        assert field in result.stderr
    assert result.stdout == ""


def test_a_malformed_pair_is_named() -> None:
    result = runner.invoke(app, ["score", "--edition", "2023", "A1:3"])
    assert result.exit_code == 2 and "'A1:3'" in result.stderr

"""The docs are checked against the code: every command is documented and has help text."""

from __future__ import annotations

from pathlib import Path

import typer.main

from fiw.cli import app

ROOT = Path(__file__).resolve().parent.parent


def command_names() -> list[str]:
    """Every `fiw` command path, e.g. "score", "db upgrade"."""
    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{name} {sub}" for sub in subcommands]
        else:
            names.append(name)
    return names


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"fiw {name} has no help text"
        for sub, subcommand in (getattr(command, "commands", None) or {}).items():
            assert (subcommand.help or "").strip(), f"fiw {name} {sub} has no help text"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in command_names() if f"`fiw {name}" not in readme]
    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_readme_opens_with_the_two_set_up_commands() -> None:
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:15]
    assert any(line.startswith("make run") for line in first_screen)
    assert any(line.startswith("make test") for line in first_screen)


def test_the_ci_script_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

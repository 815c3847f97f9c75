"""The docs are checked against the code: every command and API path is documented, every
command has help text; the map of the code fits on a page and no module outgrows it."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from fiw.cli import app
from fiw.settings import Settings
from fiw.store.database import make_engine
from fiw.store.migrate import upgrade
from fiw.web import create_app

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


def _docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def test_every_command_is_in_the_docs() -> None:
    docs = _docs()
    missing = [n for n in command_names() if not re.search(rf"`fiw {re.escape(n)}(?![\w-])", docs)]
    assert not missing, f"docs/*.md do not document: {', '.join(missing)}"


def _path_pattern(path: str) -> re.Pattern[str]:
    """An OpenAPI path as docs write it: any `{name}` for a parameter, then not more path."""
    parts = [r"\{[^}/]+\}" if p.startswith("{") else re.escape(p) for p in path.split("/")]
    return re.compile("/".join(parts) + r"(?![\w/{-])")


def test_every_api_path_is_in_the_docs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    upgrade(make_engine(url))
    paths = list(create_app(Settings(database_url=url)).openapi()["paths"])
    assert "/api/v1/countries/{key}" in paths and len(paths) >= 10
    docs = _docs()
    missing = [path for path in paths if not _path_pattern(path).search(docs)]
    assert not missing, f"docs/*.md do not document: {', '.join(missing)}"


def test_the_path_pattern_needs_the_whole_path() -> None:
    pattern = _path_pattern("/api/v1/countries")
    assert pattern.search("`GET /api/v1/countries` (`?format=csv`)")
    assert not pattern.search("`GET /api/v1/countries/{id}`")
    assert _path_pattern("/api/v1/countries/{key}").search("/api/v1/countries/{id}?x=")


def test_architecture_fits_on_one_page() -> None:
    lines = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 120, f"docs/architecture.md has {len(lines)} lines"


def test_no_module_is_over_500_lines() -> None:
    """Small modules a newcomer can read, each owning one noun: none of fiw's over 500 lines."""
    long = {
        path.relative_to(ROOT).as_posix(): count
        for path in sorted((ROOT / "src" / "fiw").rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, f"split these modules by job (lines): {long}"

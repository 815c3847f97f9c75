"""One vocabulary: the methodology names every code, maximum and column once; the rest of
the code derives them (style.md §14), and the store checks rows against the same bounds."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

import fiw
from fiw.assist.suggestion import Suggestion
from fiw.methodology import (
    AGGREGATE_MAX,
    AGGREGATE_RANGE,
    INDICATORS,
    SCORE_COLUMNS,
    SUBCATEGORIES,
    SUBCATEGORY_MAX,
    TOTAL_RANGE,
    load_index,
)
from fiw.store.dataset import SCORES_COLUMNS

SRC = Path(__file__).resolve().parent.parent / "src"
# Where the vocabulary is allowed to be written: the methodology's data and its engine, and
# the frozen Alembic revisions (a revision never changes after it ships).
OWNERS = ("fiw/methodology/", "fiw/store/migrations/", "fiw/web/static/vendor/")
HAND_TYPED = re.compile(
    r"""["'][A-G][1-4]["']\s*,\s*["'][A-G][1-4]["']     # "A1", "A2"
      | \(\s*["'][A-Ga-g]["']\s*,\s*\d+\s*\)            # ("A", 3)
      | ["'][A-G]["']\s*,\s*["'][A-G]["']               # "A", "B"
      | ["'][a-g]["']\s*,\s*["'][a-g]["']               # "a", "b"
      | ["']PR["']\s*,\s*["']CL["']                     # "PR", "CL"
      | ["']Free["']\s*,\s*["']Partly\ Free["']         # "Free", "Partly Free"
    """,
    re.VERBOSE,
)
# Files of other areas still being moved onto the vocabulary (issue 9): each must still hold
# a hand-typed list, so that this list shrinks as they are fixed and never hides a new one.
PENDING: set[str] = set()


def _hand_typed() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*")):
        name = path.relative_to(SRC).as_posix()
        if path.suffix not in (".py", ".html", ".js") or name.startswith(OWNERS):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if HAND_TYPED.search(line):
                found.setdefault(name, []).append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_code_list_is_typed_outside_the_methodology() -> None:
    found = _hand_typed()
    new = [line for name, lines in found.items() if name not in PENDING for line in lines]
    assert new == [], "derive these from fiw.methodology:\n" + "\n".join(new)


def test_the_pending_list_holds_only_files_still_to_fix() -> None:
    fixed = sorted(PENDING - set(_hand_typed()))
    assert fixed == [], f"remove from PENDING, they derive the vocabulary now: {fixed}"


def test_the_grep_catches_the_shapes_it_is_for() -> None:
    for line in ('x = ("A1", "A2")', 'for c, n in (("A", 3), ("B", 4))', 'S = ("a", "b", "c")'):
        assert HAND_TYPED.search(line), line
    assert not HAND_TYPED.search('MEASURES = ("total", "pr", "cl", *SUBCATEGORIES)')


def test_the_vocabulary_follows_the_data_file() -> None:
    rules = load_index("fiw")
    assert tuple(i.code for i in rules.indicators) == INDICATORS
    assert tuple(c.code for c in rules.categories) == SUBCATEGORIES
    assert sum(SUBCATEGORY_MAX.values()) == sum(AGGREGATE_MAX.values()) == TOTAL_RANGE[1] == 100
    assert {c: SUBCATEGORY_MAX[c] for c in "ACE"} == {"A": 12, "C": 12, "E": 12}
    assert AGGREGATE_RANGE == {"PR": (-4, 40), "CL": (0, 60)}


def test_the_store_hands_out_the_vocabularys_columns() -> None:
    assert SCORES_COLUMNS == SCORE_COLUMNS
    assert SCORE_COLUMNS.index("A1") < SCORE_COLUMNS.index("G4") < SCORE_COLUMNS.index("A")
    assert not [c for c in SCORE_COLUMNS if re.fullmatch(r"[a-g][1-4]?", c)]


@pytest.mark.parametrize("code", SUBCATEGORIES)
def test_a_subcategory_maximum_is_its_indicators_maxima_added(code: str) -> None:
    indicators = [i for i in load_index("fiw").indicators if i.category == code]
    assert SUBCATEGORY_MAX[code] == sum(i.max for i in indicators)


# --- one type per concept: the web app does not mirror a library type in pydantic -------------


def _fields(kind: type) -> frozenset[str] | None:
    """The field names of a dataclass or pydantic model, None for any other class."""
    if dataclasses.is_dataclass(kind):
        return frozenset(f.name for f in dataclasses.fields(kind))
    if issubclass(kind, BaseModel) and kind is not BaseModel:
        return frozenset(kind.model_fields)
    return None


def _types() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(the web app's pydantic models, the library's dataclasses and models) by name."""
    web: dict[str, frozenset[str]] = {}
    library: dict[str, frozenset[str]] = {}
    for info in pkgutil.walk_packages(fiw.__path__, "fiw."):
        if ".migrations" in info.name or info.name.startswith("fiw.cli"):
            continue
        module = importlib.import_module(info.name)
        for kind in vars(module).values():
            if not inspect.isclass(kind) or kind.__module__ != info.name:
                continue
            fields = _fields(kind)
            name = f"{info.name}.{kind.__qualname__}"
            if info.name.startswith("fiw.web") and issubclass(kind, BaseModel):
                web[name] = fields or frozenset()
            elif not info.name.startswith("fiw.web") and fields is not None:
                library[name] = fields
    return web, library


def _mirrors(
    web: dict[str, frozenset[str]], library: dict[str, frozenset[str]]
) -> list[tuple[str, str]]:
    """Web models holding the same fields as a library type (three or more, one within the
    other): a copy to serialise the library type instead of."""
    return [
        (w, lib)
        for w, mine in web.items()
        for lib, theirs in library.items()
        if min(len(mine), len(theirs)) >= 3 and (mine <= theirs or theirs <= mine)
    ]


def test_no_pydantic_model_of_the_web_app_mirrors_a_library_type() -> None:
    web, library = _types()
    assert web, "the web app's request bodies and forms are pydantic models"
    assert _mirrors(web, library) == [], "serialise the library type itself (fiw.analysis.shape)"


def test_the_mirror_check_finds_a_copy() -> None:
    suggestion = frozenset(f.name for f in dataclasses.fields(Suggestion))
    copy = {"fiw.web.views.x.SuggestionOut": suggestion - {"previous"}}
    found = _mirrors(copy, {"fiw.assist.suggestion.Suggestion": suggestion})
    assert found == [("fiw.web.views.x.SuggestionOut", "fiw.assist.suggestion.Suggestion")]

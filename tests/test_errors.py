"""One error base: every library error is a FiwError with a place, and the CLI maps it once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from typer.testing import CliRunner

import fiw
from fiw.cli import app
from fiw.errors import FiwError, NotFoundError, ParameterError, UnknownCountry
from fiw.pages import ParseError
from fiw.sources.countries import find_country
from fiw.sources.errors import WorkbookError
from fiw.store.errors import CountryNotFound, ImportFailed

runner = CliRunner()
LIBRARY = ("methodology", "pages", "sources", "store", "analysis", "settings", "errors")


def _library_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in fiw's library packages (not the web or CLI faces)."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(fiw.__path__, "fiw."):
        if info.name.split(".")[1] not in LIBRARY or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__.startswith("fiw."):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_every_library_error_is_a_fiw_error() -> None:
    classes = _library_exceptions()
    assert len(classes) >= 12, classes
    outside = [c.__qualname__ for c in classes if not issubclass(c, FiwError)]
    assert outside == []


def test_one_unknown_country_class() -> None:
    assert CountryNotFound is UnknownCountry
    with pytest.raises(UnknownCountry) as caught:
        find_country("Atlantis")
    assert isinstance(caught.value, NotFoundError) and isinstance(caught.value, LookupError)
    assert caught.value.http_status == 404 and caught.value.key == "Atlantis"


@pytest.mark.parametrize(
    ("error", "where"),
    [
        (WorkbookError("data/All_data.xlsx", "no sheet FIW13-24"), "data/All_data.xlsx"),
        (ImportFailed("pages/x.txt", "not a page"), "pages/x.txt"),
        (ParseError(12, "A1 9/4", "a score 0 to 4", source="x.txt"), "x.txt, line 12"),
        (ParameterError("--format", "doc", "one of csv, json"), "--format"),
    ],
)
def test_errors_name_their_place(error: FiwError, where: str) -> None:
    assert error.where == where
    assert 400 <= error.http_status < 600 and error.exit_code == 2


def test_detail_appends_the_fix_once() -> None:
    error = ParameterError("--format", "doc", "csv", fix="give --output FILE")
    assert error.detail() == "--format 'doc': expected csv; give --output FILE"
    assert UnknownCountry("x").detail().count("fiw countries") == 1


def test_cli_prints_library_errors_as_data_not_markup() -> None:
    result = runner.invoke(app, ["score", "--edition", "2023", "--index", "[bold]x[/bold]", "A1=0"])
    assert result.exit_code == 2
    assert "error: unknown index '[bold]x[/bold]'" in result.stderr
    assert "Traceback" not in result.output


def test_cli_names_the_option_at_fault() -> None:
    result = runner.invoke(app, ["export", "--format", "parquet"])
    assert result.exit_code == 2
    assert "--format 'parquet'" in result.stderr and "--output FILE" in result.stderr

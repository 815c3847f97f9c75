"""Report pages in the store: `fiw import DIR` maps every page to its country, keeps versions
with their provenance, lists disagreements with the official workbook, and is all or
nothing — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import fiw
from fiw.pages import parse_file
from fiw.pages.render import render
from fiw.sources.all_data import read_all_data
from fiw.store.errors import ImportFailed
from fiw.store.importer import import_files
from fiw.store.schema import Report, SourceFile
from fiw.store.textsearch import words
from tests.reports_data import CORPUS_PAGES, IMPORTS, pages_dir, reports_url, variants_dir

__all__ = ["reports_url"]


def _copy_page(edition: int, name: str, folder: Path) -> Path:
    target = folder / str(edition) / f"{name}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages_dir() / str(edition) / f"{name}.txt", target)
    return target


def _count(engine: Engine, table: type[Report] | type[SourceFile]) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


# --- the whole corpus ----------------------------------------------------------------------


def test_importing_the_corpus_stores_every_page_mapped_and_agreeing(reports_url: str) -> None:
    pages = next(r for r in IMPORTS[reports_url] if r.kind == "pages")
    assert pages.counts["reports"].added == CORPUS_PAGES
    assert list(pages.warnings) == []  # no score disagrees with the official workbook
    assert list(pages.problems) == []
    frame = fiw.open(reports_url).reports()
    assert len(frame) == CORPUS_PAGES
    assert set(frame["version"]) == {1}
    ids = set(fiw.open(reports_url).countries()["id"])
    assert set(frame["country_id"]) <= ids
    files = {p.relative_to(pages_dir()).as_posix() for p in pages_dir().glob("*/*.txt")}
    assert {f.removeprefix("pages/") for f in frame["source_file"]} == files


def test_reimporting_the_corpus_leaves_every_report_unchanged(reports_url: str) -> None:
    engine = fiw.open(reports_url).engine
    (report,) = import_files(engine, [pages_dir()])
    assert report.counts["reports"].unchanged == CORPUS_PAGES
    assert not report.changed_anything
    assert _count(engine, Report) == CORPUS_PAGES


@pytest.mark.parametrize(
    ("edition", "name"),
    [(2023, "kazakhstan"), (2019, "bahrain"), (2022, "armenia"), (2020, "abkhazia")],
)
def test_stored_report_equals_the_parsed_page(reports_url: str, edition: int, name: str) -> None:
    page = parse_file(pages_dir() / str(edition) / f"{name}.txt")
    ds = fiw.open(reports_url)
    stored = ds.report(name, page.edition or 0)
    assert stored == page
    assert ds.report(name, 2005) is None


def test_report_is_found_by_iso3_and_name(reports_url: str) -> None:
    ds = fiw.open(reports_url)
    assert ds.report("KAZ", 2023) == ds.report("Kazakhstan", 2023) == ds.report("kazakhstan", 2023)


# --- versions and provenance ---------------------------------------------------------------


def test_changed_page_adds_a_version_and_keeps_the_earlier_one(
    engine: Engine, tmp_path: Path
) -> None:
    page = _copy_page(2023, "kazakhstan", tmp_path / "first")
    original = page.read_text(encoding="utf-8")
    (first,) = import_files(engine, [tmp_path / "first"])
    assert first.counts["reports"].added == 1
    overview = parse_file(page).overview
    changed = original.replace(overview, overview + " Zyxwquv added by the test.")
    assert changed != original
    second_dir = tmp_path / "second" / "2023"
    second_dir.mkdir(parents=True)
    (second_dir / "kazakhstan.txt").write_text(changed, encoding="utf-8")

    (report,) = import_files(engine, [tmp_path / "second"])
    assert report.counts["reports"].changed == 1
    assert any("version 2" in c for c in report.changes)
    ds = fiw.open(engine.url.render_as_string(hide_password=False))
    versions = ds.report_versions("kazakhstan", 2023)
    assert [v.version for v in versions] == [1, 2]
    assert [v.current for v in versions] == [False, True]
    assert versions[0].source_file == "first/2023/kazakhstan.txt"
    assert versions[1].source_file == "second/2023/kazakhstan.txt"
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None
    assert versions[0].report == parse_file(page)
    assert ds.report("kazakhstan", 2023) == versions[1].report
    assert "zyxwquv" in words(versions[1].report.overview)
    assert [h.country_id for h in ds.search("zyxwquv")] == ["kazakhstan"]

    (again,) = import_files(engine, [tmp_path / "second"])
    assert again.counts["reports"].unchanged == 1 and not again.changed_anything
    # Re-importing the first file makes a third version: the page differs from the current.
    (back,) = import_files(engine, [tmp_path / "first"])
    assert back.counts["reports"].changed == 1
    assert [v.version for v in ds.report_versions("kazakhstan", 2023)] == [1, 2, 3]
    assert ds.search("zyxwquv") == []


def test_a_page_with_a_wrong_score_is_listed_as_disagreeing(
    engine: Engine, tmp_path: Path, all_data_path: Path
) -> None:
    report = parse_file(pages_dir() / "2023" / "kazakhstan.txt")
    official = next(
        r for r in read_all_data(all_data_path).records
        if r.name == "Kazakhstan" and r.edition == 2023
    )  # fmt: skip
    wrong = official.scores["G1"] + 1
    indicators = tuple(
        dataclasses.replace(i, score=wrong) if i.code == "G1" else i for i in report.indicators
    )
    edited = dataclasses.replace(report, indicators=indicators, cl=report.cl + 1,
                                 total=report.total + 1)  # fmt: skip
    folder = tmp_path / "2023"
    folder.mkdir()
    (folder / "kazakhstan.txt").write_text(render(edited, "text"), encoding="utf-8")

    reports = import_files(engine, [all_data_path, tmp_path])
    pages = reports[-1]
    assert pages.counts["reports"].added == 1  # imported all the same
    listed = "\n".join(pages.warnings)
    assert f"G1 is {wrong} on the page, {official.scores['G1']} in the workbook" in listed
    assert f"CL is {report.cl + 1} on the page, {official.published['CL']}" in listed
    assert f"total is {report.total + 1} on the page" in listed
    assert all("kazakhstan 2023" in w for w in pages.warnings)


def test_unmapped_country_names_fail_listing_every_one_and_change_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    _copy_page(2023, "kazakhstan", tmp_path / "before")
    import_files(engine, [tmp_path / "before"])
    folder = tmp_path / "mixed"
    _copy_page(2022, "kenya", folder)
    for variant in ("2018-capital-combined.txt", "2024-territory.txt"):
        shutil.copy(variants_dir() / variant, folder / variant)
    files, reports = _count(engine, SourceFile), _count(engine, Report)
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, [folder])
    message = str(caught.value)
    assert "'Freedonia'" in message and "'Utopia'" in message
    assert "2024-territory.txt" in message and "fiw countries add" in message
    assert (_count(engine, SourceFile), _count(engine, Report)) == (files, reports)


def test_a_page_that_cannot_be_parsed_fails_naming_file_and_line(
    engine: Engine, tmp_path: Path
) -> None:
    _copy_page(2021, "kenya", tmp_path)
    shutil.copy(variants_dir() / "refuse-stub.txt", tmp_path / "2021" / "broken.txt")
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, [tmp_path])
    assert "broken.txt" in str(caught.value) and "line" in str(caught.value)
    assert _count(engine, Report) == 0

    (report,) = import_files(engine, [tmp_path], skip_bad=True)
    assert report.counts["reports"].added == 1
    assert len(report.skipped) == 1 and "broken.txt" in report.skipped[0]


def test_two_pages_for_one_country_edition_fail(engine: Engine, tmp_path: Path) -> None:
    page = _copy_page(2023, "kazakhstan", tmp_path)
    shutil.copy(page, page.with_name("kazakhstan-copy.txt"))
    with pytest.raises(ImportFailed, match="both the 2023 report of kazakhstan"):
        import_files(engine, [tmp_path])


def test_pages_alone_add_their_countries_and_say_the_workbook_is_missing(
    engine: Engine, tmp_path: Path
) -> None:
    page = _copy_page(2021, "kenya", tmp_path)
    (report,) = import_files(engine, [page])
    assert report.counts["reports"].added == 1
    assert any("import the indicator workbook" in w for w in report.warnings)
    ds = fiw.open(engine.url.render_as_string(hide_password=False))
    assert ds.country("KEN").id == "kenya"
    assert ds.report("kenya", 2021) == parse_file(page)

"""Importing the official workbooks: counts, country ids, published totals, atomicity,
idempotency, and clear refusals."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import Engine, func, select

from fiw.methodology import Status
from fiw.sources.all_data import read_all_data
from fiw.sources.ratings import read_ratings
from fiw.store.dataset import open_dataset
from fiw.store.errors import ImportFailed
from fiw.store.importer import import_files
from fiw.store.schema import Assessment, Base, Country, Rating


def checksum(engine: Engine) -> str:
    """A digest of every row of every table, to prove a failed import changed nothing."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def count(engine: Engine, table: type[Base]) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_gives_every_assessment_and_rating_with_a_country_id(
    engine: Engine, workbooks: list[Path]
) -> None:
    reports = import_files(engine, workbooks)
    assert [r.kind for r in reports] == ["all_data", "ratings"]
    assert count(engine, Assessment) == 2515
    assert count(engine, Rating) == 9757
    with engine.connect() as connection:
        for table in (Assessment, Rating):
            orphans = connection.execute(
                select(func.count())
                .select_from(table)
                .outerjoin(Country, Country.id == table.country_id)
                .where(Country.id.is_(None))
            ).scalar_one()
            assert orphans == 0, f"{table.__tablename__} rows without a known country"
    assert reports[1].counts["ratings"].added == 9757


def test_status_counts_per_edition_equal_the_historical_distribution_sheet(
    imported_url: str, ratings_path: Path
) -> None:
    """A plain group-by of the countries' ratings by year and status gives the published
    counts of all 51 editions (South Africa 1972, rated as two populations, has no status)."""
    published = read_ratings(ratings_path).distribution
    assert len(published) == 51
    counts = open_dataset(imported_url).ratings(kind="country").groupby(["year", "status"]).size()
    assert len({year for year, _ in counts.index}) == 51
    for row in published:
        found = {s: int(counts.get((row.year, s.value), 0)) for s in Status}
        assert found == row.counts(), f"edition {row.label} ({row.year})"


def test_importing_twice_changes_nothing(engine: Engine, workbooks: list[Path]) -> None:
    import_files(engine, workbooks)
    before = checksum(engine)
    again = import_files(engine, workbooks)
    assert checksum(engine) == before
    for report in again:
        assert not report.new_file
        assert not report.changed_anything
        assert all(c.added == c.changed == 0 for c in report.counts.values()), report.counts


def test_import_order_does_not_matter(engine: Engine, workbooks: list[Path]) -> None:
    import_files(engine, list(reversed(workbooks)))
    ds = open_dataset(engine.url)
    assert len(ds.scores()) == 2515
    editions = ds.editions()
    assert list(editions["order"]) == list(range(1, 52))


def test_truncated_workbook_is_rejected_and_database_unchanged(
    engine: Engine, all_data_path: Path, ratings_path: Path, tmp_path: Path
) -> None:
    import_files(engine, [all_data_path])
    before = checksum(engine)
    truncated = tmp_path / "ratings.xlsx"
    truncated.write_bytes(ratings_path.read_bytes()[: ratings_path.stat().st_size // 2])
    with pytest.raises(ImportFailed, match=r"ratings\.xlsx: .*(truncated|damaged|zip)"):
        import_files(engine, [ratings_path, truncated])
    assert checksum(engine) == before


def test_foreign_files_are_rejected_with_what_was_expected(engine: Engine, tmp_path: Path) -> None:
    before = checksum(engine)
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("not a workbook at all\n")
    other = tmp_path / "budget.xlsx"
    book = Workbook()
    book.active.append(["Item", "Amount"])
    book.active.append(["Rent", 1200])
    book.save(other)
    csv_file = tmp_path / "budget.csv"
    csv_file.write_text("Item,Amount\nRent,1200\n")
    for path in (text_file, other, csv_file):
        with pytest.raises(ImportFailed) as caught:
            import_files(engine, [path])
        message = str(caught.value)
        assert message.startswith(path.name), message
        assert "expected" in message or "fiw imports" in message, message
    assert checksum(engine) == before


def _small_all_data(source: Path, target: Path, names: list[str]) -> None:
    """An indicator workbook with the real header and one real row per given name."""
    book = CalamineWorkbook.from_path(str(source))
    rows = book.get_sheet_by_name(read_all_data(source).sheet).to_python()
    header_at = next(i for i, r in enumerate(rows) if "A1" in [str(c).strip() for c in r])
    out = Workbook()
    sheet = out.active
    sheet.title = "FIW13-24"
    for row in rows[: header_at + 1]:
        sheet.append(list(row))
    for i, name in enumerate(names):
        sheet.append([name, *rows[header_at + 1 + i][1:]])
    out.save(target)


def test_unmapped_names_fail_the_import_listing_every_one(
    engine: Engine, all_data_path: Path, tmp_path: Path
) -> None:
    before = checksum(engine)
    path = tmp_path / "scores.xlsx"
    _small_all_data(all_data_path, path, ["Atlantis", "Kazakhstan", "Lemuria"])
    with pytest.raises(ImportFailed) as caught:
        import_files(engine, [path])
    message = str(caught.value)
    assert "'Atlantis'" in message and "'Lemuria'" in message, message
    assert "Kazakhstan" not in message
    assert checksum(engine) == before


def test_a_failure_while_writing_rolls_back_every_file(
    engine: Engine, all_data_path: Path, ratings_path: Path, tmp_path: Path
) -> None:
    import_files(engine, [all_data_path])
    before = checksum(engine)
    # A ratings export whose edition order clashes with the workbook's 2024 edition (51).
    clash = tmp_path / "ratings.csv"
    header = (
        "country_id,iso3,name,kind,edition,edition_order,period,"
        "pr_rating,cl_rating,status,raw,status_rule"
    )
    clash.write_text(
        header + "\nkazakhstan,KAZ,Kazakhstan,country,2023,51,2022,7,5,Not Free,,follows\n"
    )
    with pytest.raises(ImportFailed, match="database refused"):
        import_files(engine, [ratings_path, clash])
    assert checksum(engine) == before


def test_source_files_are_recorded_and_every_row_points_to_one(
    engine: Engine, workbooks: list[Path]
) -> None:
    reports = import_files(engine, workbooks)
    ds_url = engine.url
    with engine.connect() as connection:
        files = connection.execute(select(Base.metadata.tables["source_files"])).all()
        for table in ("countries", "country_names", "editions", "assessments", "ratings"):
            t = Base.metadata.tables[table]
            missing = connection.execute(
                select(func.count()).select_from(t).where(t.c.source_file_id.is_(None))
            ).scalar_one()
            assert missing == 0, table
    assert {f.name for f in files} == {p.name for p in workbooks}
    assert {f.sha256 for f in files} == {r.sha256 for r in reports}
    sizes = {p.name: p.stat().st_size for p in workbooks}
    assert all(f.size == sizes[f.name] for f in files)
    assert open_dataset(ds_url) is not None


def test_renamed_copy_is_recognised_by_content(
    engine: Engine, ratings_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "download (3).xlsx"
    shutil.copy(ratings_path, copy)
    [report] = import_files(engine, [copy])
    assert report.kind == "ratings"
    assert report.counts["ratings"].added == 9757

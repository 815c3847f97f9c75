"""The ratings workbook reader: editions, rated entries, odd cells, distribution, status rule."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from fiw.methodology import Status, statuses_for_ratings
from fiw.settings import Settings
from fiw.sources.detect import detect_workbook
from fiw.sources.errors import WorkbookError
from fiw.sources.ratings import (
    RatingsWorkbook,
    classify_status,
    publication_year,
    published_counts,
    read_ratings,
)


@pytest.fixture(scope="module")
def ratings_path() -> Path:
    return Settings().ratings_workbook()


@pytest.fixture(scope="module")
def book(ratings_path: Path) -> RatingsWorkbook:
    return read_ratings(ratings_path)


def entries(book: RatingsWorkbook, name: str) -> list:
    return [r for r in book.records if r.name == name]


def test_reads_every_rated_entry_of_both_sheets(book: RatingsWorkbook) -> None:
    kinds = Counter(r.kind for r in book.records)
    assert len(book.records) == 9757
    assert kinds == {"country": 9240, "territory": 517}
    sheets = Counter(r.origin.sheet for r in book.records)
    assert sheets == {"Country Ratings, Statuses ": 9240, "Territory Ratings, Statuses": 517}


def test_reads_51_editions_with_labels_and_periods_as_in_the_country_sheet(
    book: RatingsWorkbook,
) -> None:
    assert [e.order for e in book.editions] == list(range(1, 52))
    first, last = book.editions[0], book.editions[-1]
    assert (first.label, first.period, first.year) == ("Jan.-Feb. 1973", "1972", 1973)
    assert (last.label, last.period, last.year) == ("2024", "2023", 2024)
    by_label = {e.label: e for e in book.editions}
    assert by_label["1983-84"].period == "Aug.1982-Nov.1983"
    assert by_label["1982"].period == "Jan.1981-Aug. 1982"
    assert {"2001-02", "2003", "1999-2000"} <= set(by_label)
    years = [e.year for e in book.editions]
    assert years == sorted(set(years)), "publication years must rise edition by edition"


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("Jan.-Feb. 1973", 1973),
        ("1982", 1982),
        ("1983-84", 1984),
        ("1999-2000", 2000),
        ("2000-01", 2001),
        ("2024", 2024),
    ],
)
def test_publication_year_is_the_last_year_of_the_label(label: str, year: int) -> None:
    assert publication_year(label) == year


def test_every_record_carries_ratings_status_and_its_row(book: RatingsWorkbook) -> None:
    for r in book.records:
        assert r.pr_rating in range(1, 8) and r.cl_rating in range(1, 8), r
        assert isinstance(r.status, Status), r
        assert r.origin.row >= 4 and r.name == r.name.strip(), r


def test_entry_keys_are_unique(book: RatingsWorkbook) -> None:
    keys = Counter((r.name, r.kind, r.edition.order) for r in book.records)
    assert [k for k, n in keys.items() if n > 1] == []


def test_south_africa_1972_two_population_cells_are_kept_as_published(
    book: RatingsWorkbook,
) -> None:
    first = [r for r in entries(book, "South Africa") if r.edition.order == 1]
    assert len(first) == 1
    entry = first[0]
    assert entry.raw is not None
    assert [c in entry.raw for c in ("2(5)", "3(6)", "F (NF)")] == [True, True, True]
    assert (entry.pr_rating, entry.cl_rating, entry.status) == (2, 3, Status.FREE)
    odd = [r for r in book.records if r.raw is not None]
    assert odd == [entry], "only South Africa's 1972 entry has cells that are not plain ratings"


def test_dash_and_empty_cells_are_not_rated(book: RatingsWorkbook) -> None:
    # Macao's unrated editions are empty cells, not "-"; neither gives a record.
    macao = {r.edition.label for r in entries(book, "Macao")}
    assert macao and "Jan.-Feb. 1973" not in macao and "2024" not in macao
    assert entries(book, "Chechnya"), "Chechnya is rated in some editions"
    assert all(r.edition.order > 1 for r in entries(book, "Chechnya"))


@pytest.mark.parametrize(
    "name", ["USSR", "Yugoslavia", "Czechoslovakia", "Serbia and Montenegro", "Germany, E."]
)
def test_historical_states_are_read(book: RatingsWorkbook, name: str) -> None:
    found = entries(book, name)
    assert found and all(r.kind == "country" for r in found)
    assert max(r.edition.year for r in found) < 2010


def test_kosovo_is_a_territory_to_2009_and_a_country_from_2010(book: RatingsWorkbook) -> None:
    kosovo = entries(book, "Kosovo")
    territory = {r.edition.year for r in kosovo if r.kind == "territory"}
    country = {r.edition.year for r in kosovo if r.kind == "country"}
    assert max(territory) == 2009 and min(country) == 2010
    assert 2024 in country


def test_northern_cyprus_is_only_in_the_territory_sheet(book: RatingsWorkbook) -> None:
    found = entries(book, "Northern Cyprus")
    assert found and {r.kind for r in found} == {"territory"}


def test_distribution_is_matched_to_editions_by_order_not_label(book: RatingsWorkbook) -> None:
    assert [d.order for d in book.distribution] == list(range(1, 52))
    assert book.distribution[0].label == "Jan-Feb 1973***"
    labels = {d.order: d.label for d in book.distribution}
    assert labels[11] == "1983-1984" and book.edition(11).label == "1983-84"
    assert [d.year for d in book.distribution] == [e.year for e in book.editions]
    assert (book.distribution[10].year, book.distribution[-1].year) == (1984, 2024)


def test_published_distribution_equals_counts_from_the_country_sheet(
    book: RatingsWorkbook,
) -> None:
    computed = published_counts(book.records)
    wrong = []
    for d in book.distribution:
        got = computed[d.order]
        if got != d.counts() or sum(got.values()) != d.countries:
            wrong.append((book.edition(d.order).label, d.counts(), got))
    assert wrong == []


def test_south_africa_1972_is_not_in_the_published_1973_totals(book: RatingsWorkbook) -> None:
    first = book.distribution[0]
    rated_1973 = [r for r in book.records if r.kind == "country" and r.edition.order == 1]
    assert first.countries == len(rated_1973) - 1
    assert sum(published_counts(book.records)[1].values()) == first.countries


def test_fourteen_published_statuses_contradict_the_rule_of_their_time(
    book: RatingsWorkbook,
) -> None:
    rules = Counter(classify_status(r) for r in book.records)
    assert rules["contradicts"] == 14
    assert rules["split"] == 1  # South Africa 1972: two populations, no one status
    assert rules["follows"] + rules["either"] + rules["contradicts"] + rules["split"] == 9757
    for r in book.records:
        allowed = statuses_for_ratings((r.pr_rating, r.cl_rating), r.edition.year)
        if classify_status(r) == "contradicts":
            assert r.status not in allowed, r
        else:
            assert r.status in allowed, r


def test_either_way_is_a_5_5_average_before_2004_only(book: RatingsWorkbook) -> None:
    either = [r for r in book.records if classify_status(r) == "either"]
    assert either
    assert all(r.pr_rating + r.cl_rating == 11 and r.edition.year < 2004 for r in either)
    azerbaijan = next(r for r in entries(book, "Azerbaijan") if r.edition.label == "2003")
    assert (azerbaijan.pr_rating, azerbaijan.cl_rating, azerbaijan.status) == (
        6,
        5,
        Status.PARTLY_FREE,
    )
    assert classify_status(azerbaijan) == "either"
    late = [r for r in book.records if r.edition.year >= 2004]
    assert {classify_status(r) for r in late} == {"follows"}


def test_is_recognised_by_content_under_any_name(ratings_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "All_data_FIW_2013-2024.xlsx"
    shutil.copyfile(ratings_path, copy)
    assert detect_workbook(copy) == "ratings"
    assert len(read_ratings(copy).records) == 9757


def test_rejects_a_truncated_file(ratings_path: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    data = ratings_path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError, match=r"cut\.xlsx"):
        read_ratings(cut)


def test_rejects_the_indicator_workbook(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="ratings-and-statuses workbook"):
        read_ratings(Settings().all_data_workbook())


# --- small synthetic workbooks in the published layout, to check each error message --------


def write_book(path: Path, cells: list[list[object]], distribution: int = 2) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Country Ratings, Statuses "
    head = [
        ["Survey Edition", "Jan.-Feb. 1973", "", "", 1978, "", ""],
        ["Year(s) Under Review", 1972, "", "", 1977, "", ""],
        ["", "PR", "CL ", "Status", "PR", "CL ", "Status"],
    ]
    for row in head + cells:
        sheet.append(row)
    dist = book.create_sheet("Historical distribution")
    dist.append(
        [
            "FIW Survey Edition*",
            "Year(s) Under Review**",
            "Total Countries",
            "Number of F Countries",
            "% of F Countries",
            "Number of PF Countries",
            "% of PF Countries",
            "Number of NF Countries",
            "% of NF Countries",
        ]
    )
    for label in ["1978", "Jan-Feb 1973***"][:distribution]:
        dist.append([label, "x", 1, 1, 1.0, 0, 0.0, 0, 0.0])
    book.save(path)
    return path


def test_reads_a_minimal_workbook(tmp_path: Path) -> None:
    path = write_book(tmp_path / "ok.xlsx", [["Freedonia ", 1, 2, "F", "-", "-", "-"]])
    book = read_ratings(path)
    assert [(r.name, r.edition.label, r.status) for r in book.records] == [
        ("Freedonia", "Jan.-Feb. 1973", Status.FREE)
    ]
    assert [e.label for e in book.editions] == ["Jan.-Feb. 1973", "1978"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["Freedonia", 8, 2, "F", "-", "-", "-"], r"row 4 \(Freedonia, Jan.-Feb. 1973\), PR: 8"),
        (["Freedonia", 1, 2, "Free-ish", "-", "-", "-"], r"row 4 .*Status.*expected F, PF or NF"),
        (["Freedonia", 1, "-", "F", "-", "-", "-"], r"row 4 .*expected all three rated"),
        (["", 1, 2, "F", "-", "-", "-"], r"row 4: ratings without a name"),
    ],
)
def test_bad_cells_are_reported_with_sheet_row_and_expectation(
    tmp_path: Path, row: list[object], message: str
) -> None:
    path = write_book(tmp_path / "bad.xlsx", [row])
    with pytest.raises(WorkbookError, match=message) as caught:
        read_ratings(path)
    assert "bad.xlsx" in str(caught.value) and "Country Ratings, Statuses" in str(caught.value)


def test_distribution_must_list_as_many_editions(tmp_path: Path) -> None:
    path = write_book(tmp_path / "short.xlsx", [["Freedonia", 1, 2, "F", "-", "-", "-"]], 1)
    with pytest.raises(WorkbookError, match="distribution sheet lists 1 editions"):
        read_ratings(path)

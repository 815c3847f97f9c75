"""The Python API: `fiw.open()`, `ds.scores()`, `ds.ratings()`, `ds.country()`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import Engine

import fiw
from fiw.methodology import load_index
from fiw.store.dataset import open_dataset
from fiw.store.errors import CountryNotFound, DatabaseError

INDICATORS = list(load_index("fiw").indicator_codes())


def test_scores_columns_read_like_the_readme(imported_url: str) -> None:
    scores = fiw.open(imported_url).scores()
    assert list(scores.columns) == [
        "country_id", "iso3", "name", "kind", "region", "edition",
        *INDICATORS, "Q", "add_a", "A", "B", "C", "D", "E", "F", "G",
        "pr", "cl", "total", "pr_rating", "cl_rating", "status",
    ]  # fmt: skip
    assert len(scores) == 2515
    assert str(scores["edition"].dtype) == "int64"
    assert scores[[*INDICATORS, "Q"]].isin(range(5)).all().all()
    assert set(scores["status"]) == {"Free", "Partly Free", "Not Free"}
    assert set(scores["kind"]) == {"country", "territory"}
    assert scores["country_id"].notna().all()
    # The published subtotals are the sums of their indicators.
    for category in "ABCDEFG":
        codes = [c for c in INDICATORS if c[0] == category]
        assert (scores[codes].sum(axis=1) == scores[category]).all(), category


def test_scores_filters(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    one = ds.scores(edition=2024)
    assert set(one["edition"]) == {2024} and 190 < len(one) < 220
    assert set(ds.scores(edition=[2013, 2014])["edition"]) == {2013, 2014}
    not_free = ds.scores(edition=2024, status="NF")
    assert set(not_free["status"]) == {"Not Free"}
    assert len(not_free) == (one["status"] == "Not Free").sum()
    territories = ds.scores(kind="territory")
    assert set(territories["kind"]) == {"territory"}
    assert "hong-kong" in set(territories["country_id"])
    assert "hong-kong" not in set(ds.scores(kind="country")["country_id"])
    europe = ds.scores(region="Europe", edition=2024)
    assert set(europe["region"]) == {"Europe"} and "germany" in set(europe["country_id"])


def test_ratings_columns_and_editions(imported_url: str) -> None:
    ratings = fiw.open(imported_url).ratings()
    assert list(ratings.columns) == [
        "country_id", "iso3", "name", "kind", "year", "edition_label", "order", "period",
        "pr_rating", "cl_rating", "status", "raw", "status_rule", "derived_from",
    ]  # fmt: skip
    assert len(ratings) == 9757
    assert ratings["derived_from"].isna().all()  # every entry is the ratings workbook's own
    assert str(ratings["year"].dtype) == "int64" and str(ratings["order"].dtype) == "Int64"
    assert ratings["order"].min() == 1 and ratings["order"].max() == 51
    first = ratings[ratings["order"] == 1]
    assert set(first["year"]) == {1973} and set(first["edition_label"]) == {"Jan.-Feb. 1973"}
    assert set(first["period"]) == {"1972"}
    label_of_year = dict(zip(ratings["year"], ratings["edition_label"], strict=True))
    assert label_of_year[1984] == "1983-84" and 1983 not in label_of_year
    assert set(ratings["status_rule"].dropna()) == {"follows", "either", "contradicts", "split"}
    assert (ratings["status_rule"] == "contradicts").sum() == 14
    [south_africa] = ratings[ratings["raw"].notna()].itertuples()
    assert (south_africa.country_id, south_africa.year) == ("south-africa", 1973)
    assert south_africa.raw == "2(5); 3(6); F (NF)"
    assert pd.isna(south_africa.status) and south_africa.status_rule == "split"


@pytest.mark.parametrize("edition", [1984, "1984", "1983-84", [1984], ["1983-84", 1973]])
def test_the_ratings_edition_filter_takes_a_year_or_a_label(
    imported_url: str, edition: object
) -> None:
    ds = fiw.open(imported_url)
    ratings = ds.ratings(edition=edition)
    wanted = {1984, 1973} if isinstance(edition, list) and len(edition) == 2 else {1984}
    assert set(ratings["year"]) == wanted
    assert len(ratings) == sum(len(ds.ratings(edition=year)) for year in wanted) > 100
    assert ds.ratings(edition="1983").empty and ds.ratings(edition="Atlantis 1990").empty
    assert ds.ratings(edition="²").empty  # a label like any other, not a year int() refuses


def test_country_by_iso3_slug_or_name(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    kaz = ds.country("KAZ")
    assert (kaz.id, kaz.iso3) == ("kazakhstan", "KAZ")
    assert ds.country("kazakhstan").id == ds.country("Kazakhstan").id == "kazakhstan"
    history = kaz.history()
    assert set(history["country_id"]) == {"kazakhstan"}
    assert list(history["order"]) == sorted(history["order"])
    assert history["edition_label"].iloc[-1] == "2024" and history["year"].iloc[-1] == 2024
    assert set(kaz.scores()["edition"]) == set(range(2013, 2025))


def test_kosovo_is_a_territory_then_a_country(imported_url: str) -> None:
    history = fiw.open(imported_url).country("XKX").history()
    kinds = dict(zip(history["year"], history["kind"], strict=True))
    assert kinds[2009] == "territory" and kinds[2010] == "country"


def test_unknown_country_says_what_was_expected(imported_url: str) -> None:
    with pytest.raises(CountryNotFound, match=r"'atlantis'.*kazakhstan"):
        fiw.open(imported_url).country("atlantis")


def test_open_refuses_an_empty_database_with_the_fix(database_url: str) -> None:
    with pytest.raises(DatabaseError, match="fiw db upgrade"):
        open_dataset(database_url)


def test_open_uses_fiw_database_url(imported_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIW_DATABASE_URL", imported_url)
    assert len(fiw.open().scores(edition=2024)) == len(fiw.open(imported_url).scores(edition=2024))


def test_country_summaries_list_kinds_by_edition(imported_url: str) -> None:
    summaries = {s.id: s for s in open_dataset(imported_url).country_summaries()}
    kosovo = summaries["kosovo"]
    assert kosovo.iso3 == "XKX"
    assert max(kosovo.territory_editions) == 2009 and min(kosovo.country_editions) == 2010
    assert summaries["northern-cyprus"].country_editions == ()
    assert summaries["kazakhstan"].regions == ("Eurasia",)


def test_empty_filters_give_typed_empty_frames(engine: Engine) -> None:
    ds = open_dataset(engine.url)
    assert ds.scores().empty and len(ds.scores().columns) == 46
    assert ds.ratings().empty


def test_cli_start_up_does_not_import_pandas() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import fiw.cli"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    modules = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "pandas" not in modules

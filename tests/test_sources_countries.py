"""Country identity: every workbook and page name maps to one id; ids and ISO3 codes resolve."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiw.methodology import Status
from fiw.settings import Settings
from fiw.sources.all_data import read_all_data
from fiw.sources.countries import (
    Country,
    Resolver,
    UnknownCountry,
    UnmappedNames,
    all_countries,
    find_country,
    lookup_name,
    map_names,
    name_variants,
    slugify,
)
from fiw.sources.ratings import RatingsWorkbook, read_ratings

VARIANTS = sorted(name_variants())


@pytest.fixture(scope="module")
def ratings() -> RatingsWorkbook:
    return read_ratings(Settings().ratings_workbook())


def page_names(folder: Path) -> set[str]:
    names = set()
    files = sorted(folder.glob("*.json"))
    assert files, f"no page .json files under {folder}"
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        names |= {data[k] for k in ("country", "workbook_name") if data.get(k)}
    return names


def test_every_name_in_both_workbooks_maps(ratings: RatingsWorkbook) -> None:
    all_data = read_all_data(Settings().all_data_workbook())
    names = {r.name for r in ratings.records} | {r.name for r in all_data.records}
    mapped = map_names(names)
    assert set(mapped) == names


def test_every_name_the_report_pages_use_maps() -> None:
    pages = Settings().fiw_pages_dir
    editions = sorted(p for p in pages.iterdir() if p.is_dir())
    assert editions, f"no edition folders under {pages}"
    names = set().union(*(page_names(folder) for folder in editions))
    assert {"Gambia", "St. Vincent and Grenadines"} <= names
    assert set(map_names(names)) == names


def test_page_variant_names_map_except_the_fictional_ones() -> None:
    names = page_names(Settings().shared / "data" / "page-variants")
    with pytest.raises(UnmappedNames) as caught:
        map_names(names)
    assert set(caught.value.names) == {"Freedonia", "Utopia"}


def test_unmapped_names_lists_every_one_of_them() -> None:
    with pytest.raises(UnmappedNames) as caught:
        map_names(["Kenya", "Atlantis", "Freedonia", "Atlantis"])
    assert caught.value.names == ("Atlantis", "Freedonia")
    message = str(caught.value)
    assert "'Atlantis', 'Freedonia'" in message and "names.csv" not in message
    assert "fiw countries add --id atlantis" in message and "fiw countries alias" in message


def test_unmapped_names_suggest_close_matches() -> None:
    with pytest.raises(UnmappedNames) as caught:
        map_names(["Kazakhztan", "Republic of Kenya-land"])
    assert caught.value.suggestions["Kazakhztan"][0] == "kazakhstan"
    assert "(close: kazakhstan" in str(caught.value)


# Other datasets' spellings (World Bank, V-Dem, Polity, UN): one alias table (names.csv)
@pytest.mark.parametrize(
    ("name", "cid"),
    [
        ("Pakistan Kashmir", "pakistani-kashmir"),
        ("Ivory Coast", "cote-divoire"),
        ("Türkiye", "turkey"),
        ("Burma", "myanmar"),
        ("Congo, Dem. Rep.", "congo-kinshasa"),
        ("Congo, Rep.", "congo-brazzaville"),
        ("Korea, Rep.", "south-korea"),
        ("Korea, Dem. People's Rep.", "north-korea"),
        ("Egypt, Arab Rep.", "egypt"),
        ("Iran, Islamic Rep.", "iran"),
        ("Russian Federation", "russia"),
        ("Viet Nam", "vietnam"),
        ("Lao PDR", "laos"),
        ("Czech Republic", "czech-republic"),
        ("Czechia", "czech-republic"),
        ("Gambia, The", "the-gambia"),
        ("Venezuela, RB", "venezuela"),
        ("Hong Kong SAR, China", "hong-kong"),
    ],
)
def test_other_datasets_spellings_map_exactly(name: str, cid: str) -> None:
    assert map_names([name])[name].id == cid


def test_an_added_country_and_alias_resolve_beside_the_package() -> None:
    new = Country(
        "russian-occupied-territories-of-ukraine", "Russian-Occupied Territories of Ukraine", None
    )
    names = Resolver([new], {"Occupied Ukraine": new.id, "Kazakh Republic": "kazakhstan"})
    mapped = names.map_names(
        ["Russian-Occupied Territories of Ukraine", "Occupied Ukraine", "Kazakh Republic", "Kenya"]
    )
    assert {n: c.id for n, c in mapped.items()} == {
        "Russian-Occupied Territories of Ukraine": new.id,
        "Occupied Ukraine": new.id,
        "Kazakh Republic": "kazakhstan",
        "Kenya": "kenya",
    }
    assert names.find(new.id) == new and names.match("occupied ukraine") == new
    with pytest.raises(UnmappedNames):
        map_names(["Russian-Occupied Territories of Ukraine"])  # the package alone


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Partially Free", "Partly Free"),
        ("PF", "Partly Free"),
        ("partly free", "Partly Free"),
        ("NF", "Not Free"),
        ("not-free", "Not Free"),
        ("F", "Free"),
    ],
)
def test_status_spellings_of_other_datasets_are_read(text: str, status: str) -> None:
    assert Status.parse(text).value == status


def test_each_sheet_row_is_one_entity_per_edition(ratings: RatingsWorkbook) -> None:
    ids = map_names({r.name for r in ratings.records})
    keys = Counter((ids[r.name].id, r.edition.order) for r in ratings.records)
    assert [k for k, n in keys.items() if n > 1] == []
    rows_per_id = Counter(ids[n].id for n in {r.name for r in ratings.records})
    assert [i for i, n in rows_per_id.items() if n > 1] == []


@pytest.mark.parametrize(
    ("name", "cid", "iso3"),
    [
        ("Micronesia", "micronesia", "FSM"),
        ("The Gambia", "the-gambia", "GMB"),
        ("Gambia", "the-gambia", "GMB"),
        ("Congo (Kinshasa)", "congo-kinshasa", "COD"),
        ("Congo (Brazzaville)", "congo-brazzaville", "COG"),
        ("Cote d'Ivoire", "cote-divoire", "CIV"),
        ("St. Lucia", "st-lucia", "LCA"),
        ("Turkey", "turkey", "TUR"),
        ("Kazakhstan", "kazakhstan", "KAZ"),
        ("Kosovo", "kosovo", "XKX"),
        ("Hong Kong", "hong-kong", "HKG"),
        ("Puerto Rico", "puerto-rico", "PRI"),
        ("Tibet", "tibet", None),
        ("Northern Cyprus", "northern-cyprus", None),
        ("Yugoslavia", "yugoslavia", "YUG"),
        ("USSR", "ussr", "SUN"),
        ("Germany, E. ", "east-germany", "DDR"),
        ("Germany, W. ", "west-germany", None),
    ],
)
def test_names_that_fuzzy_matching_gets_wrong_map_to_the_right_country(
    name: str, cid: str, iso3: str | None
) -> None:
    country = map_names([name])[name]
    assert (country.id, country.iso3) == (cid, iso3)


@pytest.mark.parametrize("key", ["kazakhstan", "KAZ", "kaz", " Kazakhstan ", "KAZAKHSTAN"])
def test_find_country_accepts_slug_or_iso3_in_any_case(key: str) -> None:
    assert find_country(key).id == "kazakhstan"


def test_find_country_rejects_unknown_keys_clearly() -> None:
    with pytest.raises(UnknownCountry, match=r"unknown country 'Kazakstan'.*'KAZ'"):
        find_country("Kazakstan")


def test_ids_follow_the_documented_slug_rule() -> None:
    countries = all_countries()
    assert [c.id for c in countries if slugify(c.name) != c.id] == []
    assert len({c.id for c in countries}) == len(countries)


def test_iso3_codes_are_unique_real_and_never_shadow_an_id() -> None:
    countries = all_countries()
    codes = [c.iso3 for c in countries if c.iso3]
    assert len(codes) == len(set(codes))
    known = {c.alpha_3 for c in pycountry.countries} | {
        c.alpha_3 for c in pycountry.historic_countries
    }
    assert [c for c in codes if c not in known and c != "XKX"] == []
    assert {c.id for c in countries} & {c.lower() for c in codes} == set()


def test_name_variants_point_to_known_ids() -> None:
    ids = {c.id for c in all_countries()}
    assert [n for n, i in name_variants().items() if i not in ids] == []


@pytest.mark.parametrize(
    "spelling",
    ["Cote d\u2019Ivoire", "C\u00f4te d'Ivoire", "cote d'ivoire*", "  Cote\u00a0d'Ivoire  "],
)
def test_lookup_normalises_quotes_accents_spaces_case_and_stars(spelling: str) -> None:
    country = lookup_name(spelling)
    assert country is not None and country.id == "cote-divoire"


spaces = st.text(alphabet=" \u00a0\t", max_size=3)


@given(
    name=st.sampled_from(VARIANTS),
    before=spaces,
    after=spaces,
    star=st.booleans(),
    upper=st.booleans(),
)
def test_any_spacing_or_case_of_a_variant_maps_to_its_id(
    name: str, before: str, after: str, star: bool, upper: bool
) -> None:
    text = before + name.replace(" ", "  ") + ("*" if star else "") + after
    text = text.upper() if upper else text
    country = lookup_name(text)
    assert country is not None and country.id == name_variants()[name], text

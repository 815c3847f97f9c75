"""Country codes for joining other datasets: ISO2, ISO numeric, UN M49, COW and GW.

Read against the official ratings workbook: every entity rated in any edition from 1973 to
2024 has each code where one exists (each gap is a reasoned row of codes.csv), no code names
two entities rated in the same edition, historical states carry their own codes and
territories never their sovereign's. The codes come from country_converter (pycountry for the
former states it lacks); COW follows GW except where codes.csv records the two lists differ.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest

import fiw.sources
from fiw.errors import UnknownCountry
from fiw.settings import Settings
from fiw.sources.codes import (
    CODE_FIELDS,
    NO_CODES,
    UNCODED,
    Codes,
    all_codes,
    codes_of,
    missing_reasons,
)
from fiw.sources.countries import all_countries, map_names
from fiw.sources.ratings import read_ratings

JOIN_FIELDS = ("iso2", "un_m49", "cow", "gw")  # the codes issue 13 requires where they exist


@pytest.fixture(scope="module")
def rated() -> dict[int, dict[str, str]]:
    """Per edition (its year): the id → kind of every entity the ratings workbook rates in it."""
    workbook = read_ratings(Settings().ratings_workbook())
    ids = map_names({r.name for r in workbook.records})
    editions: dict[int, dict[str, str]] = defaultdict(dict)
    for record in workbook.records:
        if record.status is not None or record.pr_rating is not None:
            editions[record.edition.year][ids[record.name].id] = record.kind
    return editions


def test_every_entity_has_codes() -> None:
    codes = all_codes()
    assert set(codes) == {c.id for c in all_countries()}
    assert all(isinstance(c, Codes) for c in codes.values())


def test_the_rated_editions_run_from_1973_to_2024(rated: dict[int, dict[str, str]]) -> None:
    assert min(rated) == 1973 and max(rated) == 2024 and len(rated) == 51, sorted(rated)
    assert len(rated[2024]) > 200, len(rated[2024])


def test_every_edition_has_each_code_or_a_reason_from_codes_csv(
    rated: dict[int, dict[str, str]],
) -> None:
    """Issue 13: for every entity of every edition, ISO2, M49, COW and GW are filled where
    such a code exists; each gap is an explicit, reasoned row of codes.csv (territories with
    no ISO code of their own lack all codes)."""
    reasons = missing_reasons()
    explicit = {key for key, note in reasons.items() if note != UNCODED}
    undocumented: dict[int, list[tuple[str, str]]] = {}
    for year, entities in sorted(rated.items()):
        gaps = [
            (cid, field)
            for cid, kind in sorted(entities.items())
            for field in JOIN_FIELDS
            if getattr(codes_of(cid), field) is None
            and (cid, field) not in (explicit if kind == "country" else reasons)
        ]
        if gaps:
            undocumented[year] = gaps
    assert not undocumented, f"codes missing without a reason in codes.csv: {undocumented}"


def test_the_2024_countries_lack_only_the_codes_that_do_not_exist(
    rated: dict[int, dict[str, str]],
) -> None:
    gaps = {
        (cid, field)
        for cid, kind in rated[2024].items()
        if kind == "country"
        for field in JOIN_FIELDS
        if getattr(codes_of(cid), field) is None
    }
    assert gaps == {("kosovo", "un_m49"), ("taiwan", "un_m49")}, sorted(gaps)


def test_a_documented_gap_is_really_empty() -> None:
    codes = all_codes()
    filled = [(cid, f) for cid, f in missing_reasons() if getattr(codes[cid], f) is not None]
    assert not filled, f"a code and a reason for its absence: {filled}"


@pytest.mark.parametrize("field", CODE_FIELDS)
def test_no_code_names_two_entities_of_one_edition(
    rated: dict[int, dict[str, str]], field: str
) -> None:
    codes = all_codes()
    shared = {}
    for year, entities in rated.items():
        holders: dict[object, list[str]] = defaultdict(list)
        for cid in entities:
            value = getattr(codes[cid], field)
            if value is not None:
                holders[value].append(cid)
        clashes = {value: ids for value, ids in holders.items() if len(ids) > 1}
        if clashes:
            shared[year] = clashes
    assert not shared, f"{field} shared within an edition (edition: clashes): {shared}"


def test_territories_never_carry_a_sovereigns_code(rated: dict[int, dict[str, str]]) -> None:
    latest = rated[2024]
    codes = all_codes()
    territories = sorted(cid for cid, kind in latest.items() if kind == "territory")
    assert "tibet" in territories and "hong-kong" in territories
    for cid in territories:
        assert codes[cid].cow is None and codes[cid].gw is None, (cid, codes[cid])
    uncoded = [c for c in all_countries() if c.iso3 is None and c.id in territories]
    assert uncoded
    for country in uncoded:
        assert codes[country.id] == NO_CODES, country
    assert codes["hong-kong"].iso2 == "HK" and codes["hong-kong"].un_m49 == 344


@pytest.mark.parametrize(
    ("cid", "expected"),
    [
        ("ussr", Codes("SU", 810, 810, 365, 365)),
        ("czechoslovakia", Codes("CS", 200, 200, 315, 315)),
        ("east-germany", Codes("DD", 278, 278, 265, 265)),
        ("west-germany", Codes(None, 280, 280, 260, 260)),
        ("yugoslavia", Codes("YU", 891, 890, 345, 345)),
        ("serbia-and-montenegro", Codes("CS", 891, 891, 345, 345)),
        ("germany", Codes("DE", 276, 276, 255, 260)),
        ("serbia", Codes("RS", 688, 688, 345, 340)),
        ("vietnam", Codes("VN", 704, 704, 816, 816)),
        ("kosovo", Codes("XK", None, None, 347, 347)),
        ("kazakhstan", Codes("KZ", 398, 398, 705, 705)),
        ("czech-republic", Codes("CZ", 203, 203, 316, 316)),
        ("yemen", Codes("YE", 887, 887, 679, 678)),
        ("andorra", Codes("AD", 20, 20, 232, 232)),
        ("kiribati", Codes("KI", 296, 296, 946, 970)),
        ("greece", Codes("GR", 300, 300, 350, 350)),
    ],
)
def test_historical_states_and_successors_have_their_own_codes(cid: str, expected: Codes) -> None:
    assert codes_of(cid) == expected


def test_cow_is_gw_except_where_codes_csv_says_the_lists_differ() -> None:
    reasons = {cid for cid, _ in _cow_rows()}
    differ = {cid for cid, c in all_codes().items() if c.cow != c.gw}
    assert differ <= reasons, sorted(differ - reasons)
    assert {"germany", "serbia", "yemen", "kiribati"} <= differ


def _cow_rows() -> dict[tuple[str, str], str]:
    text = Path(fiw.sources.__file__).parent.joinpath("data", "codes.csv").read_text("utf-8")
    return {
        (row["id"], row["field"]): row["note"]
        for row in csv.DictReader(io.StringIO(text))
        if row["field"] == "cow"
    }


def test_codes_by_iso3_and_unknown_key() -> None:
    assert codes_of("KAZ") == codes_of("kazakhstan")
    with pytest.raises(UnknownCountry):
        codes_of("atlantis")

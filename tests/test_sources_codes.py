"""Country codes for joining other datasets: ISO2, ISO numeric, UN M49, COW and GW.

Read against the official ratings workbook: every entity rated in the 2024 edition has each
code where one exists (each gap is documented with its reason), no code names two entities
rated in the same edition of any year since 1973, historical states carry their own codes and
territories never their sovereign's.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from fiw.errors import UnknownCountry
from fiw.settings import Settings
from fiw.sources.codes import (
    CODE_FIELDS,
    NO_CODES,
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
    """Per edition year: the id → kind of every entity the ratings workbook rates in it."""
    workbook = read_ratings(Settings().ratings_workbook())
    ids = map_names({r.name for r in workbook.records})
    editions: dict[int, dict[str, str]] = defaultdict(dict)
    for record in workbook.records:
        if record.status is not None or record.pr_rating is not None:
            editions[record.edition.order][ids[record.name].id] = record.kind
    return editions


def test_every_entity_has_codes() -> None:
    codes = all_codes()
    assert set(codes) == {c.id for c in all_countries()}
    assert all(isinstance(c, Codes) for c in codes.values())


def test_2024_entities_have_each_code_or_a_documented_reason(
    rated: dict[int, dict[str, str]],
) -> None:
    latest = rated[max(rated)]
    assert len(latest) > 200, len(latest)
    reasons = missing_reasons()
    undocumented = [
        (cid, field)
        for cid in sorted(latest)
        for field in JOIN_FIELDS
        if getattr(codes_of(cid), field) is None and (cid, field) not in reasons
    ]
    assert not undocumented, f"codes missing without a reason in codes.csv: {undocumented}"
    # the gaps are the exception: nearly every country has all four codes
    countries = [cid for cid, kind in latest.items() if kind == "country"]
    complete = [c for c in countries if all(getattr(codes_of(c), f) for f in JOIN_FIELDS)]
    assert len(complete) >= len(countries) - 25, sorted(set(countries) - set(complete))


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
    for order, entities in rated.items():
        holders: dict[object, list[str]] = defaultdict(list)
        for cid in entities:
            value = getattr(codes[cid], field)
            if value is not None:
                holders[value].append(cid)
        clashes = {value: ids for value, ids in holders.items() if len(ids) > 1}
        if clashes:
            shared[order] = clashes
    assert not shared, f"{field} shared within an edition (edition order: clashes): {shared}"


def test_territories_never_carry_a_sovereigns_code(rated: dict[int, dict[str, str]]) -> None:
    latest = rated[max(rated)]
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
    ],
)
def test_historical_states_and_successors_have_their_own_codes(cid: str, expected: Codes) -> None:
    assert codes_of(cid) == expected


def test_codes_by_iso3_and_unknown_key() -> None:
    assert codes_of("KAZ") == codes_of("kazakhstan")
    with pytest.raises(UnknownCountry):
        codes_of("atlantis")

"""Country codes beside the slug and ISO3, for joining fiw's data with other datasets.

ISO 3166-1 alpha-2 and numeric come from pycountry (ISO 3166-3 for former states: USSR `SU`
810, Czechoslovakia `CS` 200 …); UN M49, Correlates of War (COW) and Gleditsch–Ward (GW)
state numbers from countrycode, the Python port of the R package political scientists use
for exactly this. Entities with an ISO3 are looked up by it; historical states and Kosovo by
their name in countrycode's list. `data/codes.csv` corrects the libraries where they are
wrong or silent and records, with a reason, each code an entity legitimately lacks.
Territories without an ISO code of their own get no codes at all: never their sovereign's.
docs/sources.md has the table and the reasons.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

import pycountry
from countrycode import countrycode  # type: ignore[import-untyped]

from fiw.sources.countries import Country, all_countries, find_country

__all__ = [
    "CODE_FIELDS", "NO_CODES", "NUMERIC_CODES", "Codes", "all_codes", "codes_of",
    "missing_reasons",
]  # fmt: skip

CODE_FIELDS = ("iso2", "iso_numeric", "un_m49", "cow", "gw")
NUMERIC_CODES = CODE_FIELDS[1:]  # integers (nullable in frames)
# countrycode's column for each code it supplies
_CODELIST = {"un_m49": "un", "cow": "cown", "gw": "gwn"}


@dataclass(frozen=True)
class Codes:
    """An entity's codes; None where it has none (the reason is in `missing_reasons`)."""

    iso2: str | None  # ISO 3166-1 alpha-2 (3166-3 for former states; XK for Kosovo)
    iso_numeric: int | None  # ISO 3166-1 numeric
    un_m49: int | None  # UN M49 (the ISO numeric for current states; former codes kept)
    cow: int | None  # Correlates of War state number (ccode)
    gw: int | None  # Gleditsch–Ward state number

    def to_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


NO_CODES = Codes(None, None, None, None, None)


@dataclass(frozen=True)
class _Override:
    value: str | None  # None: the entity has no such code
    note: str


@cache
def _overrides() -> dict[str, dict[str, _Override]]:
    """codes.csv: per id, `codelist` (its name in countrycode) or a code field → value."""
    text = resources.files("fiw.sources").joinpath("data", "codes.csv").read_text("utf-8")
    table: dict[str, dict[str, _Override]] = {}
    known = {c.id for c in all_countries()}
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        cid, field = row["id"], row["field"]
        if cid not in known:
            raise ValueError(f"codes.csv, line {line}: id {cid!r} is not in countries.csv")
        if field not in (*CODE_FIELDS, "codelist"):
            raise ValueError(f"codes.csv, line {line}: field {field!r} is not one of {CODE_FIELDS}")
        if field in table.get(cid, {}):
            raise ValueError(f"codes.csv, line {line}: {cid} {field} is given twice")
        if not row["value"] and not row["note"]:
            raise ValueError(f"codes.csv, line {line}: a missing code needs its reason in `note`")
        table.setdefault(cid, {})[field] = _Override(row["value"] or None, row["note"])
    return table


def _iso(country: Country) -> tuple[str | None, int | None]:
    """ISO alpha-2 and numeric from the ISO3 (3166-1, else 3166-3 for former states)."""
    if country.iso3 is None:
        return None, None
    entry = pycountry.countries.get(alpha_3=country.iso3) or pycountry.historic_countries.get(
        alpha_3=country.iso3
    )
    if entry is None:
        return None, None
    numeric = getattr(entry, "numeric", None)
    return entry.alpha_2, int(numeric) if numeric else None


def _number(fixed: dict[str, _Override], field: str, library: int | None) -> int | None:
    """The library's number unless codes.csv fixes it (to a number or to none)."""
    if field not in fixed:
        return library
    text = fixed[field].value
    return int(text) if text is not None else None


@cache
def all_codes() -> dict[str, Codes]:
    """Every entity's codes, by country id."""
    countries = all_countries()
    overrides = _overrides()
    keys: dict[str, tuple[str, str]] = {}  # id → (countrycode origin column, value)
    for country in countries:
        name = overrides.get(country.id, {}).get("codelist")
        if name is not None and name.value is not None:
            keys[country.id] = ("country.name.en", name.value)
        elif country.iso3 is not None and pycountry.countries.get(alpha_3=country.iso3):
            keys[country.id] = ("iso3c", country.iso3)
    found: dict[str, dict[str, int | None]] = {cid: {} for cid in keys}
    for origin in ("iso3c", "country.name.en"):
        ids = [cid for cid, (column, _) in keys.items() if column == origin]
        for field, column in _CODELIST.items():
            looked_up = countrycode([keys[c][1] for c in ids], origin=origin, destination=column)
            for cid, value in zip(ids, looked_up, strict=True):
                found[cid][field] = int(value) if value is not None else None
    codes: dict[str, Codes] = {}
    for country in countries:
        iso2, numeric = _iso(country)
        fixed = overrides.get(country.id, {})
        numbers = found.get(country.id, {})

        codes[country.id] = Codes(
            iso2=fixed["iso2"].value if "iso2" in fixed else iso2,
            iso_numeric=_number(fixed, "iso_numeric", numeric),
            un_m49=_number(fixed, "un_m49", numbers.get("un_m49")),
            cow=_number(fixed, "cow", numbers.get("cow")),
            gw=_number(fixed, "gw", numbers.get("gw")),
        )
    return codes


def codes_of(key: str) -> Codes:
    """An entity's codes by id or ISO3 (UnknownCountry when there is none)."""
    return all_codes()[find_country(key).id]


UNCODED = "no ISO code of its own and no state number: no codes (never its sovereign's)"


def missing_reasons() -> dict[tuple[str, str], str]:
    """(id, field) → why the entity has no such code: each gap codes.csv documents, and every
    field of an entity with neither an ISO3 nor a codes.csv entry (territories such as
    Abkhazia, Tibet, Somaliland)."""
    overrides = _overrides()
    reasons = {
        (cid, field): override.note
        for cid, fields in overrides.items()
        for field, override in fields.items()
        if field in CODE_FIELDS and override.value is None
    }
    for country in all_countries():
        if country.iso3 is None and country.id not in overrides:
            reasons |= {(country.id, field): UNCODED for field in CODE_FIELDS}
    return reasons

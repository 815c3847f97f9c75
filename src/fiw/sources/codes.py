"""Country codes beside the slug and ISO3, for joining fiw's data with other datasets.

One country library, country_converter (coco, already fiw's reader of common country names),
supplies by ISO3 the ISO 3166-1 alpha-2 and numeric codes, UN M49 and the Gleditsch–Ward (GW)
state number, also for the USSR; pycountry's ISO 3166-3 gives the alpha-2 and numeric codes of
the other former states coco does not list (Czechoslovakia `CS` 200, East Germany `DD` 278 …).
coco has no Correlates of War (COW) column: GW's numbering is COW's (Gleditsch and Ward built
their list on it), so an entity's COW number is its GW number except where the two lists
differ, which `data/codes.csv` records one by one (Germany 255, Serbia 345, Yemen 679, four
Pacific microstates). codes.csv also corrects the libraries where they are wrong or silent
(historical states, Vietnam's and Yemen's GW) and records, with a reason, each code an entity
legitimately lacks. Territories without an ISO code of their own get no codes at all: never
their sovereign's. docs/sources.md has the table and the reasons.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from fiw.sources.countries import Country, all_countries, find_country

__all__ = [
    "CODE_FIELDS", "NO_CODES", "NUMERIC_CODES", "Codes", "all_codes", "codes_of",
    "missing_reasons",
]  # fmt: skip

CODE_FIELDS = ("iso2", "iso_numeric", "un_m49", "cow", "gw")
NUMERIC_CODES = CODE_FIELDS[1:]  # integers (nullable in frames)
# country_converter's column for each code it supplies (COW: see the module docstring)
ISO2 = re.compile(r"[A-Z]{2}")
_COCO = {"iso2": "ISO2", "iso_numeric": "ISOnumeric", "un_m49": "UNcode", "gw": "GWcode"}


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
    """codes.csv: per id, a code field → its value (or none, with the reason)."""
    text = resources.files("fiw.sources").joinpath("data", "codes.csv").read_text("utf-8")
    table: dict[str, dict[str, _Override]] = {}
    known = {c.id for c in all_countries()}
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        cid, field = row["id"], row["field"]
        if cid not in known:
            raise ValueError(f"codes.csv, line {line}: id {cid!r} is not in countries.csv")
        if field not in CODE_FIELDS:
            raise ValueError(f"codes.csv, line {line}: field {field!r} is not one of {CODE_FIELDS}")
        if field in table.get(cid, {}):
            raise ValueError(f"codes.csv, line {line}: {cid} {field} is given twice")
        if not row["note"]:
            raise ValueError(f"codes.csv, line {line}: {cid} {field} needs its reason in `note`")
        table.setdefault(cid, {})[field] = _Override(row["value"] or None, row["note"])
    return table


@cache
def _coco() -> Any:  # country_converter ships no types
    """country_converter over its own table, former states (the USSR) included. Its reader
    turns Namibia's ISO2 "NA" into a missing value under pandas 3, so the table is read here
    with only empty cells missing (as `fiw.sources.countries` does for names)."""
    import country_converter
    import pandas as pd

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # no "not found" warnings
    table = pd.read_csv(
        country_converter.country_converter.COUNTRY_DATA_FILE,
        sep="\t", dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8",
    )  # fmt: skip
    # coco compiles each ISO2 cell as a pattern: its former entries without one (Channel
    # Islands, Tanganyika, Zanzibar) cannot load, and fiw rates none of them
    table = table.dropna(subset=["ISO2"])
    return country_converter.CountryConverter(country_data=table, include_obsolete=True)


def _library() -> dict[str, dict[str, str | int | None]]:
    """coco's codes per ISO3 it lists. An ISO2 cell that is a pattern (Greece's `^GR$|^EL$`)
    is read through coco's own conversion, which strips the pattern to the code."""
    converter = _coco()
    table: dict[str, dict[str, str | int | None]] = {}
    for field, column in _COCO.items():
        pairs = converter.get_correspondence_dict("ISO3", column, replace_numeric=False)
        for iso3, (value, *_) in pairs.items():
            if not isinstance(value, str):  # a missing cell (NaN)
                code: str | int | None = None
            elif field != "iso2":
                code = int(value)
            elif ISO2.fullmatch(value):
                code = value
            else:
                code = str(converter.convert(iso3, src="ISO3", to="ISO2"))
            table.setdefault(iso3, {})[field] = code
    return table


def _historic_iso(country: Country) -> tuple[str | None, int | None]:
    """ISO 3166-3 alpha-2 and numeric of a former state coco does not list."""
    if country.iso3 is None:
        return None, None
    entry = pycountry.historic_countries.get(alpha_3=country.iso3)
    if entry is None:
        return None, None
    numeric = getattr(entry, "numeric", None)
    return entry.alpha_2, int(numeric) if numeric else None


def _field(fixed: dict[str, _Override], field: str, library: str | int | None) -> str | int | None:
    """The library's code unless codes.csv fixes it (to a value or to none)."""
    if field not in fixed:
        return library
    text = fixed[field].value
    if text is None or field == "iso2":
        return text
    return int(text)


@cache
def all_codes() -> dict[str, Codes]:
    """Every entity's codes, by country id."""
    countries = all_countries()
    overrides = _overrides()
    library = _library()
    codes: dict[str, Codes] = {}
    for country in countries:
        found: dict[str, str | int | None] = dict(library.get(country.iso3 or "", {}))
        if not found:
            found["iso2"], found["iso_numeric"] = _historic_iso(country)
        fixed = overrides.get(country.id, {})
        value = {field: _field(fixed, field, found.get(field)) for field in _COCO}
        value["cow"] = _field(fixed, "cow", value["gw"])  # COW follows GW unless codes.csv differs
        iso2, numbers = value.pop("iso2"), {f: _number(value[f]) for f in NUMERIC_CODES}
        codes[country.id] = Codes(iso2 if isinstance(iso2, str) else None, **numbers)
    return codes


def _number(value: str | int | None) -> int | None:
    return value if isinstance(value, int) else None


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
        if override.value is None
    }
    for country in all_countries():
        if country.iso3 is None and country.id not in overrides:
            reasons |= {(country.id, field): UNCODED for field in CODE_FIELDS}
    return reasons

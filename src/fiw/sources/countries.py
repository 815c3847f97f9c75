"""Country identity: one id per country, territory or historical state, from committed data.

`data/countries.csv` lists every entity (slug id, display name, ISO 3166-1 alpha-3 or
empty) and `data/names.csv` every name variant that maps to one. The files are the
authority; docs/countries.md gives the id rule. Lookups normalise spacing, quotes, accents,
case and a trailing `*`, so "Cote d’Ivoire*" and "côte d'ivoire" find the same country.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fiw.errors import FiwError, UnknownCountry

__all__ = ["Country", "UnknownCountry", "UnmappedNames"]

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Country:
    """A country, territory or historical state as fiw identifies it."""

    id: str  # lowercase slug: "kazakhstan", "the-gambia", "congo-kinshasa"
    name: str  # display name, as Freedom House spells it today
    iso3: str | None  # ISO 3166-1 alpha-3 (XKX for Kosovo, ISO 3166-3 for some former states)


class UnmappedNames(FiwError, LookupError):
    """Names with no entry in the committed mapping; lists every one of them."""

    fix = "add each to src/fiw/sources/data/names.csv (name,id) with an id from countries.csv"

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(sorted(set(names)))
        self.where = "src/fiw/sources/data/names.csv"
        listed = ", ".join(repr(n) for n in self.names)
        super().__init__(
            f"{len(self.names)} name(s) map to no country: {listed}; add each to "
            "src/fiw/sources/data/names.csv (name,id) with an id from countries.csv"
        )


def normalise_name(name: str) -> str:
    """The lookup key of a name: NFKC, straight quotes, no accents, single spaces, no `*`,
    case-folded."""
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = " ".join(text.split()).rstrip("*").strip()
    return text.casefold()


def slugify(name: str) -> str:
    """The id rule: ASCII lowercase words of the name joined by hyphens ("Cote d'Ivoire"
    cote-divoire, "Congo (Kinshasa)" congo-kinshasa)."""
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = text.encode("ascii", "ignore").decode().lower().replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("fiw.sources").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@cache
def _countries() -> dict[str, Country]:
    countries: dict[str, Country] = {}
    for line, row in enumerate(_rows("countries.csv"), start=2):
        cid, iso3 = row["id"], row["iso3"] or None
        if not SLUG.match(cid) or cid in countries:
            raise ValueError(f"countries.csv, line {line}: id {cid!r} is not a new lowercase slug")
        if iso3 is not None and not ISO3.match(iso3):
            raise ValueError(f"countries.csv, line {line}: iso3 {iso3!r} is not three capitals")
        countries[cid] = Country(id=cid, name=row["name"], iso3=iso3)
    return countries


@cache
def _by_iso3() -> dict[str, Country]:
    by_iso3: dict[str, Country] = {}
    for country in _countries().values():
        if country.iso3 is not None:
            if country.iso3 in by_iso3:
                raise ValueError(f"countries.csv: iso3 {country.iso3} is given twice")
            by_iso3[country.iso3] = country
    return by_iso3


@cache
def _by_name() -> dict[str, Country]:
    countries = _countries()
    by_name = {normalise_name(c.name): c for c in countries.values()}
    for line, row in enumerate(_rows("names.csv"), start=2):
        key, cid = normalise_name(row["name"]), row["id"]
        if cid not in countries:
            raise ValueError(f"names.csv, line {line}: id {cid!r} is not in countries.csv")
        if key in by_name and by_name[key].id != cid:
            raise ValueError(
                f"names.csv, line {line}: {row['name']!r} maps to {cid!r} but also to "
                f"{by_name[key].id!r}"
            )
        by_name[key] = countries[cid]
    return by_name


def all_countries() -> tuple[Country, ...]:
    """Every identified country, territory and historical state, sorted by id."""
    return tuple(sorted(_countries().values(), key=lambda c: c.id))


def name_variants() -> dict[str, str]:
    """Every committed name variant (as written in names.csv) and the id it maps to."""
    return {row["name"]: row["id"] for row in _rows("names.csv")}


def lookup_name(name: str) -> Country | None:
    """The country a name maps to, or None."""
    return _by_name().get(normalise_name(name))


def map_names(names: Iterable[str]) -> dict[str, Country]:
    """Map each name to its country; raise UnmappedNames listing every name that has none."""
    found: dict[str, Country] = {}
    missing: list[str] = []
    for name in names:
        country = lookup_name(name)
        if country is None:
            missing.append(name)
        else:
            found[name] = country
    if missing:
        raise UnmappedNames(missing)
    return found


def find_country(key: str) -> Country:
    """A country by id ("kazakhstan") or ISO3 code ("KAZ"), case-insensitively."""
    text = key.strip()
    country = _countries().get(text.lower()) or _by_iso3().get(text.upper())
    if country is None:
        raise UnknownCountry(key)
    return country

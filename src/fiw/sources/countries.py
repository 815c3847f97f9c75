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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fiw.errors import FiwError, UnknownCountry

__all__ = ["PACKAGE", "Country", "Resolver", "UnknownCountry", "UnmappedNames"]

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
    """Names with no country in the package mapping or among the countries and aliases a
    user added to the database; lists every one of them, with close matches."""

    fix = (
        "add each as a new country or territory with `fiw countries add --id SLUG --name NAME "
        "--kind country|territory`, or map it to a known id with `fiw countries alias NAME ID`"
    )

    def __init__(
        self, names: Iterable[str], suggestions: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.names = tuple(sorted(set(names)))
        self.suggestions = {n: tuple((suggestions or {}).get(n, ())) for n in self.names}
        self.where = None

        def one(name: str) -> str:
            close = self.suggestions[name]
            return repr(name) + (f" (close: {', '.join(close)})" if close else "")

        listed = ", ".join(one(n) for n in self.names)
        first = self.names[0] if self.names else "NAME"
        example = f"fiw countries add --id {slugify(first) or 'SLUG'} --name {first!r} --kind …"
        super().__init__(
            f"{len(self.names)} name(s) map to no country: {listed}; {self.fix} "
            f"(for the first: `{example}`)"
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
    """Map each name to its country (package mapping only); raise UnmappedNames listing
    every name that has none, with close matches."""
    return PACKAGE.map_names(names)


def find_country(key: str) -> Country:
    """A country by id ("kazakhstan") or ISO3 code ("KAZ"), case-insensitively."""
    text = key.strip()
    country = _countries().get(text.lower()) or _by_iso3().get(text.upper())
    if country is None:
        raise UnknownCountry(key)
    return country


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    aliases: dict[str, list[str]] = {c.id: [c.name] for c in _countries().values()}
    for row in _rows("names.csv"):
        if row["name"] not in aliases[row["id"]]:
            aliases[row["id"]].append(row["name"])
    return {cid: tuple(names) for cid, names in aliases.items()}


def aliases() -> dict[str, tuple[str, ...]]:
    """Every id and its names: the display name first, then the variants of names.csv."""
    return _aliases()


@cache
def _converter() -> object:
    """country_converter's table of regular expressions for the world's country names (read
    once: about 250 rows). Its own reader turns Namibia's ISO2 code "NA" into a missing value
    under pandas 3, so the table is read here with only empty cells missing."""
    import logging

    import country_converter
    import pandas as pd

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # no "not found" warnings
    table = pd.read_csv(
        country_converter.country_converter.COUNTRY_DATA_FILE,
        sep="\t", dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8",
    )  # fmt: skip
    return country_converter.CountryConverter(country_data=table)


def match_name(text: str, loose: bool = True) -> Country | None:
    """The country a reader means by `text`, or None: an id or slug-like form
    ("ivory-coast"), an ISO3 code, any name of names.csv (accents, case and quotes aside:
    "Turkiye", "cote d'ivoire"), else (when `loose`) country_converter's regular expressions
    over common names and spellings ("Republic of Korea", also "kazakstan"), mapped to fiw's
    id through the ISO3 code."""
    key = text.strip()
    if not key:
        return None
    found = (
        _countries().get(key.lower())
        or (_by_iso3().get(key.upper()) if ISO3.match(key.upper()) else None)
        or lookup_name(key)
        or lookup_name(key.replace("-", " "))
    )
    if found is not None or not loose:
        return found
    if len(normalise_name(key)) < 4:  # too short for a regex match to mean anything
        return None
    iso3 = _converter().convert(key.replace("-", " "), to="ISO3", not_found=None)  # type: ignore[attr-defined]
    return _by_iso3().get(iso3) if isinstance(iso3, str) else None


def _close(text: str, by_key: Mapping[str, str], n: int) -> list[str]:
    """Ids whose normalised names (keys of `by_key`) are close to `text` (difflib), best first."""
    import difflib

    close = difflib.get_close_matches(
        normalise_name(text.replace("-", " ")), by_key, n=n * 3, cutoff=0.7
    )
    found: list[str] = []
    for key in close:
        if by_key[key] not in found:
            found.append(by_key[key])
    return found[:n]


def suggest(text: str, ids: Iterable[str], n: int = 5) -> list[str]:
    """Ids among `ids` whose names or variants are close to `text` (difflib), best first:
    the "did you mean" of an unknown name."""
    return PACKAGE.suggest(text, ids, n)


class Resolver:
    """Names and ids as the package mapping has them, plus the countries and aliases a user
    added (the store reads those from its database and hands a Resolver to the readers:
    `sources` never reads the store). The package comes first: an added alias never
    redirects a package name to another country."""

    def __init__(
        self, countries: Iterable[Country] = (), aliases: Mapping[str, str] | None = None
    ) -> None:
        self.extra: dict[str, Country] = {c.id: c for c in countries}
        self.aliases: dict[str, str] = dict(aliases or {})
        known = {**_countries(), **self.extra}
        self._names = {normalise_name(c.name): c for c in self.extra.values()}
        for name, cid in self.aliases.items():
            if cid in known:
                self._names.setdefault(normalise_name(name), known[cid])
        self._iso3 = {c.iso3: c for c in self.extra.values() if c.iso3}

    def country(self, cid: str) -> Country | None:
        """The country with this id, in the package or added."""
        return _countries().get(cid) or self.extra.get(cid)

    def lookup(self, name: str) -> Country | None:
        """The country a name maps to (package first, then the added names), or None."""
        return lookup_name(name) or self._names.get(normalise_name(name))

    def map_names(self, names: Iterable[str]) -> dict[str, Country]:
        """Map each name to its country; raise UnmappedNames listing every name that has
        none, each with its close matches."""
        found: dict[str, Country] = {}
        missing: list[str] = []
        for name in names:
            country = self.lookup(name)
            if country is None:
                missing.append(name)
            else:
                found[name] = country
        if missing:
            raise UnmappedNames(missing, {n: self.close_to(n) for n in set(missing)})
        return found

    def find(self, key: str) -> Country:
        """A country by id or ISO3 code, in the package or added; UnknownCountry if none."""
        text = key.strip()
        try:
            return find_country(text)
        except UnknownCountry:
            found = self.extra.get(text.lower()) or self._iso3.get(text.upper())
            if found is None:
                raise
            return found

    def match(self, text: str, loose: bool = True) -> Country | None:
        """What a reader means by `text` (`match_name`), the added countries and names
        included."""
        found = match_name(text, loose=False)
        if found is not None:
            return found
        key = text.strip()
        found = (
            self.extra.get(key.lower())
            or self._iso3.get(key.upper())
            or self._names.get(normalise_name(key))
            or self._names.get(normalise_name(key.replace("-", " ")))
        )
        if found is not None or not loose:
            return found
        return match_name(text, loose=True)

    def _keys(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        allowed = None if ids is None else set(ids)
        by_key: dict[str, str] = {}
        names = {cid: list(names) for cid, names in _aliases().items()}
        for c in self.extra.values():
            names.setdefault(c.id, []).append(c.name)
        for name, cid in self.aliases.items():
            names.setdefault(cid, []).append(name)
        for cid, variants in names.items():
            if allowed is None or cid in allowed:
                for name in variants:
                    by_key.setdefault(normalise_name(name), cid)
                by_key.setdefault(cid.replace("-", " "), cid)
        return by_key

    def suggest(self, text: str, ids: Iterable[str] | None = None, n: int = 5) -> list[str]:
        """Ids (among `ids`, else all) whose names are close to `text`, best first."""
        return _close(text, self._keys(ids), n)

    def close_to(self, name: str, n: int = 3) -> list[str]:
        """The close matches an unmapped name's error suggests: what country_converter's
        patterns read in it, then names close in spelling."""
        found = [c.id for c in (match_name(name),) if c is not None]
        for cid in (*self.suggest(name, n=n), *self._sharing_words(name)):
            if cid not in found:
                found.append(cid)
        return found[:n]

    def _sharing_words(self, name: str) -> list[str]:
        """Ids whose names share rare words (five letters or more) with `name`, each word
        weighing 1 / the number of ids that use it, so that "Republic" counts for little:
        "Russian-Occupied Territories of Ukraine" finds russia, ukraine and
        israeli-occupied-territories."""

        def words(text: str) -> set[str]:
            return {w for w in re.split(r"[^a-z]+", normalise_name(text)) if len(w) >= 5}

        by_id: dict[str, set[str]] = {}
        for key, cid in self._keys().items():
            by_id.setdefault(cid, set()).update(words(key))
        uses: dict[str, int] = {}
        for found in by_id.values():
            for word in found:
                uses[word] = uses.get(word, 0) + 1
        wanted = words(name)
        weight = {cid: sum(1 / uses[w] for w in wanted & found) for cid, found in by_id.items()}
        close = [cid for cid, w in weight.items() if w >= 0.5]
        return sorted(close, key=lambda cid: (-weight[cid], cid))


PACKAGE = Resolver()
"""The package mapping alone (countries.csv and names.csv)."""

"""What the explorer serves: the store read once per process into plain Python lists and dicts.

The data changes only on import (which `fiw serve` does before it starts), so the views never
query the database per request: they filter and slice these lists, which is much faster than
building a DataFrame per request. Narratives (`report()`) are read on demand and kept in a
small LRU, as there are thousands of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from markupsafe import Markup

from fiw.analysis import previous_totals
from fiw.errors import UnknownCountry
from fiw.sources.codes import NO_CODES, all_codes
from fiw.sources.countries import PACKAGE, Country, Resolver, aliases, normalise_name

if TYPE_CHECKING:
    import pandas as pd

    from fiw.pages import Report
    from fiw.store.dataset import Dataset

Row = dict[str, Any]
"""An assessment row (keys `fiw.methodology.SCORE_COLUMNS`, as `ds.scores()` has them) or a
rating row (`fiw.methodology.RATING_COLUMNS`, as `ds.ratings()` has them: `year` is the
edition's publication year)."""
T = TypeVar("T")
K = TypeVar("K")
REPORT_CACHE = 256
FRAGMENT_CACHE = 512  # rendered page parts of about 40 KB each: 20 MB at most


class Bounded(Generic[K, T]):
    """A thread-safe cache of at most `size` entries, the least recently used dropped first;
    `get(key, build)` builds a missing entry outside the lock (two builds of one key can
    race; both give the same value)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        found = build()
        with self._lock:
            self._entries[key] = found
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return found


@dataclass(frozen=True)
class CountryInfo:
    """A country or territory: id (slug), ISO3, name, and its kind and region in the latest
    edition that rates it (region None where it was never scored, e.g. the USSR)."""

    id: str
    iso3: str | None
    name: str
    kind: str
    region: str | None
    # the codes other datasets join on (fiw.sources.codes; docs/sources.md)
    iso2: str | None
    iso_numeric: int | None
    un_m49: int | None
    cow: int | None
    gw: int | None


def country_info(
    cid: str, iso3: str | None, name: str, kind: str, region: str | None
) -> CountryInfo:
    """A CountryInfo with the entity's codes (none for an id fiw's tables do not know)."""
    codes = all_codes().get(cid, NO_CODES)
    return CountryInfo(
        cid, iso3, name, kind, region,
        codes.iso2, codes.iso_numeric, codes.un_m49, codes.cow, codes.gw,
    )  # fmt: skip


class UnknownName(UnknownCountry):
    """No country or territory answers to a name; `suggestions` are the closest ones (the
    error page links them: "did you mean")."""

    fix = ""  # readers get links, not a command

    def __init__(self, key: str, suggestions: list[CountryInfo]) -> None:
        self.suggestions = tuple(suggestions)
        hint = "; did you mean " + " or ".join(c.name for c in suggestions) if suggestions else ""
        super().__init__(key, f"no country or territory is called {key!r}{hint}")


@dataclass(frozen=True)
class EditionInfo:
    """An edition of the report: publication year, order (1 = 1973), label, period."""

    year: int
    order: int | None
    label: str
    period: str | None
    scored: bool


@dataclass(frozen=True)
class ReleaseInfo:
    """The imported release a page shows the data of (`?release=`): file, sha256, import."""

    id: int
    file: str
    kind: str
    sha256: str
    short: str  # the sha256 prefix addresses use
    imported_at: str  # ISO 8601, UTC


def _records(frame: pd.DataFrame) -> list[Row]:
    """Rows as dicts of plain Python values, None for missing ones."""
    if frame.empty:
        return []
    clean = frame.astype(object).where(frame.notna(), None)
    return cast(list[Row], clean.to_dict("records"))


class Frames:
    """The store's scores and ratings as DataFrames, read once (for the analysis views, whose
    functions take frames). Treat them as read-only."""

    def __init__(self, scores: pd.DataFrame, ratings: pd.DataFrame) -> None:
        self._scores = scores
        self._ratings = ratings

    def scores(self) -> pd.DataFrame:
        return self._scores

    def ratings(self) -> pd.DataFrame:
        return self._ratings


class Snapshot:
    """The store's scores, ratings, countries and editions, indexed for the views."""

    def __init__(self, store: Dataset) -> None:
        self.store = store
        # names as `ds.country()` reads them: the package's and those users added to the
        # database (`fiw countries add|alias`)
        names_of = getattr(store, "names", None)
        self.names: Resolver = names_of() if names_of is not None else PACKAGE
        self.frames = Frames(store.scores(), store.ratings())
        scores = _records(self.frames.scores())
        editions = _records(store.editions())
        ratings = _records(self.frames.ratings())

        self.by_edition: dict[int, list[Row]] = {}
        self.by_country: dict[str, list[Row]] = {}
        for row in sorted(scores, key=lambda r: (r["edition"], r["name"])):
            self.by_edition.setdefault(row["edition"], []).append(row)
            self.by_country.setdefault(row["country_id"], []).append(row)
        self.editions: tuple[int, ...] = tuple(sorted(self.by_edition))
        self.regions: tuple[str, ...] = tuple(sorted({r["region"] for r in scores}))

        self.ratings_by_country: dict[str, list[Row]] = {}
        self.ratings_by_order: dict[int, list[Row]] = {}
        for row in sorted(ratings, key=lambda r: (r["order"] or 0, r["name"])):
            self.ratings_by_country.setdefault(row["country_id"], []).append(row)
            self.ratings_by_order.setdefault(row["order"], []).append(row)

        scored = set(self.editions)
        self.all_editions: tuple[EditionInfo, ...] = tuple(
            EditionInfo(e["year"], e["order"], e["label"], e["period"], e["year"] in scored)
            for e in sorted(editions, key=lambda e: e["year"])
        )

        self.countries: dict[str, CountryInfo] = {}
        for cid, rated in self.ratings_by_country.items():
            last = rated[-1]
            self.countries[cid] = country_info(cid, last["iso3"], last["name"], last["kind"], None)
        for cid, rows in self.by_country.items():
            last = rows[-1]
            self.countries[cid] = country_info(
                cid, last["iso3"], last["name"], last["kind"], last["region"]
            )
        self.countries = dict(sorted(self.countries.items(), key=lambda kv: kv[1].name))
        self._by_iso3 = {c.iso3: c for c in self.countries.values() if c.iso3}
        self._with_changes: dict[int, list[Row]] = {}
        earlier = previous_totals(self.frames.scores())
        self._previous = {
            (cid, edition): (total, status, change)
            for cid, edition, total, status, change in zip(
                *(earlier[c].tolist() for c in earlier.columns), strict=True
            )
        }
        self._reports: Bounded[tuple[str, int], Report | None] = Bounded(REPORT_CACHE)
        self._fragments: Bounded[tuple[str, ...], Markup] = Bounded(FRAGMENT_CACHE)
        self._release_lock = threading.Lock()
        self._memo: dict[tuple[str, str], Any] = {}

    # --- lookups ----------------------------------------------------------------------------

    @property
    def latest(self) -> int:
        return self.editions[-1]

    def previous(self, edition: int) -> int | None:
        """The scored edition before `edition`, or None."""
        i = self.editions.index(edition)
        return self.editions[i - 1] if i > 0 else None

    def edition_info(self, year: int) -> EditionInfo | None:
        return next((e for e in self.all_editions if e.year == year), None)

    @property
    def rated_editions(self) -> tuple[int, ...]:
        """Publication years of every edition with ratings (1973 on; there is no 1983)."""
        return tuple(e.year for e in self.all_editions if e.order is not None)

    def ratings_in(self, year: int) -> list[Row]:
        """The rating rows of the edition published in `year`, by name (empty if none)."""
        info = self.edition_info(year)
        if info is None or info.order is None:
            return []
        return self.ratings_by_order.get(info.order, [])

    def country(self, key: str, loose: bool = False) -> CountryInfo:
        """By id ("kazakhstan"), ISO3 ("KAZ"), or any name or spelling of the committed
        mapping or of the database's added countries and aliases (`self.names.match`:
        "ivory-coast", "Turkiye", a `fiw countries alias`; `loose` adds country_converter's
        patterns); UnknownName (a `fiw.errors.NotFoundError`, with the closest names as
        suggestions) if none. Addresses are not loose: a misspelt one gets "did you mean"
        rather than a silent guess."""
        found, named = self._resolve(key, loose)
        if found is not None:
            return found
        if named is not None:
            raise UnknownCountry(key, f"{named.name} has no ratings or scores in this database")
        close = self.names.suggest(key, self.countries)
        raise UnknownName(key, [self.countries[cid] for cid in close])

    def lookup(self, key: str, loose: bool = False) -> CountryInfo | None:
        """As `country`, but None where nothing answers: no error, and no "did you mean"
        (difflib over every name: too slow for a guess made on every search)."""
        return self._resolve(key, loose)[0]

    def _resolve(self, key: str, loose: bool) -> tuple[CountryInfo | None, Country | None]:
        """The served country `key` means, and the mapping's country its name matched."""
        found = self.countries.get(key) or self._by_iso3.get(key.upper())
        if found is not None:
            return found, None
        named = self.names.match(key, loose)
        return (self.countries.get(named.id) if named is not None else None), named

    def matching(self, text: str) -> set[str]:
        """Ids of the countries whose names or variants (the package's and those users
        added) contain `text` (accents, case and quotes aside: "Côte", "cote"), whose ISO3
        code it is, or that it names ("Ivory Coast", "Turkiye")."""
        needle = normalise_name(text)
        added: dict[str, list[str]] = {}
        for name, cid in self.names.aliases.items():
            added.setdefault(cid, []).append(name)
        keys = self.memo(
            ("name-keys", ""),
            lambda: {
                cid: tuple(
                    normalise_name(n)
                    for n in (c.name, *aliases().get(cid, ()), *added.get(cid, ()))
                )
                for cid, c in self.countries.items()
            },
        )
        found = {cid for cid, names in keys.items() if any(needle in n for n in names)}
        found |= {cid for cid, c in self.countries.items() if (c.iso3 or "").lower() == needle}
        named = self.names.match(text)
        if named is not None and named.id in self.countries:
            found.add(named.id)
        return found

    # --- rows -------------------------------------------------------------------------------

    def scores(
        self,
        edition: int | None = None,
        region: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        country: str | None = None,
    ) -> list[Row]:
        """Assessment rows (`SCORE_COLUMNS`), by edition then name, filtered (exact values)."""
        if country is not None:
            rows = self.by_country.get(country, [])
            if edition is not None:
                rows = [r for r in rows if r["edition"] == edition]
        elif edition is not None:
            rows = self.by_edition.get(edition, [])
        else:
            rows = [r for e in self.editions for r in self.by_edition[e]]
        if region is None and status is None and kind is None:
            return rows
        return [
            r
            for r in rows
            if (region is None or r["region"] == region)
            and (status is None or r["status"] == status)
            and (kind is None or r["kind"] == kind)
        ]

    def with_changes(self, edition: int) -> list[Row]:
        """Rows of `edition` with `previous_total`, `previous_status` and `change` against the
        edition before (`fiw.analysis.previous_totals`; None where not scored then)."""
        found = self._with_changes.get(edition)
        if found is None:
            none = (None, None, None)
            found = [
                {
                    **row,
                    **dict(
                        zip(
                            ("previous_total", "previous_status", "change"),
                            self._previous.get((row["country_id"], edition), none),
                            strict=True,
                        )
                    ),
                }
                for row in self.by_edition[edition]
            ]
            self._with_changes[edition] = found
        return found

    def ratings_of(self, country_id: str) -> list[Row]:
        """A country's ratings since the 1973 edition (`ds.ratings()` rows), oldest first."""
        return self.ratings_by_country.get(country_id, [])

    def for_release(self, key: str) -> tuple[Snapshot, ReleaseInfo]:
        """The data as an imported release had it (`?release=` a sha256 prefix or id), read
        once per release and process like the current data (`Dataset.as_of`)."""

        def build() -> tuple[Snapshot, ReleaseInfo]:
            release = self.store.release(key)  # UnknownRelease (a 404) when none matches
            info = ReleaseInfo(
                id=release.id, file=release.name, kind=release.kind, sha256=release.sha256,
                short=release.short, imported_at=release.imported_at.isoformat(),
            )  # fmt: skip
            return Snapshot(self.store.as_of(release)), info

        with self._release_lock:  # one build per release, however many ask at once
            return self.memo(("release", key.strip().lower()), build)

    def memo(self, key: tuple[str, str], build: Callable[[], T]) -> T:
        """`build()` once per key and process (views keep derived values here)."""
        found: T | None = self._memo.get(key)
        if found is None:
            found = self._memo[key] = build()
        return found

    # --- narratives -------------------------------------------------------------------------

    def report(self, country_id: str, edition: int) -> Report | None:
        """The imported country report of `edition`, or None where none was imported."""
        reader = getattr(self.store, "report", None)
        return self._reports.get(
            (country_id, edition),
            lambda: reader(country_id, edition) if reader is not None else None,
        )

    def fragment(self, key: tuple[str, ...], build: Callable[[], Markup]) -> Markup:
        """A rendered part of a page that no request changes (a country's history sections),
        built once per key while this data is served (the least used of FRAGMENT_CACHE go)."""
        return self._fragments.get(key, build)

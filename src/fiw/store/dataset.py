"""The Python API over the database: `ds = fiw.open()`, then `ds.scores()`, `ds.ratings()`,
`ds.country("KAZ").history()`. pandas is imported inside the methods that return frames,
so importing fiw (and starting the CLI) stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Select, select

from fiw.errors import UnknownCountry
from fiw.methodology import RATING_COLUMNS, SCORE_COLUMNS, SCORE_FIGURES
from fiw.pages import Report, report_from_json
from fiw.sources.codes import NO_CODES, NUMERIC_CODES, Codes, all_codes
from fiw.sources.countries import Resolver
from fiw.store.database import describe, make_engine
from fiw.store.frames import Many, Wanted, edition_filter, frame_of, many, statuses
from fiw.store.migrate import require_current
from fiw.store.schema import (
    Assessment,
    Country,
    CountryName,
    Edition,
    SourceFile,
)
from fiw.store.schema import Rating as RatingRow
from fiw.store.schema import Report as ReportTable

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import URL

    from fiw.store.release_dataset import ReleaseDataset
    from fiw.store.search import SearchHit
    from fiw.store.vintages import Release

SCORES_COLUMNS: tuple[str, ...] = SCORE_COLUMNS
RATINGS_COLUMNS: tuple[str, ...] = (*RATING_COLUMNS, "derived_from")
"""`RATING_COLUMNS`, then where an entry was derived from ("All_data": fiw.store.derived)."""
REPORTS_COLUMNS: tuple[str, ...] = (
    "country_id", "name", "edition", "territory", "status", "pr", "cl", "total",
    "version", "problems", "source_file", "imported_at",
)  # fmt: skip


@dataclass(frozen=True)
class CountrySummary:
    """A country as `fiw countries` lists it: identity, regions and editions by kind."""

    id: str
    name: str
    iso3: str | None
    regions: tuple[str, ...]
    country_editions: tuple[int, ...]
    territory_editions: tuple[int, ...]
    codes: Codes = NO_CODES  # ISO2, ISO numeric, M49, COW, GW (fiw.sources.codes)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "iso3": self.iso3,
            **self.codes.to_dict(),
            "regions": list(self.regions),
            "country_editions": list(self.country_editions),
            "territory_editions": list(self.territory_editions),
        }


class Dataset:
    """fiw's database, read as pandas DataFrames."""

    def __init__(self, engine: Engine) -> None:
        require_current(engine)
        self.engine = engine

    def __repr__(self) -> str:
        return f"<fiw.Dataset {describe(self.engine)}>"

    # --- scores -------------------------------------------------------------------------

    def _scores_select(self) -> Select[Any]:
        a = Assessment.__table__.c
        c = Country.__table__.c
        columns = [
            c.id.label("country_id"), c.iso3, c.name, a.kind, a.region, a.edition,
            *(a[key.lower()].label(key) for key in SCORE_FIGURES),
        ]  # fmt: skip
        return (
            select(*columns)
            .select_from(Assessment.__table__.join(Country.__table__))
            .order_by(a.edition, c.id)
        )

    def scores(
        self,
        edition: Many = None,
        region: Many = None,
        status: Many = None,
        kind: Many = None,
        country: str | None = None,
    ) -> pd.DataFrame:
        """Indicator scores, one row per country-edition (editions 2013 on), filtered by any
        of edition (year), region, status ("Free", "PF" …), kind and country."""
        wanted: Wanted = {
            "edition": many(edition), "region": many(region), "status": statuses(status),
            "kind": many(kind), "country_id": self._country_ids(country),
        }  # fmt: skip
        return frame_of(SCORES_COLUMNS, self._score_rows(wanted))

    def _score_rows(self, wanted: Wanted) -> Sequence[Sequence[object]]:
        """The scores rows `wanted` lets through, in `SCORES_COLUMNS` order."""
        a = Assessment.__table__.c
        return self._rows(self._scores_select(), [(a[k], v) for k, v in wanted.items()])

    # --- ratings ------------------------------------------------------------------------

    def ratings(
        self,
        edition: Many = None,
        status: Many = None,
        kind: Many = None,
        country: str | None = None,
    ) -> pd.DataFrame:
        """The ratings history since the 1973 edition, one row per rated entry (columns:
        `RATING_COLUMNS`, then `derived_from`: "All_data" for an entry the scores workbook
        gave before a ratings workbook had its edition, else empty). `edition` filters by
        publication year (1984) or label ("1983-84"), one or a list."""
        years, labels = edition_filter(edition)
        wanted: Wanted = {
            "status": statuses(status), "kind": many(kind),
            "country_id": self._country_ids(country),
        }  # fmt: skip
        return frame_of(RATINGS_COLUMNS, self._rating_rows(years, labels, wanted))

    def _rating_rows(
        self, years: list[int] | None, labels: list[str], wanted: Wanted
    ) -> Sequence[Sequence[object]]:
        """The ratings rows of the editions `years` or `labels` name (neither: all) that
        `wanted` lets through, in `RATINGS_COLUMNS` order."""
        r = RatingRow.__table__.c
        c = Country.__table__.c
        e = Edition.__table__.c
        query = (
            select(
                c.id, c.iso3, c.name, r.kind, e.year, e.label, e.order, e.period,
                r.pr_rating, r.cl_rating, r.status, r.raw, r.status_rule, r.derived_from,
            )
            .select_from(RatingRow.__table__.join(Country.__table__).join(Edition.__table__))
            .order_by(e.year, c.id)
        )  # fmt: skip
        if labels:
            query = query.where(e.year.in_(years or []) | e.label.in_(labels))
            years = None
        return self._rows(query, [(r.edition, years), *((r[k], v) for k, v in wanted.items())])

    def _rows(self, query: Any, filters: Any) -> Sequence[Sequence[object]]:
        """Run `query` narrowed by each (column, allowed values) filter that is set."""
        for column, values in filters:
            if values is not None:
                query = query.where(column.in_(values))
        with self.engine.connect() as connection:
            return connection.execute(query).all()

    def _country_ids(self, country: str | None) -> list[str] | None:
        """A country filter (id, ISO3 or name) as the one id it names (None: no filter)."""
        return None if country is None else [self.country(country).id]

    # --- countries ----------------------------------------------------------------------

    def country(self, key: str) -> CountryHandle:
        """A country by id ("kazakhstan"), ISO3 ("KAZ") or a name the sources use."""
        c = Country.__table__.c
        text = key.strip()
        query = select(c.id, c.name, c.iso3)
        with self.engine.connect() as connection:
            row = connection.execute(
                query.where((c.id == text.lower()) | (c.iso3 == text.upper()))
            ).first()
            if row is None:
                n = CountryName.__table__.c
                found = connection.execute(
                    select(n.country_id).where(n.name == text)
                ).scalar() or getattr(self.names(connection).match(text), "id", None)
                if found is not None:
                    row = connection.execute(query.where(c.id == found)).first()
        if row is None:
            raise UnknownCountry(
                key,
                f"no country {key!r} in {describe(self.engine)}: expected an id such as "
                "'kazakhstan', an ISO3 code such as 'KAZ' or a name (`fiw countries` lists them)",
                where=describe(self.engine),
            )
        return CountryHandle(self, row.id, row.name, row.iso3)

    def names(self, connection: Any = None) -> Resolver:
        """The package's countries and names with those a user added to this database."""
        from fiw.store.user_countries import resolver, resolver_on

        return resolver(self.engine) if connection is None else resolver_on(connection)

    def country_summaries(self) -> list[CountrySummary]:
        """Every country in the database with its codes, regions and editions by kind."""
        codes = all_codes()
        c = Country.__table__.c
        kinds: dict[str, dict[str, set[int]]] = {}
        regions: dict[str, dict[str, int]] = {}
        with self.engine.connect() as connection:
            countries = connection.execute(select(c.id, c.name, c.iso3).order_by(c.id)).all()
            for table in (RatingRow.__table__, Assessment.__table__):
                for cid, kind, year in connection.execute(
                    select(table.c.country_id, table.c.kind, table.c.edition)
                ):
                    kinds.setdefault(cid, {}).setdefault(kind, set()).add(year)
            a = Assessment.__table__.c
            for cid, region, year in connection.execute(
                select(a.country_id, a.region, a.edition).order_by(a.edition)
            ):
                regions.setdefault(cid, {})[region] = year
        return [
            CountrySummary(
                id=cid,
                name=name,
                iso3=iso3,
                regions=tuple(sorted(regions.get(cid, {}), key=regions.get(cid, {}).__getitem__)),
                country_editions=tuple(sorted(kinds.get(cid, {}).get("country", ()))),
                territory_editions=tuple(sorted(kinds.get(cid, {}).get("territory", ()))),
                codes=codes.get(cid, NO_CODES),
            )
            for cid, name, iso3 in countries
        ]

    def countries(self) -> pd.DataFrame:
        """Every country: id, name, iso3, the codes other datasets join on (iso2,
        iso_numeric, un_m49, cow, gw; docs/sources.md), regions and the editions it was a
        country or territory in (lists of years)."""
        import pandas as pd

        frame = pd.DataFrame([s.to_dict() for s in self.country_summaries()])
        return frame.astype(dict.fromkeys(NUMERIC_CODES, "Int64"))

    def editions(self) -> pd.DataFrame:
        """Every edition: year, order (1 = 1973 … 51 = 2024), label, period, methodology."""
        e = Edition.__table__.c
        query = select(e.year, e.order, e.label, e.period, e.methodology_version).order_by(e.year)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return frame_of(("year", "order", "label", "period", "methodology_version"), rows)

    # --- reports ------------------------------------------------------------------------

    def report(self, country: str, edition: int) -> Report | None:
        """The current report page of a country (id, ISO3 or name) and edition, or None."""
        versions = self.report_versions(country, edition, current_only=True)
        return versions[0].report if versions else None

    def report_versions(
        self, country: str, edition: int, *, current_only: bool = False
    ) -> list[ReportVersion]:
        """Every stored version of a country-edition's report, oldest first, with provenance."""
        cid = self.country(country).id
        r = ReportTable.__table__.c
        f = SourceFile.__table__.c
        query = (
            select(
                r.version,
                r.current,
                r.superseded_at,
                r.document,
                r.source_path,
                f.sha256,
                f.imported_at,
            )
            .select_from(ReportTable.__table__.join(SourceFile.__table__))
            .where(r.country_id == cid, r.edition == edition)
            .order_by(r.version)
        )
        if current_only:
            query = query.where(r.current)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            ReportVersion(
                version=row.version,
                current=bool(row.current),
                source_file=row.source_path,
                source_sha256=row.sha256,
                imported_at=row.imported_at,
                superseded_at=row.superseded_at,
                report=report_from_json(json.loads(row.document)),
            )
            for row in rows
        ]

    def reports(self, edition: Many = None) -> pd.DataFrame:
        """The current report of each country-edition (no narratives): figures as the page
        states them, version, source file and import time, and the number of problems."""
        r = ReportTable.__table__.c
        f = SourceFile.__table__.c
        query = (
            select(
                r.country_id,
                r.name,
                r.edition,
                r.territory,
                r.status,
                r.pr,
                r.cl,
                r.total,
                r.version,
                r.problems,
                r.source_path.label("source_file"),
                f.imported_at,
            )
            .select_from(ReportTable.__table__.join(SourceFile.__table__))
            .where(r.current)
            .order_by(r.edition, r.country_id)
        )
        editions = many(edition)
        if editions is not None:
            query = query.where(r.edition.in_(editions))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        frame = frame_of(REPORTS_COLUMNS, [(*row[:-1], None) for row in rows])
        frame["imported_at"] = [row.imported_at for row in rows]
        frame["territory"] = frame["territory"].astype(bool)
        return frame

    def search(
        self,
        q: str,
        indicator: Many = None,
        edition: Many = None,
        region: Many = None,
        status: Many = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Paragraphs of the current reports containing every term of `q` (words, "quoted
        phrases", prefix*), filtered by indicator (A1 … G4, Q, overview, key_developments or a
        note label), edition, region and status; newest edition first."""
        from fiw.store.search import search

        with self.engine.connect() as connection:
            return search(
                connection, q, indicators=many(indicator), editions=many(edition),
                regions=many(region), statuses=statuses(status), limit=limit, offset=offset,
            )  # fmt: skip

    # --- vintages (fiw.store.vintages) ---------------------------------------------------

    def releases(self) -> list[Release]:
        """Every imported release (workbook or export file), in the order first imported."""
        from fiw.store.vintages import releases

        with self.engine.connect() as connection:
            return releases(connection)

    def release(self, key: str | int) -> Release:
        """A release by id or sha256 prefix (UnknownRelease, a 404, when none matches)."""
        from fiw.store.vintages import find_release

        with self.engine.connect() as connection:
            return find_release(connection, key)

    def revisions(
        self, release: str | int | None = None, country: str | None = None, edition: Many = None
    ) -> pd.DataFrame:
        """Every published value an import changed: `country_id`, `edition`, `field` (as the
        workbook heads its column: A1, Add Q, PR rating, Status …), `old`, `new` (None: no
        value, a row the release added or dropped), `table`, and the release (`release` id,
        `file`, `sha256`, `imported_at`). Filtered by release (id or sha256 prefix),
        country and edition."""
        import pandas as pd

        from fiw.store.vintages import REVISION_COLUMNS, find_release, revisions

        cid = None if country is None else [self.country(country).id]
        editions = many(edition)
        with self.engine.connect() as connection:
            chosen = None if release is None else find_release(connection, release)
            found = revisions(connection, chosen, cid, editions)
        frame = pd.DataFrame(
            [[getattr(r, c) for c in REVISION_COLUMNS] for r in found],
            columns=list(REVISION_COLUMNS),
        )
        return frame.astype({"old": object, "new": object})

    def published(self, country: str, edition: int, field: str) -> pd.DataFrame:
        """The releases that published one value and what each said: a row per release
        holding the edition (`table`, `release`, `file`, `sha256`, `imported_at`, `value`),
        `field` as the workbook heads it (A1, PR rating, Status …)."""
        import pandas as pd

        from fiw.store.vintages import PUBLICATION_COLUMNS, publications

        cid = self.country(country).id
        with self.engine.connect() as connection:
            found = publications(connection, cid, edition, field)
        frame = pd.DataFrame(
            [[getattr(p, c) for c in PUBLICATION_COLUMNS] for p in found],
            columns=list(PUBLICATION_COLUMNS),
        )
        return frame.astype({"value": object})

    def as_of(self, release: str | int | Release) -> ReleaseDataset:
        """The database as `release` had it (just after the import that brought it): the
        same `scores()` and `ratings()`, with every later import's revisions undone and the
        editions first imported later left out."""
        from fiw.store.release_dataset import ReleaseDataset

        chosen = release if not isinstance(release, str | int) else self.release(release)
        return ReleaseDataset(self.engine, chosen)


@dataclass(frozen=True)
class ReportVersion:
    """One stored version of a report page and where it came from."""

    version: int
    current: bool
    source_file: str
    source_sha256: str
    imported_at: datetime
    superseded_at: datetime | None
    report: Report


@dataclass(frozen=True)
class CountryHandle:
    """One country of a Dataset: `.history()` (ratings since 1973) and `.scores()`."""

    dataset: Dataset
    id: str
    name: str
    iso3: str | None

    def history(self) -> pd.DataFrame:
        """The country's ratings history, oldest edition first."""
        return self.dataset.ratings(country=self.id)

    def scores(self) -> pd.DataFrame:
        """The country's indicator scores, one row per edition."""
        return self.dataset.scores(country=self.id)


def open_dataset(url: str | URL | None = None) -> Dataset:
    """The Dataset at `url`, else FIW_DATABASE_URL, else the default SQLite file."""
    return Dataset(make_engine(url))

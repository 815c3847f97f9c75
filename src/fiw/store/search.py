"""`ds.search()`: full-text search of the current reports' narratives on either database.

Hits come in a fixed order on both engines — newest edition first, then country id, then
place in the report — rather than by an engine-specific relevance score, so the same query
gives the same hits (and the same first `limit`) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import computed_field
from sqlalchemy import (
    Connection,
    Select,
    and_,
    cast,
    column,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from fiw.methodology import INDICATORS_OF, load_index
from fiw.store.schema import Assessment, Country, Report, ReportParagraph
from fiw.store.textsearch import (
    SearchError,
    Span,
    fts5_match,
    parse_query,
    snippet,
    tsquery,
)

MAX_SECONDS = 2.0  # a search's time in the database; the slowest real query takes 0.1 s
MAX_WAIT = 30.0  # SQLite: the wall-clock bound of a search that gets little CPU time


def _sections() -> tuple[str, ...]:
    rules = load_index("fiw")
    asked = [q for q in rules.discretionary if q.last is None]
    out = ["overview", "key_developments"]
    for aggregate in rules.aggregates:
        for category in aggregate.categories:
            out += INDICATORS_OF[category]
        out += [q.code for q in asked if q.aggregate == aggregate.code]
    return tuple(out)


SECTIONS: tuple[str, ...] = _sections()
"""The sections a hit can be in, in the order of a report: the overview, key developments,
then each aggregate's indicators and its discretionary question still asked (Q)."""


def anchor(section: str) -> str:
    """The country page's fragment for a section: the indicator code (A1 … G4, Q),
    `overview`, `key-developments`, or `notes` for a note's label."""
    if section == "key_developments":
        return "key-developments"
    return section if section in SECTIONS else "notes"


@dataclass(frozen=True)
class SearchHit:
    """A paragraph that matches: where it is (country, edition, section, position), a
    snippet with the matches' character spans (`marks`), and its address on the country page
    (`url`, in the JSON too); the one hit type of `ds.search()`, the CLI and the web."""

    country_id: str
    name: str
    edition: int
    region: str | None
    status: str | None
    indicator: str
    position: int
    snippet: str
    marks: tuple[Span, ...]
    query: str = ""  # the words searched for: the country page marks them (`?hl=`)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def url(self) -> str:
        """`/country/{id}/{edition}?hl={query}#{section}`: the paragraph on fiw's country
        page, with the searched words marked there."""
        marked = f"?{urlencode({'hl': self.query})}" if self.query else ""
        return f"/country/{self.country_id}/{self.edition}{marked}#{anchor(self.indicator)}"

    def segments(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) pieces, for rendering the marks safely."""
        return split_marks(self.snippet, self.marks)

    def marked(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The snippet with each match between `open_mark` and `close_mark`."""
        return "".join(f"{open_mark}{t}{close_mark}" if hit else t for t, hit in self.segments())

    def to_dict(self) -> dict[str, object]:
        return {
            "country_id": self.country_id,
            "name": self.name,
            "edition": self.edition,
            "region": self.region,
            "status": self.status,
            "indicator": self.indicator,
            "position": self.position,
            "snippet": self.snippet,
            "marks": [list(m) for m in self.marks],
            "query": self.query,
            "url": self.url,
        }


def search(
    connection: Connection,
    q: str,
    *,
    indicators: Sequence[str] | None = None,
    editions: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchHit]:
    """Paragraphs of current reports matching `q` (every term), filtered; SearchError for a
    query without words."""
    terms = parse_query(q)
    p = ReportParagraph.__table__.c
    r = Report.__table__.c
    c = Country.__table__.c
    a = Assessment.__table__.c
    joined = (
        ReportParagraph.__table__.join(Report.__table__, p.report_id == r.id)
        .join(Country.__table__, r.country_id == c.id)
        .outerjoin(Assessment.__table__, and_(a.country_id == r.country_id, a.edition == r.edition))
    )
    columns = (c.id, c.name, r.edition, a.region, r.status, p.section, p.position, p.text)
    if connection.dialect.name == "postgresql":
        query: Select[Any] = select(*columns).select_from(joined)
        for prefix, name in ((True, "search_vector"), (False, "stem_vector")):
            wanted = tsquery(terms, prefix)
            if wanted is not None:
                vector: ColumnElement[Any] = literal_column(f"report_paragraphs.{name}")
                query = query.where(vector.op("@@")(cast(wanted, TSQUERY)))
    else:
        match = text("report_search MATCH :match").bindparams(match=fts5_match(terms))
        if editions is None:  # the index drives: each match is looked up by its id
            fts = table("report_search", column("rowid"))
            query = select(*columns).select_from(fts.join(joined, fts.c.rowid == p.id)).where(match)
        else:  # the edition's reports drive; `+` keeps SQLite from probing per match
            matches: Select[Any] = select(literal_column("rowid")).select_from(
                text("report_search")
            )
            query = (
                select(*columns)
                .select_from(joined)
                .where(literal_column("+report_paragraphs.id").in_(matches.where(match)))
            )
    query = query.where(r.current)
    for field, values in (
        (p.section, indicators),
        (r.edition, editions),
        (a.region, regions),
        (r.status, statuses),
    ):
        if values is not None:
            query = query.where(field.in_(list(values)))
    query = query.order_by(r.edition.desc(), c.id, p.ordinal).limit(limit).offset(offset)
    hits = []
    with time_limit(connection, MAX_SECONDS):
        rows = connection.execute(query).all()
    for row in rows:
        shown, marks = snippet(row.text, terms)
        hits.append(
            SearchHit(
                country_id=row.id,
                name=row.name,
                edition=row.edition,
                region=row.region,
                status=row.status,
                indicator=row.section,
                position=row.position,
                snippet=shown,
                marks=marks,
                query=q,
            )
        )
    return hits


@contextmanager
def time_limit(connection: Connection, seconds: float) -> Iterator[None]:
    """Stop the statements run inside after `seconds` (PostgreSQL's statement_timeout for the
    transaction; on SQLite a progress handler counting the thread's CPU time, and MAX_WAIT of
    wall-clock time), as a SearchError: one broad query (`the* pro* …`) must not hold a
    connection and a core for long while others wait. CPU time, so that a search run at low
    priority (`fiw.store.searchpool`) is not stopped for the time it waited for a core."""
    postgres = connection.dialect.name == "postgresql"
    raw: Any = None
    if postgres:
        connection.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
    else:
        raw = connection.connection.driver_connection
        cpu, wall = time.thread_time() + seconds, time.monotonic() + max(seconds, MAX_WAIT)
        raw.set_progress_handler(
            lambda: int(time.thread_time() > cpu or time.monotonic() > wall), 20_000
        )
    try:
        yield
    except OperationalError as exc:
        text_of = str(exc.orig).lower()
        if "interrupted" in text_of or "statement timeout" in text_of:
            raise SearchError(
                f"q: the search took longer than {seconds:g} s and was stopped; "
                "use fewer or longer prefix* terms, or filter by edition"
            ) from exc
        raise
    else:
        if postgres:  # the rest of the caller's transaction runs without the limit
            connection.execute(text("SET LOCAL statement_timeout = DEFAULT"))
    finally:
        if raw is not None:
            raw.set_progress_handler(None, 0)


def split_marks(snippet: str, marks: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A snippet cut into (text, is_match) pieces at the character spans of its matches."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in marks:
        if start > at:
            out.append((snippet[at:start], False))
        out.append((snippet[start:end], True))
        at = end
    if at < len(snippet):
        out.append((snippet[at:], False))
    return out

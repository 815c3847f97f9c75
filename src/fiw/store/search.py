"""`ds.search()`: full-text search of the current reports' narratives on either database.

Hits come in a fixed order on both engines — newest edition first, then country id, then
place in the report — rather than by an engine-specific relevance score, so the same query
gives the same hits (and the same first `limit`) on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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
from sqlalchemy.sql.elements import ColumnElement

from fiw.store.schema import Assessment, Country, Report, ReportParagraph
from fiw.store.textsearch import Span, fts5_match, parse_query, snippet, tsquery


@dataclass(frozen=True)
class SearchHit:
    """A paragraph that matches: where it is (country, edition, section, position) and a
    snippet with the matches' character spans (`marks`)."""

    country_id: str
    name: str
    edition: int
    region: str | None
    status: str | None
    indicator: str
    position: int
    snippet: str
    marks: tuple[Span, ...]

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
    for row in connection.execute(query):
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
            )
        )
    return hits


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

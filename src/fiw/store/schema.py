"""The database tables as SQLAlchemy 2 typed models (Alembic revisions create them).

Natural keys are enforced where data enters: one assessment and one rating per (country,
edition). Every row that came from a file points to its `source_files` row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fiw.methodology import load_index

# Named constraints so that the same Alembic revisions (batch mode on SQLite) work everywhere.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

INDICATORS: tuple[str, ...] = load_index("fiw").indicator_codes()
SUBTOTALS = ("a", "b", "c", "d", "e", "f", "g")
STATUSES = ("Free", "Partly Free", "Not Free")
KINDS = ("country", "territory")
STATUS_RULES = ("follows", "either", "contradicts")
SOURCE_KINDS = ("all_data", "ratings", "export", "pages")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SourceFile(Base):
    """A file imported into the database, identified by its sha256."""

    __tablename__ = "source_files"
    __table_args__ = (CheckConstraint(_one_of("kind", SOURCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(1000))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Country(Base):
    """A country or territory (kind belongs to an edition, not here), by its slug id."""

    __tablename__ = "countries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    iso3: Mapped[str | None] = mapped_column(String(3), unique=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


class CountryName(Base):
    """A spelling of a country's name as some source file writes it."""

    __tablename__ = "country_names"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"), index=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


class Edition(Base):
    """An edition of Freedom in the World, keyed by the year it was published in."""

    __tablename__ = "editions"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    order: Mapped[int | None] = mapped_column("order", SmallInteger, unique=True)
    label: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(64))
    methodology_version: Mapped[str] = mapped_column(String(16))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


def _score_column() -> Mapped[int]:
    return mapped_column(SmallInteger)


class Assessment(Base):
    """One country-edition of indicator scores, with the values the workbook published."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", name="uq_assessments_country_edition"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("q BETWEEN 0 AND 4", name="q"),
        CheckConstraint("add_a IS NULL OR add_a BETWEEN 0 AND 4", name="add_a"),
        CheckConstraint("pr_rating BETWEEN 1 AND 7 AND cl_rating BETWEEN 1 AND 7", name="ratings"),
        *(CheckConstraint(f"{c.lower()} BETWEEN 0 AND 4", name=c.lower()) for c in INDICATORS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(ForeignKey("editions.year"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(32))
    a1: Mapped[int] = _score_column()
    a2: Mapped[int] = _score_column()
    a3: Mapped[int] = _score_column()
    b1: Mapped[int] = _score_column()
    b2: Mapped[int] = _score_column()
    b3: Mapped[int] = _score_column()
    b4: Mapped[int] = _score_column()
    c1: Mapped[int] = _score_column()
    c2: Mapped[int] = _score_column()
    c3: Mapped[int] = _score_column()
    d1: Mapped[int] = _score_column()
    d2: Mapped[int] = _score_column()
    d3: Mapped[int] = _score_column()
    d4: Mapped[int] = _score_column()
    e1: Mapped[int] = _score_column()
    e2: Mapped[int] = _score_column()
    e3: Mapped[int] = _score_column()
    f1: Mapped[int] = _score_column()
    f2: Mapped[int] = _score_column()
    f3: Mapped[int] = _score_column()
    f4: Mapped[int] = _score_column()
    g1: Mapped[int] = _score_column()
    g2: Mapped[int] = _score_column()
    g3: Mapped[int] = _score_column()
    g4: Mapped[int] = _score_column()
    q: Mapped[int] = mapped_column(SmallInteger)
    add_a: Mapped[int | None] = mapped_column(SmallInteger)
    a: Mapped[int] = mapped_column(SmallInteger)
    b: Mapped[int] = mapped_column(SmallInteger)
    c: Mapped[int] = mapped_column(SmallInteger)
    d: Mapped[int] = mapped_column(SmallInteger)
    e: Mapped[int] = mapped_column(SmallInteger)
    f: Mapped[int] = mapped_column(SmallInteger)
    g: Mapped[int] = mapped_column(SmallInteger)
    pr: Mapped[int] = mapped_column(SmallInteger)
    cl: Mapped[int] = mapped_column(SmallInteger)
    total: Mapped[int] = mapped_column(SmallInteger)
    pr_rating: Mapped[int] = mapped_column(SmallInteger)
    cl_rating: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))
    source_sheet: Mapped[str | None] = mapped_column(String(64))
    source_row: Mapped[int | None] = mapped_column(Integer)


class Rating(Base):
    """One rated entry of the ratings history since the 1973 edition."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", name="uq_ratings_country_edition"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(f"status IS NULL OR {_one_of('status', STATUSES)}", name="status"),
        CheckConstraint(
            f"status_rule IS NULL OR {_one_of('status_rule', STATUS_RULES)}", name="status_rule"
        ),
        CheckConstraint("pr_rating IS NULL OR pr_rating BETWEEN 1 AND 7", name="pr_rating"),
        CheckConstraint("cl_rating IS NULL OR cl_rating BETWEEN 1 AND 7", name="cl_rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(ForeignKey("editions.year"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    pr_rating: Mapped[int | None] = mapped_column(SmallInteger)
    cl_rating: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str | None] = mapped_column(String(16))
    raw: Mapped[str | None] = mapped_column(String(64))
    status_rule: Mapped[str | None] = mapped_column(String(16))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))
    source_sheet: Mapped[str | None] = mapped_column(String(64))
    source_row: Mapped[int | None] = mapped_column(Integer)


class Report(Base):
    """One version of a country report page (issue 4). A re-import of a changed page adds a
    version and marks the earlier one superseded; exactly one version per (country, edition)
    is current. `document` is the whole report as `fiw parse --json` prints it (lossless)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", "version", name="uq_reports_version"),
        Index(
            "uq_reports_current",
            "country_id",
            "edition",
            unique=True,
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
        CheckConstraint(f"status IS NULL OR {_one_of('status', STATUSES)}", name="status"),
        CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(ForeignKey("editions.year"), index=True)
    version: Mapped[int] = mapped_column(SmallInteger)
    current: Mapped[bool] = mapped_column(Boolean)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    name: Mapped[str] = mapped_column(String(128))
    territory: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(String(16))
    pr: Mapped[int] = mapped_column(SmallInteger)
    cl: Mapped[int] = mapped_column(SmallInteger)
    total: Mapped[int] = mapped_column(SmallInteger)
    last_year_total: Mapped[int | None] = mapped_column(SmallInteger)
    last_year_status: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text)
    overview: Mapped[str] = mapped_column(Text)
    key_developments: Mapped[str] = mapped_column(Text)
    add_q: Mapped[int | None] = mapped_column(SmallInteger)
    site_latest_total: Mapped[int | None] = mapped_column(SmallInteger)
    site_latest_status: Mapped[str | None] = mapped_column(String(16))
    internet_freedom_total: Mapped[int | None] = mapped_column(SmallInteger)
    internet_freedom_status: Mapped[str | None] = mapped_column(String(16))
    problems: Mapped[int] = mapped_column(SmallInteger)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(1000))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


class ReportParagraph(Base):
    """A narrative paragraph of a report, indexed for full-text search: `section` is an
    indicator code (A1 … G4, Q), "overview", "key_developments" or a note's label;
    `position` its place within the section, `ordinal` its place in the whole report."""

    __tablename__ = "report_paragraphs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(SmallInteger)
    ordinal: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)


# Backend-specific search objects that the revisions create outside the models (FTS5 and its
# shadow tables on SQLite; the tsvector column and its GIN index on PostgreSQL).
SEARCH_OBJECTS = (
    "report_search",
    "search_vector",
    "ix_report_paragraphs_search",
    "stem_vector",
    "ix_report_paragraphs_stems",
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: leave the engine-specific search index out of model comparisons."""
    return not (name or "").startswith(SEARCH_OBJECTS)

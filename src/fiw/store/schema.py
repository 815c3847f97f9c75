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

from fiw.methodology import (
    AGGREGATES,
    DISCRETIONARY_COLUMNS,
    DISCRETIONARY_RANGE,
    INDICATOR_MAX,
    INDICATOR_MIN,
    INDICATORS,
    RATING_RANGE,
    STATUSES,
    SUBCATEGORIES,
)

# Named constraints so that the same Alembic revisions (batch mode on SQLite) work everywhere.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KINDS = ("country", "territory")
STATUS_RULES = ("follows", "either", "contradicts", "split")
SOURCE_KINDS = ("all_data", "ratings", "export", "pages", "workbench")
_RATINGS = "{} AND {}".format(*RATING_RANGE)
# The name a row handed out uses for each `assessments` column the methodology names
# (a1 → A1, a → A, q → Q); every other column is named as in the database.
PUBLIC_NAMES: dict[str, str] = {
    name.lower(): name for name in (*INDICATORS, *DISCRETIONARY_COLUMNS.values(), *SUBCATEGORIES)
}


def public_name(column: str) -> str:
    """A database column as rows, frames and messages spell it (A1, not a1)."""
    return PUBLIC_NAMES.get(column, column)


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
    """An indicator or subcategory score: a small whole number, always present."""
    return mapped_column(SmallInteger, nullable=False)


class Assessment(Base):
    """One country-edition of indicator scores, with the values the workbook published."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", name="uq_assessments_country_edition"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("q BETWEEN {} AND {}".format(*DISCRETIONARY_RANGE["Q"]), name="q"),
        CheckConstraint(
            "add_a IS NULL OR add_a BETWEEN {} AND {}".format(*DISCRETIONARY_RANGE["ADD_A"]),
            name="add_a",
        ),
        CheckConstraint(
            " AND ".join(f"{a.lower()}_rating BETWEEN {_RATINGS}" for a in AGGREGATES),
            name="ratings",
        ),
        *(
            CheckConstraint(
                f"{c.lower()} BETWEEN {INDICATOR_MIN[c]} AND {INDICATOR_MAX[c]}", name=c.lower()
            )
            for c in INDICATORS
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(ForeignKey("editions.year"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(32))
    # One column per indicator (a1 … g4), then the discretionary questions and one per
    # subcategory (a … g): named from the methodology, in its order.
    locals().update({code.lower(): _score_column() for code in INDICATORS})
    q: Mapped[int] = mapped_column(SmallInteger)
    add_a: Mapped[int | None] = mapped_column(SmallInteger)
    locals().update({code.lower(): _score_column() for code in SUBCATEGORIES})
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
        *(
            CheckConstraint(f"{r} IS NULL OR {r} BETWEEN {_RATINGS}", name=r)
            for r in (f"{a.lower()}_rating" for a in AGGREGATES)
        ),
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
    # Set where the entry is not the ratings workbook's but derived from another source:
    # "All_data" for an edition the ratings workbook did not have yet (fiw.store.derived).
    derived_from: Mapped[str | None] = mapped_column(String(32))


class UserCountry(Base):
    """A country or territory a user added (`fiw countries add`): it joins the package's
    countries (fiw.sources.countries) in this database, surviving upgrades of fiw."""

    __tablename__ = "user_countries"
    __table_args__ = (CheckConstraint(_one_of("kind", KINDS), name="kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    iso3: Mapped[str | None] = mapped_column(String(3), unique=True)
    region: Mapped[str | None] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserAlias(Base):
    """A name a user mapped to a country id (`fiw countries alias NAME ID`), package or added."""

    __tablename__ = "user_aliases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    country_id: Mapped[str] = mapped_column(String(64), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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


class ReleaseImport(Base):
    """One import of a release (a workbook or export file) into the database, in order.
    `import_group` is the id of the first import of the same transaction (one `fiw import`
    command): the database "as a release had it" is the state after that transaction."""

    __tablename__ = "release_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), index=True)
    import_group: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReleaseEdition(Base):
    """An edition a release holds rows of, per table (`assessments` or `ratings`)."""

    __tablename__ = "release_editions"

    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    edition: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ValueRevision(Base):
    """A published value that an import changed: `field` as the workbook heads its column
    (A1, Add Q, PR rating, Status …), `old` and `new` as JSON (NULL: no value, as for a row
    that a release added or dropped). fiw.store.vintages writes and reads them."""

    __tablename__ = "value_revisions"
    __table_args__ = (Index("ix_value_revisions_key", "table_name", "country_id", "edition"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("release_imports.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(32))
    country_id: Mapped[str] = mapped_column(String(64))
    edition: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


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


# The workbench's tables (users, drafts, revisions …) and the store's data version join this
# MetaData: imported here so that the models always describe the whole schema.
from fiw.store import workbench_schema as workbench_schema  # noqa: E402

"""The workbench's tables (issue 10) on the store's MetaData: users, sessions, login
throttling, editions being drafted, drafts with append-only revisions, review transitions,
publications; and `store_state`, the store-wide data version every import and publish bumps.

Revision 0003 creates them; the same tables on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fiw.store.schema import Base

ROLES = ("admin", "analyst", "reviewer")
STATES = ("draft", "submitted", "returned", "approved", "published")
REVISION_KINDS = ("open", "save", "restore")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StoreState(Base):
    """One row (id 1): `data_version`, bumped in the transaction of every import and publish,
    so that running servers know when to reload what they serve."""

    __tablename__ = "store_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data_version: Mapped[int] = mapped_column(Integer)


class User(Base):
    """A workbench user: name, role and argon2 password hash."""

    __tablename__ = "wb_users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Assignment(Base):
    """A country an analyst drafts."""

    __tablename__ = "wb_assignments"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("wb_users.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"), primary_key=True)


class Session(Base):
    """A login: the sha256 of the cookie's token (the token itself is never stored)."""

    __tablename__ = "wb_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("wb_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailures(Base):
    """Failed logins for one key ("user:NAME" or "addr:IP") within the current window."""

    __tablename__ = "wb_login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkbenchEdition(Base):
    """An edition opened for drafting, from the previous edition's assessments."""

    __tablename__ = "wb_editions"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    previous: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[int] = mapped_column(ForeignKey("wb_users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Draft(Base):
    """A country's assessment being drafted for an edition. `revision` is the number of its
    current revision: a save is a conditional UPDATE on it (optimistic locking)."""

    __tablename__ = "wb_drafts"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", name="uq_wb_drafts_country_edition"),
        CheckConstraint(_one_of("state", STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(ForeignKey("wb_editions.year"), index=True)
    previous: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Revision(Base):
    """One append-only revision of a draft: its whole content (JSON), who, when, what changed."""

    __tablename__ = "wb_revisions"
    __table_args__ = (
        UniqueConstraint("draft_id", "number", name="uq_wb_revisions_draft_number"),
        CheckConstraint(_one_of("kind", REVISION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("wb_drafts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    based_on: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("wb_users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)


class Transition(Base):
    """A review step: a draft moved from one state to another by a user, with comments."""

    __tablename__ = "wb_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("wb_drafts.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("wb_users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer)
    comments: Mapped[str] = mapped_column(Text)


class Publication(Base):
    """Provenance of a published assessment: the revision, its approver and publisher."""

    __tablename__ = "wb_publications"
    __table_args__ = (
        UniqueConstraint("country_id", "edition", name="uq_wb_publications_country_edition"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_id: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    edition: Mapped[int] = mapped_column(Integer)
    draft_id: Mapped[int] = mapped_column(ForeignKey("wb_drafts.id"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("wb_revisions.id"))
    approver_id: Mapped[int] = mapped_column(ForeignKey("wb_users.id"))
    publisher_id: Mapped[int] = mapped_column(ForeignKey("wb_users.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))


def table_of(model: type[Base]) -> Table:
    """A model's Table, typed as one (for Core statements)."""
    return cast(Table, model.__table__)

"""Workbench users: argon2id password hashes, roles, the countries an analyst drafts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from fiw.store.schema import Country
from fiw.store.workbench_schema import ROLES, Assignment, Session, User, table_of
from fiw.workbench.errors import Missing, WorkbenchError

USERS = table_of(User)
ASSIGNMENTS = table_of(Assignment)
_HASHER = PasswordHasher()
MIN_PASSWORD = 8
NAME = re.compile(r"[\w.@-]{1,64}")
# verified against when the name is unknown, so that a login takes as long either way
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite hands back naive datetimes)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection in autocommit, for a read of one statement: no BEGIN and no ROLLBACK,
    so one round trip to PostgreSQL instead of three (one statement sees one snapshot)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


@dataclass(frozen=True)
class Actor:
    """The user acting: id, name, role and (analysts) the countries assigned to them."""

    id: int
    name: str
    role: str
    countries: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, object]:
        return {"user": self.name, "role": self.role, "countries": sorted(self.countries)}


@dataclass(frozen=True)
class UserInfo:
    """A user as listed: name, role, disabled, countries."""

    name: str
    role: str
    disabled: bool
    countries: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "disabled": self.disabled,
            "countries": list(self.countries),
        }


def add_user(engine: Engine, name: str, role: str, password: str) -> UserInfo:
    """Create a user; the password is stored only as an argon2id hash."""
    if role not in ROLES:
        raise WorkbenchError(f"role {role!r}: expected one of {', '.join(ROLES)}", where="role")
    if not NAME.fullmatch(name):
        raise WorkbenchError(
            f"user name {name!r}: expected 1 to 64 letters, digits, '.', '_', '@' or '-'",
            where="name",
        )
    if len(password) < MIN_PASSWORD:
        raise WorkbenchError(
            f"the password has {len(password)} characters: expected at least {MIN_PASSWORD}",
            where="password",
        )
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(USERS).values(
                    name=name,
                    role=role,
                    password_hash=_HASHER.hash(password),
                    disabled=False,
                    created_at=now(),
                )
            )
    except IntegrityError:
        raise WorkbenchError(f"a user named {name!r} exists already", where="name") from None
    return user_info(engine, name)


def _user_id(connection: Connection, name: str) -> int:
    found = connection.execute(select(USERS.c.id).where(USERS.c.name == name)).scalar()
    if found is None:
        raise Missing(
            f"no workbench user is named {name!r}", where="name", fix="`fiw user list` shows them"
        )
    return int(found)


def assign(engine: Engine, name: str, countries: list[str]) -> UserInfo:
    """Add countries (ids, ISO3 codes or names) to a user's assignments; every unknown one
    is listed."""
    with engine.begin() as connection:
        user_id = _user_id(connection, name)
        ids, unknown = resolve_countries(connection, countries)
        if unknown:
            raise Missing(
                f"unknown countries: {', '.join(unknown)}",
                where="countries",
                fix="use ids as `fiw countries` lists them",
            )
        have = set(
            connection.execute(
                select(ASSIGNMENTS.c.country_id).where(ASSIGNMENTS.c.user_id == user_id)
            ).scalars()
        )
        new = [{"user_id": user_id, "country_id": c} for c in ids if c not in have]
        if new:
            connection.execute(insert(ASSIGNMENTS), new)
    return user_info(engine, name)


def resolve_countries(connection: Connection, keys: list[str]) -> tuple[list[str], list[str]]:
    """Country ids for ids, ISO3 codes or names; and the keys that match none."""
    c = table_of(Country).c
    rows = connection.execute(select(c.id, c.iso3, c.name)).all()
    lookup: dict[str, str] = {}
    for cid, iso3, cname in rows:
        lookup[cid.casefold()] = cid
        lookup[cname.casefold()] = cid
        if iso3:
            lookup[iso3.casefold()] = cid
    ids: list[str] = []
    unknown: list[str] = []
    for key in keys:
        found = lookup.get(key.strip().casefold())
        if found is None:
            unknown.append(key)
        elif found not in ids:
            ids.append(found)
    return ids, unknown


def disable(engine: Engine, name: str) -> UserInfo:
    """Disable a user: they can no longer log in, and their sessions end now."""
    with engine.begin() as connection:
        user_id = _user_id(connection, name)
        connection.execute(update(USERS).where(USERS.c.id == user_id).values(disabled=True))
        connection.execute(delete(table_of(Session)).where(table_of(Session).c.user_id == user_id))
    return user_info(engine, name)


def list_users(engine: Engine) -> list[UserInfo]:
    """Every user with their assignments, by name."""
    with engine.connect() as connection:
        users = connection.execute(
            select(USERS.c.id, USERS.c.name, USERS.c.role, USERS.c.disabled).order_by(USERS.c.name)
        ).all()
        assigned: dict[int, list[str]] = {}
        for user_id, country in connection.execute(
            select(ASSIGNMENTS.c.user_id, ASSIGNMENTS.c.country_id).order_by(
                ASSIGNMENTS.c.country_id
            )
        ):
            assigned.setdefault(user_id, []).append(country)
    return [
        UserInfo(name, role, bool(disabled), tuple(assigned.get(uid, [])))
        for uid, name, role, disabled in users
    ]


def user_info(engine: Engine, name: str) -> UserInfo:
    found = next((u for u in list_users(engine) if u.name == name), None)
    if found is None:
        raise Missing(f"no workbench user is named {name!r}", where="name")
    return found


def actor(connection: Connection, user_id: int) -> Actor | None:
    """The enabled user with this id, with their countries; None if disabled or gone."""
    row = connection.execute(
        select(USERS.c.name, USERS.c.role, USERS.c.disabled).where(USERS.c.id == user_id)
    ).first()
    if row is None or row.disabled:
        return None
    countries = connection.execute(
        select(ASSIGNMENTS.c.country_id).where(ASSIGNMENTS.c.user_id == user_id)
    ).scalars()
    return Actor(user_id, row.name, row.role, frozenset(countries))


def verify(connection: Connection, name: str, password: str) -> int | None:
    """The id of the enabled user whose password this is, else None (same work either way)."""
    row = connection.execute(
        select(USERS.c.id, USERS.c.password_hash, USERS.c.disabled).where(USERS.c.name == name)
    ).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    if _HASHER.check_needs_rehash(stored):
        connection.execute(
            update(USERS).where(USERS.c.id == row.id).values(password_hash=_HASHER.hash(password))
        )
    return int(row.id)

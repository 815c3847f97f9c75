"""Server-side sessions and login throttling, both in the database so every worker agrees.

The cookie carries a random token; the database keeps only its sha256 (a leaked table does
not log anyone in). Each login makes a new session (the id rotates; the one presented is
ended), logout deletes it, and sessions expire (absolute lifetime, and 2/3 of it idle).
Failed logins are counted per name and per address in a 15-minute window: from the 3rd each
answer is slowed, from `limit` on the login is refused with 429 until the window passes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, delete, func, insert, select, update

from fiw.store.workbench_schema import Assignment, LoginFailures, Session, User, table_of
from fiw.workbench.accounts import Actor, actor, aware, now, reading, verify
from fiw.workbench.errors import NotLoggedIn, Throttled

SESSIONS = table_of(Session)
ASSIGNED = table_of(Assignment)
FAILURES = table_of(LoginFailures)
WINDOW = timedelta(minutes=15)
SLOW_FROM = 3
MAX_DELAY = 4.0
COUNTRY_SEPARATOR = " "  # country ids are slugs: no spaces


@dataclass(frozen=True)
class LoginPolicy:
    """How long sessions last and how failed logins are slowed and refused."""

    session_hours: float = 12
    delay: float = 0.5
    limit: int = 10


@dataclass(frozen=True)
class Login:
    """An open session: the cookie's token (only here, never stored), the CSRF token and
    the user."""

    token: str
    csrf_token: str
    actor: Actor


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _keys(name: str, address: str | None) -> list[str]:
    keys = [f"user:{name.casefold()}"[:200]]
    if address:
        keys.append(f"addr:{address}"[:200])
    return keys


def throttle_delay(engine: Engine, name: str, address: str | None, policy: LoginPolicy) -> float:
    """Seconds to wait before answering this login; Throttled when it must be refused."""
    worst = 0
    oldest = now()
    with engine.connect() as connection:
        rows = connection.execute(
            select(FAILURES.c.failures, FAILURES.c.window_start).where(
                FAILURES.c.key.in_(_keys(name, address))
            )
        ).all()
    for failures, start in rows:
        if aware(start) + WINDOW < now():
            continue
        if failures > worst:
            worst, oldest = failures, aware(start)
    if worst >= policy.limit:
        retry = max(1, int((oldest + WINDOW - now()).total_seconds()) + 1)
        raise Throttled(f"too many failed logins for {name!r} or this address", retry)
    if worst >= SLOW_FROM - 1:
        return float(min(MAX_DELAY, policy.delay * 2 ** (worst - (SLOW_FROM - 1))))
    return 0.0


def _record_failure(connection: Connection, key: str) -> None:
    row = connection.execute(
        select(FAILURES.c.failures, FAILURES.c.window_start).where(FAILURES.c.key == key)
    ).first()
    if row is None:
        connection.execute(insert(FAILURES).values(key=key, failures=1, window_start=now()))
    elif aware(row.window_start) + WINDOW < now():
        connection.execute(
            update(FAILURES).where(FAILURES.c.key == key).values(failures=1, window_start=now())
        )
    else:
        connection.execute(
            update(FAILURES).where(FAILURES.c.key == key).values(failures=FAILURES.c.failures + 1)
        )


def login(
    engine: Engine,
    name: str,
    password: str,
    *,
    address: str | None = None,
    previous_token: str | None = None,
    policy: LoginPolicy = LoginPolicy(),
) -> Login:
    """Check the password and open a new session (ending `previous_token`'s, if any).

    Raises NotLoggedIn for a wrong name or password or a disabled user (the failure is
    counted), Throttled when too many failures came first. Callers wait `throttle_delay`.
    """
    with engine.begin() as connection:
        user_id = verify(connection, name, password)
        if user_id is None:
            for key in _keys(name, address):
                _record_failure(connection, key)
    if user_id is None:
        raise NotLoggedIn("wrong user name or password", where="password")
    with engine.begin() as connection:
        connection.execute(delete(FAILURES).where(FAILURES.c.key == _keys(name, None)[0]))
        if previous_token:
            connection.execute(delete(SESSIONS).where(SESSIONS.c.id == _digest(previous_token)))
        connection.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < now()))
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        moment = now()
        connection.execute(
            insert(SESSIONS).values(
                id=_digest(token),
                user_id=user_id,
                csrf_token=csrf,
                created_at=moment,
                seen_at=moment,
                expires_at=moment + timedelta(hours=policy.session_hours),
            )
        )
        found = actor(connection, user_id)
    assert found is not None
    return Login(token, csrf, found)


@cache
def _session_query() -> Select[Any]:
    """A session, its user and (analysts) their countries: one statement, built once."""
    users = table_of(User)
    countries = (
        select(func.aggregate_strings(ASSIGNED.c.country_id, COUNTRY_SEPARATOR))
        .where(ASSIGNED.c.user_id == SESSIONS.c.user_id)
        .scalar_subquery()
    )
    return (
        select(
            SESSIONS.c.user_id,
            SESSIONS.c.csrf_token,
            SESSIONS.c.seen_at,
            SESSIONS.c.expires_at,
            users.c.name,
            users.c.role,
            users.c.disabled,
            countries.label("countries"),
        )
        .join(users, users.c.id == SESSIONS.c.user_id)
        .where(SESSIONS.c.id == bindparam("digest"))
    )


def session(engine: Engine, token: str | None, policy: LoginPolicy = LoginPolicy()) -> Login:
    """The live session of a cookie's token; NotLoggedIn when none, expired or idle too long.

    Every request asks this: one indexed query (by the token's digest, the primary key) on a
    connection in autocommit, so one round trip to the database; a write at most a minute."""
    if not token:
        raise NotLoggedIn("log in first", fix="POST /api/v1/auth/login")
    digest = _digest(token)
    with reading(engine) as connection:
        row = connection.execute(_session_query(), {"digest": digest}).first()
    moment = now()
    idle = timedelta(hours=policy.session_hours * 2 / 3)
    if (
        row is None
        or row.disabled
        or aware(row.expires_at) <= moment
        or aware(row.seen_at) + idle <= moment
    ):
        raise NotLoggedIn("the session has ended or expired: log in again")
    countries: frozenset[str] = frozenset()
    if row.role == "analyst" and row.countries:
        countries = frozenset(row.countries.split(COUNTRY_SEPARATOR))
    found = Actor(row.user_id, row.name, row.role, countries)
    if moment - aware(row.seen_at) > timedelta(minutes=1):  # at most one write a minute
        with reading(engine) as connection:  # one statement: autocommit commits it
            connection.execute(
                update(SESSIONS).where(SESSIONS.c.id == digest).values(seen_at=moment)
            )
    return Login(token, row.csrf_token, found)


def logout(engine: Engine, token: str | None) -> bool:
    """End a session on the server; True if there was one."""
    if not token:
        return False
    with engine.begin() as connection:
        gone = connection.execute(delete(SESSIONS).where(SESSIONS.c.id == _digest(token)))
    return bool(gone.rowcount)

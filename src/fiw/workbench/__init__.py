"""The analyst workbench (issue 10): users, sessions, drafts with append-only revisions and
optimistic locking, review, publishing into the store, progress and export.

`Workbench(engine)` is the one object both faces use: the web API and the CLI call its
methods, which take the acting user (`Actor`) and raise `fiw.workbench.errors` exceptions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from fiw.workbench import accounts, drafts, editing, progress, review, sessions
from fiw.workbench.accounts import Actor, UserInfo
from fiw.workbench.content import Edit
from fiw.workbench.export import export
from fiw.workbench.sessions import Login, LoginPolicy

__all__ = ["Actor", "Edit", "Login", "LoginPolicy", "UserInfo", "Workbench"]


class Workbench:
    """The workbench on one store database."""

    def __init__(self, engine: Engine, policy: LoginPolicy | None = None) -> None:
        self.engine = engine
        self.policy = policy or LoginPolicy()

    # --- users and sessions --------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> UserInfo:
        return accounts.add_user(self.engine, name, role, password)

    def assign(self, name: str, countries: list[str]) -> UserInfo:
        return accounts.assign(self.engine, name, countries)

    def disable(self, name: str) -> UserInfo:
        return accounts.disable(self.engine, name)

    def users(self) -> list[UserInfo]:
        return accounts.list_users(self.engine)

    def throttle_delay(self, name: str, address: str | None) -> float:
        return sessions.throttle_delay(self.engine, name, address, self.policy)

    def login(
        self, name: str, password: str, address: str | None, previous_token: str | None
    ) -> Login:
        return sessions.login(
            self.engine,
            name,
            password,
            address=address,
            previous_token=previous_token,
            policy=self.policy,
        )

    def session(self, token: str | None) -> Login:
        return sessions.session(self.engine, token, self.policy)

    def logout(self, token: str | None) -> bool:
        return sessions.logout(self.engine, token)

    def system_actor(self, name: str) -> Actor:
        """A user by name, for the CLI (which acts as that user without a password)."""
        from sqlalchemy import select

        from fiw.store.workbench_schema import User, table_of
        from fiw.workbench.errors import Missing

        users = table_of(User)
        with self.engine.connect() as connection:
            found = connection.execute(select(users.c.id).where(users.c.name == name)).scalar()
            who = accounts.actor(connection, int(found)) if found is not None else None
        if who is None:
            raise Missing(f"no enabled workbench user is named {name!r}", where="name")
        return who

    # --- drafts ----------------------------------------------------------------------------------

    def open_edition(self, actor: Actor, edition: int) -> dict[str, Any]:
        return drafts.open_edition(self.engine, actor, edition)

    def publish_edition(self, actor: Actor, edition: int) -> dict[str, Any]:
        return review.publish_edition(self.engine, actor, edition)

    def editions(self) -> list[dict[str, Any]]:
        return progress.editions(self.engine)

    def progress(self, actor: Actor, edition: int) -> dict[str, Any]:
        return progress.progress(self.engine, actor, edition)

    def drafts(self, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
        return drafts.list_drafts(self.engine, actor, **filters)

    def draft(self, actor: Actor, country: str, edition: int) -> dict[str, Any]:
        return drafts.get_draft(self.engine, actor, country, edition)

    def save(
        self, actor: Actor, country: str, edition: int, base: int, edit: Edit
    ) -> dict[str, Any]:
        return editing.save(self.engine, actor, country, edition, base, edit)

    def restore(
        self, actor: Actor, country: str, edition: int, base: int, number: int
    ) -> dict[str, Any]:
        return editing.restore(self.engine, actor, country, edition, base, number)

    def revisions(self, actor: Actor, country: str, edition: int) -> list[dict[str, Any]]:
        return editing.revisions(self.engine, actor, country, edition)

    def revision(self, actor: Actor, country: str, edition: int, number: int) -> dict[str, Any]:
        return editing.revision_content(self.engine, actor, country, edition, number)

    def diff(self, actor: Actor, country: str, edition: int, a: int, b: int) -> dict[str, Any]:
        return editing.compare(self.engine, actor, country, edition, a, b)

    def transition(
        self,
        actor: Actor,
        country: str,
        edition: int,
        action: str,
        comments: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        return review.transition(self.engine, actor, country, edition, action, comments)

    def transitions(self, actor: Actor, country: str, edition: int) -> list[dict[str, Any]]:
        return review.transitions(self.engine, actor, country, edition)

    def export(self, actor: Actor, country: str, edition: int, fmt: str) -> tuple[bytes, str]:
        """The draft's current revision as text, md, html or pdf."""
        with self.engine.connect() as connection:
            row = drafts.visible_row(connection, actor, country, edition)
            current = drafts.view(connection, row)
            content = drafts.content_of(connection, row.id, row.revision)
            previous = drafts.previous_content(connection, country, row.previous)
        return export(current, content, previous, fmt)

"""Saving a draft: every save is an append-only revision, based on the revision the editor
started from. The draft's `revision` moves by a conditional UPDATE (… WHERE revision = base)
inside the save's transaction, so two saves based on the same revision cannot both win, in
one process or across workers and databases; the loser gets Conflict with both versions
and nothing of either is lost."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, Insert, bindparam, insert, select, update
from sqlalchemy.exc import OperationalError

from fiw.store.workbench_schema import User, table_of
from fiw.workbench.accounts import Actor, now, reading
from fiw.workbench.content import DraftContent, Edit, apply, check, diff, problems_of_keys
from fiw.workbench.drafts import (
    DRAFTS,
    REVISIONS,
    content_of,
    draft_row,
    load,
    may_edit,
    view,
    visible_row,
)
from fiw.workbench.errors import Conflict, Forbidden, Invalid, StateError

EDITABLE_STATES = ("draft", "returned", "published")
USERS = table_of(User)
LOCK_RETRIES = 20
# Built once: a save is the load query, these two and the commit. MOVE is the optimistic
# lock: it moves the draft only while it is still at the revision the edit was based on.
MOVE = update(DRAFTS).where(
    DRAFTS.c.id == bindparam("draft"), DRAFTS.c.revision == bindparam("base")
)
APPEND = insert(REVISIONS)


def _move_and_append() -> Insert:
    """PostgreSQL: MOVE and APPEND as one statement (a data-modifying WITH), which is atomic
    on its own: run in autocommit, a save is one round trip after the load. The draft moves
    only while it is at the base revision and in the state the save was checked against; the
    revision is inserted only when it moved (RETURNING its id: none, nothing was written)."""
    r = REVISIONS.c
    moved = (
        update(DRAFTS)
        .where(
            DRAFTS.c.id == bindparam("draft"),
            DRAFTS.c.revision == bindparam("base"),
            DRAFTS.c.state == bindparam("was"),
        )
        .values(
            revision=bindparam("new_number"), state=bindparam("to"), updated_at=bindparam("moment")
        )
        .returning(DRAFTS.c.id)
        .cte("moved")
    )
    columns = (r.number, r.kind, r.based_on, r.author_id, r.created_at, r.changed, r.content)
    # parameters named after no column: a name of one of the draft's columns would be SET
    values = [bindparam("moment" if c is r.created_at else f"new_{c.name}", type_=c.type)
              for c in columns]  # fmt: skip
    return (
        insert(REVISIONS)
        .from_select([r.draft_id, *columns], select(moved.c.id, *values))
        .returning(r.id)
    )


MOVE_AND_APPEND = _move_and_append()


class _Stale(Exception):
    """Another save moved the draft's revision between our read and our update."""


def _save_once(
    engine: Engine,
    actor: Actor,
    country_id: str,
    edition: int,
    base: int,
    edit: Edit,
    kind: str,
    restore_of: int | None,
) -> dict[str, Any] | None:
    """One attempt; None when the draft is no longer at `base` (the caller answers Conflict),
    _Stale when it moved between the load and the write (the caller tries again).

    On PostgreSQL: the load, then MOVE_AND_APPEND, each a statement in autocommit (two round
    trips; the write is its own transaction). Elsewhere: load, MOVE and APPEND in one
    transaction."""
    single = engine.dialect.name == "postgresql"
    with reading(engine) if single else engine.begin() as connection:
        loaded = load(connection, actor, country_id, edition)
        draft, current, previous = loaded.draft, loaded.content, loaded.previous
        if not may_edit(actor, country_id):
            raise Forbidden(f"a {actor.role} does not edit drafts")
        if draft.state not in EDITABLE_STATES:
            raise StateError(
                f"{country_id} {edition} is {draft.state}: it cannot be edited now",
                fix="a reviewer returns it first" if draft.state == "submitted" else None,
            )
        if draft.revision != base:
            return None
        problems = problems_of_keys(edit)
        if restore_of is not None:
            merged = content_of(connection, draft.id, restore_of).model_dump(mode="json")
        else:
            merged = apply(current, edit)
        problems += check(edition, merged, previous)
        if problems:
            raise Invalid(problems)
        new = DraftContent.model_validate(merged)
        changes = diff(current, new)
        if not changes and restore_of is None:
            return view(connection, draft, current, previous, loaded.extras)
        state = "draft" if draft.state == "published" else draft.state
        moment = now()
        revision = {
            "draft_id": draft.id,
            "number": base + 1,
            "kind": kind,
            "based_on": restore_of or base,
            "author_id": actor.id,
            "created_at": moment,
            "changed": json.dumps([c["field"] for c in changes]),
            "content": new.model_dump_json(),
        }
        if single:
            skip = ("draft_id", "created_at")
            fields = {f"new_{k}": v for k, v in revision.items() if k not in skip}
            written = connection.execute(
                MOVE_AND_APPEND,
                {**fields, "draft": draft.id, "base": base, "was": draft.state, "to": state,
                 "moment": moment},
            )  # fmt: skip
            if written.first() is None:
                raise _Stale  # nothing was written
        else:
            moved = connection.execute(
                MOVE, {"draft": draft.id, "base": base, "revision": base + 1, "state": state,
                       "updated_at": moment},
            )  # fmt: skip
            if moved.rowcount != 1:
                raise _Stale  # rolls the transaction back
            connection.execute(APPEND, revision)
        after = replace(draft, revision=base + 1, state=state, updated_at=moment)
        # the save made its author one of the draft's; comments and publication stay
        authors = sorted({*loaded.extras["authors"], actor.name})
        return view(connection, after, new, previous, {**loaded.extras, "authors": authors})


def save(
    engine: Engine,
    actor: Actor,
    country_id: str,
    edition: int,
    base: int,
    edit: Edit,
    *,
    kind: str = "save",
    restore_of: int | None = None,
) -> dict[str, Any]:
    """Apply `edit` to the draft as revision base + 1; Conflict when `base` is stale,
    Invalid listing every problem, StateError in a state that takes no edits."""
    saved = None
    for attempt in range(LOCK_RETRIES):
        try:
            saved = _save_once(engine, actor, country_id, edition, base, edit, kind, restore_of)
        except _Stale:  # moved meanwhile: the next load tells a new revision from a new state
            continue
        except OperationalError as exc:  # SQLite: another writer held the file; try again
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
            continue
        break
    if saved is not None:
        return saved
    with reading(engine) as connection:
        theirs = view(connection, draft_row(connection, country_id, edition))
    raise Conflict(
        f"{country_id} {edition} is at revision {theirs['revision']}, your edit was based "
        f"on revision {base}",
        yours=edit.sent(),
        theirs=theirs,
    )


def restore(
    engine: Engine, actor: Actor, country_id: str, edition: int, base: int, number: int
) -> dict[str, Any]:
    """A new revision whose content is revision `number`'s (the history stays)."""
    return save(engine, actor, country_id, edition, base, Edit(), kind="restore", restore_of=number)


def revisions(engine: Engine, actor: Actor, country_id: str, edition: int) -> list[dict[str, Any]]:
    """The draft's revisions, oldest first: number, id, author, kind, when, what changed."""
    with engine.connect() as connection:
        draft = visible_row(connection, actor, country_id, edition)
        rows = connection.execute(
            select(
                REVISIONS.c.number,
                REVISIONS.c.id,
                USERS.c.name,
                REVISIONS.c.kind,
                REVISIONS.c.created_at,
                REVISIONS.c.based_on,
                REVISIONS.c.changed,
            )
            .join(USERS, USERS.c.id == REVISIONS.c.author_id)
            .where(REVISIONS.c.draft_id == draft.id)
            .order_by(REVISIONS.c.number)
        ).all()
    return [
        {
            "revision": r.number,
            "revision_id": r.id,
            "author": r.name,
            "kind": r.kind,
            "created_at": r.created_at.isoformat(),
            "based_on": r.based_on,
            "changed": json.loads(r.changed),
        }
        for r in rows
    ]


def revision_content(
    engine: Engine, actor: Actor, country_id: str, edition: int, number: int
) -> dict[str, Any]:
    with engine.connect() as connection:
        draft = visible_row(connection, actor, country_id, edition)
        content = content_of(connection, draft.id, number)
    return {"revision": number, **content.model_dump(mode="json")}


def compare(
    engine: Engine, actor: Actor, country_id: str, edition: int, a: int, b: int
) -> dict[str, Any]:
    """What differs between revisions a and b, field by field."""
    with engine.connect() as connection:
        draft = visible_row(connection, actor, country_id, edition)
        left = content_of(connection, draft.id, a)
        right = content_of(connection, draft.id, b)
    return {"a": a, "b": b, "changes": diff(left, right)}

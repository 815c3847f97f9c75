"""The review state machine and publishing.

draft → submitted → returned (comments per indicator) → submitted … → approved → published.
Every transition is recorded (who, when, at which revision). Nobody approves or publishes a
draft they authored. Publishing writes the engine's result into the store's assessments and
the text as the report's new current version, with provenance, and bumps the data version
in the same transaction; the last approved draft of an edition completes it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from fiw.methodology.engine import score
from fiw.methodology.vocabulary import INDICATORS
from fiw.store.batch import year_only_edition
from fiw.store.report_versions import write_report
from fiw.store.schema import Assessment, Edition, SourceFile
from fiw.store.state import bump_data_version
from fiw.store.workbench_schema import Publication, table_of
from fiw.workbench.accounts import Actor, now
from fiw.workbench.content import SECTIONS, Q, check
from fiw.workbench.drafts import (
    DRAFTS,
    EDITIONS,
    REVISIONS,
    TRANSITIONS,
    DraftRow,
    authors,
    content_of,
    draft_row,
    may_edit,
    previous_content,
    view,
    visible_row,
)
from fiw.workbench.errors import Forbidden, Invalid, StateError, WorkbenchError
from fiw.workbench.export import to_report

ASSESSMENTS = table_of(Assessment)
PUBLICATIONS = table_of(Publication)
REVIEWERS = ("reviewer", "admin")

# action: (states it applies to, the state it leads to)
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "returned"), "submitted"),
    "return": (("submitted",), "returned"),
    "approve": (("submitted",), "approved"),
    "publish": (("approved",), "published"),
}


def _record(
    connection: Connection, draft: DraftRow, actor: Actor, to: str, comments: dict[str, str]
) -> None:
    moved = connection.execute(
        update(DRAFTS)
        .where(DRAFTS.c.id == draft.id, DRAFTS.c.state == draft.state)
        .values(state=to, updated_at=now())
    )
    if moved.rowcount != 1:
        raise StateError(f"{draft.country_id} {draft.edition} changed meanwhile: reload it")
    connection.execute(
        insert(TRANSITIONS).values(
            draft_id=draft.id,
            from_state=draft.state,
            to_state=to,
            user_id=actor.id,
            at=now(),
            revision=draft.revision,
            comments=json.dumps(comments, ensure_ascii=False),
        )
    )


def _allowed(connection: Connection, actor: Actor, draft: DraftRow, action: str) -> None:
    if action == "submit":
        if not may_edit(actor, draft.country_id):
            raise Forbidden(f"only the assigned analyst or an admin submits {draft.country_id}")
        return
    if actor.role not in REVIEWERS:
        raise Forbidden(f"an {actor.role} may not {action} a draft (reviewers and admins do)")
    if action in ("approve", "publish") and actor.name in authors(connection, draft.id):
        raise Forbidden(
            f"you authored {draft.country_id} {draft.edition}: someone else must {action} it"
        )


def transition(
    engine: Engine,
    actor: Actor,
    country_id: str,
    edition: int,
    action: str,
    comments: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Move a draft by `action` (submit, return, approve, publish); the draft's view after."""
    states, to = ACTIONS[action]
    comments = {k: v for k, v in (comments or {}).items() if v.strip()}
    unknown = [k for k in comments if k not in (*SECTIONS, "overview", "key_developments")]
    if unknown:
        raise Invalid(
            [
                {
                    "field": f"comments.{k}",
                    "value": None,
                    "expected": "an indicator code, Q, overview or key_developments",
                }
                for k in unknown
            ]
        )
    with engine.begin() as connection:
        draft = visible_row(connection, actor, country_id, edition)
        _allowed(connection, actor, draft, action)
        if draft.state not in states:
            raise StateError(
                f"{country_id} {edition} is {draft.state}: {action} applies to a draft that is "
                f"{' or '.join(states)}"
            )
        if action == "submit":
            content = content_of(connection, draft.id, draft.revision)
            previous = previous_content(connection, country_id, draft.previous)
            problems = check(edition, content.model_dump(mode="json"), previous)
            if problems:
                raise Invalid(problems)
        _record(connection, draft, actor, to, comments if action == "return" else {})
        if action == "publish":
            _publish(connection, draft, actor)
        return view(connection, draft_row(connection, country_id, edition))


def _approver(connection: Connection, draft: DraftRow) -> int:
    found = connection.execute(
        select(TRANSITIONS.c.user_id)
        .where(TRANSITIONS.c.draft_id == draft.id, TRANSITIONS.c.to_state == "approved")
        .order_by(TRANSITIONS.c.id.desc())
        .limit(1)
    ).scalar()
    if found is None:
        raise StateError("the draft has no approval on record")
    return int(found)


def _edition_row(connection: Connection, edition: int, previous: int | None, file_id: int) -> None:
    e = table_of(Edition)
    if connection.execute(select(e.c.year).where(e.c.year == edition)).first() is not None:
        return
    row = year_only_edition(edition)
    if previous is not None:
        order = connection.execute(select(e.c.order).where(e.c.year == previous)).scalar()
        if order is not None:
            row["order"] = int(order) + 1
    connection.execute(insert(e).values(**row, source_file_id=file_id))


def _publish(connection: Connection, draft: DraftRow, actor: Actor) -> None:
    content = content_of(connection, draft.id, draft.revision)
    previous = previous_content(connection, draft.country_id, draft.previous)
    current = view(connection, draft)
    report = to_report(current, content, previous)
    revision_id = connection.execute(
        select(REVISIONS.c.id).where(
            REVISIONS.c.draft_id == draft.id, REVISIONS.c.number == draft.revision
        )
    ).scalar_one()
    name = f"fiw workbench: {draft.country_id} {draft.edition} revision {draft.revision}"
    document = json.dumps({"revision_id": revision_id, **content.model_dump(mode="json")})
    files = table_of(SourceFile)
    file_id = connection.execute(
        insert(files)
        .values(
            name=name,
            kind="workbench",
            sha256=hashlib.sha256(document.encode()).hexdigest(),
            size=len(document.encode()),
            url=None,
            imported_at=now(),
        )
        .returning(files.c.id)
    ).scalar_one()
    _edition_row(connection, draft.edition, draft.previous, file_id)
    result = score(draft.edition, {**content.scores, Q: content.q})
    values: dict[str, Any] = {
        "kind": draft.kind,
        "region": draft.region,
        **{code.lower(): content.scores[code] for code in INDICATORS},
        "q": content.q,
        "add_a": result.discretionary.get("ADD_A"),
        **{code.lower(): value for code, value in result.subtotals.items()},
        "pr": result.pr,
        "cl": result.cl,
        "total": result.total,
        "pr_rating": result.pr_rating,
        "cl_rating": result.cl_rating,
        "status": result.status.value if result.status else None,
        "source_file_id": file_id,
        "source_sheet": None,
        "source_row": None,
    }
    a = ASSESSMENTS.c
    where = (a.country_id == draft.country_id, a.edition == draft.edition)
    if connection.execute(select(a.id).where(*where)).first() is None:
        connection.execute(
            insert(ASSESSMENTS).values(country_id=draft.country_id, edition=draft.edition, **values)
        )
    else:
        connection.execute(update(ASSESSMENTS).where(*where).values(**values))
    write_report(connection, report, draft.country_id, file_id, name)
    p = PUBLICATIONS.c
    record = {
        "draft_id": draft.id,
        "revision_id": revision_id,
        "approver_id": _approver(connection, draft),
        "publisher_id": actor.id,
        "published_at": now(),
        "source_file_id": file_id,
    }
    if (
        connection.execute(
            select(p.id).where(p.country_id == draft.country_id, p.edition == draft.edition)
        ).first()
        is None
    ):
        connection.execute(
            insert(PUBLICATIONS).values(
                country_id=draft.country_id, edition=draft.edition, **record
            )
        )
    else:
        connection.execute(
            update(PUBLICATIONS)
            .where(p.country_id == draft.country_id, p.edition == draft.edition)
            .values(**record)
        )
    _complete(connection, draft.edition)
    bump_data_version(connection)


def _complete(connection: Connection, edition: int) -> None:
    """Mark the edition completed when every one of its drafts is published."""
    pending = connection.execute(
        select(func.count())
        .select_from(DRAFTS)
        .where(DRAFTS.c.edition == edition, DRAFTS.c.state != "published")
    ).scalar()
    if not pending:
        connection.execute(
            update(EDITIONS)
            .where(EDITIONS.c.year == edition, EDITIONS.c.completed_at.is_(None))
            .values(completed_at=now())
        )


def transitions(
    engine: Engine, actor: Actor, country_id: str, edition: int
) -> list[dict[str, Any]]:
    """Every review step of a draft, oldest first: from, to, who, when, revision, comments."""
    from fiw.store.workbench_schema import User

    users = table_of(User)
    with engine.connect() as connection:
        draft = visible_row(connection, actor, country_id, edition)
        rows = connection.execute(
            select(TRANSITIONS, users.c.name)
            .join(users, users.c.id == TRANSITIONS.c.user_id)
            .where(TRANSITIONS.c.draft_id == draft.id)
            .order_by(TRANSITIONS.c.id)
        ).all()
    return [
        {
            "from": r.from_state,
            "to": r.to_state,
            "user": r.name,
            "at": r.at.isoformat(),
            "revision": r.revision,
            "comments": json.loads(r.comments),
        }
        for r in rows
    ]


__all__ = ["ACTIONS", "WorkbenchError", "transition", "transitions"]


def publish_edition(engine: Engine, actor: Actor, edition: int) -> dict[str, Any]:
    """Publish every approved draft of an edition at once (one transaction) when every draft
    is approved or published, which completes the edition; StateError says what is pending."""
    with engine.begin() as connection:
        rows = connection.execute(
            select(DRAFTS.c.country_id, DRAFTS.c.state).where(DRAFTS.c.edition == edition)
        ).all()
        pending = sorted(r.country_id for r in rows if r.state not in ("approved", "published"))
        if not rows or pending:
            shown = ", ".join(pending[:10]) + (
                f" … and {len(pending) - 10} more" if len(pending) > 10 else ""
            )
            raise StateError(
                f"edition {edition} cannot be published: "
                + (
                    f"{len(pending)} drafts are not approved ({shown})"
                    if rows
                    else "it has no drafts"
                ),
            )
        published = []
        for country_id, state in rows:
            if state != "approved":
                continue
            draft = draft_row(connection, country_id, edition)
            _allowed(connection, actor, draft, "publish")
            _record(connection, draft, actor, "published", {})
            _publish(connection, draft, actor)
            published.append(country_id)
    return {"edition": edition, "published": published, "completed": True}

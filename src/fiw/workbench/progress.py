"""An edition's progress: drafts by state, region and analyst; the scores that changed
against the previous edition, and which of them still lack a reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, select

from fiw.store.workbench_schema import STATES, User, table_of
from fiw.workbench.accounts import Actor
from fiw.workbench.content import SECTIONS, DraftContent
from fiw.workbench.drafts import (
    DRAFTS,
    EDITIONS,
    REVISIONS,
    analysts_by_country,
    previous_content,
)
from fiw.workbench.errors import Missing

UNASSIGNED = "(unassigned)"


def _counts(states: list[str]) -> dict[str, int]:
    found = Counter(states)
    return {s: found.get(s, 0) for s in STATES}


def progress(engine: Engine, actor: Actor, edition: int) -> dict[str, Any]:
    """Progress of the drafts of `edition` the user may see."""
    with engine.connect() as connection:
        opened = connection.execute(select(EDITIONS).where(EDITIONS.c.year == edition)).first()
        if opened is None:
            raise Missing(f"edition {edition} has not been opened", where="edition")
        query = (
            select(DRAFTS, REVISIONS.c.content)
            .join(
                REVISIONS,
                (REVISIONS.c.draft_id == DRAFTS.c.id) & (REVISIONS.c.number == DRAFTS.c.revision),
            )
            .where(DRAFTS.c.edition == edition)
            .order_by(DRAFTS.c.name)
        )
        if actor.role == "analyst":
            query = query.where(DRAFTS.c.country_id.in_(sorted(actor.countries)))
        rows = connection.execute(query).all()
        analysts = analysts_by_country(connection)
        previous = {
            r.country_id: previous_content(connection, r.country_id, r.previous) for r in rows
        }
    by_region: dict[str, list[str]] = {}
    by_analyst: dict[str, list[str]] = {}
    changed: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for row in rows:
        by_region.setdefault(row.region, []).append(row.state)
        for name in analysts.get(row.country_id, [UNASSIGNED]):
            by_analyst.setdefault(name, []).append(row.state)
        before = previous[row.country_id]
        if before is None:
            continue
        content = DraftContent.model_validate_json(row.content)
        for code in SECTIONS:
            old, new = before.value(code), content.value(code)
            if old == new:
                continue
            reason = content.reasons.get(code, "").strip()
            item = {
                "country_id": row.country_id,
                "name": row.name,
                "code": code,
                "from": old,
                "to": new,
            }
            changed.append({**item, "reason": reason or None})
            if not reason:
                missing.append(item)
    return {
        "edition": edition,
        "previous": opened.previous,
        "total": len(rows),
        "by_state": _counts([r.state for r in rows]),
        "by_region": {k: _counts(v) for k, v in sorted(by_region.items())},
        "by_analyst": {k: _counts(v) for k, v in sorted(by_analyst.items())},
        "changed": changed,
        "missing_reasons": missing,
        "completed": opened.completed_at is not None,
    }


def editions(engine: Engine) -> list[dict[str, Any]]:
    """The editions opened for drafting, newest first."""
    users = table_of(User)
    with engine.connect() as connection:
        rows = connection.execute(
            select(EDITIONS, users.c.name)
            .join(users, users.c.id == EDITIONS.c.opened_by)
            .order_by(EDITIONS.c.year.desc())
        ).all()
        counts = Counter(connection.execute(select(DRAFTS.c.edition)).scalars())
    return [
        {
            "edition": r.year,
            "previous": r.previous,
            "opened_at": r.opened_at.isoformat(),
            "opened_by": r.name,
            "completed_at": r.completed_at.isoformat() if r.completed_at else None,
            "drafts": counts.get(r.year, 0),
        }
        for r in rows
    ]

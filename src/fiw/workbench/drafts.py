"""Opening an edition (one draft per country and territory of the previous edition, pre-filled
from the store) and reading drafts as the API shows them, within what the user may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, func, insert, select

from fiw.methodology.vocabulary import INDICATORS
from fiw.pages.model import Report, report_from_json
from fiw.store.schema import Assessment, Country
from fiw.store.schema import Report as ReportRow
from fiw.store.workbench_schema import (
    Draft,
    Publication,
    Revision,
    Transition,
    User,
    WorkbenchEdition,
    table_of,
)
from fiw.workbench.accounts import Actor, now, reading
from fiw.workbench.content import DraftContent, Note, Q, changed_codes, check, result
from fiw.workbench.errors import Forbidden, Missing, WorkbenchError

DRAFTS = table_of(Draft)
REVISIONS = table_of(Revision)
TRANSITIONS = table_of(Transition)
EDITIONS = table_of(WorkbenchEdition)
USERS = table_of(User)
ASSESSMENTS = table_of(Assessment)
SCORE_CHANGE = "score change:"


@dataclass(frozen=True)
class DraftRow:
    """A draft's row: id, country, edition, the previous edition, state and revision."""

    id: int
    country_id: str
    name: str
    edition: int
    previous: int | None
    kind: str
    region: str
    state: str
    revision: int
    updated_at: Any


def may_see(actor: Actor, country_id: str) -> bool:
    """Reviewers and admins see every draft; analysts those of their countries."""
    return actor.role != "analyst" or country_id in actor.countries


def may_edit(actor: Actor, country_id: str) -> bool:
    """Admins edit any draft; analysts those of their countries; reviewers none."""
    return actor.role == "admin" or (actor.role == "analyst" and country_id in actor.countries)


def require_admin(actor: Actor, what: str) -> None:
    if actor.role != "admin":
        raise Forbidden(f"only an admin may {what} (you are {actor.role})")


# --- opening an edition -----------------------------------------------------------------------


def _narrative(paragraphs: tuple[str, ...]) -> str:
    return "\n\n".join(p for p in paragraphs if not p.casefold().startswith(SCORE_CHANGE))


def prefilled(row: Any, report: Report | None) -> DraftContent:
    """A draft's first content: the previous edition's scores and Q, and its report's text."""
    scores = {code: int(row._mapping[code.lower()]) for code in INDICATORS}
    if report is None:
        return DraftContent(scores=scores, q=int(row.q))
    narratives = {i.code: _narrative(i.paragraphs) for i in report.indicators}
    if report.add_q is not None:
        narratives[Q] = _narrative(report.add_q.paragraphs)
    return DraftContent(
        scores=scores,
        q=int(row.q),
        narratives={k: v for k, v in narratives.items() if v},
        overview=report.overview,
        key_developments=list(report.key_developments),
        notes=[Note(label=n.label, text=n.text) for n in report.notes],
    )


def previous_edition(connection: Connection, edition: int) -> int:
    found = connection.execute(
        select(func.max(ASSESSMENTS.c.edition)).where(ASSESSMENTS.c.edition < edition)
    ).scalar()
    if found is None:
        raise Missing(
            f"no scored edition before {edition} in the store",
            where="edition",
            fix="import the official workbooks first (`fiw import`)",
        )
    return int(found)


def open_edition(engine: Engine, actor: Actor, edition: int) -> dict[str, Any]:
    """Create a draft for every country and territory of the previous edition that has none
    yet (in one transaction); returns the edition and the drafts created."""
    require_admin(actor, "open an edition")
    a = ASSESSMENTS.c
    created: list[dict[str, Any]] = []
    with engine.begin() as connection:
        if connection.execute(
            select(func.count()).select_from(ASSESSMENTS).where(a.edition == edition)
        ).scalar():
            raise WorkbenchError(
                f"the store already holds assessments of {edition}",
                where="edition",
                fix="open the edition after the newest one",
            )
        previous = previous_edition(connection, edition)
        if (
            connection.execute(select(EDITIONS.c.year).where(EDITIONS.c.year == edition)).first()
            is None
        ):
            connection.execute(
                insert(EDITIONS).values(
                    year=edition,
                    previous=previous,
                    opened_at=now(),
                    opened_by=actor.id,
                    completed_at=None,
                )
            )
        existing = set(
            connection.execute(
                select(DRAFTS.c.country_id).where(DRAFTS.c.edition == edition)
            ).scalars()
        )
        rows = connection.execute(
            select(ASSESSMENTS, table_of(Country).c.name)
            .join(table_of(Country), table_of(Country).c.id == a.country_id)
            .where(a.edition == previous)
            .order_by(table_of(Country).c.name)
        ).all()
        r = table_of(ReportRow).c
        documents = dict(
            connection.execute(
                select(r.country_id, r.document).where(r.edition == previous, r.current)
            ).all()
        )
        moment = now()
        for row in rows:
            if row.country_id in existing:
                continue
            doc = documents.get(row.country_id)
            report = report_from_json(json.loads(doc)) if doc else None
            content = prefilled(row, report)
            draft_id = connection.execute(
                insert(DRAFTS)
                .values(
                    country_id=row.country_id,
                    edition=edition,
                    previous=previous,
                    name=row.name,
                    kind=row.kind,
                    region=row.region,
                    state="draft",
                    revision=1,
                    updated_at=moment,
                )
                .returning(DRAFTS.c.id)
            ).scalar_one()
            connection.execute(
                insert(REVISIONS).values(
                    draft_id=draft_id,
                    number=1,
                    kind="open",
                    based_on=None,
                    author_id=actor.id,
                    created_at=moment,
                    changed="[]",
                    content=content.model_dump_json(),
                )
            )
            created.append(
                {"country_id": row.country_id, "name": row.name, "state": "draft", "revision": 1}
            )
    return {"edition": edition, "previous": previous, "created": created}


# --- reading -----------------------------------------------------------------------------------


def draft_row(
    connection: Connection, country_id: str, edition: int, *, lock: bool = False
) -> DraftRow:
    query = select(DRAFTS).where(DRAFTS.c.country_id == country_id, DRAFTS.c.edition == edition)
    if lock:
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None:
        raise Missing(
            f"no draft of {country_id} {edition}",
            where="country",
            fix="an admin opens the edition first; country ids are as `fiw countries` lists them",
        )
    return DraftRow(
        row.id,
        row.country_id,
        row.name,
        row.edition,
        row.previous,
        row.kind,
        row.region,
        row.state,
        row.revision,
        row.updated_at,
    )


def visible_row(connection: Connection, actor: Actor, country_id: str, edition: int) -> DraftRow:
    """The draft, or Forbidden when the user may not see it (checked before it is read)."""
    if not may_see(actor, country_id):
        raise Forbidden(f"{country_id} is not among your assigned countries")
    return draft_row(connection, country_id, edition)


def content_of(connection: Connection, draft_id: int, number: int) -> DraftContent:
    found = connection.execute(
        select(REVISIONS.c.content).where(
            REVISIONS.c.draft_id == draft_id, REVISIONS.c.number == number
        )
    ).scalar()
    if found is None:
        raise Missing(f"the draft has no revision {number}", where="revision")
    return DraftContent.model_validate_json(found)


def previous_content(
    connection: Connection, country_id: str, previous: int | None
) -> DraftContent | None:
    """The previous edition's scores and Q (from the store's assessments)."""
    if previous is None:
        return None
    row = connection.execute(
        select(ASSESSMENTS).where(
            ASSESSMENTS.c.country_id == country_id, ASSESSMENTS.c.edition == previous
        )
    ).first()
    if row is None:
        return None
    values = row._mapping
    return DraftContent(scores={c: int(values[c.lower()]) for c in INDICATORS}, q=int(row.q))


def authors(connection: Connection, draft_id: int) -> list[str]:
    """Users who saved or restored a revision of the draft (opening it is not authoring)."""
    return list(
        connection.execute(
            select(USERS.c.name)
            .join(REVISIONS, REVISIONS.c.author_id == USERS.c.id)
            .where(REVISIONS.c.draft_id == draft_id, REVISIONS.c.kind != "open")
            .distinct()
            .order_by(USERS.c.name)
        ).scalars()
    )


def _extras_columns(draft_id: Any) -> tuple[list[Any], Any]:
    """The columns of the latest return's comments, the authors and the publication of the
    draft `draft_id` (a column or a bound parameter), and the joins they need from DRAFTS."""
    t = TRANSITIONS.c
    comments = (
        select(t.comments)
        .where(t.draft_id == draft_id, t.to_state == "returned")
        .order_by(t.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    names = (
        select(USERS.c.name)
        .join(REVISIONS, REVISIONS.c.author_id == USERS.c.id)
        .where(REVISIONS.c.draft_id == draft_id, REVISIONS.c.kind != "open")
        .distinct()
        .correlate(DRAFTS)  # inside the load query: the outer draft, not a second FROM
        .subquery()
    )
    authored = select(func.aggregate_strings(names.c.name, ",")).scalar_subquery()
    p = table_of(Publication)
    revision = REVISIONS.alias("published_revision")
    approver = USERS.alias("approver")
    publisher = USERS.alias("publisher")
    columns = [
        comments.label("comments"),
        authored.label("authors"),
        revision.c.number.label("published_number"),
        p.c.revision_id.label("published_revision_id"),
        approver.c.name.label("approver"),
        publisher.c.name.label("publisher"),
        p.c.published_at,
    ]
    joins = (
        DRAFTS.outerjoin(p, p.c.draft_id == DRAFTS.c.id)
        .outerjoin(revision, revision.c.id == p.c.revision_id)
        .outerjoin(approver, approver.c.id == p.c.approver_id)
        .outerjoin(publisher, publisher.c.id == p.c.publisher_id)
    )
    return columns, joins


def _extras_of(row: Any) -> dict[str, Any]:
    published = None
    if row.published_revision_id is not None:
        published = {
            "revision": row.published_number,
            "revision_id": row.published_revision_id,
            "approver": row.approver,
            "publisher": row.publisher,
            "published_at": row.published_at.isoformat(),
        }
    return {
        "comments": dict(json.loads(row.comments)) if row.comments else {},
        "authors": sorted(row.authors.split(",")) if row.authors else [],
        "published": published,
    }


@cache
def _extras_query() -> Select[Any]:
    columns, joins = _extras_columns(bindparam("draft_id"))
    return select(*columns).select_from(joins).where(DRAFTS.c.id == bindparam("draft_id"))


def _extras(connection: Connection, draft_id: int) -> dict[str, Any]:
    """The latest return's comments, the authors and the publication, in one query."""
    return _extras_of(connection.execute(_extras_query(), {"draft_id": draft_id}).one())


@cache
def _load_query() -> Select[Any]:
    """A draft by country and edition with its current content, the previous edition's
    scores and Q, and the extras of `view`: one statement, built once (bound parameters)."""
    a = ASSESSMENTS.c
    d = DRAFTS.c
    extras, joins = _extras_columns(d.id)
    return (
        select(DRAFTS, REVISIONS.c.content, a.q.label("previous_q"),
               *(a[c.lower()].label(f"previous_{c}") for c in INDICATORS), *extras)
        .select_from(joins)
        .join(REVISIONS, (REVISIONS.c.draft_id == d.id) & (REVISIONS.c.number == d.revision))
        .outerjoin(ASSESSMENTS, (a.country_id == d.country_id) & (a.edition == d.previous))
        .where(d.country_id == bindparam("country_id"), d.edition == bindparam("edition"))
    )  # fmt: skip


@dataclass(frozen=True)
class Loaded:
    """A draft as one query reads it: its row, current content, the previous edition's
    scores and Q, and the extras `view` shows (comments, authors, publication)."""

    draft: DraftRow
    content: DraftContent
    previous: DraftContent | None
    extras: dict[str, Any]


def load(connection: Connection, actor: Actor, country_id: str, edition: int) -> Loaded:
    """A draft the user may see, with all `view` needs, in one query (Forbidden, checked
    first, or Missing)."""
    if not may_see(actor, country_id):
        raise Forbidden(f"{country_id} is not among your assigned countries")
    row = connection.execute(_load_query(), {"country_id": country_id, "edition": edition}).first()
    if row is None:
        draft_row(connection, country_id, edition)  # raises Missing, naming the fix
        raise AssertionError("unreachable")
    draft = DraftRow(row.id, row.country_id, row.name, row.edition, row.previous, row.kind,
                     row.region, row.state, row.revision, row.updated_at)  # fmt: skip
    previous = None
    if row.previous_q is not None:
        values = row._mapping
        previous = DraftContent(
            scores={c: int(values[f"previous_{c}"]) for c in INDICATORS}, q=int(row.previous_q)
        )
    content = DraftContent.model_validate_json(row.content)
    return Loaded(draft, content, previous, _extras_of(row))


def view(
    connection: Connection,
    draft: DraftRow,
    content: DraftContent | None = None,
    previous: DraftContent | None = None,
    extras: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The draft as the API shows it (docs/workbench.md); a caller that holds the current
    content, the previous edition's and the extras (see `load`) passes them in."""
    if content is None:
        content = content_of(connection, draft.id, draft.revision)
    if previous is None:
        previous = previous_content(connection, draft.country_id, draft.previous)
    body = content.model_dump(mode="json")
    return {
        "country_id": draft.country_id,
        "name": draft.name,
        "edition": draft.edition,
        "kind": draft.kind,
        "region": draft.region,
        "state": draft.state,
        "revision": draft.revision,
        **body,
        "result": result(draft.edition, content),
        "previous": None
        if previous is None
        else {
            "edition": draft.previous,
            "scores": previous.scores,
            "q": previous.q,
            "result": result(draft.previous or 0, previous),
        },
        "changed": changed_codes(content, previous),
        "problems": check(draft.edition, body, previous),
        **(extras if extras is not None else _extras(connection, draft.id)),
    }


def get_draft(engine: Engine, actor: Actor, country_id: str, edition: int) -> dict[str, Any]:
    with reading(engine) as connection:
        loaded = load(connection, actor, country_id, edition)
        return view(connection, loaded.draft, loaded.content, loaded.previous, loaded.extras)


def list_drafts(
    engine: Engine,
    actor: Actor,
    *,
    edition: int | None = None,
    state: str | None = None,
    country: str | None = None,
) -> list[dict[str, Any]]:
    """The drafts the user may see, filtered, by edition then name."""
    d = DRAFTS.c
    query = select(DRAFTS).order_by(d.edition, d.name)
    if edition is not None:
        query = query.where(d.edition == edition)
    if state is not None:
        query = query.where(d.state == state)
    if country is not None:
        query = query.where(d.country_id == country)
    if actor.role == "analyst":
        query = query.where(d.country_id.in_(sorted(actor.countries)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        analysts = analysts_by_country(connection)
    return [
        {
            "country_id": r.country_id,
            "name": r.name,
            "edition": r.edition,
            "region": r.region,
            "kind": r.kind,
            "state": r.state,
            "revision": r.revision,
            "updated_at": r.updated_at.isoformat(),
            "analysts": analysts.get(r.country_id, []),
        }
        for r in rows
    ]


def analysts_by_country(connection: Connection) -> dict[str, list[str]]:
    """The analysts assigned to each country (by country id), names in order."""
    from fiw.store.workbench_schema import Assignment

    s = table_of(Assignment).c
    analysts: dict[str, list[str]] = {}
    for cid, name in connection.execute(
        select(s.country_id, USERS.c.name)
        .join(USERS, USERS.c.id == s.user_id)
        .where(USERS.c.role == "analyst")
        .order_by(USERS.c.name)
    ):
        analysts.setdefault(cid, []).append(name)
    return analysts

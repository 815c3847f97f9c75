"""Report pages written to the store: a new version of each changed country-edition report
(the earlier one kept, marked superseded), its source file, and its paragraphs in the search
index (FTS5 rows on SQLite, tsvectors on PostgreSQL). Runs inside the importer's transaction.

A page for a country-edition that already has a current report replaces it only when the
report differs (compared by the sha256 of its JSON form).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text, update

from fiw.methodology import DISCRETIONARY_AFTER
from fiw.pages import Report, report_to_json
from fiw.sources.countries import Country
from fiw.store.batch import year_only_edition
from fiw.store.errors import ImportFailed
from fiw.store.report_check import disagreements
from fiw.store.report_pages import Page, PageSet, digest
from fiw.store.schema import Base, Edition, SourceFile
from fiw.store.schema import Country as CountryRow
from fiw.store.schema import Report as ReportRow
from fiw.store.schema import ReportParagraph as ParagraphRow
from fiw.store.textsearch import fts5_stems, fts5_terms, stem_tsvector, tsvector


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


@dataclass
class PagesOutcome:
    """What writing a PageSet did; the importer turns it into an ImportReport."""

    added: int = 0
    versions: int = 0
    unchanged: int = 0
    new_files: int = 0
    changes: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NewVersion:
    """A report to write: its page, country, stored JSON form and digest, its version number,
    and the id of the current row it supersedes (None for a first version)."""

    page: Page
    country_id: str
    document: str
    digest: str
    version: int
    supersedes: int | None

    @classmethod
    def following(
        cls, page: Page, country_id: str, document: str, digest: str, old: Any
    ) -> NewVersion:
        """The version after `old` (the current row: its `id` and `version`), or the first
        when there is none."""
        return cls(
            page=page,
            country_id=country_id,
            document=document,
            digest=digest,
            version=1 if old is None else old.version + 1,
            supersedes=None if old is None else old.id,
        )


def document(report: Report) -> str:
    """The report's JSON form as stored (and digested): `fiw parse --json`'s object."""
    return json.dumps(report_to_json(report), ensure_ascii=False, separators=(",", ":"))


def paragraphs(report: Report) -> list[tuple[str, int, str]]:
    """The report's narrative in page order as (section, position, text): notes by label,
    the overview, key developments, each indicator's paragraphs, and Q after its
    aggregate's last indicator."""
    out: list[tuple[str, int, str]] = [(n.label, 0, n.text) for n in report.notes]
    if report.overview:
        out.append(("overview", 0, report.overview))
    out += [("key_developments", i, t) for i, t in enumerate(report.key_developments)]
    for item in report.indicators:
        out += [(item.code, i, t) for i, t in enumerate(item.paragraphs)]
        if item.code == DISCRETIONARY_AFTER["Q"] and report.add_q is not None:
            out += [("Q", i, t) for i, t in enumerate(report.add_q.paragraphs)]
    return [p for p in out if p[2].strip()]


def _standing(value: Any) -> tuple[int | None, str | None]:
    return (None, None) if value is None else (value.total, value.status.value)


def report_row(page: Page, country_id: str, doc: str, digest: str) -> dict[str, object]:
    r = page.report
    last_total, last_status = _standing(r.last_year)
    site_total, site_status = _standing(r.site_latest)
    if_total, if_status = _standing(r.internet_freedom)
    return {
        "country_id": country_id, "edition": r.edition, "name": r.country,
        "territory": r.territory, "status": r.status.value if r.status else None,
        "pr": r.pr, "cl": r.cl, "total": r.total,
        "last_year_total": last_total, "last_year_status": last_status,
        "notes": json.dumps({n.label: n.text for n in r.notes}, ensure_ascii=False),
        "overview": r.overview,
        "key_developments": json.dumps(list(r.key_developments), ensure_ascii=False),
        "add_q": None if r.add_q is None else r.add_q.score,
        "site_latest_total": site_total, "site_latest_status": site_status,
        "internet_freedom_total": if_total, "internet_freedom_status": if_status,
        "problems": len(r.problems), "document": doc, "digest": digest,
    }  # fmt: skip


def write_pages(
    connection: Connection, pages: PageSet, mapping: dict[str, Country]
) -> PagesOutcome:
    """Write a PageSet's new reports and versions (and their search index) on `connection`."""
    outcome = PagesOutcome()
    new = _new_versions(connection, pages, mapping, outcome)
    if new:
        files, outcome.new_files = _source_files(connection, (n.page for n in new))
        _add_missing_keys(connection, new, mapping, files[new[0].page.sha256])
        ids = _insert_versions(connection, new, files)
        for n in new:
            if n.version == 1:
                outcome.added += 1
            else:
                outcome.versions += 1
                outcome.changes.append(
                    f"reports {n.country_id} {n.page.report.edition}: version {n.version} "
                    f"from {n.page.name} (version {n.version - 1} kept)"
                )
        _write_paragraphs(
            connection,
            [
                {"report_id": rid, "section": section, "position": position, "ordinal": i,
                 "text": body}
                for rid, n in zip(ids, new, strict=True)
                for i, (section, position, body) in enumerate(paragraphs(n.page.report))
            ],
        )  # fmt: skip
    outcome.disagreements = disagreements(connection, pages.pages, mapping)
    return outcome


def _new_versions(
    connection: Connection, pages: PageSet, mapping: dict[str, Country], outcome: PagesOutcome
) -> list[NewVersion]:
    """The pages whose report differs from the current version (or has none), checked: each
    names its edition, and no two pages are one country-edition. Counts the unchanged ones."""
    reports = _table(ReportRow)
    c = reports.c
    current = {
        (row.country_id, row.edition): row
        for row in connection.execute(
            select(c.id, c.country_id, c.edition, c.version, c.digest).where(c.current)
        )
    }
    seen: dict[tuple[str, int], str] = {}
    new: list[NewVersion] = []
    for page in pages.pages:
        r = page.report
        outcome.problems += [f"{page.name}: {p}" for p in r.problems]
        if r.edition is None:
            raise ImportFailed(
                page.path,
                "names no edition (no 'Key Developments in YEAR', no year in its file or "
                "folder name); nothing was imported: put the page in a folder named by its "
                "edition, e.g. 2023/",
            )
        country_id = mapping[r.country].id
        key = (country_id, r.edition)
        if key in seen:
            raise ImportFailed(
                page.path,
                f"{page.name} and {seen[key]} are both the {r.edition} report of "
                f"{country_id}: import one page per country-edition",
            )
        seen[key] = page.name
        doc = document(r)
        sha = digest(doc.encode())
        old = current.get(key)
        if old is not None and old.digest == sha:
            outcome.unchanged += 1
            continue
        new.append(NewVersion.following(page, country_id, doc, sha, old))
    return new


def _source_files(connection: Connection, pages: Iterable[Page]) -> tuple[dict[str, int], int]:
    """A source_files row per page file (by sha256): ids, and how many rows are new."""
    table = _table(SourceFile)
    wanted = {p.sha256: p for p in pages}
    ids: dict[str, int] = {}
    for chunk in _chunks(list(wanted), 500):
        query = select(table.c.sha256, table.c.id).where(table.c.sha256.in_(chunk))
        ids.update((sha, int(i)) for sha, i in connection.execute(query))
    now = datetime.now(UTC)
    new = [
        {"name": p.name[-255:], "kind": "pages", "sha256": sha, "size": p.size, "url": None,
         "imported_at": now}
        for sha, p in wanted.items() if sha not in ids
    ]  # fmt: skip
    if new:
        rows = connection.execute(
            insert(table).returning(table.c.sha256, table.c.id, sort_by_parameter_order=True), new
        )
        ids.update((sha, int(i)) for sha, i in rows)
    return ids, len(new)


def _chunks(values: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _add_missing_keys(
    connection: Connection, new: list[NewVersion], mapping: dict[str, Country], file_id: int
) -> None:
    """Countries and editions the pages use but the database lacks (the workbooks define
    them), recorded as coming from the first page file."""
    countries = _table(CountryRow)
    have = set(connection.execute(select(countries.c.id)).scalars())
    needed = {n.country_id for n in new}
    rows = [
        {"id": c.id, "name": c.name, "iso3": c.iso3, "source_file_id": file_id}
        for c in {c.id: c for c in mapping.values()}.values()
        if c.id not in have and c.id in needed
    ]
    if rows:
        connection.execute(insert(countries), rows)
    editions = _table(Edition)
    years = set(connection.execute(select(editions.c.year)).scalars())
    wanted = {n.page.report.edition for n in new} - years
    new_years = sorted(y for y in wanted if y is not None)
    if new_years:
        connection.execute(
            insert(editions),
            [{**year_only_edition(y), "source_file_id": file_id} for y in new_years],
        )


def _insert_versions(
    connection: Connection, new: list[NewVersion], files: dict[str, int]
) -> list[int]:
    """Mark the superseded rows and insert the new versions as current; their ids, in order."""
    reports = _table(ReportRow)
    now = datetime.now(UTC)
    superseded = [n.supersedes for n in new if n.supersedes is not None]
    for chunk in _chunks(superseded, 500):
        connection.execute(
            update(reports).where(reports.c.id.in_(chunk)).values(current=False, superseded_at=now)
        )
    values = [
        {**report_row(n.page, n.country_id, n.document, n.digest), "version": n.version,
         "current": True, "superseded_at": None, "source_file_id": files[n.page.sha256],
         "source_path": n.page.name[-1000:]}
        for n in new
    ]  # fmt: skip
    statement = insert(reports).returning(reports.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, values).scalars().all())


def write_report(
    connection: Connection, report: Report, country_id: str, source_file_id: int, source_path: str
) -> int:
    """Store `report` as the new current version of its country-edition (the earlier one kept,
    superseded), with its paragraphs and search index; returns its id. For the workbench's
    publications, which are no page files."""
    reports = _table(ReportRow)
    doc = document(report)
    sha = digest(doc.encode())
    old = connection.execute(
        select(reports.c.id, reports.c.version).where(
            reports.c.country_id == country_id,
            reports.c.edition == report.edition,
            reports.c.current,
        )
    ).first()
    page = Page(Path(source_path), source_path, report, sha, len(doc))
    new = NewVersion.following(page, country_id, doc, sha, old)
    [new_id] = _insert_versions(connection, [new], {sha: source_file_id})
    _write_paragraphs(
        connection,
        [
            {"report_id": new_id, "section": section, "position": position, "ordinal": i,
             "text": body}
            for i, (section, position, body) in enumerate(paragraphs(report))
        ],
    )  # fmt: skip
    return new_id


def _write_paragraphs(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert paragraphs with their search index: FTS5 rows on SQLite, tsvectors on PostgreSQL."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "INSERT INTO report_paragraphs (report_id, section, position, ordinal, text, "
                "search_vector, stem_vector) VALUES (:report_id, :section, :position, :ordinal, "
                ":text, CAST(:vector AS tsvector), CAST(:stems AS tsvector))"
            ),
            [{**r, "vector": tsvector(r["text"]), "stems": stem_tsvector(r["text"])} for r in rows],
        )
        return
    table = _table(ParagraphRow)
    ids = (
        connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    connection.execute(
        text("INSERT INTO report_search (rowid, terms, stems) VALUES (:id, :terms, :stems)"),
        [
            {"id": i, "terms": fts5_terms(r["text"]), "stems": fts5_stems(r["text"])}
            for i, r in zip(ids, rows, strict=True)
        ],
    )

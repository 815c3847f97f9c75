"""Report pages in the store: read pages, map their countries, write versions and the search
index, and compare each page's figures with the official workbook already stored.

A page for a country-edition that already has a current report replaces it only when the
report differs (compared by the sha256 of its JSON form); the earlier version stays, marked
superseded, with its own source file. Everything runs inside the importer's transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text, update

from fiw.pages import ParseError, Report, report_to_json
from fiw.pages.batch import page_files, parse_folder
from fiw.pages.parse import parse_file
from fiw.sources.countries import Country, UnmappedNames, map_names
from fiw.store.batch import year_only_edition
from fiw.store.errors import ImportFailed
from fiw.store.schema import INDICATORS, Assessment, Base, Edition, SourceFile
from fiw.store.schema import Country as CountryRow
from fiw.store.schema import Report as ReportRow
from fiw.store.schema import ReportParagraph as ParagraphRow
from fiw.store.textsearch import fts5_stems, fts5_terms, stem_tsvector, tsvector


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


@dataclass(frozen=True)
class Page:
    """One parsed page file with what provenance needs: its name, sha256 and size."""

    path: Path
    name: str
    report: Report
    sha256: str
    size: int


@dataclass
class PageSet:
    """The pages of one `fiw import` argument (a folder, walked recursively, or a file)."""

    path: Path
    pages: list[Page] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.pages)

    @property
    def sha256(self) -> str:
        """A digest of the set: the sha256 of its pages' names and digests, in order."""
        digest = hashlib.sha256()
        for page in self.pages:
            digest.update(f"{page.name}\0{page.sha256}\n".encode())
        return digest.hexdigest()


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


def is_pages_source(path: Path) -> bool:
    """A folder (of pages) or a `.txt` page file."""
    return path.is_dir() or path.suffix.lower() == ".txt"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_pages(path: Path, *, skip_bad: bool = False) -> PageSet:
    """Parse a folder of pages (every core) or one page. A page that cannot be parsed fails
    the import naming the file and line, or, with `skip_bad`, is listed as skipped."""
    if not path.exists():
        raise ImportFailed(path, "no such file or folder")
    pages = PageSet(path)
    if path.is_dir():
        files = page_files(path)
        if not files:
            raise ImportFailed(path, "holds no *.txt report pages (searched recursively)")
        results = [(r.file, r.report, r.error) for r in parse_folder(path)]
        base = path
    else:
        try:
            results = [(path, parse_file(path), None)]
        except ParseError as exc:
            results = [(path, None, exc)]
        base = path.parent
    for file, report, error in results:
        name = file.relative_to(base).as_posix() if path.is_dir() else file.name
        name = f"{path.name}/{name}" if path.is_dir() else name
        if report is None:
            assert error is not None
            message = str(error.with_source(name))
            if not skip_bad:
                raise ImportFailed(
                    file, f"cannot be parsed, nothing was imported ({message}); "
                    "`--skip-bad` imports the other pages"
                )  # fmt: skip
            pages.skipped.append(message)
            continue
        data = file.read_bytes()
        pages.pages.append(Page(file, name, report, _digest(data), len(data)))
    return pages


def map_countries(sets: Sequence[PageSet]) -> dict[str, Country]:
    """Every page's country name mapped to its country; fails listing every unmapped name
    with the files that use it."""
    names = {p.report.country for s in sets for p in s.pages}
    try:
        return map_names(sorted(names))
    except UnmappedNames as exc:
        where = {
            n: [p.name for s in sets for p in s.pages if p.report.country == n] for n in exc.names
        }
        listed = "; ".join(f"{n!r} ({', '.join(files[:3])}{' …' if len(files) > 3 else ''})"
                           for n, files in where.items())  # fmt: skip
        raise ImportFailed(
            sets[0].path,
            f"{len(exc.names)} country name(s) map to no country, nothing was imported: "
            f"{listed}; add each to src/fiw/sources/data/names.csv (name,id)",
        ) from exc


# --- rows -----------------------------------------------------------------------------------


def document(report: Report) -> str:
    """The report's JSON form as stored (and digested): `fiw parse --json`'s object."""
    return json.dumps(report_to_json(report), ensure_ascii=False, separators=(",", ":"))


def paragraphs(report: Report) -> list[tuple[str, int, str]]:
    """The report's narrative in page order as (section, position, text): notes by label,
    the overview, key developments, each indicator's paragraphs, and Q after C3."""
    out: list[tuple[str, int, str]] = [(n.label, 0, n.text) for n in report.notes]
    if report.overview:
        out.append(("overview", 0, report.overview))
    out += [("key_developments", i, t) for i, t in enumerate(report.key_developments)]
    for item in report.indicators:
        out += [(item.code, i, t) for i, t in enumerate(item.paragraphs)]
        if item.code == "C3" and report.add_q is not None:
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


# --- writing --------------------------------------------------------------------------------


def write_pages(
    connection: Connection, pages: PageSet, mapping: dict[str, Country]
) -> PagesOutcome:
    """Write a PageSet's new reports and versions (and their search index) on `connection`."""
    outcome = PagesOutcome()
    reports = _table(ReportRow)
    current = {
        (row.country_id, row.edition): row
        for row in connection.execute(
            select(
                reports.c.id,
                reports.c.country_id,
                reports.c.edition,
                reports.c.version,
                reports.c.digest,
            ).where(reports.c.current)
        )
    }
    seen: dict[tuple[str, int], str] = {}
    to_write: list[tuple[Page, str, str, str, int, int | None]] = []
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
        digest = _digest(doc.encode())
        old = current.get(key)
        if old is not None and old.digest == digest:
            outcome.unchanged += 1
            continue
        version = 1 if old is None else old.version + 1
        to_write.append((page, country_id, doc, digest, version, None if old is None else old.id))
    if to_write:
        _write(connection, to_write, mapping, outcome)
    outcome.disagreements = disagreements(connection, pages.pages, mapping)
    return outcome


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


def _write(
    connection: Connection,
    to_write: list[tuple[Page, str, str, str, int, int | None]],
    mapping: dict[str, Country],
    outcome: PagesOutcome,
) -> None:
    files, outcome.new_files = _source_files(connection, (w[0] for w in to_write))
    first_file = files[to_write[0][0].sha256]
    # Countries and editions the pages use but the database lacks (the workbooks define them).
    countries = _table(CountryRow)
    have = set(connection.execute(select(countries.c.id)).scalars())
    missing = {c.id: c for c in mapping.values() if c.id not in have}
    needed = {w[1] for w in to_write}
    rows = [{"id": c.id, "name": c.name, "iso3": c.iso3, "source_file_id": first_file}
            for cid, c in missing.items() if cid in needed]  # fmt: skip
    if rows:
        connection.execute(insert(countries), rows)
    editions = _table(Edition)
    years = set(connection.execute(select(editions.c.year)).scalars())
    new_years = sorted({w[0].report.edition for w in to_write} - years)  # type: ignore[type-var]
    if new_years:
        connection.execute(
            insert(editions),
            [{**year_only_edition(y), "source_file_id": first_file} for y in new_years if y],
        )
    reports = _table(ReportRow)
    now = datetime.now(UTC)
    superseded = [w[5] for w in to_write if w[5] is not None]
    for chunk in _chunks(superseded, 500):
        connection.execute(
            update(reports).where(reports.c.id.in_(chunk)).values(current=False, superseded_at=now)
        )
    values = [
        {**report_row(page, cid, doc, digest), "version": version, "current": True,
         "superseded_at": None, "source_file_id": files[page.sha256],
         "source_path": page.name[-1000:]}
        for page, cid, doc, digest, version, _ in to_write
    ]  # fmt: skip
    ids = (
        connection.execute(
            insert(reports).returning(reports.c.id, sort_by_parameter_order=True), values
        )
        .scalars()
        .all()
    )
    for (page, cid, _, _, version, _), _id in zip(to_write, ids, strict=True):
        if version == 1:
            outcome.added += 1
        else:
            outcome.versions += 1
            outcome.changes.append(
                f"reports {cid} {page.report.edition}: version {version} from {page.name} "
                f"(version {version - 1} kept)"
            )
    paragraph_rows = [
        {"report_id": rid, "section": section, "position": position, "ordinal": i, "text": body}
        for rid, (page, *_rest) in zip(ids, to_write, strict=True)
        for i, (section, position, body) in enumerate(paragraphs(page.report))
    ]
    _write_paragraphs(connection, paragraph_rows)


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


# --- comparison with the workbook -----------------------------------------------------------


def disagreements(
    connection: Connection, pages: Sequence[Page], mapping: dict[str, Country]
) -> list[str]:
    """Every score, aggregate, status and last-year figure of a page that differs from the
    stored official assessment (workbook), one line each."""
    if not pages:
        return []
    a = Assessment.__table__.c
    columns = [a.country_id, a.edition, a.kind, *(a[c.lower()] for c in INDICATORS), a.q,
               a.pr, a.cl, a.total, a.status]  # fmt: skip
    editions = sorted({e for p in pages if (e := p.report.edition) is not None})
    wanted = sorted({*editions, *(e - 1 for e in editions)})
    stored = {
        (row.country_id, row.edition): row
        for row in connection.execute(select(*columns).where(a.edition.in_(wanted)))
    }
    if not stored:
        return [
            "no official assessments stored for these editions: import the indicator "
            "workbook (All_data) to compare the pages' scores with it"
        ]
    out: list[str] = []
    for page in pages:
        r = page.report
        if r.edition is None:
            continue
        cid = mapping[r.country].id
        where = f"{page.name} ({cid} {r.edition})"
        row = stored.get((cid, r.edition))
        if row is None:
            out.append(f"{where}: the workbook has no assessment for this country-edition")
            continue
        pairs: list[tuple[str, object, object]] = [
            *((code, r.scores[code], row._mapping[code.lower()]) for code in INDICATORS),
            ("Q", r.q, row.q), ("PR", r.pr, row.pr), ("CL", r.cl, row.cl),
            ("total", r.total, row.total),
            ("status", r.status.value if r.status else None, row.status),
            ("kind", "territory" if r.territory else "country", row.kind),
        ]  # fmt: skip
        before = stored.get((cid, r.edition - 1))
        if r.last_year is not None and before is not None:
            pairs += [("last year's total", r.last_year.total, before.total),
                      ("last year's status", r.last_year.status.value, before.status)]  # fmt: skip
        out += [f"{where}: {label} is {mine!r} on the page, {theirs!r} in the workbook"
                for label, mine, theirs in pairs if mine != theirs]  # fmt: skip
    return out

"""Report pages compared with the official workbook already stored: every figure of a page
that differs from its country-edition's assessment, as a warning line."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from fiw.methodology import AGGREGATES, INDICATORS
from fiw.sources.countries import Country
from fiw.store.report_pages import Page
from fiw.store.schema import Assessment


def disagreements(
    connection: Connection, pages: Sequence[Page], mapping: dict[str, Country]
) -> list[str]:
    """Every score, aggregate, status and last-year figure of a page that differs from the
    stored official assessment (workbook), one line each."""
    if not pages:
        return []
    a = Assessment.__table__.c
    figures = (*INDICATORS, "Q", *AGGREGATES, "total", "status")
    columns = [a.country_id, a.edition, a.kind, *(a[f.lower()] for f in figures)]
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
            ("Q", r.q, row.q),
            *((agg, getattr(r, agg.lower()), row._mapping[agg.lower()]) for agg in AGGREGATES),
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

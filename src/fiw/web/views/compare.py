"""Two to six countries side by side: subcategories, indicators and scores over time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from fiw.errors import ParameterError
from fiw.methodology import RATINGS, TOTAL_MAX, load_index
from fiw.web import charts
from fiw.web.queries import check_edition, find_country, snapshot
from fiw.web.render import PageContext, page, respond
from fiw.web.snapshot import CountryInfo

router = APIRouter()
MIN_COUNTRIES, MAX_COUNTRIES = 2, 6


@dataclass(frozen=True)
class ComparedCountry:
    country: CountryInfo
    css: str  # c1 … c6: its colour in the charts
    scored: bool  # whether it has scores in the edition compared
    status: str | None
    total: int | None
    pr: int | None
    cl: int | None
    pr_rating: int | None
    cl_rating: int | None


@dataclass(frozen=True)
class CompareRow:
    """One line of the side-by-side table: a subcategory, aggregate or indicator."""

    code: str
    name: str
    max: int
    values: list[int | None]  # one per country, in the order of `countries`


@dataclass(frozen=True)
class Series:
    country_id: str
    totals: list[int | None]  # one per edition of `editions_over_time`


@dataclass(frozen=True)
class ComparePage(PageContext):
    edition: int
    editions: list[int]
    countries: list[ComparedCountry]
    subcategories: list[CompareRow]  # A … G, then PR, CL and the total
    indicators: list[CompareRow]  # A1 … G4
    editions_over_time: list[int]
    over_time: list[Series]
    choices: list[CountryInfo]  # what the form offers: every country or territory with scores


def compare_page(request: Request, keys: list[str], edition: int | None) -> ComparePage:
    """The countries named by `keys` (ids or ISO3) compared in `edition` and over time."""
    snap = snapshot(request)
    edition = check_edition(request, edition)
    found = []
    for key in keys:
        country = find_country(request, key, "c")
        if country not in found:
            found.append(country)
    if found and not MIN_COUNTRIES <= len(found) <= MAX_COUNTRIES:
        raise ParameterError(
            "c", keys, f"{MIN_COUNTRIES} to {MAX_COUNTRIES} different countries or territories"
        )
    rows = [
        next((r for r in snap.by_country.get(c.id, []) if r["edition"] == edition), None)
        for c in found
    ]
    compared = [
        ComparedCountry(
            country=c,
            css=f"c{i + 1}", scored=row is not None,
            **{k: row[k] if row else None
               for k in ("status", "total", "pr", "cl", "pr_rating", "cl_rating")},
        )
        for i, (c, row) in enumerate(zip(found, rows, strict=True))
    ]  # fmt: skip
    rules = load_index("fiw")

    def line(code: str, name: str, most: int, key: str) -> CompareRow:
        return CompareRow(
            code=code, name=name, max=most, values=[r[key] if r else None for r in rows]
        )

    subcategories = [line(c.code, c.name, c.max, c.code) for c in rules.categories]
    subcategories += [line(a.code, a.name, a.max, a.code.lower()) for a in rules.aggregates]
    subcategories.append(line("Total", "Total", rules.total_max, "total"))
    indicators = []
    for ind in rules.indicators:
        question = ind.question(edition)
        indicators.append(
            line(ind.code, question.text if question else ind.code, ind.max, ind.code)
        )
    over_time = []
    for c in found:
        by_edition = {r["edition"]: r["total"] for r in snap.by_country.get(c.id, [])}
        over_time.append(Series(country_id=c.id, totals=[by_edition.get(e) for e in snap.editions]))
    return ComparePage(
        edition=edition, editions=list(snap.editions), countries=compared,
        subcategories=subcategories, indicators=indicators,
        editions_over_time=list(snap.editions), over_time=over_time,
        choices=[c for c in snap.countries.values() if c.id in snap.by_country],
    )  # fmt: skip


def _csv_rows(ctx: ComparePage) -> tuple[list[dict[str, Any]], list[str], str]:
    """One row per subcategory, aggregate and indicator, a column per country (its id)."""
    ids = [x.country.id for x in ctx.countries]
    rows = [
        {"edition": ctx.edition, "code": r.code, "name": r.name, "max": r.max,
         **dict(zip(ids, r.values, strict=True))}
        for r in (*ctx.indicators, *ctx.subcategories)
    ]  # fmt: skip
    rows += [
        {"edition": ctx.edition, "code": "Status", "name": "Status", "max": None,
         **{x.country.id: x.status for x in ctx.countries}},
        *({"edition": ctx.edition, "code": f"{k.upper()} rating", "name": f"{k.upper()} rating",
           "max": RATINGS[-1], **{x.country.id: getattr(x, f"{k}_rating") for x in ctx.countries}}
          for k in ("pr", "cl")),
    ]  # fmt: skip
    return rows, ["edition", "code", "name", "max", *ids], f"fiw-compare-{ctx.edition}.csv"


@page(router, "/compare", csv=True)
async def compare(
    request: Request,
    c: Annotated[list[str], Query(description="country ids or ISO3 codes, 2 to 6")] = [],  # noqa: B006
    edition: int | None = None,
) -> Response:
    """Two to six countries or territories side by side (`?c=kazakhstan&c=kyrgyzstan`)."""
    keys = [k.strip() for k in c if k.strip()]
    canonical = [find_country(request, k, "c").id for k in keys]
    if canonical != c:  # ISO3 codes, names or blanks: send to the canonical address
        query = [("c", k) for k in canonical] + ([("edition", str(edition))] if edition else [])
        path = request.url.path
        suffix = next((x for x in (".json", ".csv") if path.endswith(x)), "")
        return RedirectResponse(f"/compare{suffix}?{urlencode(query)}", status_code=308)
    ctx = compare_page(request, keys, edition)
    chart = charts.line_chart(
        "over-time",
        "Total score per edition: " + ", ".join(x.country.name for x in ctx.countries),
        [str(e) for e in ctx.editions_over_time],
        [
            charts.Series(x.country.name, x.css, s.totals)
            for x, s in zip(ctx.countries, ctx.over_time, strict=True)
        ],
        low=0, high=TOTAL_MAX, ticks=list(range(0, TOTAL_MAX + 1, TOTAL_MAX // 5)),
    ) if ctx.countries else None  # fmt: skip
    return respond(request, "compare.html", ctx, chart=chart, csv_rows=lambda: _csv_rows(ctx),
                   slots=MAX_COUNTRIES)  # fmt: skip

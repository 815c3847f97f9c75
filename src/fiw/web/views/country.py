"""A country's page for one edition, and `/api/v1/countries/{id}` with its history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from fiw.methodology import load_index
from fiw.web import charts
from fiw.web.data import Country, Dataset
from fiw.web.errors import NotFound
from fiw.web.queries import dataset, records
from fiw.web.render import PageContext, json_response, page, respond

router = APIRouter()


class CountryInfo(BaseModel):
    id: str
    iso3: str | None
    name: str
    kind: str
    region: str


class IndicatorScore(BaseModel):
    code: str
    question: str | None
    question_confidence: str | None
    max: int
    score: int
    previous: int | None
    narrative: str | None  # None: no report imported for this country and edition


class CategoryScore(BaseModel):
    code: str
    name: str
    max: int
    score: int
    previous: int | None
    indicators: list[IndicatorScore]


class EditionScore(BaseModel):
    edition: int
    pr: int
    cl: int
    total: int
    pr_rating: int
    cl_rating: int
    status: str | None


class RatingEntry(BaseModel):
    edition: str
    order: int
    period: str | None
    pr_rating: int | None
    cl_rating: int | None
    status: str | None
    raw: str | None


class CountryPage(PageContext):
    country: CountryInfo
    edition: int
    status: str | None
    pr: int
    cl: int
    total: int
    pr_rating: int
    cl_rating: int
    q: int
    add_a: int | None
    last_year: EditionScore | None
    categories: list[CategoryScore]
    history: list[EditionScore]
    ratings: list[RatingEntry]
    indicator_history: dict[str, list[int | None]]  # code -> score per edition of `history`
    report_imported: bool


def find_country(data: Dataset, key: str) -> Country:
    try:
        return data.country(key)
    except LookupError:
        raise NotFound(f"no country or territory has the id or ISO3 code {key!r}") from None


def _info(c: Country) -> CountryInfo:
    return CountryInfo(id=c.id, iso3=c.iso3, name=c.name, kind=c.kind, region=c.region)


def _history(data: Dataset, country_id: str) -> tuple[list[dict[str, Any]], list[RatingEntry]]:
    frame = data.scores()
    mine = records(frame[frame["country_id"] == country_id].sort_values("edition"))
    ratings = data.ratings()
    rated = ratings[ratings["country_id"] == country_id].sort_values("edition_order")
    entries = [
        RatingEntry(
            edition=str(r["edition"]), order=int(r["edition_order"]), period=r["period"],
            pr_rating=r["pr_rating"], cl_rating=r["cl_rating"], status=r["status"], raw=r["raw"],
        )
        for r in records(rated)
    ]  # fmt: skip
    return mine, entries


def _edition_score(row: dict[str, Any]) -> EditionScore:
    return EditionScore(**{k: row[k] for k in EditionScore.model_fields})


def country_page(request: Request, country: Country, edition: int) -> CountryPage:
    """Everything fiw knows about `country` in `edition`, with the edition before it."""
    rows, ratings = _history(dataset(request), country.id)
    by_edition = {r["edition"]: r for r in rows}
    row = by_edition.get(edition)
    if row is None:
        held = ", ".join(str(e) for e in by_edition) or "none"
        raise NotFound(
            f"{country.name} has no scores in the {edition} edition (editions with scores: {held})"
        )
    earlier = [e for e in by_edition if e < edition]
    prev = by_edition[earlier[-1]] if earlier else None
    rules = load_index("fiw")
    categories = []
    for cat in rules.categories:
        indicators = []
        for ind in rules.indicators:
            if ind.category != cat.code:
                continue
            question = ind.question(edition)
            indicators.append(
                IndicatorScore(
                    code=ind.code,
                    question=question.text if question else None,
                    question_confidence=question.confidence if question else None,
                    max=ind.max,
                    score=row[ind.code],
                    previous=prev[ind.code] if prev else None,
                    narrative=None,
                )
            )
        categories.append(
            CategoryScore(
                code=cat.code, name=cat.name, max=cat.max, score=row[cat.code],
                previous=prev[cat.code] if prev else None, indicators=indicators,
            )
        )  # fmt: skip
    return CountryPage(
        country=_info(country),
        edition=edition,
        status=row["status"],
        pr=row["pr"], cl=row["cl"], total=row["total"],
        pr_rating=row["pr_rating"], cl_rating=row["cl_rating"],
        q=row["Q"] or 0,
        add_a=row["add_a"],
        last_year=_edition_score(prev) if prev else None,
        categories=categories,
        history=[_edition_score(r) for r in rows],
        ratings=ratings,
        indicator_history={code: [r[code] for r in rows] for code in rules.indicator_codes()},
        report_imported=False,
    )  # fmt: skip


def _charts(ctx: CountryPage) -> dict[str, Any]:
    labels = [str(h.edition) for h in ctx.history]
    scores = charts.line_chart(
        "scores",
        f"{ctx.country.name}: total, political rights and civil liberties per edition",
        labels,
        [
            charts.Series("Total (of 100)", "total", [h.total for h in ctx.history]),
            charts.Series("PR (of 40)", "pr", [h.pr for h in ctx.history]),
            charts.Series("CL (of 60)", "cl", [h.cl for h in ctx.history]),
        ],
        low=0, high=100, ticks=[0, 20, 40, 60, 80, 100],
    )  # fmt: skip
    rating_chart = charts.line_chart(
        "ratings",
        f"{ctx.country.name}: political rights and civil liberties ratings (1 = most free)",
        [r.edition for r in ctx.ratings],
        [
            charts.Series("PR rating", "pr", [r.pr_rating for r in ctx.ratings]),
            charts.Series("CL rating", "cl", [r.cl_rating for r in ctx.ratings]),
        ],
        low=1, high=7, ticks=[1, 2, 3, 4, 5, 6, 7], invert=True,
    )  # fmt: skip
    return {"scores_chart": scores, "ratings_chart": rating_chart}


def _redirect(request: Request, country: Country, edition: int | str) -> Response:
    suffix = ".json" if request.url.path.endswith(".json") else ""
    return RedirectResponse(f"/country/{country.id}/{edition}{suffix}", status_code=308)


@page(router, "/country/{key}/{edition:int}")
def country_edition(request: Request, key: str, edition: int) -> Response:
    """A country's scores, ratings and status in one edition, with its history."""
    country = find_country(dataset(request), key)
    if key != country.id:  # ISO3 or another spelling: send to the canonical address
        return _redirect(request, country, edition)
    ctx = country_page(request, country, edition)
    return respond(request, "country.html", ctx, **_charts(ctx))


@page(router, "/country/{key}")
def country_latest(request: Request, key: str, edition: int | None = None) -> Response:
    """A country's latest edition (or `?edition=`, as the edition selector sends it)."""
    data = dataset(request)
    country = find_country(data, key)
    if edition is not None:
        return _redirect(request, country, edition)
    frame = data.scores()
    editions = frame.loc[frame["country_id"] == country.id, "edition"]
    if editions.empty:
        raise NotFound(f"{country.name} has no scored edition")
    return _redirect(request, country, int(editions.max()))


class CountryDetail(CountryInfo):
    latest: dict[str, Any]


class CountryHistory(CountryInfo):
    editions: list[dict[str, Any]]
    ratings: list[RatingEntry]


@router.get("/api/v1/countries/{key}", response_model=CountryDetail, tags=["countries"])
def api_country(request: Request, key: str) -> Response:
    """A country or territory (by id or ISO3) and its latest assessment with all scores."""
    data = dataset(request)
    country = find_country(data, key)
    rows, _ = _history(data, country.id)
    if not rows:
        raise NotFound(f"{country.name} has no scored edition")
    return json_response(CountryDetail(**_info(country).model_dump(), latest=rows[-1]))


@router.get("/api/v1/countries/{key}/history", response_model=CountryHistory, tags=["countries"])
def api_country_history(request: Request, key: str) -> Response:
    """Every edition with scores and every published rating since the 1973 edition."""
    data = dataset(request)
    country = find_country(data, key)
    rows, ratings = _history(data, country.id)
    return json_response(
        CountryHistory(**_info(country).model_dump(), editions=rows, ratings=ratings)
    )

"""The methodology page and `/api/v1/methodology/{edition}`, rendered from the rules' data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fiw.methodology import INDICATOR_MAX, INDICATOR_MIN, RATINGS, load_index
from fiw.web.errors import NotFound
from fiw.web.queries import snapshot
from fiw.web.render import ERRORS, PageContext, flat_rows, json_response, page, respond

router = APIRouter()


@dataclass(frozen=True)
class QuestionView:
    code: str
    text: str | None  # None where fiw does not know the wording of this edition
    confidence: str | None
    max: int
    guidance: str  # fiw's own paraphrase, not Freedom House's text


@dataclass(frozen=True)
class CategoryView:
    code: str
    name: str
    max: int
    questions: list[QuestionView]


@dataclass(frozen=True)
class DiscretionaryView:
    code: str
    name: str
    aggregate: str
    sign: int
    min: int
    max: int
    confidence: str
    note: str
    text: str | None
    guidance: str


@dataclass(frozen=True)
class Band:
    value: str  # a rating ("1"…"7") or a status
    min: float
    max: float


@dataclass(frozen=True)
class Scale:
    name: str
    confidence: str
    bands: list[Band]


@dataclass(frozen=True)
class AggregateView:
    code: str
    name: str
    max: int


@dataclass(frozen=True)
class MethodologyPage(PageContext):
    index: str
    name: str
    publisher: str
    edition: int
    editions: list[int]
    scored: bool  # whether indicator scores exist in this edition
    indicator_range: tuple[int, int]  # the lowest and highest score of an indicator
    categories: list[CategoryView]
    aggregates: list[AggregateView]  # PR and CL: the subcategories' sums
    discretionary: list[DiscretionaryView]
    rating_range: tuple[int, int]  # the most and the least free rating
    ratings: list[Scale]
    status_rule: Scale | None
    status_basis: str
    changes: list[str]
    guidance_note: str


def methodology_page(request: Request, edition: int | None) -> MethodologyPage:
    """The rules of `edition` (the latest edition held when None); 404 outside 1973-latest."""
    rules = load_index("fiw")
    latest = snapshot(request).latest
    editions = list(range(rules.first_edition, latest + 1))
    if edition is None:
        edition = latest
    if edition not in editions:
        raise NotFound(
            f"no {rules.name} edition {edition}: editions run {editions[0]}-{editions[-1]}"
        )
    scored = rules.scores_edition(edition)
    categories = []
    for cat in rules.categories:
        questions = []
        for ind in rules.indicators:
            if ind.category == cat.code:
                q = ind.question(edition) if scored else None
                questions.append(
                    QuestionView(
                        code=ind.code, text=q.text if q else None,
                        confidence=q.confidence if q else None, max=ind.max,
                        guidance=ind.guidance,
                    )
                )  # fmt: skip
        categories.append(
            CategoryView(code=cat.code, name=cat.name, max=cat.max, questions=questions)
        )
    discretionary = []
    for d in rules.discretionary_for(edition) if scored else ():
        q = d.question(edition)
        discretionary.append(
            DiscretionaryView(
                code=d.code, name=d.name, aggregate=d.aggregate, sign=d.sign, min=d.min,
                max=d.max, confidence=d.confidence, note=d.note,
                text=q.text if q else None, guidance=d.guidance,
            )
        )  # fmt: skip
    ratings = []
    for agg in rules.aggregates:
        scale = rules.rating_scale(agg.code, edition)
        if scale is not None:
            ratings.append(
                Scale(
                    name=f"{agg.name} ({agg.code}) rating", confidence=scale.confidence,
                    bands=[Band(value=str(b.rating), min=b.min, max=b.max) for b in scale.bands],
                )
            )  # fmt: skip
    status = rules.status_scale(edition)
    status_view = (
        Scale(
            name="Status from the average of the PR and CL ratings"
            if status.basis == "ratings"
            else "Status from the total score",
            confidence=status.confidence,
            bands=[Band(value=b.status.value, min=b.min, max=b.max) for b in status.bands],
        )
        if status
        else None
    )
    return MethodologyPage(
        index=rules.id, name=rules.name, publisher=rules.publisher, edition=edition,
        editions=editions, scored=scored,
        indicator_range=(min(INDICATOR_MIN.values()), max(INDICATOR_MAX.values())),
        categories=categories,
        aggregates=[AggregateView(a.code, a.name, a.max) for a in rules.aggregates],
        discretionary=discretionary, rating_range=(RATINGS[0], RATINGS[-1]),
        ratings=ratings, status_rule=status_view,
        status_basis=status.basis if status else rules.status_rule,
        changes=[f"{c.edition}: {c.text}" for c in rules.changes],
        guidance_note=(
            "Guidance is fiw's own short paraphrase of the checklist topics, "
            "not Freedom House's text."
        ),
    )  # fmt: skip


@page(router, "/methodology", csv=True)
async def methodology(request: Request, edition: int | None = None) -> Response:
    """The questions, score bands and status rule of an edition (the CSV: its rating and
    status bands)."""
    ctx = methodology_page(request, edition)

    def as_csv() -> tuple[list[dict[str, Any]], list[str], str]:
        scales = [*ctx.ratings, *([ctx.status_rule] if ctx.status_rule else [])]
        rows, columns = flat_rows(scales)
        return rows, columns, f"fiw-methodology-{ctx.edition}.csv"

    return respond(request, "methodology.html", ctx, csv_rows=as_csv)


@router.get(
    "/api/v1/methodology/{edition}",
    response_model=MethodologyPage,
    responses=ERRORS,
    tags=["methodology"],
)
async def api_methodology(request: Request, edition: int) -> Response:
    """The rules of one edition: questions with confidence marks, bands and the status rule."""
    return json_response(methodology_page(request, edition))

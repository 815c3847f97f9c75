"""A country's page for one edition (scores, narratives, history) and the country API."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from fiw.analysis import CountryChanges, country_changes
from fiw.methodology import AGGREGATE_MAX, AGGREGATES, RATINGS, TOTAL_MAX, load_index
from fiw.pages import Note, Report, ScoreChange
from fiw.web import charts
from fiw.web.errors import NotFound
from fiw.web.highlight import highlighter
from fiw.web.queries import find_country, snapshot
from fiw.web.render import ERRORS, PageContext, json_response, page, respond
from fiw.web.snapshot import CountryInfo, ReleaseInfo, Row, Snapshot

router = APIRouter()
MAXIMA = {"total": TOTAL_MAX, **{code.lower(): AGGREGATE_MAX[code] for code in AGGREGATES}}


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    question: str | None
    question_confidence: str | None
    max: int
    score: int
    previous: int | None
    paragraphs: tuple[str, ...]  # the report's narrative; empty where no report was imported
    score_change: ScoreChange | None  # the report's "Score Change:" paragraph


@dataclass(frozen=True)
class CategoryScore:
    code: str
    name: str
    max: int
    score: int
    previous: int | None
    indicators: list[IndicatorScore]


@dataclass(frozen=True)
class EditionScore:
    edition: int
    pr: int
    cl: int
    total: int
    pr_rating: int
    cl_rating: int
    status: str | None


EDITION_SCORE_KEYS = tuple(EditionScore.__dataclass_fields__)


@dataclass(frozen=True)
class RatingEntry:
    edition: str  # the label: "Jan.-Feb. 1973", "1983-84", "2024"
    year: int | None  # publication year
    order: int
    period: str | None
    pr_rating: int | None
    cl_rating: int | None
    status: str | None
    raw: str | None
    derived_from: str | None = None  # "All_data": derived before the ratings workbook had it


@dataclass(frozen=True)
class ReportView:
    """The narrative parts of an imported country report not shown per indicator."""

    notes: tuple[Note, ...]
    overview: str
    key_developments: tuple[str, ...]
    q_question: str | None
    q_paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class CountryHistory:
    """What does not depend on the edition shown: built once per country and process."""

    history: list[EditionScore]
    ratings: list[RatingEntry]
    indicator_history: dict[str, list[int | None]]  # code -> score per edition of `history`
    changes: CountryChanges
    scores_chart: str
    ratings_chart: str


@dataclass(frozen=True)
class Source:
    """Where the edition's figures come from, and how to cite this page."""

    covers: str  # the period under review: "2023", "Nov.1988-Dec.1989"
    report_url: str  # Freedom House's own country report of the edition
    data_release: str  # the workbooks fiw's figures come from
    fiw_version: str
    apa: str
    bibtex: str


@dataclass(frozen=True)
class CountryPage(PageContext):
    """A country in one edition (any it was rated in since 1973: scores from 2013), with its
    history and its own largest changes."""

    country: CountryInfo
    edition: int
    label: str  # the edition's label: "1998-99"
    scored: bool  # whether the edition has indicator scores (False: ratings and status only)
    editions: list[int]  # every edition the country was rated in, oldest first
    source: Source
    status: str | None
    pr: int | None
    cl: int | None
    total: int | None
    pr_rating: int | None
    cl_rating: int | None
    q: int
    add_a: int | None
    maxima: dict[str, int]  # total, pr, cl -> the most points each can have
    last_year: EditionScore | None
    categories: list[CategoryScore]
    history: list[EditionScore]
    ratings: list[RatingEntry]
    indicator_history: dict[str, list[int | None]]  # code -> score per edition of `history`
    changes: CountryChanges  # its largest gains and declines, longest run of decline
    report_imported: bool
    report: ReportView | None
    release: ReleaseInfo | None  # `?release=`: the imported release shown; None: current data


def _edition_score(row: Row) -> EditionScore:
    return EditionScore(*(row[k] for k in EDITION_SCORE_KEYS))


def _rating_entry(r: Row) -> RatingEntry:
    return RatingEntry(
        edition=str(r["edition_label"]), year=r["year"], order=r["order"], period=r["period"],
        pr_rating=r["pr_rating"], cl_rating=r["cl_rating"], status=r["status"], raw=r["raw"],
        derived_from=r.get("derived_from"),
    )  # fmt: skip


def country_history(snap: Snapshot, country: CountryInfo) -> CountryHistory:
    """Scores per edition, ratings since 1973, the heat map's rows, its own largest changes
    (`fiw.analysis.country_changes`) and both charts."""

    def build() -> CountryHistory:
        rows = snap.by_country.get(country.id, [])
        history = [_edition_score(r) for r in rows]
        ratings = [_rating_entry(r) for r in snap.ratings_of(country.id)]
        codes = load_index("fiw").indicator_codes()
        return CountryHistory(
            history=history,
            ratings=ratings,
            indicator_history={code: [r[code] for r in rows] for code in codes},
            changes=country_changes(snap.frames.scores(), country.id),
            scores_chart=str(_scores_chart(country.name, history)),
            ratings_chart=str(_ratings_chart(country.name, ratings)),
        )

    return snap.memo(("country-history", country.id), build)


def _report_view(report: Report | None) -> ReportView | None:
    if report is None:
        return None
    return ReportView(
        notes=report.notes,
        overview=report.overview,
        key_developments=report.key_developments,
        q_question=report.add_q.question if report.add_q else None,
        q_paragraphs=report.add_q.paragraphs if report.add_q else (),
    )


def source(
    snap: Snapshot, country: CountryInfo, edition: int, shown: ReleaseInfo | None = None
) -> Source:
    """The period the edition covers, its report on freedomhouse.org, and the citation (of
    the release shown, by file and sha256, where the page shows one)."""
    import fiw

    info = snap.edition_info(edition)
    label = info.label if info else str(edition)
    covers = (info.period if info else None) or str(edition - 1)
    url = f"https://freedomhouse.org/country/{country.id}/freedom-world/{edition}"
    years = snap.rated_editions
    release = (
        f"Freedom House, Freedom in the World ratings and statuses {years[0]}-{years[-1]} and "
        f"scores {snap.editions[0]}-{snap.editions[-1]} (official workbooks)"
    )
    if shown is not None:
        release = (
            f"Freedom House, {shown.file} (sha256 {shown.sha256}, imported "
            f"{shown.imported_at[:10]})"
        )
    title = f"Freedom in the World {label}: {country.name}"
    apa = (
        f"Freedom House. ({edition}). {title} [Data set; period covered: {covers}]. "
        f"Retrieved with fiw {fiw.__version__} from {release}. {url}"
    )
    key = f"fh{edition}{country.id.replace('-', '')}"
    bibtex = (
        f"@misc{{{key},\n  author = {{{{Freedom House}}}},\n  title = {{{title}}},\n"
        f"  year = {{{edition}}},\n  note = {{Period covered: {covers}. Data: {release}; "
        f"read with fiw {fiw.__version__}}},\n  url = {{{url}}}\n}}"
    )
    return Source(covers, url, release, fiw.__version__, apa, bibtex)


def rated_editions(snap: Snapshot, country: CountryInfo) -> list[int]:
    """Every edition that rates `country`, oldest first."""
    return [r["year"] for r in snap.ratings_of(country.id) if r["year"] is not None]


def release_snapshot(request: Request, release: str | None) -> tuple[Snapshot, ReleaseInfo | None]:
    """The served data, or the data as an imported release had it (`?release=`)."""
    snap = snapshot(request)
    if release is None:
        return snap, None
    return snap.for_release(release)


def country_page(
    request: Request, country: CountryInfo, edition: int, release: str | None = None
) -> CountryPage:
    """Everything fiw knows about `country` in `edition`, with the edition before it (ratings
    and status only for editions without scores), as served or as `release` had it."""
    snap, shown = release_snapshot(request, release)
    rows = snap.by_country.get(country.id, [])
    by_edition = {r["edition"]: r for r in rows}
    row = by_edition.get(edition)
    editions = rated_editions(snap, country)
    for e in by_edition:
        if e not in editions:
            editions.append(e)
    editions.sort()
    info = snap.edition_info(edition)
    if row is None:
        rating = next((r for r in snap.ratings_of(country.id) if r["year"] == edition), None)
        if rating is None:
            held = f"{editions[0]}-{editions[-1]}" if editions else "none"
            raise NotFound(
                f"{country.name} was not rated in the {edition} edition (editions: {held})",
                "edition",
            )
        past = country_history(snap, country)
        return CountryPage(
            country=country, edition=edition, label=info.label if info else str(edition),
            scored=False, editions=editions, source=source(snap, country, edition, shown),
            status=rating["status"], pr=None, cl=None, total=None,
            pr_rating=rating["pr_rating"], cl_rating=rating["cl_rating"], q=0, add_a=None,
            maxima=MAXIMA, last_year=None, categories=[], history=past.history,
            ratings=past.ratings, indicator_history=past.indicator_history,
            changes=past.changes, report_imported=False, report=None, release=shown,
        )  # fmt: skip
    earlier = [e for e in by_edition if e < edition]
    prev = by_edition[earlier[-1]] if earlier else None
    report = snap.report(country.id, edition)
    narrative = {i.code: i for i in report.indicators} if report else {}
    rules = load_index("fiw")
    categories = []
    for cat in rules.categories:
        indicators = []
        for ind in rules.indicators:
            if ind.category != cat.code:
                continue
            question = ind.question(edition)
            told = narrative.get(ind.code)
            indicators.append(
                IndicatorScore(
                    code=ind.code,
                    question=question.text if question else None,
                    question_confidence=question.confidence if question else None,
                    max=ind.max,
                    score=row[ind.code],
                    previous=prev[ind.code] if prev else None,
                    paragraphs=told.paragraphs if told else (),
                    score_change=told.score_change if told else None,
                )
            )  # fmt: skip
        categories.append(
            CategoryScore(
                code=cat.code, name=cat.name, max=cat.max, score=row[cat.code],
                previous=prev[cat.code] if prev else None, indicators=indicators,
            )
        )  # fmt: skip
    past = country_history(snap, country)
    return CountryPage(
        country=country,
        edition=edition,
        label=info.label if info else str(edition),
        scored=True,
        editions=editions,
        source=source(snap, country, edition, shown),
        status=row["status"],
        pr=row["pr"], cl=row["cl"], total=row["total"],
        pr_rating=row["pr_rating"], cl_rating=row["cl_rating"],
        q=row["Q"] or 0,
        add_a=row["add_a"],
        maxima=MAXIMA,
        last_year=_edition_score(prev) if prev else None,
        categories=categories,
        history=past.history,
        ratings=past.ratings,
        indicator_history=past.indicator_history,
        changes=past.changes,
        report_imported=report is not None,
        report=_report_view(report),
        release=shown,
    )  # fmt: skip


def _scores_chart(name: str, history: list[EditionScore]) -> Markup:
    return charts.line_chart(
        "scores",
        f"{name}: total, political rights and civil liberties per edition",
        [str(h.edition) for h in history],
        [
            charts.Series(f"Total (of {TOTAL_MAX})", "total", [h.total for h in history]),
            *(
                charts.Series(f"{code} (of {AGGREGATE_MAX[code]})", code.lower(),
                              [getattr(h, code.lower()) for h in history])
                for code in AGGREGATES
            ),
        ],
        low=0, high=TOTAL_MAX, ticks=list(range(0, TOTAL_MAX + 1, TOTAL_MAX // 5)),
    )  # fmt: skip


def _ratings_chart(name: str, ratings: list[RatingEntry]) -> Markup:
    return charts.line_chart(
        "ratings",
        f"{name}: political rights and civil liberties ratings per edition since 1973 "
        "(1 = most free)",
        [str(r.year or r.edition) for r in ratings],
        [
            charts.Series(f"{code} rating", code.lower(),
                          [getattr(r, f"{code.lower()}_rating") for r in ratings])
            for code in AGGREGATES
        ],
        low=RATINGS[0], high=RATINGS[-1], ticks=list(RATINGS), invert=True,
    )  # fmt: skip


def _redirect(
    request: Request, country: CountryInfo, edition: int | str, keep_query: bool = False
) -> Response:
    """308 to the canonical address of a country's edition; `keep_query` keeps the query
    string but `edition` (which the address now holds): `release` and `hl` go along."""
    path = request.url.path
    suffix = next((s for s in (".json", ".csv") if path.endswith(s)), "")
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "edition"]
    query = f"?{urlencode(kept)}" if keep_query and kept else ""
    return RedirectResponse(f"/country/{country.id}/{edition}{suffix}{query}", status_code=308)


CSV_COLUMNS = ["country_id", "name", "edition", "code", "name_of", "max", "score", "previous"]


def _csv_rows(ctx: CountryPage) -> tuple[list[dict[str, Any]], list[str], str]:
    """One row per indicator (then the subtotals, PR, CL and total); ratings and status last
    (alone before 2013). `name_of` is the question or the category's name."""
    base = {"country_id": ctx.country.id, "name": ctx.country.name, "edition": ctx.edition}
    last = ctx.last_year

    def row(code: str, name: str | None, most: int | None, score: Any, was: Any) -> dict[str, Any]:
        return {**base, "code": code, "name_of": name, "max": most, "score": score,
                "previous": was}  # fmt: skip

    rows = [
        row(i.code, i.question, i.max, i.score, i.previous)
        for cat in ctx.categories
        for i in cat.indicators
    ]
    rows += [row(c.code, c.name, c.max, c.score, c.previous) for c in ctx.categories]
    if ctx.scored:
        for code, label in (("pr", "Political Rights"), ("cl", "Civil Liberties"),
                            ("total", "Total")):  # fmt: skip
            was = getattr(last, code) if last else None
            rows.append(row(code.upper() if code != "total" else "Total", label,
                            ctx.maxima[code], getattr(ctx, code), was))  # fmt: skip
    for code in AGGREGATES:
        key = f"{code.lower()}_rating"
        was = getattr(last, key) if last else None
        rows.append(row(f"{code} rating", f"{code} rating (1 = most free)", RATINGS[-1],
                        getattr(ctx, key), was))  # fmt: skip
    rows.append(row("Status", "Status", None, ctx.status, last.status if last else None))
    return rows, CSV_COLUMNS, f"fiw-{ctx.country.id}-{ctx.edition}.csv"


@page(router, "/country/{key}/{edition:int}", csv=True)
async def country_edition(
    request: Request, key: str, edition: int, hl: str | None = None, release: str | None = None
) -> Response:
    """A country's scores, narratives, ratings and status in one edition, with its history;
    `?release=` (a sha256 prefix or id, `fiw releases`) as that imported release had them."""
    country = find_country(request, key)
    if key != country.id:  # ISO3 or another spelling: send to the canonical address
        return _redirect(request, country, edition, keep_query=True)
    ctx = country_page(request, country, edition, release)
    snap = release_snapshot(request, release)[0]

    def history() -> Markup:
        return snap.fragment(("country-history", country.id, str(edition)), build_history)

    def build_history() -> Markup:
        past = country_history(snap, country)
        template = request.app.state.templates.get_template("_country_history.html")
        return Markup(template.render(
            page=ctx, scores_chart=Markup(past.scores_chart),
            ratings_chart=Markup(past.ratings_chart),
        ))  # fmt: skip

    return respond(
        request, "country.html", ctx, csv_rows=lambda: _csv_rows(ctx), history=history,
        highlight=highlighter(hl),
    )  # fmt: skip


@page(router, "/country/{key}", csv=True)
async def country_latest(
    request: Request, key: str, edition: int | None = None, release: str | None = None
) -> Response:
    """A country's latest edition (or `?edition=`, as the edition selector sends it); with
    `?release=`, the latest edition that release had, the release kept in the address."""
    country = find_country(request, key)
    if edition is not None:
        return _redirect(request, country, edition, keep_query=True)
    snap, _ = release_snapshot(request, release)  # UnknownRelease (404) when none matches
    editions = rated_editions(snap, country)
    rows = snap.by_country.get(country.id)
    latest = rows[-1]["edition"] if rows else (editions[-1] if editions else None)
    if latest is None:
        raise NotFound(f"{country.name} has no rated edition", "key")
    return _redirect(request, country, latest, keep_query=True)


@dataclass(frozen=True)
class CountryDetail(CountryInfo):
    latest: dict[str, Any] | None  # the latest assessment (every score); None if never scored
    latest_rating: RatingEntry | None


@dataclass(frozen=True)
class CountryHistoryBody(CountryInfo):
    editions: list[dict[str, Any]]  # every assessment (2013 on), oldest first
    ratings: list[RatingEntry]  # every published rating since the 1973 edition


@router.get(
    "/api/v1/countries/{key}", response_model=CountryDetail, responses=ERRORS, tags=["countries"]
)
async def api_country(request: Request, key: str, release: str | None = None) -> Response:
    """A country or territory (by id or ISO3) and its latest assessment with all scores;
    `release` (a sha256 prefix or id) as that imported release had them."""
    snap, _ = release_snapshot(request, release)
    country = find_country(request, key)
    rows = snap.by_country.get(country.id, [])
    ratings = snap.ratings_of(country.id)
    return json_response(
        CountryDetail(
            **asdict(country),
            latest=rows[-1] if rows else None,
            latest_rating=_rating_entry(ratings[-1]) if ratings else None,
        )
    )


@router.get(
    "/api/v1/countries/{key}/history",
    response_model=CountryHistoryBody,
    responses=ERRORS,
    tags=["countries"],
)
async def api_country_history(request: Request, key: str, release: str | None = None) -> Response:
    """Every edition with scores and every published rating since the 1973 edition;
    `release` (a sha256 prefix or id) as that imported release had them."""
    snap, _ = release_snapshot(request, release)
    country = find_country(request, key)
    return json_response(
        CountryHistoryBody(
            **asdict(country),
            editions=snap.by_country.get(country.id, []),
            ratings=[_rating_entry(r) for r in snap.ratings_of(country.id)],
        )
    )

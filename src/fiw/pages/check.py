"""Checks a parsed report against the methodology: the header must agree with the indicators.

`check` scores the indicators and Q with the engine and lists every disagreement with the
page's header (PR, CL, total, status, last year), with the methodology's maxima and with the
questions' wording as a `Problem` with line numbers. `remarks` lists what is worth noting but
is no problem (a Score Change paragraph that disagrees with its score, an unknown wording).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

from fiw.methodology import (
    AGGREGATE_MAX,
    INDICATOR_MAX,
    INDICATOR_MIN,
    TOTAL_MAX,
    TOTAL_RANGE,
    ScoreError,
    Status,
    load_index,
    rating,
    score,
    statuses_for_ratings,
)
from fiw.pages.model import Problem, Report
from fiw.pages.wording import unknown_wordings, wording_problems

_STATUS_WORDS = "|".join(re.escape(s.value) for s in Status)
_STATUS_CHANGE = re.compile(rf"\bfrom ({_STATUS_WORDS}) to ({_STATUS_WORDS})\b", re.IGNORECASE)


def derived_status(pr: int, cl: int, edition: int) -> Status | None:
    """The status PR and CL scores give in `edition` (None when the rule gives no single one)."""
    try:
        ratings = (rating("PR", pr, edition), rating("CL", cl, edition))
        possible = statuses_for_ratings(ratings, edition)
    except (ValueError, KeyError):
        return None
    return possible[0] if len(possible) == 1 else None


@cache
def statuses_for_total(total: int, edition: int) -> frozenset[Status]:
    """Every status some PR + CL = `total` can have under `edition`'s rules (empty: none)."""
    out: set[Status] = set()
    for pr in range(-TOTAL_MAX, AGGREGATE_MAX["PR"] + 1):
        cl = total - pr
        if not 0 <= cl <= AGGREGATE_MAX["CL"]:
            continue
        try:
            ratings = (rating("PR", pr, edition), rating("CL", cl, edition))
            out.update(statuses_for_ratings(ratings, edition))
        except (ValueError, KeyError):
            continue
    return frozenset(out)


def _maxima(report: Report, at: Callable[..., tuple[int, ...]]) -> list[Problem]:
    """An indicator printed out of another maximum than the methodology's, or scored above it."""
    problems = []
    for item in report.indicators:
        top = INDICATOR_MAX.get(item.code)
        if top is None or item.max == top:
            continue  # an unknown code is the engine's to report; a score above `top` too
        problems.append(
            Problem(
                f"{item.code} is printed out of {item.max}, but the methodology scores "
                f"{item.code} {INDICATOR_MIN[item.code]}–{top}",
                at(f"{item.code} question"),
            )
        )
        if not INDICATOR_MIN[item.code] <= item.score <= item.max:
            problems.append(
                Problem(
                    f"{item.code} is scored {item.score}, outside its printed range "
                    f"{INDICATOR_MIN[item.code]}–{item.max}",
                    at(f"{item.code} question"),
                )
            )
    return problems


def _last_year(report: Report, at: Callable[..., tuple[int, ...]]) -> list[Problem]:
    """Last year's score and status against each other, and against a Status Change note."""
    last = report.last_year
    if last is None or report.edition is None:
        return []
    problems = []
    previous = report.edition - 1
    possible = statuses_for_total(last.total, previous)
    if not possible:
        problems.append(
            Problem(
                f"last year's score {last.total} is outside the range of a total score "
                f"({TOTAL_RANGE[0]} to {TOTAL_RANGE[1]})",
                at("last_year"),
            )
        )
    elif last.status not in possible:
        allowed = " or ".join(s.value for s in Status if s in possible)
        problems.append(
            Problem(
                f"last year's status {last.status} cannot go with a total of {last.total} "
                f"in the {previous} edition ({allowed})",
                at("last_year"),
            )
        )
    note = report.note("Status Change")
    m = _STATUS_CHANGE.search(note or "")
    if m is not None:
        before, after = Status.parse(m.group(1)), Status.parse(m.group(2))
        if before is not last.status:
            problems.append(
                Problem(
                    f"the Status Change note reads from {before} to {after}, but last "
                    f"year's status is {last.status}",
                    at("last_year", "block Status Change"),
                )
            )
        if report.status is not None and after is not report.status:
            problems.append(
                Problem(
                    f"the Status Change note reads from {before} to {after}, but the "
                    f"status is {report.status}",
                    at("status", "block Status Change"),
                )
            )
    return problems


def check(report: Report, where: Mapping[str, int] | None = None) -> list[Problem]:
    """Every disagreement of the report with itself and the methodology, with line numbers.

    `where` maps "pr", "cl", "total", "status", "last_year", indicator codes, "A1 question"
    … and "Q" to line numbers (the parser supplies it); without it problems carry none.
    """
    where = where or {}

    def at(*keys: str) -> tuple[int, ...]:
        return tuple(where[k] for k in keys if k in where)

    problems = _maxima(report, at) + wording_problems(report, where)
    if report.edition is None:
        return [
            *problems,
            Problem(
                "no edition: the page has no 'Key Developments in YEAR', no --edition was "
                "given and the file name has no year; pass --edition",
                at("country"),
            ),
        ]
    problems += _last_year(report, at)
    scores: dict[str, object] = {**report.scores, "Q": report.q}
    try:
        result = score(report.edition, scores)
    except ScoreError as exc:
        return problems + [
            Problem(f"{p} (scoring the {report.edition} edition)", at(p.field))
            for p in exc.problems
        ]
    subtotals = result.subtotals
    q = f" − Q {report.q}" if report.q else ""
    for aggregate in load_index("fiw").aggregates:
        printed = report.pr if aggregate.code == "PR" else report.cl
        computed = result.aggregates[aggregate.code]
        if computed != printed:
            sums = " + ".join(f"{c} {subtotals[c]}" for c in aggregate.categories)
            less_q = q if aggregate.code == "PR" else ""
            problems.append(
                Problem(
                    f"the header gives {aggregate.code} {printed}, but the indicators give "
                    f"{computed} ({sums}{less_q})",
                    at(aggregate.code.lower()),
                )
            )
    if report.total != report.pr + report.cl:
        problems.append(
            Problem(
                f"the header gives a total of {report.total}, but PR {report.pr} + CL "
                f"{report.cl} = {report.pr + report.cl}",
                at("total", "pr", "cl"),
            )
        )
    expected = result.status
    ratings = f"PR rating {result.pr_rating}, CL rating {result.cl_rating}"
    if "status" in where or (not where and report.status is not None):
        if expected is not None and report.status != expected:
            problems.append(
                Problem(
                    f"the status line says {report.status}, but the indicators give "
                    f"{expected} ({ratings})",
                    at("status"),
                )
            )
    elif expected is not None and expected is not Status.FREE:
        problems.append(
            Problem(
                f"the page has no status line, which only Free pages omit, but the indicators "
                f"give {expected} ({ratings})",
                at("pr", "cl"),
            )
        )
    return problems


def remarks(report: Report) -> list[str]:
    """Notes that are not problems: Score Change paragraphs whose numbers differ from the score,
    and questions worded in a way fiw's methodology data does not know."""
    out = unknown_wordings(report)
    for item in report.indicators:
        change = item.score_change
        if change is not None and change.to_score != item.score:
            out.append(
                f"{item.code}'s Score Change paragraph reads {change.from_score} to "
                f"{change.to_score}, but {item.code} is scored {item.score}"
            )
    return out

"""Checks a parsed report against the methodology: the header must agree with the indicators.

`check` scores the 25 indicators and Q with the engine and lists every disagreement with the
page's header (PR, CL, total, status) as a `Problem` with line numbers. `remarks` lists what
is worth noting but is no problem (a Score Change paragraph that disagrees with its score).
"""

from __future__ import annotations

from collections.abc import Mapping

from fiw.methodology import ScoreError, Status, rating, score, statuses_for_ratings
from fiw.pages.model import Problem, Report


def derived_status(pr: int, cl: int, edition: int) -> Status | None:
    """The status PR and CL scores give in `edition` (None when the rule gives no single one)."""
    try:
        ratings = (rating("PR", pr, edition), rating("CL", cl, edition))
        possible = statuses_for_ratings(ratings, edition)
    except (ValueError, KeyError):
        return None
    return possible[0] if len(possible) == 1 else None


def check(report: Report, where: Mapping[str, int] | None = None) -> list[Problem]:
    """Every disagreement between the report's header and its indicators, with line numbers.

    `where` maps "pr", "cl", "total", "status", indicator codes and "Q" to line numbers
    (the parser supplies it); without it the problems carry no line numbers.
    """
    where = where or {}

    def at(*keys: str) -> tuple[int, ...]:
        return tuple(where[k] for k in keys if k in where)

    if report.edition is None:
        return [
            Problem(
                "no edition: the page has no 'Key Developments in YEAR', no --edition was "
                "given and the file name has no year; pass --edition",
                at("country"),
            )
        ]
    scores: dict[str, object] = {**report.scores, "Q": report.q}
    try:
        result = score(report.edition, scores)
    except ScoreError as exc:
        return [
            Problem(f"{p} (scoring the {report.edition} edition)", at(p.field))
            for p in exc.problems
        ]
    problems: list[Problem] = []
    subtotals = result.subtotals
    q = f" − Q {report.q}" if report.q else ""
    if result.pr != report.pr:
        sums = " + ".join(f"{c} {subtotals[c]}" for c in "ABC")
        problems.append(
            Problem(
                f"the header gives PR {report.pr}, but the indicators give {result.pr} ({sums}{q})",
                at("pr"),
            )
        )
    if result.cl != report.cl:
        sums = " + ".join(f"{c} {subtotals[c]}" for c in "DEFG")
        problems.append(
            Problem(
                f"the header gives CL {report.cl}, but the indicators give {result.cl} ({sums})",
                at("cl"),
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
    """Notes that are not problems: Score Change paragraphs whose numbers differ from the score."""
    out = []
    for item in report.indicators:
        change = item.score_change
        if change is not None and change.to_score != item.score:
            out.append(
                f"{item.code}'s Score Change paragraph reads {change.from_score} to "
                f"{change.to_score}, but {item.code} is scored {item.score}"
            )
    return out

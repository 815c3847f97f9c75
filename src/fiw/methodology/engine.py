"""The scoring engine: pure functions from indicator scores to subtotals, ratings and status.

No I/O here. Everything an edition needs is looked up in the methodology data once and
cached, so scoring a whole workbook stays a matter of milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fiw.errors import FiwError
from fiw.methodology.loader import load_index
from fiw.methodology.model import Index, Status


@dataclass(frozen=True)
class ScoreProblem:
    """One thing wrong with an assessment: which field, the bad value, and what was expected."""

    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.field}: {self.expected}"
        return f"{self.field} = {self.value!r}: {self.expected}"


class ScoreError(FiwError, ValueError):
    """Invalid scores for an edition; `problems` lists every problem found, not the first."""

    http_status = 422
    fix = "indicator scores are whole numbers within each indicator's range (docs/methodology.md)"

    def __init__(self, problems: list[ScoreProblem] | tuple[ScoreProblem, ...]) -> None:
        self.problems = tuple(problems)
        self.where = ", ".join(dict.fromkeys(p.field for p in self.problems)) or None
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) with the scores:\n{lines}")


@dataclass(frozen=True)
class ScoreResult:
    """Everything the methodology derives from one assessment."""

    index: str
    edition: int
    indicators: Mapping[str, int]
    discretionary: Mapping[str, int]
    subtotals: Mapping[str, int]
    aggregates: Mapping[str, int]
    total: int
    ratings: Mapping[str, int] = field(default_factory=dict)
    status: Status | None = None

    @property
    def pr(self) -> int:
        return self.aggregates["PR"]

    @property
    def cl(self) -> int:
        return self.aggregates["CL"]

    @property
    def pr_rating(self) -> int:
        return self.ratings["PR"]

    @property
    def cl_rating(self) -> int:
        return self.ratings["CL"]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `fiw score --json`."""
        out: dict[str, Any] = {"edition": self.edition, "subtotals": dict(self.subtotals)}
        if self.index != "fiw":
            out = {"index": self.index, **out}
        for code, value in self.aggregates.items():
            out[code.lower()] = value
        out["total"] = self.total
        for code, value in self.ratings.items():
            out[f"{code.lower()}_rating"] = value
        out["status"] = self.status.value if self.status else None
        return out


@dataclass(frozen=True)
class _Rules:
    """One edition's rules, flattened for fast scoring."""

    index: Index
    edition: int
    indicators: tuple[tuple[str, str, int, int], ...]  # code, category, min, max
    discretionary: tuple[tuple[str, str, int, int, int], ...]  # code, aggregate, sign, min, max
    absent_discretionary: Mapping[str, str]  # code -> editions where it exists
    aggregates: tuple[tuple[str, tuple[str, ...]], ...]
    rating_bands: Mapping[str, tuple[tuple[int, int, int], ...]]  # agg -> (min, max, rating)


@cache
def _rules(index_id: str, edition: int) -> _Rules:
    index = load_index(index_id)
    present = index.discretionary_for(edition)
    absent = {
        d.code: f"{d.first}-{d.last}" if d.last else f"{d.first} on"
        for d in index.discretionary
        if d not in present
    }
    bands: dict[str, tuple[tuple[int, int, int], ...]] = {}
    for agg in index.aggregates:
        scale = index.rating_scale(agg.code, edition)
        if scale is not None:
            bands[agg.code] = tuple((b.min, b.max, b.rating) for b in scale.bands)
    return _Rules(
        index=index,
        edition=edition,
        indicators=tuple((i.code, i.category, i.min, i.max) for i in index.indicators),
        discretionary=tuple((d.code, d.aggregate, d.sign, d.min, d.max) for d in present),
        absent_discretionary=absent,
        aggregates=tuple((a.code, a.categories) for a in index.aggregates),
        rating_bands=bands,
    )


def _as_int(value: object) -> int | None:
    """An integer score, from an int or an integral float/str; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace("−", "-")
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if number.is_integer() else None
    return None


def rating(aggregate: str, value: int, edition: int, index: str = "fiw") -> int:
    """The 1-7 rating of an aggregate score (e.g. PR 5 -> 7) under `edition`'s bands."""
    bands = _rules(index, edition).rating_bands.get(aggregate)
    if bands is None:
        raise ValueError(f"{index} defines no {aggregate} rating in the {edition} edition")
    for low, high, result in bands:
        if low <= value <= high:
            return result
    raise ValueError(f"{aggregate} score {value} lies outside every band of the {edition} edition")


def statuses_for_ratings(
    ratings: Mapping[str, int] | tuple[int, ...], edition: int, index: str = "fiw"
) -> tuple[Status, ...]:
    """Every status the rule of `edition` allows for these ratings (two for a pre-2004 5.5)."""
    values = tuple(ratings.values()) if isinstance(ratings, Mapping) else tuple(ratings)
    scale = load_index(index).status_scale(edition)
    if scale is None or scale.basis != "ratings":
        raise ValueError(f"{index} has no ratings-based status rule in the {edition} edition")
    average = sum(values) / len(values)
    return tuple(b.status for b in scale.bands if b.min <= average <= b.max)


def status_for_total(total: int, edition: int, index: str = "fotn") -> Status:
    """The status of a total score where the index grades totals directly (Freedom on the Net)."""
    scale = load_index(index).status_scale(edition)
    if scale is None or scale.basis != "total":
        raise ValueError(f"{index} has no total-based status rule in the {edition} edition")
    for band in scale.bands:
        if band.min <= total <= band.max:
            return band.status
    raise ValueError(f"total {total} lies outside every status band of the {edition} edition")


def score(edition: int, scores: Mapping[str, object], index: str = "fiw") -> ScoreResult:
    """Score one assessment of `edition`: indicator scores plus any discretionary ones.

    `scores` maps indicator codes ("A1" ... "G4") and discretionary codes ("Q", "ADD_A") to
    integers. Q is the number of points subtracted (0-4) and defaults to 0; Add A exists only
    up to the 2017 edition. Raises ScoreError listing every problem.
    """
    idx = load_index(index)
    problems: list[ScoreProblem] = []
    if not isinstance(edition, int) or isinstance(edition, bool):
        raise ScoreError([ScoreProblem("edition", edition, "a whole year such as 2023")])
    if not idx.scores_edition(edition):
        problems.append(
            ScoreProblem(
                "edition",
                edition,
                f"{idx.name} indicator scores exist from the {idx.first_scored_edition} edition",
            )
        )
        raise ScoreError(problems)
    rules = _rules(index, edition)
    known = {code for code, *_ in rules.indicators} | {code for code, *_ in rules.discretionary}
    for key in scores:
        if key in known:
            continue
        if key in rules.absent_discretionary:
            problems.append(
                ScoreProblem(
                    key,
                    scores[key],
                    f"{key} is not part of the {edition} edition "
                    f"(it exists in editions {rules.absent_discretionary[key]})",
                )
            )
        else:
            problems.append(
                ScoreProblem(key, scores[key], f"not an indicator of {idx.name} {edition}")
            )

    indicator_scores: dict[str, int] = {}
    subtotals: dict[str, int] = {c.code: 0 for c in idx.categories}
    for code, category, low, high in rules.indicators:
        if code not in scores:
            problems.append(ScoreProblem(code, None, f"missing (an integer {low} to {high})"))
            continue
        value = _as_int(scores[code])
        if value is None or not low <= value <= high:
            problems.append(ScoreProblem(code, scores[code], f"an integer {low} to {high}"))
            continue
        indicator_scores[code] = value
        subtotals[category] += value

    discretionary: dict[str, int] = {}
    for code, _agg, _sign, low, high in rules.discretionary:
        raw = scores.get(code, 0)
        value = _as_int(raw)
        if value is None or not low <= value <= high:
            expected = f"an integer {low} to {high}"
            if code == "Q" and value is not None and value < 0:
                expected += " (the points subtracted; pages print Q negative)"
            problems.append(ScoreProblem(code, raw, expected))
            continue
        discretionary[code] = value

    if problems:
        raise ScoreError(problems)

    aggregates: dict[str, int] = {}
    for agg, categories in rules.aggregates:
        aggregates[agg] = sum(subtotals[c] for c in categories)
    for code, agg, sign, _low, _high in rules.discretionary:
        aggregates[agg] += sign * discretionary[code]
    total = sum(aggregates.values()) if aggregates else sum(subtotals.values())

    ratings = {
        agg: rating(agg, value, edition, index)
        for agg, value in aggregates.items()
        if agg in rules.rating_bands
    }
    if idx.status_rule == "ratings":
        possible = statuses_for_ratings(ratings, edition, index)
        status = possible[0] if len(possible) == 1 else None
    else:
        status = status_for_total(total, edition, index)
    return ScoreResult(
        index=index,
        edition=edition,
        indicators=indicator_scores,
        discretionary=discretionary,
        subtotals=subtotals,
        aggregates=aggregates,
        total=total,
        ratings=ratings,
        status=status,
    )

"""The report a country page holds: frozen, typed, and convertible to and from its JSON shape.

A `Report` is what `fiw parse` finds in a page and what `fiw render` writes back. Its JSON
form (`report_to_json`) is the shape `fiw parse --json` prints; `report_from_json` reads it
back with an error naming the field when the input does not have that shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fiw.errors import FiwError
from fiw.methodology import INDICATORS, Status

INDICATOR_CODES: tuple[str, ...] = INDICATORS


@dataclass(frozen=True)
class Standing:
    """A total score out of 100 and its status: last year's, or the site's latest."""

    total: int
    status: Status


@dataclass(frozen=True)
class ScoreChange:
    """A narrative's "Score Change:" paragraph read structurally: from, to and why."""

    from_score: int
    to_score: int
    reason: str


@dataclass(frozen=True)
class Indicator:
    """One of the 25 indicators as the page shows it: question, score and narrative."""

    code: str
    question: str
    score: int
    max: int
    paragraphs: tuple[str, ...]
    score_change: ScoreChange | None = None


@dataclass(frozen=True)
class AddQ:
    """The discretionary question Q as printed: its score is 0 or negative (-3 = 3 points off)."""

    question: str
    score: int
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """A `headerN` block before the overview (Note, Status Change, Capital …), keyed by label."""

    label: str
    text: str


@dataclass(frozen=True)
class Problem:
    """Something wrong with a page that still parsed, with the page's line numbers."""

    message: str
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        if not self.lines:
            return self.message
        where = ", ".join(str(n) for n in self.lines)
        return f"line{'s' if len(self.lines) > 1 else ''} {where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """A Freedom in the World country report as published: header figures, text and scores.

    `pr`, `cl`, `total` and `status` are what the page states (the status derived from the
    scores where Free pages print none); `indicators` are A1 … G4 in order; `site_latest` and
    `internet_freedom` come from the footer and are the site's latest scores when the page
    was saved, not this edition's.
    """

    country: str
    edition: int | None
    territory: bool
    status: Status | None
    pr: int
    cl: int
    total: int
    last_year: Standing | None
    notes: tuple[Note, ...]
    overview: str
    key_developments: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    add_q: AddQ | None
    site_latest: Standing | None
    internet_freedom: Standing | None
    problems: tuple[Problem, ...] = ()

    @property
    def q(self) -> int:
        """Points subtracted for the discretionary question (0-4), as the engine takes them."""
        return -self.add_q.score if self.add_q is not None else 0

    @property
    def scores(self) -> dict[str, int]:
        """The 25 indicator scores by code."""
        return {i.code: i.score for i in self.indicators}

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (A1 … G4); KeyError when the report has none."""
        for item in self.indicators:
            if item.code == code:
                return item
        raise KeyError(code)

    def note(self, label: str) -> str | None:
        """The text of the block with this label, or None."""
        return next((n.text for n in self.notes if n.label == label), None)


class ReportFormatError(FiwError, ValueError):
    """JSON that is not a report in `fiw parse --json`'s shape; names the field and expectation."""

    def __init__(self, field: str, expected: str) -> None:
        self.field = field
        self.expected = expected
        self.where = field
        super().__init__(f"{field}: expected {expected}")


# --- JSON ---------------------------------------------------------------------------------


def _standing_json(value: Standing | None) -> dict[str, Any] | None:
    return None if value is None else {"total": value.total, "status": value.status.value}


def report_to_json(report: Report) -> dict[str, Any]:
    """The JSON object `fiw parse --json` prints for a report."""
    indicators: dict[str, Any] = {}
    for item in report.indicators:
        change = item.score_change
        indicators[item.code] = {
            "question": item.question,
            "score": item.score,
            "max": item.max,
            "paragraphs": list(item.paragraphs),
            "score_change": None
            if change is None
            else {"from": change.from_score, "to": change.to_score, "reason": change.reason},
        }
    add_q = report.add_q
    return {
        "country": report.country,
        "edition": report.edition,
        "territory": report.territory,
        "status": report.status.value if report.status else None,
        "pr": report.pr,
        "cl": report.cl,
        "total": report.total,
        "last_year": _standing_json(report.last_year),
        "notes": {n.label: n.text for n in report.notes},
        "overview": report.overview,
        "key_developments": list(report.key_developments),
        "indicators": indicators,
        "add_q": None
        if add_q is None
        else {
            "question": add_q.question,
            "score": add_q.score,
            "paragraphs": list(add_q.paragraphs),
        },
        "site_latest": _standing_json(report.site_latest),
        "internet_freedom": _standing_json(report.internet_freedom),
        "problems": [{"message": p.message, "lines": list(p.lines)} for p in report.problems],
    }


def _get(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise ReportFormatError(f"{where}{key}", "this field (missing)")
    return obj[key]


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportFormatError(field, f"an integer, not {value!r}")
    return value


def _str(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ReportFormatError(field, f"a string, not {value!r}")
    return value


def _obj(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ReportFormatError(field, f"an object, not {value!r}")
    return value


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ReportFormatError(field, f"a list of strings, not {value!r}")
    return tuple(_str(v, f"{field}[{i}]") for i, v in enumerate(value))


def _status(value: Any, field: str) -> Status:
    try:
        return Status(_str(value, field))
    except ValueError:
        *first, last = (repr(s.value) for s in Status)
        expected = f"{', '.join(first)} or {last}"
        raise ReportFormatError(field, expected) from None


def _standing(value: Any, field: str) -> Standing | None:
    if value is None:
        return None
    obj = _obj(value, field)
    return Standing(
        _int(_get(obj, "total", f"{field}."), f"{field}.total"),
        _status(_get(obj, "status", f"{field}."), f"{field}.status"),
    )


def report_from_json(data: Any) -> Report:
    """A report from the JSON `fiw parse --json` printed; ReportFormatError names a bad field."""
    obj = _obj(data, "report")
    edition = _get(obj, "edition", "")
    status = _get(obj, "status", "")
    raw_indicators = _obj(_get(obj, "indicators", ""), "indicators")
    missing = [c for c in INDICATOR_CODES if c not in raw_indicators]
    extra = [c for c in raw_indicators if c not in INDICATOR_CODES]
    if missing or extra:
        raise ReportFormatError(
            "indicators",
            f"the {len(INDICATOR_CODES)} codes {INDICATOR_CODES[0]} … {INDICATOR_CODES[-1]} "
            f"(missing {missing}, unknown {extra})",
        )
    indicators = []
    for code in INDICATOR_CODES:
        where = f"indicators.{code}"
        item = _obj(raw_indicators[code], where)
        raw_change = _get(item, "score_change", f"{where}.")
        change = None
        if raw_change is not None:
            c = _obj(raw_change, f"{where}.score_change")
            change = ScoreChange(
                _int(_get(c, "from", f"{where}.score_change."), f"{where}.score_change.from"),
                _int(_get(c, "to", f"{where}.score_change."), f"{where}.score_change.to"),
                _str(_get(c, "reason", f"{where}.score_change."), f"{where}.score_change.reason"),
            )
        indicators.append(
            Indicator(
                code=code,
                question=_str(_get(item, "question", f"{where}."), f"{where}.question"),
                score=_int(_get(item, "score", f"{where}."), f"{where}.score"),
                max=_int(_get(item, "max", f"{where}."), f"{where}.max"),
                paragraphs=_strings(_get(item, "paragraphs", f"{where}."), f"{where}.paragraphs"),
                score_change=change,
            )
        )
    raw_q = _get(obj, "add_q", "")
    add_q = None
    if raw_q is not None:
        q = _obj(raw_q, "add_q")
        add_q = AddQ(
            _str(_get(q, "question", "add_q."), "add_q.question"),
            _int(_get(q, "score", "add_q."), "add_q.score"),
            _strings(_get(q, "paragraphs", "add_q."), "add_q.paragraphs"),
        )
    notes = _obj(_get(obj, "notes", ""), "notes")
    problems = []
    raw_problems = _get(obj, "problems", "")
    if not isinstance(raw_problems, list):
        raise ReportFormatError("problems", "a list")
    for i, p in enumerate(raw_problems):
        po = _obj(p, f"problems[{i}]")
        lines = _get(po, "lines", f"problems[{i}].")
        if not isinstance(lines, list):
            raise ReportFormatError(f"problems[{i}].lines", "a list of line numbers")
        problems.append(
            Problem(
                _str(_get(po, "message", f"problems[{i}]."), f"problems[{i}].message"),
                tuple(_int(n, f"problems[{i}].lines") for n in lines),
            )
        )
    return Report(
        country=_str(_get(obj, "country", ""), "country"),
        edition=None if edition is None else _int(edition, "edition"),
        territory=bool(_get(obj, "territory", "")),
        status=None if status is None else _status(status, "status"),
        pr=_int(_get(obj, "pr", ""), "pr"),
        cl=_int(_get(obj, "cl", ""), "cl"),
        total=_int(_get(obj, "total", ""), "total"),
        last_year=_standing(_get(obj, "last_year", ""), "last_year"),
        notes=tuple(Note(_str(k, "notes"), _str(v, f"notes.{k}")) for k, v in notes.items()),
        overview=_str(_get(obj, "overview", ""), "overview"),
        key_developments=_strings(_get(obj, "key_developments", ""), "key_developments"),
        indicators=tuple(indicators),
        add_q=add_q,
        site_latest=_standing(_get(obj, "site_latest", ""), "site_latest"),
        internet_freedom=_standing(_get(obj, "internet_freedom", ""), "internet_freedom"),
        problems=tuple(problems),
    )

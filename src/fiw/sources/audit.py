"""Audit of the official indicator workbook: recompute every row with the engine and compare.

Every published field (A-G, PR, CL, Total, PR rating, CL rating, Status) is compared with
what the methodology gives from the row's indicator scores; a cell that is not a valid score
is itself a mismatch. With the ratings workbook, the published counts of Free / Partly Free /
Not Free countries per edition are compared with counts computed from the indicator rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fiw.methodology import ScoreError, ScoreResult, Status, score
from fiw.sources.records import AssessmentRecord, DistributionRecord

# Engine codes → the workbook's column names.
_COLUMN = {"Q": "Add Q", "ADD_A": "Add A"}


@dataclass(frozen=True)
class Mismatch:
    """A published value that the methodology does not reproduce, or an invalid cell."""

    sheet: str
    row: int
    country: str
    edition: int
    field: str
    published: object
    computed: object
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sheet": self.sheet,
            "row": self.row,
            "country": self.country,
            "edition": self.edition,
            "field": self.field,
            "published": _plain(self.published),
            "computed": _plain(self.computed),
        }
        if self.message:
            out["message"] = self.message
        return out

    def __str__(self) -> str:
        where = f"sheet {self.sheet}, row {self.row} ({self.country}, {self.edition})"
        if self.message:
            return f"{where}: {self.field} = {_plain(self.published)!r}: {self.message}"
        return (
            f"{where}: {self.field} published {_plain(self.published)}, "
            f"computed {_plain(self.computed)}"
        )


@dataclass(frozen=True)
class DistributionCheck:
    """Published and computed counts of countries by status in one edition."""

    edition: int
    published: Mapping[Status, int]
    computed: Mapping[Status, int]

    @property
    def match(self) -> bool:
        return all(self.published[s] == self.computed.get(s, 0) for s in Status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "published": {s.value: self.published[s] for s in Status},
            "computed": {s.value: self.computed.get(s, 0) for s in Status},
            "match": self.match,
        }


@dataclass(frozen=True)
class AuditReport:
    """The result of `fiw audit`: rows read, every mismatch, and the distribution check."""

    rows: int
    mismatches: tuple[Mismatch, ...]
    distribution: Mapping[int, DistributionCheck] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches and all(c.match for c in self.distribution.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "mismatches": [m.to_dict() for m in self.mismatches],
            "distribution": {str(e): c.to_dict() for e, c in sorted(self.distribution.items())},
        }


def _plain(value: object) -> object:
    return value.value if isinstance(value, Status) else value


def engine_input(record: AssessmentRecord) -> dict[str, object]:
    """The engine's input for a workbook row: 25 scores, Q, and Add A where the row has it."""
    scores: dict[str, object] = dict(record.scores)
    scores["Q"] = record.q
    if record.add_a is not None:
        scores["ADD_A"] = record.add_a
    return scores


def published_of(result: ScoreResult) -> dict[str, object]:
    """The engine's result under the workbook's column names."""
    out: dict[str, object] = dict(result.subtotals)
    out.update(PR=result.pr, CL=result.cl, Total=result.total)
    out["PR rating"] = result.pr_rating
    out["CL rating"] = result.cl_rating
    out["Status"] = result.status
    return out


def _mismatch(
    record: AssessmentRecord, column: str, published: object, computed: object, why: str
) -> Mismatch:
    """A disagreement in one record's row: its place, the column, both values and why."""
    origin = record.origin
    return Mismatch(
        origin.sheet, origin.row, record.name, record.edition, column, published, computed, why
    )


def audit_records(
    records: Iterable[AssessmentRecord],
) -> tuple[int, list[Mismatch], list[ScoreResult | None]]:
    """Recompute every record; return the row count, the mismatches and each row's result."""
    mismatches: list[Mismatch] = []
    results: list[ScoreResult | None] = []
    count = 0
    for record in records:
        count += 1
        try:
            result = score(record.edition, engine_input(record))
        except ScoreError as exc:
            results.append(None)
            for problem in exc.problems:
                column = _COLUMN.get(problem.field, problem.field)
                mismatches.append(_mismatch(record, column, problem.value, None, problem.expected))
            continue
        results.append(result)
        computed = published_of(result)
        for name, published in record.published.items():
            if published != computed[name]:
                message = "" if isinstance(published, int | Status) else "not a valid value"
                mismatches.append(_mismatch(record, name, published, computed[name], message))
    return count, mismatches, results


def computed_distribution(
    records: Iterable[AssessmentRecord], results: Iterable[ScoreResult | None]
) -> dict[int, Counter[Status]]:
    """Countries (not territories) by computed status, per edition."""
    counts: dict[int, Counter[Status]] = {}
    for record, result in zip(records, results, strict=True):
        if record.kind != "country":
            continue
        bucket = counts.setdefault(record.edition, Counter())
        if result is not None and result.status is not None:
            bucket[result.status] += 1
    return counts


def audit(
    records: tuple[AssessmentRecord, ...],
    distribution: Iterable[DistributionRecord] | None = None,
) -> AuditReport:
    """Audit the indicator rows; with the published distribution, compare the counts too."""
    rows, mismatches, results = audit_records(records)
    checks: dict[int, DistributionCheck] = {}
    if distribution is not None:
        computed = computed_distribution(records, results)
        for published in distribution:
            year = published.year
            if year in computed:
                checks[year] = DistributionCheck(year, published.counts(), dict(computed[year]))
    return AuditReport(rows=rows, mismatches=tuple(mismatches), distribution=checks)

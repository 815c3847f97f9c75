"""The methodology's data model: one validated `Index` per rating system, read from TOML."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["data-verified", "source", "unconfirmed"]


class Status(StrEnum):
    """The three statuses, spelled as Freedom House spells them."""

    FREE = "Free"
    PARTLY_FREE = "Partly Free"
    NOT_FREE = "Not Free"

    @property
    def short(self) -> str:
        """The workbook's abbreviation: F, PF or NF."""
        return {"Free": "F", "Partly Free": "PF", "Not Free": "NF"}[self.value]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Read a status from its name, abbreviation or a spelling other datasets use, any
        case ("NF", "not free", "Partially Free", "not-free"): the one table of them is
        STATUS_SPELLINGS."""
        key = " ".join(text.replace("-", " ").replace("_", " ").split()).lower()
        for status in cls:
            if key in (status.value.lower(), status.short.lower()):
                return status
        found = STATUS_SPELLINGS.get(key)
        if found is not None:
            return cls(found)
        raise ValueError(f"unknown status {text!r}: expected Free, Partly Free or Not Free")


STATUS_SPELLINGS: dict[str, str] = {
    "partially free": "Partly Free",
}
"""Spellings of a status in other datasets (lowercase, single spaces, no hyphens), beside
the names and abbreviations Freedom House uses (Free/F, Partly Free/PF, Not Free/NF)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class EditionRange(_Frozen):
    """Inclusive range of editions; `to` None means open-ended."""

    first: int = Field(alias="from")
    last: int | None = Field(default=None, alias="to")

    def covers(self, edition: int) -> bool:
        return self.first <= edition and (self.last is None or edition <= self.last)

    @model_validator(mode="after")
    def _ordered(self) -> EditionRange:
        if self.last is not None and self.last < self.first:
            raise ValueError(f"edition range ends ({self.last}) before it starts ({self.first})")
        return self


class Question(EditionRange):
    """An indicator's wording in a range of editions."""

    text: str
    confidence: Confidence


class Category(_Frozen):
    """A subcategory (FIW A-G) or category (FOTN A-C) whose score is the sum of its indicators."""

    code: str
    name: str
    max: int
    confidence: Confidence = "data-verified"


class Aggregate(_Frozen):
    """A sum of categories with its own rating (FIW's Political Rights and Civil Liberties)."""

    code: str
    name: str
    categories: tuple[str, ...]
    max: int


class Indicator(_Frozen):
    """One scored question, with its wording per edition and fiw's paraphrased guidance."""

    code: str
    category: str
    max: int
    min: int = 0
    confidence: Confidence = "data-verified"
    guidance: str
    questions: tuple[Question, ...]

    def question(self, edition: int) -> Question | None:
        """The wording used in `edition`, or None where fiw does not know it."""
        return next((q for q in self.questions if q.covers(edition)), None)


class Discretionary(EditionRange):
    """A discretionary question that moves an aggregate by `sign` x its score (Q, Add A)."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    aggregate: str
    sign: Literal[-1, 1]
    min: int
    max: int
    confidence: Confidence
    note: str
    guidance: str
    questions: tuple[Question, ...]

    def question(self, edition: int) -> Question | None:
        return next((q for q in self.questions if q.covers(edition)), None)


class RatingBand(_Frozen):
    rating: int
    min: int
    max: int


class RatingScale(EditionRange):
    """Score bands that turn an aggregate score into a 1-7 rating."""

    aggregate: str
    confidence: Confidence
    bands: tuple[RatingBand, ...]


class StatusBand(_Frozen):
    status: Status
    min: float
    max: float


class StatusScale(EditionRange):
    """Bands that give the status, from the average of the ratings or from the total."""

    confidence: Confidence
    basis: Literal["ratings", "total"] = "ratings"
    bands: tuple[StatusBand, ...]


class Change(_Frozen):
    edition: int
    text: str


class Index(_Frozen):
    """A rating system's rules: the whole content of one methodology data file."""

    id: str
    name: str
    publisher: str
    total_name: str
    total_max: int
    first_edition: int
    first_scored_edition: int
    status_rule: Literal["ratings", "total"]
    aggregates: tuple[Aggregate, ...] = ()
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    discretionary: tuple[Discretionary, ...] = ()
    ratings: tuple[RatingScale, ...] = ()
    statuses: tuple[StatusScale, ...]
    changes: tuple[Change, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Index:
        cats = {c.code for c in self.categories}
        problems: list[str] = []
        for ind in self.indicators:
            if ind.category not in cats:
                problems.append(f"indicator {ind.code} names unknown category {ind.category}")
        for cat in self.categories:
            total = sum(i.max for i in self.indicators if i.category == cat.code)
            if total != cat.max:
                problems.append(f"category {cat.code}: indicators sum to {total}, max is {cat.max}")
        for agg in self.aggregates:
            total = sum(c.max for c in self.categories if c.code in agg.categories)
            if total != agg.max:
                problems.append(f"aggregate {agg.code}: categories sum to {total}, max {agg.max}")
        if sum(c.max for c in self.categories) != self.total_max:
            problems.append(f"categories do not sum to the total maximum {self.total_max}")
        codes = [i.code for i in self.indicators] + [d.code for d in self.discretionary]
        if len(codes) != len(set(codes)):
            problems.append("indicator and discretionary codes must be unique")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- look-ups ------------------------------------------------------------------------

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def discretionary_for(self, edition: int) -> tuple[Discretionary, ...]:
        """The discretionary questions that exist in `edition`."""
        return tuple(d for d in self.discretionary if d.covers(edition))

    def rating_scale(self, aggregate: str, edition: int) -> RatingScale | None:
        return next(
            (r for r in self.ratings if r.aggregate == aggregate and r.covers(edition)), None
        )

    def status_scale(self, edition: int) -> StatusScale | None:
        return next((s for s in self.statuses if s.covers(edition)), None)

    def scores_edition(self, edition: int) -> bool:
        """Whether the engine can score `edition` (indicator scores exist for it)."""
        return edition >= self.first_scored_edition

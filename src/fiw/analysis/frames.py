"""The DataFrame shapes analysis reads (the store's `scores()` and `ratings()`), checked once.

Analysis functions take these frames and never touch a database, so the same code serves the
CLI, the API and the tests, and SQLite and PostgreSQL give the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from fiw.errors import FiwError
from fiw.methodology import (
    AGGREGATES,
    INDICATORS,
    SCORE_COLUMNS,
    STATUSES,
    SUBCATEGORIES,
    Status,
)

__all__ = ["INDICATORS", "STATUSES", "SUBCATEGORIES"]  # re-exported for the analysis modules

IDENTITY = ("country_id", "name", "kind")
AGGREGATE_COLUMNS: tuple[str, ...] = (*(code.lower() for code in AGGREGATES), "total")
"""pr, cl and total: the aggregate scores as `ds.scores()` names them."""
REQUIRED_SCORES: tuple[str, ...] = tuple(
    c
    for c in SCORE_COLUMNS
    if c in (*IDENTITY, "region", "edition", *INDICATORS, *SUBCATEGORIES, *AGGREGATE_COLUMNS)
    or c == "status"
)
"""The columns of `ds.scores()` (`fiw.methodology.SCORE_COLUMNS`, in its order) analysis
reads; the others (iso3, Q, add_a, ratings) may be absent."""
RATING_COLUMNS = (*IDENTITY, "edition_label", "order", "pr_rating", "cl_rating", "status")
"""The columns of `ds.ratings()` (`fiw.methodology.RATING_COLUMNS`) the ratings history reads:
an edition is its `order` (1 = the 1973 edition) and its `edition_label` ("1983-84")."""


class AnalysisError(FiwError, ValueError):
    """Analysis cannot answer as asked: a missing column, an unknown edition or region.

    `where` names the argument at fault as both faces spell it (`edition`, `from`, `to`,
    `region`); the web answers 422, or 404 for `EditionNotFound`.
    """

    http_status = 422

    def __init__(self, message: str, where: str | None = None, fix: str | None = None) -> None:
        super().__init__(message)
        self.where = where
        self.fix = fix


class EditionNotFound(AnalysisError):
    """The edition asked for is not in the frame (or has nothing before it to compare with)."""

    http_status = 404


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{what} lacks the column(s) {', '.join(missing)}")


def _status(values: pd.Series) -> pd.Series:
    """Statuses as their full names ("Free"), whether given as names, F/PF/NF or enums."""
    lookup = {s.value.lower(): s.value for s in Status} | {s.short.lower(): s.value for s in Status}
    text = values.astype("string").str.strip().str.lower()
    return text.map(lookup).astype("object")


def _kind(frame: pd.DataFrame, what: str) -> pd.Series:
    kind = frame["kind"].astype("string").str.strip().str.lower()
    bad = sorted(set(kind.dropna()) - {"country", "territory"})
    if bad or kind.isna().any():
        shown = ", ".join(repr(b) for b in bad) or "an empty value"
        raise AnalysisError(f"{what}: column kind holds {shown}, expected country or territory")
    return kind.astype("object")


def _entities(
    source: pd.DataFrame, columns: Sequence[str], optional: str, what: str, territories: bool
) -> pd.DataFrame:
    """A copy of `columns` (and `optional` where present) of `source`, countries only unless
    `territories`, with kind checked and country_id, name and status typed."""
    _require(source, columns, what)
    extra = [optional] if optional in source.columns else []
    frame = source.loc[:, [*columns, *extra]].copy()
    frame["kind"] = _kind(frame, what)
    if not territories:
        frame = frame[frame["kind"] == "country"]
    frame["country_id"] = frame["country_id"].astype(str)
    frame["name"] = frame["name"].astype(str)
    frame["status"] = _status(frame["status"])
    return frame


def _unique(
    frame: pd.DataFrame, edition: str, what: str, where: str, label: str = "edition"
) -> pd.DataFrame:
    """`frame` renumbered, once no entity appears twice in an edition (column `edition`; the
    message names it by column `label`)."""
    dupes = frame.duplicated(["country_id", edition], keep=False)
    if dupes.any():
        row = frame.loc[dupes].iloc[0]
        raise AnalysisError(
            f"{what}: {row['country_id']} appears more than once in "
            + where.format(edition=row[label])
        )
    return frame.reset_index(drop=True)


def scores_frame(scores: pd.DataFrame, territories: bool = False) -> pd.DataFrame:
    """The columns analysis needs from `ds.scores()`, typed, countries only unless `territories`.

    Raises AnalysisError naming any missing column or any duplicated (country_id, edition).
    """
    what = "scores frame"
    frame = _entities(scores, REQUIRED_SCORES, "iso3", what, territories)
    frame["region"] = frame["region"].astype("object")
    numeric = ["edition", *INDICATORS, *SUBCATEGORIES, *AGGREGATE_COLUMNS]
    for column in numeric:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            row = frame.loc[values.isna()].iloc[0]
            raise AnalysisError(
                f"{what}: {column} = {row[column]!r} for {row['name']} ({row['edition']}), "
                "expected an integer"
            )
        frame[column] = values.astype("int64")
    return _unique(frame, "edition", what, "the {edition} edition")


def ratings_frame(ratings: pd.DataFrame, territories: bool = False) -> pd.DataFrame:
    """The columns analysis needs from `ds.ratings()`, typed, countries only unless `territories`.

    Ratings and status may be empty (an entity listed but not rated); they become <NA>/None.
    An optional `raw` column (cells published as more than a plain rating) is kept.
    """
    what = "ratings frame"
    frame = _entities(ratings, RATING_COLUMNS, "raw", what, territories)
    frame["edition_label"] = frame["edition_label"].astype(str).str.strip()
    order = pd.to_numeric(frame["order"], errors="coerce")
    if order.isna().any():
        raise AnalysisError(f"{what}: order must be an integer on every row")
    frame["order"] = order.astype("int64")
    for column in ("pr_rating", "cl_rating"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return _unique(frame, "order", what, "edition {edition}", label="edition_label")


@dataclass(frozen=True)
class EditionRef:
    """One edition of the ratings history: its position (1 = 1973) and its label."""

    order: int
    label: str


def edition_refs(ratings: pd.DataFrame) -> tuple[EditionRef, ...]:
    """Every edition of a ratings frame, in order."""
    pairs = ratings[["order", "edition_label"]].drop_duplicates().sort_values("order")
    refs = tuple(EditionRef(int(o), str(label)) for o, label in pairs.itertuples(index=False))
    orders = [r.order for r in refs]
    if len(set(orders)) != len(orders):
        raise AnalysisError("ratings frame: an order carries more than one edition_label")
    return refs


def resolve_edition(
    ratings: pd.DataFrame, edition: str | int, where: str = "edition"
) -> EditionRef:
    """Find an edition by its label ("Jan.-Feb. 1973", "1983-84", "2024") or its order.

    A value equal to a label is a label (so 2024 is the 2024 edition); otherwise an integer is
    an order (1 = the 1973 edition). EditionNotFound names `where`, the argument.
    """
    refs = edition_refs(ratings)
    text = " ".join(str(edition).split())
    for ref in refs:
        if ref.label == text:
            return ref
    for ref in refs:
        if " ".join(ref.label.split()).lower() == text.lower():
            return ref
    try:
        order = int(text)
    except ValueError:
        order = None
    if order is not None:
        for ref in refs:
            if ref.order == order:
                return ref
    if refs:
        known = f"labels {refs[0].label!r} … {refs[-1].label!r} or orders 1 … {refs[-1].order}"
    else:
        known = "none: the ratings frame is empty"
    raise EditionNotFound(f"no edition {edition!r} in the ratings history: expected {known}", where)

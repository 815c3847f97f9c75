"""One country's own record of change: its largest gains and declines between consecutive
editions, its change over all its editions, and its longest run of decline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pandas as pd

from fiw.analysis.changes import TotalChange, all_edition_changes
from fiw.analysis.longrun import DeclineRun, decline_runs, long_run
from fiw.analysis.shape import From, Moved, Shaped, To


@dataclass(frozen=True)
class Step(Moved):
    """One country's total in an edition (`edition`) against the edition before (`previous`)."""

    edition: int
    previous: int
    before: Annotated[int, From]
    after: Annotated[int, To]


@dataclass(frozen=True)
class CountryChanges(Shaped):
    """A country's largest year-on-year gains and declines (largest first; of equal ones the
    later first), its change from its first edition with scores (`span_from`) to its last, and
    its longest run of decline. Empty where it has fewer than two editions with scores."""

    country_id: str
    gains: tuple[Step, ...] = ()
    declines: tuple[Step, ...] = ()
    span: TotalChange | None = None
    span_from: int | None = None
    longest_decline: DeclineRun | None = None


def country_changes(scores: pd.DataFrame, country_id: str, limit: int = 3) -> CountryChanges:
    """The `limit` largest gains and declines of `country_id` between consecutive editions,
    its change over all its editions and its longest run of decline (territories included)."""
    mine = scores[scores["country_id"] == country_id]
    editions = sorted(int(e) for e in mine["edition"].unique())
    if len(editions) < 2:
        return CountryChanges(country_id)
    steps = [
        Step(e.edition, e.previous, c.before, c.after)
        for e in all_edition_changes(mine, territories=True)
        for c in (*e.improved, *e.declined)
    ]
    gains = sorted((s for s in steps if s.change > 0), key=lambda s: (-s.change, -s.edition))
    declines = sorted((s for s in steps if s.change < 0), key=lambda s: (s.change, -s.edition))
    span = long_run(mine, editions[0], editions[-1], territories=True).span
    runs = decline_runs(mine, territories=True)
    return CountryChanges(
        country_id=country_id,
        gains=tuple(gains[:limit]),
        declines=tuple(declines[:limit]),
        span=next(iter(span.gains + span.declines), None),
        span_from=editions[0],
        longest_decline=runs[0] if runs else None,
    )

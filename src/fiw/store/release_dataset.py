"""`ds.as_of(release)`: the Dataset as one imported release had it. Its `scores()` and
`ratings()` take the same filters as the current Dataset's (they are the same methods); only
where the rows come from differs: the vintage `fiw.store.vintages.state_as_of` rebuilds,
filtered here in Python."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select

from fiw.methodology import SCORE_FIGURES
from fiw.store.database import describe
from fiw.store.dataset import RATINGS_COLUMNS, SCORES_COLUMNS, Dataset
from fiw.store.frames import Wanted, allowed
from fiw.store.schema import Country, Edition
from fiw.store.vintages import Release, Rows, mark, state_as_of


class ReleaseDataset(Dataset):
    """A Dataset read as one release had it: `scores()` and `ratings()` as of the release
    (`fiw.store.vintages.state_as_of`); the other readers are the current database's."""

    def __init__(self, engine: Engine, release: Release) -> None:
        super().__init__(engine)
        self.vintage = release

    def __repr__(self) -> str:
        vintage = f"{self.vintage.name} ({self.vintage.short})"
        return f"<fiw.Dataset {describe(self.engine)} as of {vintage}>"

    def _as_of_rows(self, table: str) -> tuple[Rows, dict[str, tuple[Any, Any]]]:
        """The table's rows as the release had them, oldest edition first, and each
        country's ISO3 and name."""
        c = Country.__table__.c
        with self.engine.connect() as connection:
            upto = mark(connection, self.vintage)
            rows = state_as_of(connection, table, upto)
            found = connection.execute(select(c.id, c.iso3, c.name))
            names = {r.id: (r.iso3, r.name) for r in found}
        return dict(sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0]))), names

    def _score_rows(self, wanted: Wanted) -> Sequence[Sequence[object]]:
        rows, names = self._as_of_rows("assessments")
        figures = {key: key.lower() for key in SCORE_FIGURES}
        out = []
        for (cid, year), values in rows.items():
            row = {
                "country_id": cid, "iso3": names[cid][0], "name": names[cid][1],
                "kind": values["kind"], "region": values["region"], "edition": year,
                **{key: values[column] for key, column in figures.items()},
            }  # fmt: skip
            if allowed(row, wanted):
                out.append(tuple(row[k] for k in SCORES_COLUMNS))
        return out

    def _rating_rows(
        self, years: list[int] | None, labels: list[str], wanted: Wanted
    ) -> Sequence[Sequence[object]]:
        rows, names = self._as_of_rows("ratings")
        e = Edition.__table__.c
        with self.engine.connect() as connection:
            editions = {
                r.year: (r.label, r.order, r.period)
                for r in connection.execute(select(e.year, e.label, e.order, e.period))
            }
        out = []
        for (cid, year), values in rows.items():
            label, order, period = editions[year]
            if (years is not None or labels) and year not in (years or []) and label not in labels:
                continue
            row = {
                "country_id": cid, "iso3": names[cid][0], "name": names[cid][1], "year": year,
                "edition_label": label, "order": order, "period": period, **values,
            }  # fmt: skip
            if allowed(row, wanted):
                out.append(tuple(row[k] for k in RATINGS_COLUMNS))
        return out

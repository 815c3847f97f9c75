"""Regional and global averages per edition: total, PR, CL and the seven subcategories.

Each entity counts once per edition, unweighted. Averages are computed exactly (integer sums
over counts) and rounded to two decimals half away from zero, as SQL `round()` does on SQLite
and PostgreSQL, so the output never depends on floating-point summation order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from pydantic import Field, model_serializer

from fiw.analysis.frames import SUBCATEGORIES, AnalysisError, scores_frame
from fiw.analysis.regions import (
    REGION_MODES,
    RegionMode,
    regions_at_the_time,
    unconfirmed_regions,
)
from fiw.analysis.rounding import rounded_ratio
from fiw.analysis.shape import Shaped

GLOBAL = "Global"
MEASURES: tuple[str, ...] = ("total", "pr", "cl", *SUBCATEGORIES)


@dataclass(frozen=True)
class TrendPoint(Shaped):
    """Averages of one region (or "Global") in one edition, over `entities` entities."""

    edition: int
    region: str
    entities: int
    averages: dict[str, float]

    @model_serializer(mode="plain")
    def _shape(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "region": self.region,
            "entities": self.entities,
            **self.averages,
        }


@dataclass(frozen=True)
class Trends(Shaped):
    """Average scores per edition and region. Points are sorted by region, then edition;
    "Global" comes first. `unconfirmed` names entities whose earlier region is unconfirmed."""

    territories: bool
    regions: RegionMode
    unconfirmed: Annotated[tuple[str, ...], Field(serialization_alias="unconfirmed_regions")]
    points: tuple[TrendPoint, ...]

    def series(self, region: str = GLOBAL, measure: str = "total") -> list[tuple[int, float]]:
        """(edition, average) pairs of one region and measure, for charts."""
        return [(p.edition, p.averages[measure]) for p in self.points if p.region == region]


def trends(
    scores: pd.DataFrame,
    region: str | None = None,
    territories: bool = False,
    regions: RegionMode = "current",
) -> Trends:
    """Average total, PR, CL and subcategory scores per edition, globally and per region.

    `regions="historical"` places entities where they were at the time (see
    `fiw.analysis.regions`); `region` keeps only that region (or "Global").
    """
    if regions not in REGION_MODES:
        raise AnalysisError(
            f"regions {regions!r}: expected one of {', '.join(REGION_MODES)}", "regions"
        )
    frame = scores_frame(scores, territories)
    if regions == "historical":
        frame["region"] = regions_at_the_time(frame)
    frame["region"] = frame["region"].astype(str)
    known = sorted(set(frame["region"]))
    if region is not None:
        match = [r for r in [GLOBAL, *known] if r.casefold() == region.strip().casefold()]
        if not match:
            raise AnalysisError(
                f"no region {region!r}: expected {GLOBAL} or one of {', '.join(known)}", "region"
            )
        region = match[0]
    measures = list(MEASURES)
    by_region = frame.groupby(["region", "edition"], sort=True)[measures].agg(["sum", "count"])
    overall = frame.groupby("edition", sort=True)[measures].agg(["sum", "count"])
    overall.index = pd.MultiIndex.from_product(
        [[GLOBAL], overall.index], names=["region", "edition"]
    )
    table = pd.concat([overall, by_region])
    points = []
    for (name, edition), row in zip(table.index.tolist(), table.to_dict("records"), strict=True):
        if region is not None and name != region:
            continue
        count = int(row[(measures[0], "count")])
        points.append(
            TrendPoint(
                edition=int(edition),
                region=str(name),
                entities=count,
                averages={m: rounded_ratio(int(row[(m, "sum")]), count) for m in measures},
            )
        )
    unconfirmed: tuple[str, ...] = ()
    if regions == "historical":
        names = set(frame["name"])
        unconfirmed = tuple(s.name for s in unconfirmed_regions() if s.name in names)
    return Trends(territories, regions, unconfirmed, tuple(points))

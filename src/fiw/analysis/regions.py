"""Regions as they were at the time: the committed table of earlier groupings.

The workbook applies today's regions to every edition. `data/regions.csv` records where an
entity sat before (an empty `first_edition` means from the first edition), with a confidence
mark; Western Sahara's earlier region is unconfirmed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import pandas as pd

from fiw.analysis.frames import AnalysisError

RegionMode = Literal["current", "historical"]
REGION_MODES: tuple[RegionMode, ...] = ("current", "historical")
_TABLE = "regions.csv"


@dataclass(frozen=True)
class RegionSpell:
    """An entity's region over a range of editions, where it differs from today's."""

    name: str
    iso3: str
    region: str
    first_edition: int | None
    last_edition: int | None
    confidence: str
    note: str

    def covers(self, edition: int) -> bool:
        return (self.first_edition is None or self.first_edition <= edition) and (
            self.last_edition is None or edition <= self.last_edition
        )


def _edition(value: str, line: int) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise AnalysisError(
            f"{_TABLE}, line {line}: edition {value!r}, expected a year or nothing"
        ) from None


@cache
def region_history() -> tuple[RegionSpell, ...]:
    """The committed table of earlier regional groupings, validated."""
    text = resources.files("fiw.analysis.data").joinpath(_TABLE).read_text("utf-8")
    spells = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if row.get("confidence") not in ("source", "unconfirmed", "data-verified"):
            raise AnalysisError(
                f"{_TABLE}, line {line}: confidence {row.get('confidence')!r}, "
                "expected source, unconfirmed or data-verified"
            )
        spells.append(
            RegionSpell(
                name=row["name"].strip(),
                iso3=row["iso3"].strip().upper(),
                region=row["region"].strip(),
                first_edition=_edition(row["first_edition"], line),
                last_edition=_edition(row["last_edition"], line),
                confidence=row["confidence"],
                note=row["note"].strip(),
            )
        )
    return tuple(spells)


def regions_at_the_time(frame: pd.DataFrame) -> pd.Series:
    """The region of each row of a scores frame in its own edition.

    An entity is matched to the table by iso3 where the frame has one, else by name (any case).
    """
    region = frame["region"].copy()
    iso3 = (
        frame["iso3"].astype("string").str.upper()
        if "iso3" in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    name = frame["name"].astype(str).str.casefold()
    edition = frame["edition"]
    for spell in region_history():
        same = iso3.eq(spell.iso3).fillna(False) | (iso3.isna() & name.eq(spell.name.casefold()))
        lower = spell.first_edition if spell.first_edition is not None else edition.min()
        upper = spell.last_edition if spell.last_edition is not None else edition.max()
        region[same & edition.between(lower, upper)] = spell.region
    return region


def unconfirmed_regions() -> tuple[RegionSpell, ...]:
    """Spells of the table that no source confirms, to flag in output."""
    return tuple(s for s in region_history() if s.confidence == "unconfirmed")

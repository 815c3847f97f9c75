"""A development and test stand-in for `fiw.store.Dataset`, read from the official workbook.

It scores every row of All_data_FIW_2013-2024.xlsx with the methodology engine and keeps the
result in memory. Its ratings history covers only the editions of that workbook (2013 on);
the store holds the full history since 1973. Names map to ISO3 codes on a best-effort basis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pycountry

from fiw.methodology import score
from fiw.sources.all_data import read_all_data
from fiw.web.data import INDICATORS, RATING_COLUMNS, SCORE_COLUMNS, SUBTOTALS

# Workbook names that pycountry does not find by name; None for entities without a code.
_ISO3 = {
    "Bolivia": "BOL", "Brunei": "BRN", "Cabo Verde": "CPV", "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD", "Cote d'Ivoire": "CIV", "Czech Republic": "CZE", "Iran": "IRN",
    "Kosovo": "XKX", "Laos": "LAO", "Micronesia": "FSM", "Moldova": "MDA", "North Korea": "PRK",
    "Russia": "RUS", "South Korea": "KOR", "Syria": "SYR", "Taiwan": "TWN", "Tanzania": "TZA",
    "The Gambia": "GMB", "Turkey": "TUR", "Venezuela": "VEN", "Vietnam": "VNM",
    "St. Kitts and Nevis": "KNA", "St. Lucia": "LCA", "St. Vincent and the Grenadines": "VCT",
    "Hong Kong": "HKG", "Puerto Rico": "PRI", "Western Sahara": "ESH", "West Bank": None,
    "Gaza Strip": None, "Tibet": None, "Crimea": None, "Eastern Donbas": None,
    "Abkhazia": None, "South Ossetia": None, "Transnistria": None, "Nagorno-Karabakh": None,
    "Northern Cyprus": None, "Somaliland": None, "Indian Kashmir": None,
    "Pakistani Kashmir": None,
}  # fmt: skip


def slugify(name: str) -> str:
    """A URL id from a name: "Cote d'Ivoire" -> "cote-divoire"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"['’.]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def iso3_for(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a workbook name, or None (territories, unknown)."""
    if name in _ISO3:
        return _ISO3[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


@dataclass(frozen=True)
class WorkbookCountry:
    """A country or territory of the workbook."""

    id: str
    iso3: str | None
    name: str
    kind: str
    region: str


class WorkbookDataset:
    """The web explorer's `Dataset` over the All_data workbook (development and tests only)."""

    def __init__(self, path: Path | str) -> None:
        workbook = read_all_data(path)
        rows: list[dict[str, object]] = []
        countries: dict[str, WorkbookCountry] = {}
        for rec in workbook.records:
            given: dict[str, object] = dict(rec.scores)
            given["Q"] = rec.q
            if rec.add_a is not None and rec.edition <= 2017:
                given["ADD_A"] = rec.add_a
            result = score(rec.edition, given)
            slug = slugify(rec.name)
            country = countries.setdefault(
                slug, WorkbookCountry(slug, iso3_for(rec.name), rec.name, rec.kind, rec.region)
            )
            row: dict[str, object] = {
                "country_id": slug,
                "iso3": country.iso3,
                "name": rec.name,
                "kind": rec.kind,
                "region": rec.region,
                "edition": rec.edition,
                **{code: result.indicators[code] for code in INDICATORS},
                "Q": result.discretionary.get("Q", 0),
                "add_a": result.discretionary.get("ADD_A"),
                **{code: result.subtotals[code] for code in SUBTOTALS},
                "pr": result.pr,
                "cl": result.cl,
                "total": result.total,
                "pr_rating": result.pr_rating,
                "cl_rating": result.cl_rating,
                "status": result.status.value if result.status else None,
            }
            rows.append(row)
        frame = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
        self._scores = frame.sort_values(["edition", "name"], ignore_index=True)
        self._countries = countries
        self._by_iso3 = {c.iso3: c for c in countries.values() if c.iso3}
        ratings = self._scores[
            ["country_id", "iso3", "name", "kind", "edition", "pr_rating", "cl_rating", "status"]
        ].copy()
        ratings["edition_order"] = ratings["edition"] - 1973
        ratings["period"] = (ratings["edition"] - 1).astype(str)
        ratings["edition"] = ratings["edition"].astype(str)
        ratings["raw"] = None
        ratings["status_rule"] = "ratings"
        self._ratings = ratings[list(RATING_COLUMNS)]

    def scores(
        self,
        edition: int | None = None,
        region: str | None = None,
        status: str | None = None,
        kind: str | None = None,
    ) -> pd.DataFrame:
        frame = self._scores
        if edition is not None:
            frame = frame[frame["edition"] == edition]
        if region is not None:
            frame = frame[frame["region"] == region]
        if status is not None:
            frame = frame[frame["status"] == status]
        if kind is not None:
            frame = frame[frame["kind"] == kind]
        return frame.reset_index(drop=True)

    def ratings(self) -> pd.DataFrame:
        return self._ratings

    def country(self, key: str) -> WorkbookCountry:
        found = self._countries.get(key) or self._by_iso3.get(key.upper())
        if found is None:
            raise LookupError(f"no country or territory has the id or ISO3 code {key!r}")
        return found

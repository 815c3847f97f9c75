"""Read helpers shared by the views: editions, filters and rows, all over the `Dataset`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from fastapi import Request

from fiw.methodology import Status
from fiw.web.data import Dataset
from fiw.web.errors import BadParameter, NotFound

KINDS = ("country", "territory")


@dataclass(frozen=True)
class Catalog:
    """What the filters offer, read once per app (the data changes only on import)."""

    editions: tuple[int, ...]
    regions: tuple[str, ...]

    @property
    def latest(self) -> int:
        return self.editions[-1]

    def previous(self, edition: int) -> int | None:
        i = self.editions.index(edition)
        return self.editions[i - 1] if i > 0 else None


def dataset(request: Request) -> Dataset:
    data: Dataset = request.app.state.data
    return data


def catalog(request: Request) -> Catalog:
    """The app's catalog, built on first use."""
    found: Catalog | None = getattr(request.app.state, "catalog", None)
    if found is None:
        frame = dataset(request).scores()
        found = Catalog(
            editions=tuple(sorted(int(e) for e in frame["edition"].unique())),
            regions=tuple(sorted(str(r) for r in frame["region"].unique())),
        )
        request.app.state.catalog = found
    return found


def check_edition(request: Request, edition: int | None) -> int:
    """The edition asked for (the latest when None); 404 when no scores exist for it."""
    cat = catalog(request)
    if edition is None:
        return cat.latest
    if edition not in cat.editions:
        raise NotFound(
            f"no scores for the {edition} edition: fiw holds editions "
            f"{cat.editions[0]}-{cat.editions[-1]}"
        )
    return edition


def parse_status(value: str | None) -> str | None:
    """A status filter ("Not Free", "nf"…) as spelled in the data; "" means any."""
    if not value:
        return None
    try:
        return Status.parse(value).value
    except ValueError:
        raise BadParameter(
            "status", value, "Free, Partly Free or Not Free (or F, PF, NF)"
        ) from None


def parse_kind(value: str | None) -> str | None:
    if not value:
        return None
    if value.lower() not in KINDS:
        raise BadParameter("kind", value, "country or territory")
    return value.lower()


def parse_region(request: Request, value: str | None) -> str | None:
    if not value:
        return None
    regions = catalog(request).regions
    for region in regions:
        if region.lower() == value.lower():
            return region
    raise BadParameter("region", value, "one of " + ", ".join(regions))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as plain dicts with None for missing values (JSON-ready)."""
    if frame.empty:
        return []
    clean = frame.astype(object).where(frame.notna(), None)
    return cast(list[dict[str, Any]], clean.to_dict("records"))


def with_changes(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Add `previous_total`, `previous_status` and `change` (total minus last edition's)."""
    out = current.copy()
    if previous is None or previous.empty:
        out["previous_total"] = None
        out["previous_status"] = None
        out["change"] = None
        return out
    prev = previous[["country_id", "total", "status"]].rename(
        columns={"total": "previous_total", "status": "previous_status"}
    )
    out = out.merge(prev, on="country_id", how="left")
    out["change"] = out["total"] - out["previous_total"]
    return out


def status_slug(status: str | None) -> str:
    """CSS class of a status: "not-free"; "none" when unknown."""
    return (status or "none").lower().replace(" ", "-")

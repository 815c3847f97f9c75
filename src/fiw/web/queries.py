"""Request helpers shared by the views: the snapshot, and parsing of editions, filters and ids."""

from __future__ import annotations

from fastapi import Request

from fiw.errors import ParameterError, UnknownCountry
from fiw.methodology import Status
from fiw.web.errors import NotFound
from fiw.web.snapshot import CountryInfo, Frames, Snapshot

KINDS = ("country", "territory")


def snapshot(request: Request) -> Snapshot:
    data: Snapshot = request.app.state.data
    return data


def frames(request: Request) -> Frames:
    """The served scores and ratings as DataFrames (read once per process), for `fiw.analysis`."""
    return snapshot(request).frames


def check_edition(request: Request, edition: int | None, where: str = "edition") -> int:
    """The scored edition asked for (the latest when None); 404 when no scores exist for it."""
    snap = snapshot(request)
    if edition is None:
        return snap.latest
    if edition not in snap.by_edition:
        raise NotFound(
            f"no scores for the {edition} edition: fiw holds indicator scores for editions "
            f"{snap.editions[0]}-{snap.editions[-1]}",
            where,
        )
    return edition


def check_rated_edition(request: Request, edition: int | None, where: str = "edition") -> int:
    """An edition with ratings and statuses (any since 1973; the latest when None); 404 when
    fiw holds none for it."""
    snap = snapshot(request)
    if edition is None:
        return snap.latest
    years = snap.rated_editions
    if edition not in years:
        raise NotFound(
            f"no {edition} edition: fiw holds the editions {years[0]}-{years[-1]} "
            "(none was published in 1983)",
            where,
        )
    return edition


def find_country(request: Request, key: str, where: str = "key") -> CountryInfo:
    """The country by id, ISO3 or name; UnknownCountry (404) naming the key and the parameter
    (`where`) when unknown."""
    try:
        return snapshot(request).country(key)
    except UnknownCountry as exc:
        exc.where = where
        raise


def parse_status(value: str | None) -> str | None:
    """A status filter ("Not Free", "nf"…) as spelled in the data; "" means any."""
    if not value:
        return None
    try:
        return Status.parse(value).value
    except ValueError:
        names = ", ".join(s.value for s in Status)
        shorts = ", ".join(s.short for s in Status)
        raise ParameterError("status", value, f"{names} (or {shorts})") from None


def parse_kind(value: str | None) -> str | None:
    if not value:
        return None
    if value.lower() not in KINDS:
        raise ParameterError("kind", value, "country or territory")
    return value.lower()


def parse_region(request: Request, value: str | None) -> str | None:
    if not value:
        return None
    regions = snapshot(request).regions
    for region in regions:
        if region.lower() == value.lower():
            return region
    raise ParameterError("region", value, "one of " + ", ".join(regions))


def parse_format(value: str | None) -> None:
    """`?format=` of list endpoints: json (the default) or csv."""
    if value not in (None, "json", "csv"):
        raise ParameterError("format", value, "json or csv")


def status_slug(status: str | None) -> str:
    """CSS class of a status: "not-free"; "none" when unknown."""
    return (status or "none").lower().replace(" ", "-")

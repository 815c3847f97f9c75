"""Which countries the vendored world map can draw, and the key joining them to its shapes.

The map is world-atlas's countries-110m TopoJSON (Natural Earth 1:110m admin-0 units), whose
shapes carry ISO 3166-1 numeric ids; three de facto states have no id and go by their name.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pycountry

STATIC = Path(__file__).parent / "static"
ATLAS = STATIC / "vendor" / "world-atlas" / "countries-110m.json"
ATLAS_URL = "/static/vendor/world-atlas/countries-110m.json"

# fiw name -> shape key where the ISO code does not give it.
_BY_NAME = {
    "Kosovo": "Kosovo",  # no ISO numeric code; Natural Earth names the shape
    "Somaliland": "Somaliland",
    "Northern Cyprus": "N. Cyprus",
    "West Bank": "275",  # Natural Earth's "Palestine" shape (ISO 275) is the West Bank
}


@cache
def atlas_keys(path: Path = ATLAS) -> frozenset[str]:
    """Keys of the shapes in the map file, or an empty set when `make assets` has not run."""
    try:
        topology = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return frozenset()
    geometries = topology["objects"]["countries"]["geometries"]
    return frozenset(str(g.get("id") or g["properties"]["name"]) for g in geometries)


@cache
def shape_key(iso3: str | None, name: str) -> str | None:
    """The map shape key of a country: ISO numeric ("398" for KAZ) or a name for the few."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if not iso3:
        return None
    found = pycountry.countries.get(alpha_3=iso3)
    return str(found.numeric) if found is not None else None

"""The one JSON shape of analysis results: pydantic serialises the frozen dataclasses directly.

Field aliases (`before` is "from", `after` is "to") and computed fields (`change`) live on the
dataclasses, so `to_dict()` (the CLI's `--json`), the API and the pages' `.json` twins all
give the same keys for the same concept.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(kind: Any) -> TypeAdapter[Any]:
    """The pydantic adapter of a dataclass (or other type), built once per type and process."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def json_of(value: object) -> Any:
    """`value` as plain JSON-ready Python, keys spelled by their aliases."""
    return adapter(type(value)).dump_python(value, mode="json", by_alias=True)

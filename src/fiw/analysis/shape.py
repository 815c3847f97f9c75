"""The one JSON shape of analysis results: pydantic serialises the frozen dataclasses directly.

Field aliases (`before` is "from", `after` is "to") and computed fields (`change`) live on the
dataclasses, so `to_dict()` (the CLI's `--json`), the API and the pages' `.json` twins all
give the same keys for the same concept.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, TypeAdapter, computed_field

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


From = Field(serialization_alias="from")
"""The earlier value of a change: `before` in Python, "from" in JSON."""
To = Field(serialization_alias="to")
"""The later value of a change: `after` in Python, "to" in JSON."""
Hidden = Field(exclude=True)
"""A field kept for Python callers but left out of the JSON (whose shape is fixed)."""


class Shaped:
    """Base of the analysis results: `to_dict()` is the one JSON shape (`json_of`)."""

    def to_dict(self) -> dict[str, Any]:
        return dict(json_of(self))


class Moved(Shaped):
    """A value that moved from `before` to `after`: `change` is computed, and in the JSON."""

    before: int
    after: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def change(self) -> int:
        return self.after - self.before

"""The frames a Dataset hands out: its filter arguments read (one value or a list; statuses
by any spelling `Status.parse` takes; editions by year or label) and rows turned into a
DataFrame with typed columns. pandas is imported only when a frame is built."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from fiw.methodology import Status
from fiw.numerals import ascii_digits

if TYPE_CHECKING:
    import pandas as pd

NULLABLE_INTS = frozenset({"add_a", "pr_rating", "cl_rating", "order"})

Many = Any  # one value or an iterable of them
Wanted = dict[str, list[Any] | None]
"""A filter: for each column, the values allowed (None: any)."""


def many(value: object) -> list[Any] | None:
    """A filter argument as a list of values (None: no filter)."""
    if value is None:
        return None
    if isinstance(value, str | int) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _is_year(value: object) -> bool:
    """An int, or the text of one ("1984"; "1983-84" is a label)."""
    return isinstance(value, int) or ascii_digits(str(value).strip())


def edition_filter(value: object) -> tuple[list[int] | None, list[str]]:
    """An edition filter as publication years and labels: 1984 and "1984" are years,
    "1983-84" and "Jan.-Feb. 1973" labels."""
    values = many(value)
    if values is None:
        return None, []
    years = [int(v) for v in values if _is_year(v)]
    labels = [str(v).strip() for v in values if not _is_year(v)]
    return years, labels


def statuses(value: object) -> list[str] | None:
    """A status filter as stored values ("F", "PF", "NF"), whatever spelling was given."""
    values = many(value)
    return None if values is None else [Status.parse(str(v)).value for v in values]


def allowed(row: Mapping[str, object], wanted: Wanted) -> bool:
    """Whether a row passes a filter (the rows of a vintage, filtered in Python)."""
    return all(values is None or row[k] in values for k, values in wanted.items())


def frame_of(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """A DataFrame built column-wise: whole-number columns int64, or Int64 where nullable."""
    import pandas as pd

    array = cast(Any, pd.array)
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    built: dict[str, Any] = {}
    for name, values in zip(columns, data, strict=True):
        sample = next((v for v in values if v is not None), None)
        if isinstance(sample, int) or (sample is None and name in NULLABLE_INTS):
            dtype = "Int64" if name in NULLABLE_INTS or None in values else "int64"
            built[name] = array(values, dtype=dtype)
        else:
            built[name] = array(values, dtype="str")
    return pd.DataFrame(built, columns=list(columns))

"""Load the methodology data files shipped inside the package (one TOML file per index)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from fiw.methodology.model import Index

INDEXES = ("fiw", "fotn")


@cache
def load_index(index_id: str = "fiw") -> Index:
    """The validated rules of `index_id` ("fiw" or "fotn"), read once per process."""
    if index_id not in INDEXES:
        raise KeyError(f"unknown index {index_id!r}: expected one of {', '.join(INDEXES)}")
    text = resources.files("fiw.methodology.data").joinpath(f"{index_id}.toml").read_text("utf-8")
    return Index.model_validate(tomllib.loads(text))

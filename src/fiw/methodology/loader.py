"""Load the methodology data files shipped inside the package (one TOML file per index)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from fiw.errors import NotFoundError
from fiw.methodology.model import Index

INDEXES = ("fiw", "fotn")


class UnknownIndex(NotFoundError, KeyError):
    """An index id fiw has no rules for."""

    def __init__(self, index_id: str) -> None:
        self.where = "index"
        self.fix = f"use one of {', '.join(INDEXES)}"
        super().__init__(f"unknown index {index_id!r}: expected one of {', '.join(INDEXES)}")

    def __str__(self) -> str:
        return str(self.args[0])


@cache
def load_index(index_id: str = "fiw") -> Index:
    """The validated rules of `index_id` ("fiw" or "fotn"), read once per process."""
    if index_id not in INDEXES:
        raise UnknownIndex(index_id)
    text = resources.files("fiw.methodology.data").joinpath(f"{index_id}.toml").read_text("utf-8")
    return Index.model_validate(tomllib.loads(text))

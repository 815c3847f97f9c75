"""fiw: an open, exact and fast implementation of the Freedom in the World rating system."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fiw.store.dataset import Dataset

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(url: str | None = None) -> Dataset:
    """fiw's database as a Dataset: `url`, else FIW_DATABASE_URL, else the default SQLite file."""
    from fiw.store.dataset import open_dataset

    return open_dataset(url)

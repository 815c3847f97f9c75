"""Errors of the store: each message names the file or database and what to do."""

from __future__ import annotations

from pathlib import Path


class StoreError(RuntimeError):
    """Base class of the store's errors; the CLI prints them without a traceback."""


class DatabaseError(StoreError):
    """The database cannot be opened or is not ready; the message says what to do."""


class ImportFailed(StoreError):
    """A file cannot be imported; the database was left exactly as it was."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.detail = message
        super().__init__(f"{self.path.name}: {message}")


class CountryNotFound(StoreError, LookupError):
    """No country in the database has this id, ISO3 code or name."""

"""Errors of the store: each message names the file or database and what to do."""

from __future__ import annotations

from fiw.errors import FileError, FiwError, UnknownCountry


class StoreError(FiwError, RuntimeError):
    """Base class of the store's errors; the CLI prints them without a traceback."""


class DatabaseError(StoreError):
    """The database cannot be opened or is not ready; the message says what to do."""

    http_status = 503


class ImportFailed(StoreError, FileError):
    """A file cannot be imported; the database was left exactly as it was."""

    http_status = 422


CountryNotFound = UnknownCountry
"""The store's name for `fiw.errors.UnknownCountry` (one class for every unknown country)."""

"""Errors raised while reading a source file."""

from __future__ import annotations

from fiw.errors import FileError


class WorkbookError(FileError, ValueError):
    """A file cannot be read as the expected workbook; names the file and what was expected."""

    http_status = 422

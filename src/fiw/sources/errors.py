"""Errors raised while reading a source file."""

from __future__ import annotations

from pathlib import Path

from fiw.errors import FiwError


class WorkbookError(FiwError, ValueError):
    """A file cannot be read as the expected workbook; names the file and what was expected."""

    http_status = 422

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.reason = message
        self.where = str(path)
        super().__init__(f"{self.path.name}: {message}")

"""Errors raised while reading a source file."""

from __future__ import annotations

from pathlib import Path


class WorkbookError(ValueError):
    """A file cannot be read as the expected workbook; names the file and what was expected."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.detail = message
        super().__init__(f"{self.path.name}: {message}")

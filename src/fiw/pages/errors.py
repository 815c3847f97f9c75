"""Errors raised while reading a page: where (line number and text) and what was expected."""

from __future__ import annotations

from fiw.errors import FiwError


class ParseError(FiwError, ValueError):
    """A line the parser cannot place: its number (1-based), its text and what was expected."""

    def __init__(
        self, line_number: int, line: str, expected: str, source: str | None = None
    ) -> None:
        self.line_number = line_number
        self.line = line
        self.expected = expected
        self.source = source
        self.where = self._where()
        super().__init__(self._message())

    http_status = 422

    def _where(self) -> str:
        return (
            f"{self.source}, line {self.line_number}" if self.source else f"line {self.line_number}"
        )

    def _message(self) -> str:
        where = f"{self.source}, " if self.source else ""
        shown = self.line.strip()
        if len(shown) > 80:
            shown = shown[:77] + "..."
        found = f"found {shown!r}" if shown else "found an empty line or the end of the page"
        return f"{where}line {self.line_number}: expected {self.expected}; {found}"

    def __reduce__(self) -> tuple[type, tuple[int, str, str, str | None]]:
        return (type(self), (self.line_number, self.line, self.expected, self.source))

    def with_source(self, source: str) -> ParseError:
        """The same error naming the file it came from."""
        self.source = source
        self.where = self._where()
        self.args = (self._message(),)
        return self


class RefusedPage(ParseError):
    """Input that is not a Freedom in the World country report fiw can read, and why."""

    def __init__(self, line_number: int, line: str, reason: str, source: str | None = None) -> None:
        self.reason = reason
        super().__init__(line_number, line, reason, source)

    def __reduce__(self) -> tuple[type, tuple[int, str, str, str | None]]:
        return (type(self), (self.line_number, self.line, self.reason, self.source))

    def _message(self) -> str:
        where = f"{self.source}, " if self.source else ""
        return f"{where}line {self.line_number}: refused: {self.reason}"

"""The one base of fiw's library errors: what went wrong, where, and how to fix it.

Each face maps `FiwError` once: the CLI prints it without a traceback and exits with
`exit_code`; the web app answers `http_status` with the JSON error shape, naming `where`
(the parameter, file, line or field at fault).
"""

from __future__ import annotations


class FiwError(Exception):
    """A library error a user can act on.

    `where` names the place at fault (a file and line, a sheet and row, a parameter or
    field); `fix` says what to do about it. Subclasses set `exit_code` (CLI) and
    `http_status` (web) for their kind of failure.
    """

    exit_code: int = 2
    http_status: int = 400

    where: str | None = None
    fix: str | None = None

    def detail(self) -> str:
        """The message with the fix appended where the message does not already say it."""
        message = str(self)
        if self.fix and self.fix not in message:
            return f"{message}; {self.fix}"
        return message


class NotFoundError(FiwError):
    """Something asked for by name does not exist (a country, an edition, a report)."""

    http_status = 404

"""The one base of fiw's library errors: what went wrong, where, and how to fix it.

Each face maps `FiwError` once: the CLI prints it without a traceback and exits with
`exit_code`; the web app answers `http_status` with the JSON error shape, naming `where`
(the parameter, file, line or field at fault).
"""

from __future__ import annotations

from pathlib import Path


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


class ParameterError(FiwError):
    """An option or parameter with a value fiw cannot use: names it, the value and what was
    expected (a CLI option such as `--format`, or an API query parameter)."""

    http_status = 422

    def __init__(self, name: str, value: object, expected: str, fix: str | None = None) -> None:
        self.name = name
        self.value = value
        self.expected = expected
        self.where = name
        self.fix = fix
        super().__init__(f"{name} {value!r}: expected {expected}")


class UnknownCountry(NotFoundError, LookupError):
    """No country or territory has this id, ISO3 code or name: in the committed mapping
    (`fiw.sources.countries`) or in a database (`Dataset.country`)."""

    fix = "`fiw countries` lists them"

    def __init__(self, key: str, message: str | None = None, where: str | None = None) -> None:
        self.key = key
        self.where = where
        super().__init__(
            message
            or f"unknown country {key!r}: expected a country id such as 'kazakhstan' or an "
            "ISO 3166-1 alpha-3 code such as 'KAZ' (`fiw countries` lists them)"
        )


class FileError(FiwError):
    """Something wrong with one file: `path` and the `reason`. The message names the file by
    its name (`full_path`: by the path as given) and says what was expected."""

    full_path = False

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        self.where = str(path)
        super().__init__(f"{path if self.full_path else self.path.name}: {reason}")


class FileUnreadable(FileError):
    """A file named on the command line or in a request cannot be read (missing, a folder,
    not text, not JSON): names the file as given and why."""

    full_path = True

"""The workbench's errors: each a FiwError with the HTTP status the API answers."""

from __future__ import annotations

from typing import Any

from fiw.errors import FiwError, NotFoundError


class WorkbenchError(FiwError):
    """Something the workbench refuses; the message says what and why."""

    def __init__(self, message: str, *, where: str | None = None, fix: str | None = None):
        super().__init__(message)
        self.where = where
        self.fix = fix


class NotLoggedIn(WorkbenchError):
    """No session, an expired one, or bad credentials."""

    http_status = 401


class Forbidden(WorkbenchError):
    """The user's role or assignments do not allow this."""

    http_status = 403


class Missing(WorkbenchError, NotFoundError):
    """An unknown user, draft, edition or revision."""

    http_status = 404


class Throttled(WorkbenchError):
    """Too many failed logins for a name or an address: try again after `retry_after` s."""

    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, fix=f"wait {retry_after} s")
        self.retry_after = retry_after


class StateError(WorkbenchError):
    """The draft's review state does not allow the action (e.g. saving a submitted draft)."""

    http_status = 409


class Conflict(WorkbenchError):
    """A save based on a stale revision: `yours` is what was sent, `theirs` the current
    draft. Nothing was written."""

    http_status = 409

    def __init__(self, message: str, yours: dict[str, Any], theirs: dict[str, Any]) -> None:
        super().__init__(message, fix="reload the draft, merge your edit and save again")
        self.yours = yours
        self.theirs = theirs


class Invalid(WorkbenchError):
    """A draft with problems: every one is listed (field, value, expected)."""

    http_status = 422

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        lines = "; ".join(
            f"{p['field']}"
            + (f" = {p['value']!r}" if p.get("value") is not None else "")
            + f": {p['expected']}"
            for p in problems
        )
        super().__init__(f"{len(problems)} problem(s): {lines}")
        self.problems = problems

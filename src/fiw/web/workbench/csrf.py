"""CSRF protection for the workbench, deny by default: every POST, PUT, PATCH and DELETE
under /api/v1/workbench, /api/v1/auth (except login, which has no session yet) and
/workbench (except the login form) must carry the session's token, in the X-CSRF-Token
header or, from an HTML form, a `csrf_token` field; otherwise 403. A request without a
session passes on, so that the route answers it 401 (or a redirect to the login page).
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qs

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fiw.web.workbench.auth import STATE_KEY, request_login
from fiw.workbench.errors import NotLoggedIn

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROTECTED = ("/api/v1/workbench", "/api/v1/auth", "/workbench")
EXEMPT = frozenset({"/api/v1/auth/login", "/workbench/login"})
HEADER = "x-csrf-token"
FIELD = "csrf_token"
MAX_FORM = 1_000_000


def protected(method: str, path: str) -> bool:
    """Whether a request must carry the CSRF token."""
    if method not in UNSAFE or path in EXEMPT:
        return False
    return any(path == p or path.startswith(p + "/") for p in PROTECTED)


class CSRFMiddleware:
    """Refuse unsafe workbench requests whose token does not match the session's (403)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not protected(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            login = await to_thread.run_sync(request_login, request)
        except NotLoggedIn:
            await self.app(scope, receive, send)  # the route answers 401 / redirects
            return
        scope.setdefault("state", {})[STATE_KEY] = login
        sent = request.headers.get(HEADER)
        body: bytes | None = None
        if sent is None and request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            body = await _read_body(receive)
            fields = parse_qs(body.decode("latin-1"), keep_blank_values=True)
            values = fields.get(FIELD)
            sent = values[0] if values else None
        if sent is None or not hmac.compare_digest(sent.encode(), login.csrf_token.encode()):
            await _refuse(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive) if body is not None else receive, send)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_FORM:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    done = False

    async def replay() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    message = "missing or wrong CSRF token: send the session's token in the X-CSRF-Token header"
    response: Any
    if scope["path"].startswith("/api/"):
        response = JSONResponse({"error": {"status": 403, "message": message}}, status_code=403)
    else:
        response = PlainTextResponse(message, status_code=403)
    await response(scope, receive, send)

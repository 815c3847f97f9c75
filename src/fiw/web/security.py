"""The explorer's HTTP hardening, as one plain ASGI middleware (outermost, so that it sees
every response, cached or not).

- Security headers on every response: a strict Content-Security-Policy (no inline script or
  style: the explorer's pages load only their own files; `/api/docs`, Swagger UI, also gets
  inline styles, which it needs; a route that sets a policy of its own, such as a workbench
  draft's export, keeps it, with `frame-ancestors 'none'` added), `X-Content-Type-Options: nosniff`,
  `frame-ancestors 'none'` and `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, and
  `Cache-Control: no-store` on errors.
- HEAD on every GET route (answered as the GET, without the body), and OPTIONS on every path
  that exists (204 with `Allow`), instead of 405.
- Bounds on what a request may send before any view runs: the URL's length (414), the
  number of query parameters and NUL characters in them (422), over-long numbers and NUL
  characters in the path (404), answered in the app's one error shape.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fiw.web.errors import error_response

MAX_URL_BYTES = 8192  # path plus query string: every page's address fits in a tenth of it
MAX_PARAMETERS = 64  # compare takes six countries; no form has more than eight fields
MAX_PATH_DIGITS = 9  # numbers in a path are editions (years) or orders
LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_PATH_DIGITS + 1},}}")
TOO_LONG = f"The address (path and query) is longer than {MAX_URL_BYTES:,} bytes"
"""What a 414 means: the OpenAPI spec declares it on every operation, as every request can."""

_BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",  # blob: the chart's PNG download is drawn from one
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(**changes: str) -> str:
    return "; ".join(f"{k} {v}" for k, v in {**_BASE, **changes}.items())


CSP = _policy()
# Swagger UI (vendored) sets style attributes and draws icons as data: URLs.
DOCS_CSP = _policy(**{"style-src": "'self' 'unsafe-inline'"})
DOCS_PATH = "/api/docs"

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def policy_for(path: str) -> str:
    """The Content-Security-Policy of a path."""
    return DOCS_CSP if path == DOCS_PATH else CSP


def install(app: FastAPI) -> None:
    """Wrap the whole app, Starlette's server-error handler included, so that even a 500
    carries the headers."""
    build = app.build_middleware_stack

    def wrapped() -> ASGIApp:
        return SecurityHeaders(build())

    app.build_middleware_stack = wrapped  # type: ignore[method-assign]


class SecurityHeaders:
    """Headers, HEAD, OPTIONS and request bounds for every request (see the module's doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        head = method == "HEAD"
        csp = policy_for(scope["path"])

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                own = headers.get("content-security-policy")  # a route's stricter policy
                if own is None:
                    headers["Content-Security-Policy"] = csp
                elif "frame-ancestors" not in own:
                    headers["Content-Security-Policy"] = f"{own}; frame-ancestors 'none'"
                for key, value in HEADERS.items():
                    headers[key] = value
                if message["status"] >= 400:
                    headers["Cache-Control"] = "no-store"
                if message["status"] == 405 and "allow" in headers:
                    allowed = headers["allow"].split(", ")
                    extra = ["HEAD"] if "GET" in allowed else []
                    headers["Allow"] = ", ".join([*allowed, *extra, "OPTIONS"])
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, secured)
            return
        if method == "OPTIONS":
            allowed = self._allowed(scope)
            if allowed:
                await secured({"type": "http.response.start", "status": 204,
                               "headers": [(b"allow", ", ".join(allowed).encode())]})  # fmt: skip
                await secured({"type": "http.response.body", "body": b""})
                return
        if head:
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, secured)

    def _refusal(self, scope: Scope) -> ASGIApp | None:
        """An error response for a request beyond the bounds, or None."""
        path: str = scope["path"]
        query: bytes = scope["query_string"]
        if len(path.encode("utf-8", "surrogateescape")) + len(query) > MAX_URL_BYTES:
            status, message, where = 414, TOO_LONG[0].lower() + TOO_LONG[1:], None
        elif "\x00" in path:  # PostgreSQL refuses NUL in any text: no key can hold one
            status, message, where = (
                404,
                "no page at this address: it holds a NUL character",
                "path",
            )
        elif b"%00" in query or b"\x00" in query:
            status, where = 422, "query"
            message = "a query parameter holds a NUL character (%00): no value fiw takes can"
        elif LONG_NUMBER.search(path):
            status, where = 404, "path"  # like any edition that does not exist
            message = (f"no page at this address: numbers in a path have at most "
                       f"{MAX_PATH_DIGITS} digits (an edition is a year such as 2024)")  # fmt: skip
        elif query.count(b"&") + 1 > MAX_PARAMETERS:
            status, message, where = 422, f"more than {MAX_PARAMETERS} query parameters", "query"
        else:
            return None
        return error_response(Request(scope), status, message, where)

    def _allowed(self, scope: Scope) -> list[str]:
        """The methods a path answers (GET implies HEAD; OPTIONS always), none when unknown.
        Each method is tried against the routes (included routers match as a whole)."""
        routes = scope["app"].router.routes
        allowed = []
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            probe = {**scope, "method": method}
            for route in routes:
                if isinstance(route, Mount) and method != "GET":
                    continue  # static files: GET and HEAD only
                if route.matches(probe)[0] is Match.FULL:
                    allowed.append(method)
                    break
        if not allowed:
            return []
        if "GET" in allowed:
            allowed.insert(1, "HEAD")
        return [*allowed, "OPTIONS"]

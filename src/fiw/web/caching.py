"""ETag and Cache-Control for GET responses, as a plain ASGI middleware (fast, no buffering of
streamed files). A matching If-None-Match gets a 304 with no body."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

VENDOR_MAX_AGE = 86400
PAGE_MAX_AGE = 60


def cache_control(path: str) -> str:
    """Vendored packages change only with package-lock.json; data changes only on import."""
    if path.startswith("/static/vendor/"):
        return f"public, max-age={VENDOR_MAX_AGE}"
    if path.startswith("/static/"):
        return "public, max-age=3600"
    return f"public, max-age={PAGE_MAX_AGE}"


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 8.8.3.2), as gzip may change the bytes."""
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


class CacheHeaders:
    """Add a weak ETag (a hash of the body) and Cache-Control to successful GET responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        if_none_match = request_headers.get(b"if-none-match", b"").decode("latin-1")
        path: str = scope["path"]
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passthrough = scope["method"] == "HEAD"  # no body to hash

        async def wrapped(message: Message) -> None:
            nonlocal passthrough
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] == 200 and "cache-control" not in headers:
                    headers["Cache-Control"] = cache_control(path)
                if passthrough or message["status"] != 200 or "etag" in headers:
                    passthrough = True
                    await send(message)
                else:
                    start.update(message)
                return
            if passthrough or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
            headers = MutableHeaders(scope=start)
            headers["ETag"] = etag
            if if_none_match and _matches(if_none_match, etag):
                start["status"] = 304
                del headers["content-length"]
                if "content-type" in headers:
                    del headers["content-type"]
                await send(start)
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, wrapped)

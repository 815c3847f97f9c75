"""ETag and Cache-Control for GET responses, as a plain ASGI middleware (fast, no buffering of
streamed files). A matching If-None-Match gets a 304 with no body."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

VENDOR_MAX_AGE = 86400
PAGE_MAX_AGE = 60


PRIVATE = ("/api/v1/workbench", "/api/v1/auth", "/workbench")


def private(path: str) -> bool:
    """The workbench's answers depend on who asks: never cached, never shared."""
    return path.startswith(PRIVATE)


def cache_control(path: str) -> str:
    """Vendored packages change only with package-lock.json; data changes on import and
    publish; workbench answers are private."""
    if private(path):
        return "no-store"
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


class ResponseCache:
    """Keep finished GET responses (already compressed) in memory, by URL and gzip support.

    The data only changes on import, so a page rendered once can be answered again from
    memory; `clear()` drops everything (call it after an import). Static files are left to
    StaticFiles, and only complete 200 responses up to `max_body` bytes are kept.
    """

    def __init__(self, app: ASGIApp, max_entries: int = 512, max_body: int = 2_000_000) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_body = max_body
        self._entries: OrderedDict[tuple[int, str, bytes, bool], tuple[Message, bytes, str]] = (
            OrderedDict()
        )

    def clear(self) -> None:
        self._entries.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith("/static/")
            or private(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"")
        # a new snapshot (after an import or a publish) has a new generation: new keys
        generation = getattr(scope["app"].state, "generation", 0) if "app" in scope else 0
        key = (generation, scope["path"], scope["query_string"], gzip_ok)
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            start, body, etag = hit
            if_none_match = headers.get(b"if-none-match", b"").decode("latin-1")
            if if_none_match and _matches(if_none_match, etag):
                await send(_not_modified(start))
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return

        start_message: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start_message.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start_message, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[int, str, bytes, bool], start: Message, body: bytes) -> None:
        etag = MutableHeaders(scope=start).get("etag")
        if start.get("status") != 200 or etag is None or len(body) > self.max_body:
            return
        self._entries[key] = (dict(start), body, etag)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


def _not_modified(start: Message) -> Message:
    message = dict(start)
    message["status"] = 304
    message["headers"] = [
        (k, v)
        for k, v in start["headers"]
        if k.lower() not in (b"content-length", b"content-type", b"content-encoding")
    ]
    return message

"""Schemathesis against the OpenAPI spec of a running `fiw serve`: every documented operation,
with generated parameters (bounded examples), answers as its schema says and never with a 5xx.

(schemathesis's pytest plugin does not work with this pytest, so each operation's Hypothesis
strategy is run directly, with the same checks as `schemathesis run`.)

The refusals 414 (the security layer, before any view) and 429 (every search slot taken) are
checked route by route from the app's own route list: declared where they happen, in the one
error shape."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from hypothesis import HealthCheck, given, settings

from fiw.settings import Settings
from fiw.store.database import make_engine
from fiw.store.migrate import upgrade
from fiw.web import create_app
from fiw.web.security import MAX_URL_BYTES
from fiw.web.views import search
from tests.web_server import ThreadServer, first_start

__all__ = ["first_start"]  # fixture
EXAMPLES = 40


def test_api_conforms_to_its_openapi_spec(first_start: tuple[str, object]) -> None:
    schema = schemathesis.openapi.from_url(f"{first_start[0]}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate()

        try:
            conforms()
        except Exception as exc:  # every operation is checked; all failures are reported
            failures.append(f"{operation.label}: {exc}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


# --- the refusals every route can give: declared in the spec, in the one error shape ----------

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    """The app over an empty store, served by uvicorn in a thread: its own route list and a
    server to ask (the refusals come before any view reads data)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('refusals') / 'empty.sqlite'}"
    upgrade(make_engine(url))
    app = create_app(Settings(database_url=url), watch=False)
    with ThreadServer(app) as served:
        yield app, served.url


def _routes(app: FastAPI) -> list[APIRoute]:
    """The app's own API routes, those of included routers too (FastAPI keeps an included
    router as one entry of `app.routes`)."""
    found = []
    for route in app.routes:
        inner = [c.original_route for c in iter_route_contexts([route])]
        found += [r for r in inner if isinstance(r, APIRoute)]
    return found


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, the spec's operation) for every route of the app in its spec."""
    spec = app.openapi()
    found = [
        (method, route.path, spec["paths"][route.path][method.lower()])
        for route in _routes(app)
        if route.include_in_schema
        for method in sorted(route.methods or ())
    ]
    assert len(found) >= 10
    assert {path for _, path, _ in found} == set(spec["paths"])
    return found


def _call(base: str, method: str, path: str, operation: dict[str, Any], **query: str) -> Any:
    """The operation asked with its required parameters (path segments "x", `q` a word)."""
    filled = re.sub(r"\{[^}]+\}", "x", path)
    params = (
        {"q": "journalists"}
        if any(p["name"] == "q" for p in operation.get("parameters", []))
        else {}
    )
    return httpx.request(method, base + filled, params={**params, **query}, timeout=30)


def _error_shape(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text[:200]
    error = response.json()["error"]
    assert (
        error["status"] == status
        and error["message"]
        and set(error) == {"status", "message", "where"}
    )


def test_every_route_declares_and_answers_414_for_an_overlong_address(
    served_app: tuple[FastAPI, str],
) -> None:
    app, base = served_app
    for method, path, operation in _operations(app):
        declared = operation["responses"].get("414")
        assert declared is not None, f"{method} {path} does not declare 414"
        assert declared["content"]["application/json"]["schema"] == ERROR_BODY
        response = _call(base, method, path, operation, pad="a" * MAX_URL_BYTES)
        _error_shape(response, 414)


def test_the_routes_that_declare_429_are_those_that_answer_it(
    served_app: tuple[FastAPI, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every search slot taken, exactly the routes whose spec declares 429 answer it,
    in the error shape (`where`: q)."""
    app, base = served_app
    monkeypatch.setattr(search, "SEARCH_WAIT", 0.05)
    held = 0
    while search.SEARCH_SLOTS.acquire(blocking=False):
        held += 1
    try:
        declared, answered = set(), set()
        for method, path, operation in _operations(app):
            if "429" in operation["responses"]:
                assert (
                    operation["responses"]["429"]["content"]["application/json"]["schema"]
                    == ERROR_BODY
                )
                declared.add(f"{method} {path}")
            response = _call(base, method, path, operation)
            if response.status_code == 429:
                _error_shape(response, 429)
                assert response.json()["error"]["where"] == "q"
                answered.add(f"{method} {path}")
    finally:
        for _ in range(held):
            search.SEARCH_SLOTS.release()
    assert declared == answered == {"GET /api/v1/search"}

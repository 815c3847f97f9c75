"""Web fuzz, bounded: every operation of the OpenAPI spec (schemathesis) and every HTML page
and twin (every path and query parameter of every route, read from the app's routers) with
oversized, malformed and hostile values, against a real `fiw serve` on SQLite and PostgreSQL.
No response may be a 5xx, and every response carries the security headers.

The budget is fixed (EXAMPLES generated requests per operation or route, no deadline), so the
file takes about the same time on every run."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
import schemathesis
from httpx._urlparse import MAX_URL_LENGTH  # what the client will send at most
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from fiw.web.views import (
    assessments,
    changes,
    compare,
    countries,
    country,
    home,
    methodology,
    search,
    trends,
)
from tests.reports_data import reports_url
from tests.test_web_security import check_header_values, check_headers
from tests.web_server import client, server

__all__ = ["client", "reports_url", "server"]  # fixtures
EXAMPLES = 12  # per route and per API operation, on each backend
VIEWS = (home, countries, country, compare, methodology, assessments, search, changes, trends)

HOSTILE = [
    "", " ", "9" * 5000, "-1", "0", "2024.5", "1e309", "NaN", "２０２４", "²", "٢٠٢٤", "0x7e8",
    "<script>alert(1)</script>", "\"'><svg onload=alert(1)>", "%00", "\x00", "\u202e\ufeff",
    "../../etc/passwd", "a" * 2048, "\U00010400" * 600, "a* b* c* d* e* f* g* h*", '"', '"*',
    "kazakhstan", "KAZ", "2024", "1973", "Not Free", "nf", "Europe", "csv", "json", "A1",
    " ".join(["word"] * 3000), "é" * 4000, "*", "'; DROP TABLE countries; --", "%s%n",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def page_routes() -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameters, query parameters) of every HTML page and twin."""
    found = []
    for module in VIEWS:
        for route in module.router.routes:
            if isinstance(route, Route) and not route.include_in_schema:
                dependant: Any = route.dependant  # type: ignore[attr-defined]
                found.append((
                    route.path,
                    [p.name for p in dependant.path_params],
                    [p.alias for p in dependant.query_params],
                ))  # fmt: skip
    return found


PAGES = page_routes()


def test_the_fuzzed_routes_are_every_page_and_twin() -> None:
    paths = {path for path, _, _ in PAGES}
    assert {"/", "/countries", "/country/{key}/{edition:int}", "/search.json"} <= paths
    assert len(PAGES) >= 20


def _address(path: str, path_values: dict[str, str]) -> str:
    for name, value in path_values.items():
        path = path.replace(f"{{{name}:int}}", quote(value, safe="")).replace(
            f"{{{name}}}", quote(value, safe="")
        )
    return path


@pytest.mark.parametrize(("path", "path_names", "query_names"), PAGES, ids=[p for p, _, _ in PAGES])
def test_pages_answer_hostile_values_without_a_5xx(
    client: httpx.Client, path: str, path_names: list[str], query_names: list[str]
) -> None:
    seen: list[str] = []

    @given(
        path_values=st.fixed_dictionaries({n: VALUES for n in path_names}),
        query=st.dictionaries(st.sampled_from(query_names or ["x"]), VALUES, max_size=4)
        if query_names
        else st.just({}),
        method=st.sampled_from(["GET", "GET", "HEAD"]),
    )
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def answers(path_values: dict[str, str], query: dict[str, str], method: str) -> None:
        address = _address(path, path_values)
        if query:
            address += "?" + urlencode(query)
        # httpx refuses to send an address past its own limit; the app's 414 starts far below
        assume(len(address) <= MAX_URL_LENGTH)
        response = client.request(method, address)
        seen.append(address)
        assert response.status_code < 500, f"{method} {address[:300]}: {response.text[:300]}"
        check_headers(response)

    answers()
    assert len(seen) >= EXAMPLES // 2


def test_api_answers_every_generated_request_without_a_5xx(server: str) -> None:
    """Schemathesis over every operation, with the spec's own values and mutated ones
    (negative testing): a 4xx or a conforming answer, never a 5xx, headers on all."""
    schema = schemathesis.openapi.from_url(f"{server}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = []
    modes = schemathesis.GenerationMode
    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(modes.POSITIVE), operation.as_strategy(modes.NEGATIVE)
        )

        @given(case=cases)
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers(case: schemathesis.Case) -> None:
            response = case.call(base_url=server, timeout=30)
            where = f"{case.method} {case.path} {case.path_parameters} {case.query}"[:300]
            assert response.status_code < 500, f"{where}: {response.text[:300]}"
            headers = {k: v[0] for k, v in response.headers.items()}
            check_header_values(response.status_code, headers, where)

        try:
            answers()
        except Exception as exc:  # every operation is tried; all failures are reported
            failures.append(f"{operation.label}: {exc}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)

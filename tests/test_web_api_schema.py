"""Schemathesis against the OpenAPI spec of a running `fiw serve`: every documented operation,
with generated parameters (bounded examples), answers as its schema says and never with a 5xx.

(schemathesis's pytest plugin does not work with this pytest, so each operation's Hypothesis
strategy is run directly, with the same checks as `schemathesis run`.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.web_server import first_start

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

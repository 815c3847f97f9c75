"""The assistant's API through a real `fiw serve`: `POST /api/v1/assist/suggest` and
`GET /api/v1/assist/check?edition=`, and the one error shape when the model is missing."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fiw.pages import parse_file
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from tests.assist_data import COUNTRIES, Slice, assist_slice
from tests.web_server import start_server, stop


def _serve(env: dict[str, str]) -> Iterator[httpx.Client]:
    process, base = start_server(env)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client
    finally:
        stop(process)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path], assist_slice: Slice
) -> Iterator[tuple[httpx.Client, Slice]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('assist-web') / 'fiw.sqlite'}"
    engine = make_engine(url)
    import_files(engine, [*workbooks, assist_slice.pages])
    engine.dispose()
    env = {"FIW_DATABASE_URL": url, "FIW_ASSIST_MODEL": str(assist_slice.model_path)}
    for client in _serve(env):
        yield client, assist_slice


def test_api_check_lists_the_most_suspicious_cells(served: tuple[httpx.Client, Slice]) -> None:
    client, _ = served
    response = client.get("/api/v1/assist/check", params={"edition": 2023, "top": 5})
    assert response.status_code == 200, response.text
    rows = response.json()
    assert len(rows) == 5
    assert [r["suspicion"] for r in rows] == sorted((r["suspicion"] for r in rows), reverse=True)
    assert {r["country_id"] for r in rows} <= set(COUNTRIES)


def test_api_check_refuses_an_edition_the_model_was_trained_on(
    served: tuple[httpx.Client, Slice],
) -> None:
    client, _ = served
    response = client.get("/api/v1/assist/check", params={"edition": 2022})
    assert response.status_code == 409
    assert "fiw assist train --until 2022" in response.json()["error"]["message"]


def test_api_suggest_reads_one_narrative(served: tuple[httpx.Client, Slice]) -> None:
    client, data = served
    item = parse_file(data.pages / "2023" / "kazakhstan.txt").indicator("C2")
    body = {"indicator": "C2", "text": " ".join(item.paragraphs), "score": item.score}
    response = client.post("/api/v1/assist/suggest", json=body)
    assert response.status_code == 200, response.text
    row = response.json()
    assert row["indicator"] == "C2" and len(row["probabilities"]) == 5
    assert row["suspicion"] == pytest.approx(1 - row["probabilities"][item.score], abs=1e-3)


def test_api_suggestion_is_the_library_type_as_its_spec_says(
    served: tuple[httpx.Client, Slice],
) -> None:
    """One type: the API answers `fiw.assist.Suggestion` serialised (the CLI's `--json`), and
    the OpenAPI spec names that type's fields, no more (`previous` stays out)."""
    from fiw.assist import load, suggest_text

    client, data = served
    item = parse_file(data.pages / "2023" / "kazakhstan.txt").indicator("B3")
    text = " ".join(item.paragraphs)
    response = client.post(
        "/api/v1/assist/suggest", json={"indicator": "B3", "text": text, "score": item.score}
    )
    assert response.status_code == 200, response.text
    row = response.json()
    expected = suggest_text(load(data.model_path), "B3", text, score=item.score)
    assert row == expected.to_json()
    assert "previous" not in row and all(p == round(p, 4) for p in row["probabilities"])
    spec = client.get("/api/openapi.json").json()
    schema = spec["components"]["schemas"]["Suggestion"]
    assert list(schema["properties"]) == list(row)
    assert all(field.get("description") for name, field in schema["properties"].items()
               if name not in ("country_id", "country", "edition"))  # fmt: skip
    for path in ("/api/v1/assist/suggest", "/api/v1/assist/check"):
        operations = spec["paths"][path]
        (operation,) = operations.values()
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "Suggestion" in str(ok)


def test_api_suggest_rejects_an_unknown_indicator(served: tuple[httpx.Client, Slice]) -> None:
    client, _ = served
    response = client.post("/api/v1/assist/suggest", json={"indicator": "Z9", "text": "x"})
    assert response.status_code == 422
    assert "Z9" in response.json()["error"]["message"]


def test_api_suggest_spec_names_the_codes_and_the_score_range(
    served: tuple[httpx.Client, Slice],
) -> None:
    """The spec lists the 25 codes and the 0–4 range, so a request the spec allows is one the
    API accepts; a score out of range is refused by field name."""
    from fiw.methodology import INDICATORS

    client, _ = served
    spec = client.get("/api/openapi.json").json()
    fields = spec["components"]["schemas"]["SuggestRequest"]["properties"]
    assert fields["indicator"]["enum"] == list(INDICATORS)
    for name in ("score", "previous_score"):
        (number,) = (kind for kind in fields[name]["anyOf"] if kind.get("type") == "integer")
        assert (number["minimum"], number["maximum"]) == (0, 4)
    response = client.post(
        "/api/v1/assist/suggest", json={"indicator": "B3", "text": "x", "score": 5}
    )
    assert response.status_code == 422
    assert "score" in response.json()["error"]["message"]


def test_api_without_a_model_answers_409_naming_train(
    tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('assist-none') / 'fiw.sqlite'}"
    engine = make_engine(url)
    import_files(engine, workbooks)
    engine.dispose()
    folder = tmp_path_factory.mktemp("no-model")
    env = {
        "FIW_DATABASE_URL": url,
        "FIW_ASSIST_MODEL": str(folder / "absent.joblib"),
        "FIW_PAGES_DIR": str(folder / "none"),  # no pages folder: serve imports none
    }
    for client in _serve(env):
        response = client.get("/api/v1/assist/check", params={"edition": 2023})
        assert response.status_code == 409
        assert "fiw assist train" in response.json()["error"]["message"]

"""One shape per concept in `fiw.analysis`: results serialise through pydantic with the same
keys as `to_dict()`; a change is from/to/change wherever it appears; errors name the argument
at fault; and the computations the web views used to do themselves (changes against the
previous edition, a country's own changes, status counts) live here."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from fiw.analysis import (
    AnalysisError,
    EditionNotFound,
    TotalChange,
    country_changes,
    edition_changes,
    long_run,
    previous_totals,
    status_counts,
    transitions,
    trends,
)
from fiw.analysis.shape import adapter, json_of
from fiw.errors import FiwError
from fiw.methodology import INDICATORS, SCORE_COLUMNS, STATUSES, SUBCATEGORIES
from tests.test_analysis import row, small_scores


def test_score_columns_are_the_stores_columns_in_order() -> None:
    from fiw.store.dataset import SCORES_COLUMNS

    assert SCORE_COLUMNS == SCORES_COLUMNS
    assert SCORE_COLUMNS[6 : 6 + len(INDICATORS)] == INDICATORS
    assert set(SUBCATEGORIES) < set(SCORE_COLUMNS)
    assert list(row("x", 2020)) == list(SCORE_COLUMNS)  # the tests' frames have that shape too


def test_a_change_has_one_shape_in_python_and_json() -> None:
    change = TotalChange("Alpha", "alpha", 50, 53)
    assert (change.before, change.after, change.change) == (50, 53, 3)
    shape = {"country": "Alpha", "id": "alpha", "from": 50, "to": 53, "change": 3}
    assert change.to_dict() == shape
    assert json_of(change) == shape
    assert adapter(TotalChange).dump_json(change, by_alias=True) == (
        b'{"country":"Alpha","id":"alpha","from":50,"to":53,"change":3}'
    )


def test_edition_changes_serialise_as_their_documented_json() -> None:
    result = edition_changes(small_scores(), 2020)
    body = json_of(result)
    assert body == result.to_dict()
    assert list(body) == [
        "edition", "improved", "declined", "unchanged", "status_changes", "net_decline",
    ]  # fmt: skip
    assert body["status_changes"] == [
        {"country": "Delta", "id": "delta", "from": "Partly Free", "to": "Not Free"}
    ]


def test_long_run_serialises_the_span_and_its_runs() -> None:
    result = long_run(small_scores(), 2019, 2020)
    body = result.to_dict()
    assert (body["from"], body["to"]) == (2019, 2020)
    assert [c["id"] for c in body["gains"]] == ["alpha"]
    run = body["decline_runs"][0]
    assert set(run) == {"country", "id", "editions", "first", "last", "from", "to", "change",
                        "ongoing"}  # fmt: skip
    assert run["change"] == run["to"] - run["from"] < 0


def test_trend_points_are_flat_in_json() -> None:
    point = trends(small_scores()).points[0]
    assert point.to_dict() == {
        "edition": point.edition, "region": point.region, "entities": point.entities,
        **point.averages,
    }  # fmt: skip


def test_previous_totals_pair_each_entity_with_the_edition_before() -> None:
    found = previous_totals(small_scores())
    by_id = {r["country_id"]: r for r in found.to_dict("records")}
    assert set(by_id) == {"alpha", "beta", "gamma", "delta", "zeta", "terra"}  # not epsilon
    assert (by_id["delta"]["previous_status"], by_id["delta"]["change"]) == ("Partly Free", -4)
    assert by_id["terra"]["change"] == 3  # territories too
    assert all(r["edition"] == 2020 for r in by_id.values())


def test_country_changes_rank_one_countrys_steps() -> None:
    frame = pd.DataFrame(
        [row("kappa", 2018), row("kappa", 2019, A1=0), row("kappa", 2020, A1=0, A2=0),
         row("kappa", 2021, A1=3), row("other", 2019)]
    )  # fmt: skip
    found = country_changes(frame, "kappa", limit=2)
    # totals 50, 48, 46, 51: equal declines list the later first
    assert [(s.edition, s.change) for s in found.declines] == [(2020, -2), (2019, -2)]
    assert [(s.edition, s.change) for s in found.gains] == [(2021, 5)]
    assert found.span is not None and (found.span.before, found.span.after) == (50, 51)
    assert found.span_from == 2018
    assert found.longest_decline is not None and found.longest_decline.length == 2
    body = found.to_dict()
    assert body["declines"][0] == {"edition": 2020, "previous": 2019, "from": 48, "to": 46,
                                   "change": -2}  # fmt: skip
    assert body["longest_decline"]["editions"] == 2
    assert country_changes(frame, "other").to_dict() == {
        "country_id": "other", "gains": [], "declines": [], "span": None, "span_from": None,
        "longest_decline": None,
    }  # fmt: skip


def test_status_counts_follow_the_status_order_and_skip_unrated() -> None:
    counts = status_counts(["Not Free", "Free", None, "Free"])
    assert counts == {"Free": 2, "Partly Free": 0, "Not Free": 1}
    assert list(counts) == list(STATUSES)


@pytest.mark.parametrize(
    ("call", "kind", "where"),
    [
        (lambda s: edition_changes(s, 1999), EditionNotFound, "edition"),
        (lambda s: edition_changes(s, 2019), EditionNotFound, "edition"),
        (lambda s: long_run(s, 2019, 2031), EditionNotFound, "to"),
        (lambda s: long_run(s, 1999, 2020), EditionNotFound, "from"),
        (lambda s: long_run(s, 2020, 2019), AnalysisError, "from"),
        (lambda s: trends(s, "Atlantis"), AnalysisError, "region"),
    ],
)
def test_analysis_errors_name_the_argument_at_fault(
    call: Callable[[pd.DataFrame], object], kind: type[AnalysisError], where: str
) -> None:
    with pytest.raises(kind) as caught:
        call(small_scores())
    error = caught.value
    assert isinstance(error, FiwError) and error.where == where
    assert error.http_status == (404 if isinstance(error, EditionNotFound) else 422)
    assert isinstance(error, ValueError)  # callers that caught ValueError still do


def test_an_unknown_edition_of_the_history_names_its_end() -> None:
    ratings = pd.DataFrame(
        [{"country_id": "a", "name": "A", "kind": "country", "edition_label": "2024",
          "order": 51, "pr_rating": 1, "cl_rating": 1, "status": "Free"}]
    )  # fmt: skip
    with pytest.raises(EditionNotFound) as caught:
        transitions(ratings, "2024", "2031")
    assert caught.value.where == "to" and caught.value.http_status == 404

"""The methodology data and the scoring engine."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fiw.methodology import (
    Index,
    ScoreError,
    Status,
    load_index,
    rating,
    score,
    status_for_total,
    statuses_for_ratings,
)

FIW = load_index("fiw")
FOTN = load_index("fotn")
CODES = FIW.indicator_codes()
WORSE = {Status.FREE: 0, Status.PARTLY_FREE: 1, Status.NOT_FREE: 2}


def raw_data(index_id: str) -> dict[str, object]:
    text = resources.files("fiw.methodology.data").joinpath(f"{index_id}.toml").read_text()
    return tomllib.loads(text)


# --- the data file ----------------------------------------------------------------------


def test_fiw_has_seven_subcategories_with_their_maxima() -> None:
    assert [(c.code, c.max) for c in FIW.categories] == [
        ("A", 12),
        ("B", 16),
        ("C", 12),
        ("D", 16),
        ("E", 12),
        ("F", 16),
        ("G", 16),
    ]
    assert FIW.categories[0].name == "Electoral Process"
    assert FIW.categories[-1].name == "Personal Autonomy and Individual Rights"


def test_fiw_has_25_indicators_scored_0_to_4() -> None:
    assert len(CODES) == 25
    assert CODES[:3] == ("A1", "A2", "A3") and CODES[-1] == "G4"
    assert {(i.min, i.max) for i in FIW.indicators} == {(0, 4)}


@pytest.mark.parametrize("edition", range(2013, 2031))
def test_every_indicator_has_exactly_one_wording_per_edition(edition: int) -> None:
    for indicator in FIW.indicators:
        matching = [q for q in indicator.questions if q.covers(edition)]
        assert len(matching) == 1, (indicator.code, edition, matching)


def test_wording_before_2018_is_marked_unconfirmed() -> None:
    for indicator in FIW.indicators:
        assert indicator.question(2017).confidence == "unconfirmed"  # type: ignore[union-attr]
        assert indicator.question(2018).confidence == "source"  # type: ignore[union-attr]


def test_b3_wording_changes_in_2020_and_b4_in_2021() -> None:
    b3, b4 = FIW.indicator("B3"), FIW.indicator("B4")
    assert b3.question(2019) != b3.question(2020)
    assert b3.question(2020) == b3.question(2024)
    assert b4.question(2020) != b4.question(2021)
    assert "LGBT+" in b4.question(2021).text  # type: ignore[union-attr]


def test_every_indicator_has_a_guidance_paraphrase() -> None:
    assert all(len(i.guidance) > 20 for i in FIW.indicators)


def test_q_subtracts_up_to_4_and_add_a_ends_with_2017() -> None:
    q = next(d for d in FIW.discretionary if d.code == "Q")
    add_a = next(d for d in FIW.discretionary if d.code == "ADD_A")
    assert (q.sign, q.min, q.max, q.last) == (-1, 0, 4, None)
    assert (add_a.sign, add_a.last) == (1, 2017)
    assert [d.code for d in FIW.discretionary_for(2018)] == ["Q"]


@pytest.mark.parametrize("aggregate, low, high", [("PR", -4, 40), ("CL", 0, 60)])
def test_rating_bands_cover_every_score_once(aggregate: str, low: int, high: int) -> None:
    scale = FIW.rating_scale(aggregate, 2024)
    assert scale is not None
    for value in range(low, high + 1):
        assert sum(b.min <= value <= b.max for b in scale.bands) == 1, value
    assert sorted(b.rating for b in scale.bands) == list(range(1, 8))


@pytest.mark.parametrize("edition, either", [(1990, {5.5}), (2003, {5.5}), (2004, set())])
def test_status_bands_cover_every_average(edition: int, either: set[float]) -> None:
    scale = FIW.status_scale(edition)
    assert scale is not None
    for twice in range(2, 15):
        average = twice / 2
        hits = sum(b.min <= average <= b.max for b in scale.bands)
        assert hits == (2 if average in either else 1), (edition, average)


def test_the_data_file_is_validated_against_its_schema() -> None:
    data = raw_data("fiw")
    data["categories"][0]["max"] = 13  # type: ignore[index]
    with pytest.raises(ValidationError, match="category A"):
        Index.model_validate(data)
    data = raw_data("fiw")
    data["indicators"][0]["surprise"] = 1  # type: ignore[index]
    with pytest.raises(ValidationError):
        Index.model_validate(data)


def test_fotn_has_21_indicators_in_three_categories_summing_to_100() -> None:
    assert len(FOTN.indicators) == 21
    assert [(c.code, c.max) for c in FOTN.categories] == [("A", 25), ("B", 35), ("C", 40)]
    assert all(i.confidence == "unconfirmed" for i in FOTN.indicators)
    assert not FOTN.aggregates and not FOTN.ratings


# --- the engine -------------------------------------------------------------------------


def seed_scores(seed: Path) -> tuple[dict[str, int], dict[str, int]]:
    """The 25 scores printed on the seed page, and its header's PR and CL."""
    text = seed.read_text(encoding="utf-8")
    codes = re.findall(r"^([A-G][1-4]) 1\.00-4\.00 pts", text, re.M)
    values = re.findall(r" (\d)\.00\d 4\.004$", text, re.M)
    header = re.search(r"^PR Political Rights (-?\d+) 40\nCL Civil Liberties (\d+) 60$", text, re.M)
    assert header, "the seed's header lines were not found"
    return dict(zip(codes, map(int, values), strict=True)), {
        "PR": int(header.group(1)),
        "CL": int(header.group(2)),
    }


def test_the_seed_scores_give_its_published_result(seed_path: Path) -> None:
    scores, header = seed_scores(seed_path)
    assert len(scores) == 25
    result = score(2023, scores)
    assert (result.pr, result.cl) == (header["PR"], header["CL"]) == (5, 18)
    assert result.total == 23
    assert (result.pr_rating, result.cl_rating) == (7, 5)
    assert result.status is Status.NOT_FREE
    assert result.to_dict()["subtotals"] == {"A": 1, "B": 3, "C": 1, "D": 4, "E": 2, "F": 4, "G": 8}


def all_scores(value: int) -> dict[str, object]:
    return dict.fromkeys(CODES, value)


def test_q_is_subtracted_and_can_make_pr_negative() -> None:
    result = score(2024, {**all_scores(0), "Q": 3})
    assert result.pr == -3 and result.total == -3
    assert result.pr_rating == 7 and result.status is Status.NOT_FREE


def test_add_a_is_added_up_to_2017() -> None:
    assert score(2017, {**all_scores(1), "ADD_A": 3}).pr == 13
    assert score(2017, all_scores(1)).pr == 10


def test_an_invalid_assessment_lists_every_problem() -> None:
    scores = all_scores(2)
    del scores["C2"]
    scores.update({"A1": 5, "D4": "x", "Z9": 1, "Q": 5, "ADD_A": 1, "G1": 2.5})
    with pytest.raises(ScoreError) as caught:
        score(2023, scores)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["A1", "ADD_A", "C2", "D4", "G1", "Q", "Z9"]
    message = str(caught.value)
    assert "7 problem(s)" in message and "2013-2017" in message


def test_q_given_negative_is_explained() -> None:
    with pytest.raises(ScoreError, match="pages print Q negative"):
        score(2023, {**all_scores(2), "Q": -2})


def test_editions_before_the_scored_ones_are_refused() -> None:
    with pytest.raises(ScoreError, match="from the 2013 edition"):
        score(2012, all_scores(2))


def test_later_editions_use_the_current_rules() -> None:
    assert score(2031, all_scores(4)).status is Status.FREE


score_strategy = st.fixed_dictionaries({code: st.integers(0, 4) for code in CODES})


@given(scores=score_strategy, q=st.integers(0, 4), edition=st.integers(2013, 2030))
def test_total_is_pr_plus_cl(scores: dict[str, int], q: int, edition: int) -> None:
    result = score(edition, {**scores, "Q": q})
    assert result.total == result.pr + result.cl
    assert result.pr == sum(result.subtotals[c] for c in "ABC") - q
    assert result.cl == sum(result.subtotals[c] for c in "DEFG")


@given(
    scores=score_strategy,
    q=st.integers(0, 4),
    code=st.sampled_from(CODES),
    edition=st.integers(2013, 2030),
)
def test_raising_an_indicator_never_makes_anything_worse(
    scores: dict[str, int], q: int, code: str, edition: int
) -> None:
    if scores[code] == 4:
        return
    before = score(edition, {**scores, "Q": q})
    after = score(edition, {**scores, code: scores[code] + 1, "Q": q})
    assert after.pr_rating <= before.pr_rating and after.cl_rating <= before.cl_rating
    assert before.status and after.status
    assert WORSE[after.status] <= WORSE[before.status]


@given(scores=score_strategy, q=st.integers(0, 3), edition=st.integers(2013, 2030))
def test_raising_q_never_makes_anything_better(
    scores: dict[str, int], q: int, edition: int
) -> None:
    before = score(edition, {**scores, "Q": q})
    after = score(edition, {**scores, "Q": q + 1})
    assert after.pr_rating >= before.pr_rating and after.cl_rating == before.cl_rating
    assert before.status and after.status
    assert WORSE[after.status] >= WORSE[before.status]


BANDS = [
    (scale.aggregate, band.rating, band.min, band.max)
    for scale in FIW.ratings
    for band in scale.bands
]


@pytest.mark.parametrize("aggregate, expected, low, high", BANDS)
def test_every_rating_band_boundary(aggregate: str, expected: int, low: int, high: int) -> None:
    assert rating(aggregate, low, 2024) == expected
    assert rating(aggregate, high, 2024) == expected
    if expected < 7:
        assert rating(aggregate, low - 1, 2024) == expected + 1
    if expected > 1:
        assert rating(aggregate, high + 1, 2024) == expected - 1


@pytest.mark.parametrize(
    "pr, cl, edition, expected",
    [
        (1, 1, 2024, (Status.FREE,)),
        (2, 3, 2024, (Status.FREE,)),  # 2.5: the upper edge of Free
        (3, 3, 2024, (Status.PARTLY_FREE,)),  # 3.0: the lower edge of Partly Free
        (5, 5, 2024, (Status.PARTLY_FREE,)),  # 5.0: the upper edge of Partly Free
        (6, 5, 2024, (Status.NOT_FREE,)),  # 5.5: Not Free from 2004
        (7, 7, 2024, (Status.NOT_FREE,)),
        (6, 5, 2003, (Status.PARTLY_FREE, Status.NOT_FREE)),  # 5.5 before 2004: either
        (5, 5, 2003, (Status.PARTLY_FREE,)),
    ],
)
def test_every_status_boundary(
    pr: int, cl: int, edition: int, expected: tuple[Status, ...]
) -> None:
    assert statuses_for_ratings((pr, cl), edition) == expected


def test_fotn_scores_hand_made_inputs() -> None:
    maxima = {i.code: i.max for i in FOTN.indicators}
    full = score(2024, maxima, index="fotn")
    assert full.total == 100 and full.status is Status.FREE and not full.ratings
    assert full.subtotals == {"A": 25, "B": 35, "C": 40}
    assert full.to_dict()["index"] == "fotn"
    empty = score(2024, dict.fromkeys(maxima, 0), index="fotn")
    assert empty.total == 0 and empty.status is Status.NOT_FREE


@pytest.mark.parametrize(
    "total, edition, expected",
    [
        (70, 2019, Status.FREE),
        (69, 2019, Status.PARTLY_FREE),
        (40, 2024, Status.PARTLY_FREE),
        (39, 2024, Status.NOT_FREE),
        (30, 2018, Status.FREE),
        (31, 2018, Status.PARTLY_FREE),
        (61, 2018, Status.NOT_FREE),
    ],
)
def test_fotn_status_bands_and_the_old_inverted_scale(
    total: int, edition: int, expected: Status
) -> None:
    assert status_for_total(total, edition) is expected


def test_fotn_refuses_an_indicator_above_its_maximum() -> None:
    maxima = {i.code: i.max for i in FOTN.indicators}
    with pytest.raises(ScoreError, match="A2 = 4: an integer 0 to 3"):
        score(2024, {**maxima, "A2": 4}, index="fotn")

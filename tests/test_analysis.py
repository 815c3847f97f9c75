"""Analysis of change over time: small hand-built frames with answers worked out by hand, and
the official workbook against the figures Freedom House published."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiw
from fiw.analysis import (
    AnalysisError,
    all_edition_changes,
    all_rating_changes,
    decline_runs,
    edition_changes,
    indicator_changes,
    net_decline_series,
    rating_changes,
    region_history,
    resolve_edition,
    rounded_ratio,
    span_changes,
    status_distribution,
    transitions,
    trends,
)
from fiw.analysis.frames import INDICATORS, SUBCATEGORIES
from fiw.analysis.report import analysis_doc, published_figures

DOC = Path(__file__).resolve().parent.parent / "docs" / "analysis.md"


def row(
    cid: str,
    edition: int,
    status: str = "Partly Free",
    *,
    name: str | None = None,
    kind: str = "country",
    region: str = "Africa",
    base: int = 2,
    **scores: int,
) -> dict[str, Any]:
    """One country-edition in the shape of `ds.scores()`: every indicator `base` unless given."""
    values = {code: scores.get(code, base) for code in INDICATORS}
    subtotals = {c: sum(v for k, v in values.items() if k[0] == c) for c in SUBCATEGORIES}
    pr = sum(subtotals[c] for c in "ABC")
    cl = sum(subtotals[c] for c in "DEFG")
    return {
        "country_id": cid,
        "iso3": None,
        "name": name or cid.title(),
        "kind": kind,
        "region": region,
        "edition": edition,
        **values,
        "Q": 0,
        "add_a": None,
        **subtotals,
        "pr": pr,
        "cl": cl,
        "total": pr + cl,
        "pr_rating": 4,
        "cl_rating": 4,
        "status": status,
    }


def small_scores() -> pd.DataFrame:
    """Totals 2019 -> 2020 (all start at 50): alpha +2, beta -1, gamma 0 (indicators moved),
    delta -4 and PF -> NF, zeta -1, epsilon new in 2020, terra (territory) +3 and PF -> F."""
    return pd.DataFrame(
        [
            row("alpha", 2019),
            row("alpha", 2020, A1=4),
            row("beta", 2019),
            row("beta", 2020, B1=0, C1=3),
            row("gamma", 2019),
            row("gamma", 2020, D1=3, D2=1),
            row("delta", 2019),
            row("delta", 2020, "Not Free", A1=0, A2=0),
            row("zeta", 2019),
            row("zeta", 2020, G4=1),
            row("epsilon", 2020, A1=0),
            row("terra", 2019, kind="territory"),
            row("terra", 2020, "Free", kind="territory", A1=4, B1=3),
        ]
    )


# --- per-edition changes ----------------------------------------------------------------------


def test_changes_counts_countries_only_in_the_documented_json_shape() -> None:
    result = edition_changes(small_scores(), 2020)
    assert result.to_dict() == {
        "edition": 2020,
        "improved": [{"country": "Alpha", "id": "alpha", "from": 50, "to": 52, "change": 2}],
        "declined": [
            {"country": "Delta", "id": "delta", "from": 50, "to": 46, "change": -4},
            {"country": "Beta", "id": "beta", "from": 50, "to": 49, "change": -1},
            {"country": "Zeta", "id": "zeta", "from": 50, "to": 49, "change": -1},
        ],
        "unchanged": 1,
        "status_changes": [
            {"country": "Delta", "id": "delta", "from": "Partly Free", "to": "Not Free"}
        ],
        "net_decline": 2,
    }
    assert result.not_compared == ("epsilon",)
    json.dumps(result.to_dict())


def test_changes_with_territories_adds_them() -> None:
    result = edition_changes(small_scores(), 2020, territories=True).to_dict()
    assert [c["id"] for c in result["improved"]] == ["terra", "alpha"]
    assert [c["id"] for c in result["status_changes"]] == ["delta", "terra"]
    assert result["net_decline"] == 1


def test_changes_do_not_depend_on_row_order() -> None:
    frame = small_scores()
    shuffled = frame.sample(frac=1, random_state=7).reset_index(drop=True)
    assert edition_changes(shuffled, 2020) == edition_changes(frame, 2020)


def test_changes_accept_short_status_names_and_string_numbers() -> None:
    frame = small_scores()
    frame["status"] = frame["status"].map({"Partly Free": "PF", "Not Free": "NF", "Free": "F"})
    frame["total"] = frame["total"].astype(str)
    assert edition_changes(frame, 2020) == edition_changes(small_scores(), 2020)


def test_changes_of_the_first_edition_are_refused() -> None:
    with pytest.raises(AnalysisError, match="2019 edition is the first"):
        edition_changes(small_scores(), 2019)


def test_changes_of_an_unknown_edition_name_the_editions_there_are() -> None:
    with pytest.raises(AnalysisError, match=r"no scores for the 2031 edition .*2019–2020"):
        edition_changes(small_scores(), 2031)


def test_a_frame_without_a_column_is_refused_naming_it() -> None:
    with pytest.raises(AnalysisError, match=r"lacks the column.*total"):
        edition_changes(small_scores().drop(columns=["total"]), 2020)


def test_a_duplicated_country_edition_is_refused() -> None:
    frame = pd.concat([small_scores(), pd.DataFrame([row("alpha", 2020)])])
    with pytest.raises(AnalysisError, match="alpha appears more than once in the 2020"):
        edition_changes(frame, 2020)


def test_all_edition_changes_equal_one_edition_at_a_time() -> None:
    frame = pd.concat([small_scores(), pd.DataFrame([row("alpha", 2021, A1=1)])])
    every = all_edition_changes(frame)
    assert [c.edition for c in every] == [2020, 2021]
    assert every[0] == edition_changes(frame, 2020)
    assert every[1] == edition_changes(frame, 2021)
    assert every[1].declined[0].to_dict()["change"] == -3


def test_net_decline_series() -> None:
    frame = pd.concat([small_scores(), pd.DataFrame([row("alpha", 2021, A1=1)])])
    assert [p.to_dict() for p in net_decline_series(frame)] == [
        {"edition": 2020, "improved": 1, "declined": 3, "unchanged": 1, "net_decline": 2},
        {"edition": 2021, "improved": 0, "declined": 1, "unchanged": 0, "net_decline": 1},
    ]


def test_indicator_changes_list_every_move_and_tally_all_25() -> None:
    result = indicator_changes(small_scores(), 2020)
    moves = [(m.indicator, m.id, m.before, m.after) for m in result.moves]
    assert moves == [
        ("A1", "alpha", 2, 4),
        ("A1", "delta", 2, 0),
        ("A2", "delta", 2, 0),
        ("B1", "beta", 2, 0),
        ("C1", "beta", 2, 3),
        ("D1", "gamma", 2, 3),
        ("D2", "gamma", 2, 1),
        ("G4", "zeta", 2, 1),
    ]
    tally = {t.indicator: (t.up, t.down, t.net) for t in result.tally}
    assert len(tally) == 25
    assert tally["A1"] == (1, 1, 0)
    assert tally["A2"] == (0, 1, -2)
    assert tally["C1"] == (1, 0, 1)
    assert tally["E1"] == (0, 0, 0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(2019, 2022), st.integers(0, 4)),
        min_size=1,
        max_size=30,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_every_compared_country_is_counted_once(cells: list[tuple[int, int, int]]) -> None:
    frame = pd.DataFrame([row(f"c{c}", e, A1=a) for c, e, a in cells])
    frame = pd.concat(
        [frame, pd.DataFrame([row("x", 2019), row("x", 2020), row("x", 2021), row("x", 2022)])]
    )
    present = {(c, e) for c, e, _ in cells}
    series = {p.edition: p for p in net_decline_series(frame)}
    for result in all_edition_changes(frame):
        compared = 1 + sum(
            (c, result.previous) in present for c, e, _ in cells if e == result.edition
        )
        counted = len(result.improved) + len(result.declined) + result.unchanged
        assert counted == compared
        point = series[result.edition]
        assert (point.improved, point.declined, point.unchanged) == (
            len(result.improved),
            len(result.declined),
            result.unchanged,
        )
        assert all(c.change > 0 for c in result.improved)
        assert all(c.change < 0 for c in result.declined)


# --- ratings history --------------------------------------------------------------------------

LABELS = {1: "Jan.-Feb. 1973", 2: "1983-84", 3: "2024"}
YEARS = {1: 1973, 2: 1984, 3: 2024}


def rated(
    cid: str, order: int, pr: int | None, cl: int | None, status: str | None, kind: str = "country"
) -> dict[str, Any]:
    return {
        "country_id": cid,
        "iso3": None,
        "name": cid.title(),
        "kind": kind,
        "year": YEARS[order],
        "edition_label": LABELS[order],
        "order": order,
        "period": "",
        "pr_rating": pr,
        "cl_rating": cl,
        "status": status,
        "raw": None,
        "status_rule": None,
    }


def small_ratings() -> pd.DataFrame:
    return pd.DataFrame(
        [
            rated("ankh", 1, 1, 1, "Free"),
            rated("ankh", 2, 3, 3, "Partly Free"),
            rated("ankh", 3, 6, 6, "Not Free"),
            rated("bolt", 1, 7, 7, "Not Free"),
            rated("bolt", 2, 6, 7, "Not Free"),
            rated("bolt", 3, 1, 2, "Free"),
            rated("cusp", 1, 2, 2, "Free"),
            rated("cusp", 2, 2, 2, "Free"),
            rated("cusp", 3, 2, 2, "Free"),
            rated("gone", 1, 5, 5, "Partly Free"),
            rated("newc", 3, 4, 4, "Partly Free"),
            rated("newc", 2, None, None, None),
            rated("isle", 1, 3, 3, "Partly Free", "territory"),
            rated("isle", 3, 1, 1, "Free", "territory"),
        ]
    )


@pytest.mark.parametrize("given", ["1983-84", "1983-84 ", 2, "2"])
def test_editions_resolve_by_label_or_order(given: str | int) -> None:
    assert resolve_edition(small_ratings(), given).label == "1983-84"


def test_a_year_label_wins_over_an_order() -> None:
    assert resolve_edition(small_ratings(), 2024).order == 3


def test_an_unknown_edition_names_the_range() -> None:
    with pytest.raises(AnalysisError, match=re.escape("'Jan.-Feb. 1973' … '2024' or orders 1 … 3")):
        resolve_edition(small_ratings(), "1999")


def test_rating_changes_between_consecutive_editions() -> None:
    result = rating_changes(small_ratings(), "1983-84")
    assert result.previous.label == "Jan.-Feb. 1973"
    assert [(c.id, c.change) for c in result.changes] == [("ankh", 4), ("bolt", -1)]
    assert (result.compared, result.improved, result.declined) == (3, 1, 1)
    assert [c.id for c in result.status_changes] == ["ankh"]
    latest = rating_changes(small_ratings(), 3).to_dict()
    assert [c["id"] for c in latest["changes"]] == ["bolt", "ankh"]  # sizes 10 and 6
    assert latest["changes"][0]["status"] == {"from": "Not Free", "to": "Free"}


def test_all_rating_changes_follow_edition_order() -> None:
    every = all_rating_changes(small_ratings())
    assert [c.edition.order for c in every] == [2, 3]
    assert every[1] == rating_changes(small_ratings(), "2024")


def test_status_distribution_counts_rated_countries() -> None:
    shares = status_distribution(small_ratings())
    assert [s.counts for s in shares] == [
        {"Free": 2, "Partly Free": 1, "Not Free": 1},
        {"Free": 1, "Partly Free": 1, "Not Free": 1},
        {"Free": 2, "Partly Free": 1, "Not Free": 1},
    ]
    assert shares[1].shares() == {"Free": 33.33, "Partly Free": 33.33, "Not Free": 33.33}


def test_transitions_between_two_editions() -> None:
    result = transitions(small_ratings(), "Jan.-Feb. 1973", 2024)
    assert result.matrix == {
        "Free": {"Free": 1, "Partly Free": 0, "Not Free": 1},
        "Partly Free": {"Free": 0, "Partly Free": 0, "Not Free": 0},
        "Not Free": {"Free": 1, "Partly Free": 0, "Not Free": 0},
    }
    assert result.countries["Free"]["Not Free"] == ["Ankh"]
    assert (result.only_in_start, result.only_in_end) == (("Gone",), ("Newc",))
    with_territories = transitions(small_ratings(), 1, 3, territories=True)
    assert with_territories.matrix["Partly Free"]["Free"] == 1
    assert with_territories.to_dict()["from"] == "Jan.-Feb. 1973"


# --- trends -----------------------------------------------------------------------------------


def test_trends_average_each_country_once_and_round_half_away_from_zero() -> None:
    # Africa 2021: seven totals of 50 and one of 51 -> 50.125 -> 50.13 (half-even gives 50.12).
    frame = pd.DataFrame(
        [row(f"c{i}", 2021) for i in range(7)]
        + [row("c7", 2021, A1=3)]
        + [
            row("e1", 2021, region="Europe", base=3),
            row("e2", 2021, region="Europe", A1=3),
            row("e3", 2021, region="Europe"),
        ]
        + [row("t1", 2021, kind="territory", base=0)]
    )
    result = trends(frame)
    points = {p.region: p for p in result.points}
    assert points["Africa"].entities == 8
    assert points["Africa"].averages["total"] == 50.13
    assert points["Africa"].averages["A"] == 6.13  # (7 * 6 + 7) / 8 = 6.125
    # Europe: totals 75, 51, 50 -> 58.666… ; Global: (401 + 176) / 11 = 52.4545…
    assert points["Europe"].averages["total"] == 58.67
    assert points["Global"].averages["total"] == 52.45
    assert points["Global"].entities == 11
    assert [p.region for p in result.points] == ["Global", "Africa", "Europe"]
    with_territory = {p.region: p for p in trends(frame, territories=True).points}
    assert with_territory["Global"].entities == 12


def test_trends_of_one_region_and_an_unknown_region() -> None:
    frame = pd.DataFrame([row("a", 2021), row("b", 2021, region="Europe")])
    assert {p.region for p in trends(frame, region="europe").points} == {"Europe"}
    with pytest.raises(AnalysisError, match=r"no region 'Atlantis'.*Africa, Europe"):
        trends(frame, region="Atlantis")


def test_historical_regions_put_north_africa_with_the_middle_east_before_2022() -> None:
    frame = pd.DataFrame(
        [
            row("algeria", 2021, name="Algeria"),
            row("algeria", 2022, name="Algeria"),
            row("ghana", 2021, name="Ghana"),
            row("ghana", 2022, name="Ghana"),
            row("western-sahara", 2021, name="Western Sahara", kind="territory"),
        ]
    )
    now = {(p.edition, p.region): p.entities for p in trends(frame).points}
    assert now[(2021, "Africa")] == 2
    then = trends(frame, regions="historical", territories=True)
    counts = {(p.edition, p.region): p.entities for p in then.points}
    assert counts[(2021, "Africa")] == 1
    assert counts[(2021, "Middle East")] == 2
    assert counts[(2022, "Africa")] == 2
    assert then.unconfirmed == ("Western Sahara",)


def test_region_history_table_is_valid() -> None:
    table = {s.name: s for s in region_history()}
    assert set(table) == {"Algeria", "Egypt", "Libya", "Morocco", "Tunisia", "Western Sahara"}
    assert all(s.last_edition == 2021 and s.region == "Middle East" for s in table.values())
    assert table["Western Sahara"].confidence == "unconfirmed"
    assert {s.confidence for n, s in table.items() if n != "Western Sahara"} == {"source"}


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (1, 8, 0.13),
        (-1, 8, -0.13),
        (3, 8, 0.38),
        (2, 3, 0.67),
        (1, 200, 0.01),
        (1, 201, 0.0),
    ],
)
def test_rounded_ratio_is_half_away_from_zero(num: int, den: int, expected: float) -> None:
    assert rounded_ratio(num, den) == expected


# --- long run ---------------------------------------------------------------------------------


def series(cid: str, totals: dict[int, int]) -> list[dict[str, Any]]:
    """Rows whose totals are given: every indicator 2 except A1, which carries the difference."""
    return [row(cid, e, A1=2 + t - 50) for e, t in totals.items()]


def test_decline_runs_find_each_countrys_longest_run() -> None:
    frame = pd.DataFrame(
        series("ruth", {2014: 52, 2015: 51, 2016: 50, 2017: 50, 2018: 49, 2019: 48, 2020: 47})
        + series("gap", {2014: 52, 2015: 51, 2016: 50, 2018: 49, 2019: 48, 2020: 49})
        + series("flat", {2014: 50, 2020: 50})
    )
    runs = decline_runs(frame)
    assert [r.to_dict() for r in runs] == [
        {
            "country": "Ruth",
            "id": "ruth",
            "editions": 3,
            "first": 2018,
            "last": 2020,
            "from": 50,
            "to": 47,
            "change": -3,
            "ongoing": True,
        },
        {
            "country": "Gap",
            "id": "gap",
            "editions": 2,
            "first": 2015,
            "last": 2016,
            "from": 52,
            "to": 50,
            "change": -2,
            "ongoing": False,
        },
    ]
    assert len(decline_runs(frame, limit=1)) == 1


def test_span_changes_rank_gains_and_declines() -> None:
    frame = pd.DataFrame(
        series("up", {2014: 48, 2024: 53})
        + series("down", {2014: 52, 2024: 49})
        + series("bit", {2014: 50, 2024: 51})
        + series("same", {2014: 50, 2024: 50})
        + series("late", {2024: 40})
    )
    result = span_changes(frame, 2014, 2024)
    assert [(c.id, c.change) for c in result.gains] == [("up", 5), ("bit", 1)]
    assert [(c.id, c.change) for c in result.declines] == [("down", -3)]
    assert result.unchanged == 1
    assert span_changes(frame, 2014, 2024, limit=1).gains[0].id == "up"
    assert span_changes(frame, 2014, 2024, country_id="down").gains == ()
    with pytest.raises(AnalysisError, match="must run forward"):
        span_changes(frame, 2024, 2014)


# --- the store (both backends) against the published figures ----------------------------------


@pytest.fixture(scope="module")
def scores(imported_url: str) -> pd.DataFrame:
    """`ds.scores()` of a store holding both official workbooks (SQLite, then PostgreSQL)."""
    return fiw.open(imported_url).scores()


@pytest.mark.parametrize(
    ("edition", "declined", "improved"),
    [
        (2019, 68, 50),
        (2020, 64, 37),
        (2021, 73, 28),
        (2022, 60, 25),
    ],
)
def test_published_declines_and_gains_are_reproduced(
    scores: pd.DataFrame, edition: int, declined: int, improved: int
) -> None:
    result = edition_changes(scores, edition)
    assert (len(result.declined), len(result.improved)) == (declined, improved)
    assert len(result.declined) + len(result.improved) + result.unchanged == 195


# methodology.md section 5: status changes computed from FH data ("(t)" marks a territory).
STATUS_CHANGES = {
    2019: "Hungary F PF, Nicaragua PF NF, Serbia F PF, Uganda PF NF, Zimbabwe NF PF",
    2020: "Benin F PF, El Salvador F PF, Indian Kashmir (t) PF NF, Mauritania NF PF, "
    "Myanmar PF NF, Senegal F PF, Thailand NF PF",
    2021: "India F PF, Jordan PF NF, Kyrgyzstan PF NF, Mali PF NF, Peru F PF, Seychelles PF F, "
    "Thailand PF NF, Zimbabwe PF NF",
    2022: "Ecuador PF F, Guinea PF NF, Haiti PF NF, Peru PF F, Tunisia F PF",
}
SHORT = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}


@pytest.mark.parametrize("edition", sorted(STATUS_CHANGES))
def test_published_status_changes_are_reproduced(scores: pd.DataFrame, edition: int) -> None:
    expected_all, expected_countries = [], []
    for item in STATUS_CHANGES[edition].split(", "):
        *words, before, after = item.split()
        territory = words[-1] == "(t)"
        name = " ".join(words[:-1] if territory else words)
        expected_all.append((name, SHORT[before], SHORT[after]))
        if not territory:
            expected_countries.append((name, SHORT[before], SHORT[after]))
    found = edition_changes(scores, edition).status_changes
    assert [(c.country, c.before, c.after) for c in found] == expected_countries
    found_all = edition_changes(scores, edition, territories=True).status_changes
    assert [(c.country, c.before, c.after) for c in found_all] == expected_all


def test_historical_regions_on_the_official_data(scores: pd.DataFrame) -> None:
    # methodology.md section 6: 54 African and 13 Middle Eastern countries under today's regions.
    then = {(p.edition, p.region): p.entities for p in trends(scores, regions="historical").points}
    assert (then[(2021, "Africa")], then[(2021, "Middle East")]) == (49, 18)
    assert (then[(2022, "Africa")], then[(2022, "Middle East")]) == (54, 13)
    now = {(p.edition, p.region): p.entities for p in trends(scores).points}
    assert (now[(2013, "Africa")], now[(2013, "Middle East")]) == (54, 13)
    assert now[(2024, "Global")] == 195


def test_published_figures_file_agrees_with_the_methodology_note() -> None:
    figures = published_figures()
    assert {e: (f.declined, f.improved) for e, f in figures.items() if e >= 2019} == {
        2019: (68, 50),
        2020: (64, 37),
        2021: (73, 28),
        2022: (60, 25),
    }


def test_docs_analysis_md_is_current(scores: pd.DataFrame) -> None:
    expected = analysis_doc(scores)
    fix = "regenerate it: `fiw import` both workbooks, then `fiw docs analysis`"
    assert DOC.exists(), f"{DOC} is missing: {fix}"
    assert DOC.read_text("utf-8") == expected, f"{DOC} is out of date: {fix}"

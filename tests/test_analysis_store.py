"""fiw.analysis on the real store: the same answers from SQLite and PostgreSQL, and the ratings
history since 1973 checked against the ratings workbook read independently of the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import fiw
from fiw.analysis import (
    all_edition_changes,
    all_rating_changes,
    decline_runs,
    edition_changes,
    indicator_changes,
    long_run,
    net_decline_series,
    rating_changes,
    span_changes,
    status_distribution,
    transitions,
    trends,
)
from fiw.analysis.report import analysis_doc
from fiw.sources.ratings import RatingsWorkbook, read_ratings
from fiw.store.database import make_engine
from fiw.store.importer import import_files

Frames = tuple[pd.DataFrame, pd.DataFrame]


def store_frames(url: str) -> Frames:
    """`ds.scores()` and `ds.ratings()` of the store at `url`."""
    ds = fiw.open(url)
    try:
        return ds.scores(), ds.ratings()
    finally:
        ds.engine.dispose()


def every_analysis(scores: pd.DataFrame, ratings: pd.DataFrame) -> dict[str, Any]:
    """The JSON of every analysis function over one store's frames."""
    editions = sorted(int(e) for e in scores["edition"].unique())
    return {
        "changes": [c.to_dict() for c in all_edition_changes(scores)],
        "changes+t": [c.to_dict() for c in all_edition_changes(scores, territories=True)],
        "indicators": [indicator_changes(scores, e).to_dict() for e in editions[1:]],
        "net": [n.to_dict() for n in net_decline_series(scores)],
        "trends": trends(scores).to_dict(),
        "trends-historical+t": trends(scores, territories=True, regions="historical").to_dict(),
        "span": span_changes(scores, editions[0], editions[-1]).to_dict(),
        "runs": [r.to_dict() for r in decline_runs(scores, territories=True)],
        "long_run": long_run(scores).to_dict(),
        "ratings": [c.to_dict() for c in all_rating_changes(ratings, territories=True)],
        "distribution": [s.to_dict() for s in status_distribution(ratings)],
        "transitions": transitions(ratings, "Jan.-Feb. 1973", "2024").to_dict(),
        "doc": analysis_doc(scores),
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]) -> dict[str, Any]:
    """Every analysis over a SQLite store of its own, built from the workbooks."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'fiw.sqlite'}"
    engine = make_engine(url)
    import_files(engine, workbooks)
    engine.dispose()
    return every_analysis(*store_frames(url))


@pytest.fixture(scope="module")
def frames(imported_url: str) -> Frames:
    return store_frames(imported_url)


@pytest.fixture(scope="module")
def history(ratings_path: Path) -> RatingsWorkbook:
    return read_ratings(ratings_path)


def test_every_analysis_is_identical_on_sqlite_and_postgresql(
    frames: Frames, reference: dict[str, Any]
) -> None:
    found = every_analysis(*frames)
    assert len(found["changes"]) == 11 and len(found["ratings"]) == 50
    for name, expected in reference.items():
        assert found[name] == expected, f"{name} differs from the SQLite reference"


def test_status_distribution_equals_the_published_historical_distribution(
    frames: Frames, history: RatingsWorkbook
) -> None:
    found = {s.edition.order: s for s in status_distribution(frames[1])}
    assert len(found) == len(history.distribution) == 51
    for published in history.distribution:
        share = found[published.order]
        counts = (share.counts["Free"], share.counts["Partly Free"], share.counts["Not Free"])
        assert counts == (published.free, published.partly_free, published.not_free), (
            published.label
        )
        assert share.rated == published.countries, published.label


def _statuses(history: RatingsWorkbook, order: int) -> dict[str, str]:
    return {
        r.name: r.status.value
        for r in history.records
        if r.kind == "country"
        and r.edition.order == order
        and r.status is not None
        and r.raw is None  # two populations (South Africa 1972): no one status
    }


def test_transitions_1973_to_2024_match_the_workbook(
    frames: Frames, history: RatingsWorkbook
) -> None:
    result = transitions(frames[1], "Jan.-Feb. 1973", 2024)
    assert (result.start.order, result.end.order) == (1, 51)
    first, last = _statuses(history, 1), _statuses(history, 51)
    expected = Counter((first[n], last[n]) for n in first.keys() & last.keys())
    assert {(a, b): n for a, row in result.matrix.items() for b, n in row.items() if n} == dict(
        expected
    )
    assert "USSR" in result.only_in_start and "Russia" in result.only_in_end
    assert len(result.only_in_start) == len(first.keys() - last.keys())
    assert len(result.only_in_end) == len(last.keys() - first.keys())


def test_rating_changes_count_every_moved_country(frames: Frames, history: RatingsWorkbook) -> None:
    for order in (2, 12, 30, 51):
        result = rating_changes(frames[1], order)
        before = {
            r.name: (r.pr_rating, r.cl_rating, r.status)
            for r in history.records
            if r.kind == "country" and r.edition.order == order - 1 and r.pr_rating is not None
        }
        after = {
            r.name: (r.pr_rating, r.cl_rating, r.status)
            for r in history.records
            if r.kind == "country" and r.edition.order == order and r.pr_rating is not None
        }
        both = before.keys() & after.keys()
        moved = [n for n in both if before[n] != after[n]]
        worse = [n for n in both if sum(after[n][:2]) > sum(before[n][:2])]  # type: ignore[arg-type]
        better = [n for n in both if sum(after[n][:2]) < sum(before[n][:2])]  # type: ignore[arg-type]
        assert result.compared == len(both)
        assert len(result.changes) == len(moved), result.edition.label
        assert (result.declined, result.improved) == (len(worse), len(better))


def test_status_changes_agree_between_the_two_workbooks(frames: Frames) -> None:
    """The ratings history (ratings workbook) and the scores (indicator workbook) are two
    sources of the same published statuses: the changes they give for 2014 on agree."""
    scores, ratings = frames
    for edition in range(2014, 2025):
        from_scores = edition_changes(scores, edition, territories=True).status_changes
        from_ratings = rating_changes(ratings, str(edition), territories=True).status_changes
        assert {(c.id, c.before, c.after) for c in from_scores} == {
            (c.id, c.status_from, c.status_to) for c in from_ratings
        }, edition


def test_decline_runs_on_real_data_are_runs_of_the_totals(frames: Frames) -> None:
    scores = frames[0]
    totals = {
        (cid, int(e)): int(t)
        for cid, e, t in scores[scores["kind"] == "country"][
            ["country_id", "edition", "total"]
        ].itertuples(index=False)
    }
    runs = decline_runs(scores, limit=5)
    assert len(runs) == 5 and runs[0].length >= runs[-1].length
    for run in runs:
        years = range(run.first, run.last + 1)
        assert all(totals[(run.id, y)] < totals[(run.id, y - 1)] for y in years)
        assert totals.get((run.id, run.first - 1), -1) == run.before

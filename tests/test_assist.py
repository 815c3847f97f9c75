"""The score assistant (fiw.assist): the answer never reaches the model, training is
deterministic and uses only earlier editions, and it suggests and checks on both databases."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from fiw.assist import (
    answer_free,
    check_edition,
    check_pages,
    load,
    load_corpus,
    report_cells,
    save,
    suggest_text,
    train,
)
from fiw.assist.change import diffs
from fiw.assist.check import PageUnreadable
from fiw.assist.corpus import filler
from fiw.assist.errors import ModelMissing, ModelStale, NotEnoughData, TrainedOnEdition
from fiw.assist.text import diff, split_sentences, states_score
from fiw.methodology.vocabulary import INDICATORS
from fiw.pages import Indicator, ScoreChange, parse_file
from fiw.pages.render import render_text
from fiw.store.database import make_engine
from fiw.store.dataset import open_dataset
from fiw.store.importer import import_files
from tests.assist_data import COUNTRIES, TERRITORY, Slice, assist_slice
from tests.reports_data import pages_dir

NOTE = (
    "Score Change: The score declined from 2 to 1 because authorities jailed "
    "zanzibarite opposition leaders."
)


def test_answer_free_cuts_notes_and_score_statements() -> None:
    kept = answer_free(
        [
            "Elections were held in May. Observers praised them. " + NOTE,
            "The body received a score of 3 from observers. Courts remained independent.",
            "Status Change: The score improved from 3 to 4 because parties operated freely.",
            "It was rated 2 out of 4 last year. Protests were banned.",
        ]
    )
    assert kept == (
        "Elections were held in May.",
        "Observers praised them.",
        "Courts remained independent.",
        "Protests were banned.",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The score declined from 2 to 1 because of arrests.",
        "Score Change: The score improved from 0 to 1.",
        "The country scored 3 on this question.",
        "A score of 2 reflects continued repression.",
    ],
)
def test_states_score_recognises_score_statements(sentence: str) -> None:
    assert states_score(sentence)


def test_states_score_leaves_ordinary_numbers_alone() -> None:
    assert not states_score("Scores of protesters were detained in 2022; 3 died.")


def test_split_sentences_keeps_abbreviations_inside_lowercase_runs() -> None:
    assert split_sentences("In 2022 the U.S. embassy said so. Then 4 parties met.") == [
        "In 2022 the U.S. embassy said so.",
        "Then 4 parties met.",
    ]


def test_diff_ignores_updated_years_and_finds_new_sentences() -> None:
    change = diff(
        ("Elections were held in 2021 without fraud.", "The press is free."),
        ("Elections were held in 2022 without fraud.", "Journalists were jailed in March."),
    )
    assert change.added == ("Journalists were jailed in March.",)
    assert change.removed == ("The press is free.",)
    assert change.kept == 1
    assert 0 < change.similarity < 1


def _planted(report_path: object, code: str) -> tuple[object, object]:
    report = parse_file(report_path)  # type: ignore[arg-type]
    items = []
    for item in report.indicators:
        if item.code == code:
            item = Indicator(
                item.code, item.question, item.score, item.max,
                (*item.paragraphs[:-1], item.paragraphs[-1] + " " + NOTE),
                ScoreChange(2, 1, "planted"),
            )  # fmt: skip
        items.append(item)
    return report, replace(report, indicators=tuple(items))


def test_planted_score_change_never_reaches_the_features(assist_slice: Slice) -> None:
    clean, planted = _planted(assist_slice.pages / "2023" / "kazakhstan.txt", "C2")
    clean_cells = report_cells(clean, "kazakhstan", 2023)  # type: ignore[arg-type]
    planted_cells = report_cells(planted, "kazakhstan", 2023)  # type: ignore[arg-type]
    for cell in planted_cells:
        assert "zanzibarite" not in cell.text and "zanzibarite" not in cell.report_text
    assert planted_cells == clean_cells
    model = assist_slice.model
    assert np.array_equal(model.level.stage(planted_cells), model.level.stage(clean_cells))
    words = model.level.text.words.vocabulary_
    assert "zanzibarite" not in words


def test_training_is_deterministic_on_a_small_slice(assist_slice: Slice) -> None:
    ds = assist_slice.dataset()
    corpus = load_corpus(ds)
    again = train(corpus, until=2023)
    cells = corpus.where([2023])
    first, _ = assist_slice.model.probabilities(cells)
    second, _ = again.probabilities(cells)
    assert np.array_equal(first, second)
    assert again.info.digest == assist_slice.model.info.digest
    ds.engine.dispose()


def test_the_corpus_skips_filler_pages_by_their_text_not_by_kind(
    database_url: str, tmp_path: Path
) -> None:
    """A territory page with its own narratives is learned from and checked; a country page
    with one narrative under every indicator is not (the rule `check DIR` applies too)."""
    source = pages_dir() / "2023"
    own = replace(parse_file(source / "albania.txt"), country="Abkhazia", territory=True)
    kazakhstan = parse_file(source / "kazakhstan.txt")
    one = kazakhstan.indicators[0].paragraphs
    flat = replace(
        kazakhstan, indicators=tuple(replace(i, paragraphs=one) for i in kazakhstan.indicators)
    )
    assert not filler(own) and filler(flat)
    (tmp_path / "abkhazia.txt").write_text(render_text(own))
    (tmp_path / "kazakhstan.txt").write_text(render_text(flat))
    engine = make_engine(database_url)
    import_files(engine, [tmp_path])
    engine.dispose()
    ds = open_dataset(database_url)
    corpus = load_corpus(ds)
    ds.engine.dispose()
    assert {c.country_id for c in corpus.cells} == {"abkhazia"}
    assert len(corpus.cells) == len(INDICATORS) and corpus.skipped_filler == 1


def test_training_uses_only_editions_before_until(assist_slice: Slice) -> None:
    info = assist_slice.model.info
    assert info.until == 2023
    assert info.editions == (2021, 2022)
    assert info.countries == len(COUNTRIES)
    assert info.cells == len(COUNTRIES) * 2 * len(INDICATORS)
    assert info.skipped_filler == 1 * 3  # the territory's filler page, in every edition loaded


def test_checking_an_edition_the_model_was_trained_on_is_refused(assist_slice: Slice) -> None:
    ds = assist_slice.dataset()
    with pytest.raises(TrainedOnEdition, match="fiw assist train --until 2022"):
        check_edition(assist_slice.model, ds, 2022)
    ds.engine.dispose()


def test_check_edition_ranks_every_country_cell(assist_slice: Slice) -> None:
    ds = assist_slice.dataset()
    rows, skipped = check_edition(assist_slice.model, ds, 2023)
    ds.engine.dispose()
    assert skipped == 1
    assert len(rows) == len(COUNTRIES) * len(INDICATORS)
    suspicion = [r.suspicion for r in rows]
    assert suspicion == sorted(suspicion, reverse=True)  # type: ignore[type-var]
    for row in rows:
        assert row.previous is not None  # matched to the store's 2022 report
        assert abs(sum(row.probabilities) - 1) < 1e-9
        assert row.suggested == int(np.argmax(row.probabilities))
        assert row.direction in ("up", "down", "none")
        assert row.suspicion == pytest.approx(1 - row.probabilities[row.score or 0])


def test_check_pages_matches_the_previous_edition_in_the_store(assist_slice: Slice) -> None:
    ds = assist_slice.dataset()
    rows, skipped = check_pages(assist_slice.model, assist_slice.pages / "2023", ds, top=10)
    whole, territories = check_edition(assist_slice.model, ds, 2023, top=10)
    ds.engine.dispose()
    # the territory's filler page is skipped from a folder, as from the edition in the store
    assert [p.name for p in skipped] == [f"{TERRITORY}.txt"] and territories == 1
    assert len(rows) == 10 and all(r.previous is not None for r in rows)
    assert [(r.country_id, r.indicator) for r in rows] == [
        (r.country_id, r.indicator) for r in whole
    ]
    assert [r.suspicion for r in rows] == pytest.approx([r.suspicion for r in whole])


def test_a_filler_page_is_judged_alone_and_a_folder_of_them_refused(
    assist_slice: Slice, tmp_path: Path
) -> None:
    page = assist_slice.pages / "2023" / f"{TERRITORY}.txt"
    assert filler(parse_file(page))
    assert not filler(parse_file(assist_slice.pages / "2023" / "kazakhstan.txt"))
    rows, skipped = check_pages(assist_slice.model, page, None)
    assert len(rows) == 25 and skipped == []
    shutil.copy(page, tmp_path)
    with pytest.raises(PageUnreadable, match="one narrative under every indicator"):
        check_pages(assist_slice.model, tmp_path, None)


def test_suggest_text_with_history_favours_last_years_score_for_the_same_text(
    assist_slice: Slice,
) -> None:
    report = parse_file(assist_slice.pages / "2022" / "albania.txt")
    item = report.indicator("B1")
    text = " ".join(item.paragraphs)
    row = suggest_text(
        assist_slice.model, "B1", text, previous_score=item.score, previous_text=text
    )
    assert row.suggested == item.score
    assert len(row.probabilities) == 5


def test_a_score_at_its_bound_keeps_its_chance_of_moving_the_other_way(
    assist_slice: Slice,
) -> None:
    ds = assist_slice.dataset()
    cells = load_corpus(ds).where([2023])
    ds.engine.dispose()
    model = assist_slice.model
    bound = [c for c in cells if c.previous and c.previous.score in (c.low, c.high)]
    assert bound
    moves = model.change.predict_proba(bound, diffs(bound), model.level)
    probabilities, _ = model.probabilities(bound)
    for cell, move, row in zip(bound, moves, probabilities, strict=True):
        assert cell.previous is not None
        before = cell.previous.score
        assert row[before] == pytest.approx(move[1])  # a move the text implies is not lost
        beyond = row[before + 1 :] if before == cell.high else row[:before]
        assert beyond.sum() == pytest.approx(0.0)


def test_a_reader_gives_each_score_a_probability_and_one_seen_score_all_of_it() -> None:
    from scipy.sparse import csr_matrix

    from fiw.assist.level import SCORES, Reader

    x = csr_matrix(np.eye(6))
    only = Reader.fit(x[:3], [2, 2, 2])  # an indicator whose training cells all scored 2
    assert only.predict_proba(x[3:]).tolist() == [[0, 0, 1, 0, 0]] * 3
    several = Reader.fit(x, [0, 1, 1, 3, 3, 3]).predict_proba(x)
    assert several.shape == (6, len(SCORES))
    assert np.allclose(several.sum(axis=1), 1.0)
    assert not several[:, [SCORES.index(2), SCORES.index(4)]].any()  # never seen: never given


def test_a_used_model_saves_as_it_was_trained_and_reads_the_same(
    assist_slice: Slice, tmp_path: Path
) -> None:
    ds = assist_slice.dataset()
    cells = load_corpus(ds).where([2023])
    ds.engine.dispose()
    trained = assist_slice.model.probabilities(cells)[0]  # builds its report weights
    loaded = load(save(assist_slice.model, tmp_path / "used.joblib"))
    readers = [loaded.level.text, *loaded.level.folds]
    assert all(r._report_weights is None for r in readers)  # derived, so not saved twice
    assert np.array_equal(loaded.probabilities(cells)[0], trained)


def test_missing_model_names_the_train_command(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="fiw assist train"):
        load(tmp_path / "none.joblib")


def test_unreadable_model_is_stale_and_names_the_train_command(tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelStale, match="fiw assist train"):
        load(path)


def test_training_without_reports_says_what_to_import(assist_slice: Slice) -> None:
    ds = assist_slice.dataset()
    corpus = load_corpus(ds, [2021])
    ds.engine.dispose()
    with pytest.raises(NotEnoughData, match="fiw import"):
        train(corpus)

"""The assistant's model: a level model (text alone) and a change model (text and history),
trained from the store's reports, saved with what it was trained on.

`train` fits both on the country reports of every edition before `until`; `judge` turns a
list of cells into `Suggestion`s: a probability for each score, the suggested score, how
unlikely the published score is (`suspicion`), where the text points and the sentences that
weighed most.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from threadpoolctl import threadpool_limits

from fiw.assist.change import DIRECTIONS, ChangeModel, diffs
from fiw.assist.corpus import Cell, Corpus
from fiw.assist.errors import NotEnoughData, TrainedOnEdition
from fiw.assist.level import SCORES, LevelModel, Matrix
from fiw.assist.suggestion import Suggestion
from fiw.assist.text import TextDiff

FORMAT = 5
"""Bumped whenever the saved model's shape or features change: older files are stale."""
SENTENCES = 3
"""How many sentences a suggestion shows."""
QUIET = 0.05
"""Below this probability of a higher (or lower) score, the text points nowhere: about the
share of scores that move in a year (4.7% over 2019-2022), so a side holding more than a
score's usual chance of moving is a direction."""


@dataclass(frozen=True)
class TrainingInfo:
    """What a model was trained on, and when."""

    until: int
    editions: tuple[int, ...]
    reports: int
    cells: int
    countries: int
    changed_cells: int
    digest: str
    trained_at: str
    skipped_filler: int


def digest(cells: Sequence[Cell]) -> str:
    """sha256 of the training cells' keys, scores and texts: what the model learned from."""
    h = hashlib.sha256()
    for c in cells:
        h.update(f"{c.country_id}|{c.edition}|{c.code}|{c.score}|{c.text}\n".encode())
    return h.hexdigest()


def history_probabilities(cell: Cell, moves: Matrix, level: Matrix) -> Matrix:
    """Scores 0-4 from down/same/up: 'same' on last year's score, 'down' spread over the lower
    scores and 'up' over the higher ones in proportion to what the text alone says."""
    assert cell.previous is not None
    before = cell.previous.score
    out = np.zeros(len(SCORES))
    out[SCORES.index(before)] = moves[DIRECTIONS.index(0)]
    for sign, scores in ((-1, range(cell.low, before)), (1, range(before + 1, cell.high + 1))):
        idx = [SCORES.index(s) for s in scores]
        if not idx:
            continue
        weights = level[idx] + 1e-3
        out[idx] = moves[DIRECTIONS.index(sign)] * weights / weights.sum()
    return np.asarray(out / out.sum(), dtype=np.float64)


def pointing(probabilities: Matrix, score: int) -> str:
    """'up' or 'down': where the probability mass beyond `score` lies; 'none' when little."""
    at = SCORES.index(score)
    above, below = float(probabilities[at + 1 :].sum()), float(probabilities[:at].sum())
    if max(above, below) < QUIET:
        return "none"
    return "up" if above > below else "down"


@dataclass
class AssistModel:
    """The trained assistant: both models and what they were trained on."""

    level: LevelModel
    change: ChangeModel
    info: TrainingInfo
    measures: dict[str, float] = field(default_factory=dict)

    def check_edition(self, edition: int) -> None:
        """Refuse an edition the model was trained on."""
        if edition < self.info.until:
            raise TrainedOnEdition(edition, self.info.until)

    def probabilities(self, cells: Sequence[Cell]) -> tuple[Matrix, list[TextDiff | None]]:
        """Per cell: a probability for each score (with history where the cell has one)."""
        stage = self.level.stage(cells)
        level = self.level.predict_proba(cells, stage)
        out = level.copy()
        known = [n for n, c in enumerate(cells) if c.previous is not None]
        changes: list[TextDiff | None] = [None] * len(cells)
        if known:
            subset = [cells[n] for n in known]
            found = diffs(subset)
            moves = self.change.predict_proba(subset, found, self.level, stage[known])
            for row, n in enumerate(known):
                out[n] = history_probabilities(cells[n], moves[row], level[n])
                changes[n] = found[row]
        return out, changes

    def judge(self, cells: Sequence[Cell], *, explain: bool = True) -> list[Suggestion]:
        """A suggestion for each cell; `suspicion` is 1 - P(published score) where known."""
        with threadpool_limits(limits=1):
            probabilities, changes = self.probabilities(cells)
        out = []
        for cell, row, change in zip(cells, probabilities, changes, strict=True):
            suggested = SCORES[int(np.argmax(row))]
            reference = cell.score if cell.score is not None else suggested
            if cell.score is None and cell.previous is not None:
                reference = cell.previous.score
            direction = pointing(row, reference)
            out.append(
                Suggestion(
                    country_id=cell.country_id,
                    country=cell.country,
                    edition=cell.edition,
                    indicator=cell.code,
                    score=cell.score,
                    suggested=suggested,
                    probabilities=tuple(float(p) for p in row),
                    direction=direction,
                    suspicion=None
                    if cell.score is None
                    else 1.0 - float(row[SCORES.index(cell.score)]),
                    sentences=self.sentences(cell, change, direction) if explain else (),
                    previous=cell.previous.score if cell.previous else None,
                )
            )
        return out

    def sentences(self, cell: Cell, change: TextDiff | None, direction: str) -> tuple[str, ...]:
        """The sentences that weighed most toward `direction`: added and removed ones for a
        changed text, else the narrative's own (removed ones are marked '[removed] ')."""
        sign = {"up": 1.0, "down": -1.0}.get(direction, 0.0)
        weighted: list[tuple[float, str]] = []
        if change is not None and (change.added or change.removed):
            for kind, sentence, weight in self.change.text.sentence_weights(change):
                shown = sentence if kind == "added" else f"[removed] {sentence}"
                weighted.append((weight * sign if sign else abs(weight), shown))
        else:
            for sentence, weight in self.level.text.sentence_weights(cell):
                weighted.append((weight * sign if sign else abs(weight), sentence))
        weighted.sort(key=lambda item: -item[0])
        return tuple(s for w, s in weighted[:SENTENCES] if w > 0 or not sign)


def train(corpus: Corpus, until: int | None = None) -> AssistModel:
    """Fit the assistant on the corpus's editions before `until` (default: all of them, so
    it judges the edition after the newest). Deterministic: same data, same model."""
    editions = corpus.editions()
    if not editions:
        raise NotEnoughData("the store has no country reports")
    until = editions[-1] + 1 if until is None else until
    cells = [c for c in corpus.cells if c.edition < until and c.score is not None]
    history = [c for c in cells if c.previous is not None]
    countries = {c.country_id for c in cells}
    if len(countries) < 5 or not history:
        raise NotEnoughData(
            f"{len(countries)} countries and {len(history)} cells with a previous edition "
            f"before {until} (at least 5 countries and two editions are needed)"
        )
    with threadpool_limits(limits=1):  # OpenMP threads fighting for shared cores run 30x slower
        level = LevelModel.fit(cells)
        change = ChangeModel.fit(history, level)
    trained = sorted({c.edition for c in cells})
    info = TrainingInfo(
        until=until,
        editions=tuple(trained),
        reports=len({(c.country_id, c.edition) for c in cells}),
        cells=len(cells),
        countries=len(countries),
        changed_cells=sum(1 for c in history if c.previous and c.previous.score != c.score),
        digest=digest(cells),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        skipped_filler=corpus.skipped_filler,
    )
    return AssistModel(level, change, info)

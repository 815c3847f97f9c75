"""The change model: did the score move from last year's, and which way, given the texts?

Per cell with a history: the sentences added and removed since last year (`text.diff`) feed a
logistic regression on their TF-IDF (down / same / up); gradient-boosted classifiers then
read its probabilities beside how much of the text was rewritten (word overlap, sentences
added, removed, kept), the previous score, the indicator, and the same signals averaged over
the whole report (a country whose report was rewritten is one whose scores moved).

Whether the score moved and which way are answered apart: the probability of a move is the
mean of a three-class (down / same / up) and a two-class (moved / same) boosted classifier,
and its direction comes from a logistic regression fitted on the moved cells alone (a few
hundred a year, too few for boosting to learn the direction from among thousands of
unchanged cells); a score at its indicator's bound can only move the other way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from fiw.assist.corpus import Cell
from fiw.assist.level import CODE_INDEX, FOLDS, LevelModel, Matrix, codes_of, group_mean
from fiw.assist.text import TextDiff, diff

DIRECTIONS = (-1, 0, 1)
"""The classes: down, same, up (a move of two points counts as its direction)."""


def direction(cell: Cell) -> int:
    """-1, 0 or 1: where the published score went from last year's."""
    assert cell.previous is not None and cell.score is not None
    return int(np.sign(cell.score - cell.previous.score))


def diffs(cells: Sequence[Cell]) -> list[TextDiff]:
    """Each cell's text difference from last year's narrative."""
    return [diff(c.previous.sentences if c.previous else (), c.sentences) for c in cells]


@dataclass
class DiffText:
    """Logistic regression on the words of the added and of the removed sentences."""

    added: TfidfVectorizer
    removed: TfidfVectorizer
    model: LogisticRegression

    @staticmethod
    def _vectorizer() -> TfidfVectorizer:
        return TfidfVectorizer(min_df=3, sublinear_tf=True, max_features=20000, ngram_range=(1, 2))

    @classmethod
    def fit(cls, changes: Sequence[TextDiff], y: Sequence[int]) -> DiffText:
        added, removed = cls._vectorizer(), cls._vectorizer()
        x = hstack(
            [
                added.fit_transform([" ".join(d.added) for d in changes]),
                removed.fit_transform([" ".join(d.removed) for d in changes]),
            ]
        ).tocsr()
        model = LogisticRegression(C=2.0, max_iter=2000).fit(x, list(y))
        return cls(added, removed, model)

    def _x(self, changes: Sequence[TextDiff]) -> csr_matrix:
        return hstack(
            [
                self.added.transform([" ".join(d.added) for d in changes]),
                self.removed.transform([" ".join(d.removed) for d in changes]),
            ]
        ).tocsr()

    def predict_proba(self, changes: Sequence[TextDiff]) -> Matrix:
        """Down / same / up probabilities (columns in DIRECTIONS order)."""
        raw = self.model.predict_proba(self._x(changes))
        out = np.zeros((len(changes), len(DIRECTIONS)))
        for j, label in enumerate(self.model.classes_):
            out[:, DIRECTIONS.index(int(label))] = raw[:, j]
        return out

    def sentence_weights(self, change: TextDiff) -> list[tuple[str, str, float]]:
        """(added|removed, sentence, weight): how far each sentence pushes up (+) or down (−)."""
        classes = [int(c) for c in self.model.classes_]
        if 1 not in classes or -1 not in classes:
            return []
        coef = self.model.coef_
        push = coef[classes.index(1)] - coef[classes.index(-1)]
        width = len(self.added.vocabulary_)
        out: list[tuple[str, str, float]] = []
        if change.added:
            x = self.added.transform(list(change.added))
            out += [
                ("added", s, float(v)) for s, v in zip(change.added, x @ push[:width], strict=True)
            ]
        if change.removed:
            x = self.removed.transform(list(change.removed))
            out += [
                ("removed", s, float(v))
                for s, v in zip(change.removed, x @ push[width:], strict=True)
            ]
        return out


def levels(cells: Sequence[Cell], level: LevelModel, stage: Matrix | None = None) -> Matrix:
    """What the level model reads in this year's and last year's text, against last year's
    score: [report level, indicator level] now, the same last year, and both gaps. `stage`
    may hold `level.stage(cells)` already computed."""
    now = (level.stage(cells) if stage is None else stage)[:, :2]
    before = level.stage([c.before() for c in cells])[:, :2]
    previous = np.array([c.previous.score for c in cells if c.previous], dtype=float)
    return np.column_stack([now, before, now[:, 1] - previous, now - before])


def _dense(
    cells: Sequence[Cell], changes: Sequence[TextDiff], text: Matrix, read: Matrix
) -> Matrix:
    assert all(c.previous is not None for c in cells)
    similarity = np.array([d.similarity for d in changes])
    added = np.array([len(d.added) for d in changes], dtype=float)
    removed = np.array([len(d.removed) for d in changes], dtype=float)
    kept = np.array([d.kept for d in changes], dtype=float)
    before = np.array([len(c.previous.sentences) for c in cells if c.previous], dtype=float)
    moved = 1.0 - text[:, 1]
    return np.column_stack(
        [
            codes_of(cells).astype(float),
            [c.previous.score for c in cells if c.previous],
            similarity,
            added,
            removed,
            kept,
            before,
            text,
            read,
            group_mean(cells, read[:, -1]),
            group_mean(cells, similarity),
            group_mean(cells, (similarity < 0.5).astype(float)),
            group_mean(cells, added),
            group_mean(cells, moved),
            group_mean(cells, moved, "subcategory"),
        ]
    )


def _boosted() -> HistGradientBoostingClassifier:
    """A change classifier (deterministic: no early stopping, fixed seed)."""
    return HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        categorical_features=[0],
        early_stopping=False,
        random_state=0,
    )


def _way(dense: Matrix) -> Matrix:
    """The direction model's inputs: the dense features, the indicator one-hot."""
    codes = dense[:, 0].astype(np.int64)
    return np.column_stack([dense[:, 1:], np.eye(len(CODE_INDEX))[codes]])


@dataclass
class ChangeModel:
    """Probabilities that a score went down, stayed or went up since last year."""

    text: DiffText
    classifier: HistGradientBoostingClassifier
    moved: HistGradientBoostingClassifier
    way: Pipeline | None
    up_share: float

    @classmethod
    def fit(cls, cells: Sequence[Cell], level: LevelModel) -> ChangeModel:
        """Train on cells with a history and a known score; `level` reads their texts."""
        changes = diffs(cells)
        y = np.array([direction(c) for c in cells])
        groups = [c.country_id for c in cells]
        text = np.zeros((len(cells), len(DIRECTIONS)))
        folds = min(FOLDS, len(set(groups)))
        for train, test in GroupKFold(n_splits=folds).split(text, groups=groups):
            fold = DiffText.fit([changes[i] for i in train], [int(v) for v in y[train]])
            text[test] = fold.predict_proba([changes[i] for i in test])
        dense = _dense(cells, changes, text, levels(cells, level))
        classifier = _boosted().fit(dense, y)
        moved = _boosted().fit(dense, (y != 0).astype(np.int64))
        changed = y != 0
        ups = float(np.mean(y[changed] > 0)) if changed.any() else 0.5
        way: Pipeline | None = None
        if len(set(y[changed].tolist())) == 2:
            way = make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000))
            way.fit(_way(dense[changed]), y[changed])
        return cls(DiffText.fit(changes, [int(v) for v in y]), classifier, moved, way, ups)

    def predict_proba(
        self,
        cells: Sequence[Cell],
        changes: Sequence[TextDiff],
        level: LevelModel,
        stage: Matrix | None = None,
    ) -> Matrix:
        """Down / same / up per cell (each cell must have a history)."""
        text = self.text.predict_proba(changes)
        read = levels(cells, level, stage)
        dense = _dense(cells, changes, text, read)
        raw = self.classifier.predict_proba(dense)
        same = raw[:, list(self.classifier.classes_).index(0)]
        moved = self.moved.predict_proba(dense)
        labels = list(self.moved.classes_)
        moves = moved[:, labels.index(1)] if 1 in labels else np.zeros(len(cells))
        change = (1.0 - same + moves) / 2.0
        if self.way is None:
            up = np.full(len(cells), self.up_share)
        else:
            up = self.way.predict_proba(_way(dense))[:, list(self.way.classes_).index(1)]
        before = np.array([c.previous.score for c in cells if c.previous])
        up = np.where(before >= np.array([c.high for c in cells]), 0.0, up)
        up = np.where(before <= np.array([c.low for c in cells]), 1.0, up)
        return np.column_stack([change * (1.0 - up), 1.0 - change, change * up])

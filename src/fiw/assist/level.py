"""The level model: an indicator's score from text alone (no history), for unseen countries.

Four text models feed a small multinomial logistic regression:
- a ridge regression on the TF-IDF of the whole report (all 25 narratives): the level the
  country's text implies, a strong prior for every indicator;
- ridge regressions on the same TF-IDF with the 25 indicators' scores as targets (one
  multi-output fit per penalty in REPORT_ALPHAS): what the whole report says about *this*
  indicator (a media crackdown told under D1 also speaks to B1 and E1);
- a ridge regression on the TF-IDF of the indicator's own narrative, with each word also
  interacted with the indicator (the same word weighs differently under A1 and G4);
- a logistic regression per indicator on the same TF-IDF of its own narrative: a probability
  for each score where the ridge gives one number (phrases that mark a 0 or a 4 of *this*
  question).
The classifier reads them, the own-text values' means over the report and over the
subcategory, and the indicator, and gives a probability for each score. Its inputs for the
training cells come from folds grouped by country, so it learns how far to trust text of a
country it never saw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from fiw.assist.corpus import Cell
from fiw.methodology.vocabulary import INDICATOR_MAX, INDICATOR_MIN, INDICATORS

SCORES: tuple[int, ...] = tuple(range(min(INDICATOR_MIN.values()), max(INDICATOR_MAX.values()) + 1))
"""Every score an indicator can take, the columns of every probability row."""
CODE_INDEX = {code: i for i, code in enumerate(INDICATORS)}
FOLDS = 5
REPORT_ALPHAS: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
"""The penalties of the per-indicator report ridges: each reads the report at its own
smoothness and the classifier weighs them (chosen on 2022, the validation edition: together
65.7% exact from text alone against 64.8–65.3% for any one; docs/assist.md)."""
READER_C = 4.0
"""The inverse penalty of the per-indicator logistic regressions (on 2022, C = 1 and 4 read
alike and 16 a little worse; docs/assist.md)."""
STAGE_WIDTH = 4 + len(REPORT_ALPHAS) + len(SCORES) + 1  # values per cell (TextLevel.predict)

Matrix = NDArray[np.float64]


def report_key(cell: Cell) -> tuple[str, int]:
    """The report a cell belongs to."""
    return (cell.country_id, cell.edition)


def group_mean(cells: Sequence[Cell], values: Matrix, same: str = "report") -> Matrix:
    """Each cell's value averaged over the cells of its report (or of its report's subcategory)."""
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for n, cell in enumerate(cells):
        part = cell.code[0] if same == "subcategory" else ""
        groups[(*report_key(cell), part)].append(n)
    out = np.empty(len(cells))
    for members in groups.values():
        out[members] = values[members].mean()
    return out


def _interact(x: csr_matrix, codes: NDArray[np.int64]) -> csr_matrix:
    """[x, x placed in its indicator's own block]: shared and per-indicator word weights."""
    coo = x.tocoo()
    width = x.shape[1]
    blocks = csr_matrix(
        (coo.data, (coo.row, coo.col + codes[coo.row] * width)),
        shape=(x.shape[0], width * len(INDICATORS)),
    )
    return hstack([x, blocks]).tocsr()


def codes_of(cells: Sequence[Cell]) -> NDArray[np.int64]:
    """Each cell's indicator as its index in the methodology's order."""
    return np.array([CODE_INDEX[c.code] for c in cells], dtype=np.int64)


@dataclass(frozen=True)
class Reader:
    """Per-indicator probabilities of each score from its own narrative's TF-IDF: a logistic
    regression, or the one score seen when the training cells of an indicator all share it."""

    model: LogisticRegression | None
    only: int = 0

    @classmethod
    def fit(cls, x: csr_matrix, scores: Sequence[int]) -> Reader:
        if len(set(scores)) < 2:
            return cls(None, int(scores[0]))
        return cls(LogisticRegression(C=READER_C, max_iter=2000).fit(x, list(scores)))

    def predict_proba(self, x: csr_matrix) -> Matrix:
        """One row per narrative, one column per score in SCORES."""
        out = np.zeros((x.shape[0], len(SCORES)))
        if self.model is None:
            out[:, SCORES.index(self.only)] = 1.0
            return out
        raw = self.model.predict_proba(x)
        for j, label in enumerate(self.model.classes_):
            out[:, SCORES.index(int(label))] = raw[:, j]
        return out


@dataclass
class TextLevel:
    """Stage one: the ridge regressions (report level, per indicator from the report,
    indicator text) and the per-indicator readers of the indicator's text."""

    report_words: TfidfVectorizer
    report_ridge: Ridge
    report_indicators: list[Ridge]
    words: TfidfVectorizer
    ridge: Ridge
    readers: dict[str, Reader]
    _report_weights: tuple[Matrix, Matrix] | None = field(default=None, init=False, repr=False)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_report_weights"] = None  # rebuilt on first use, not saved twice
        return state

    def report_weights(self) -> tuple[Matrix, Matrix]:
        """The report ridges as one C-ordered (words x outputs) matrix and its intercepts: a
        single sparse product per call instead of a copy of each coefficient matrix."""
        if self._report_weights is None:
            ridges = [self.report_ridge, *self.report_indicators]
            coef = np.vstack([np.atleast_2d(r.coef_) for r in ridges])
            intercept = np.concatenate([np.atleast_1d(r.intercept_) for r in ridges])
            self._report_weights = (np.ascontiguousarray(coef.T), intercept)
        return self._report_weights

    @classmethod
    def fit(cls, cells: Sequence[Cell]) -> TextLevel:
        reports: dict[tuple[str, int], list[Cell]] = defaultdict(list)
        for cell in cells:
            reports[report_key(cell)].append(cell)
        texts = [members[0].report_text for members in reports.values()]
        means = [np.mean([c.score for c in members]) for members in reports.values()]
        report_words = TfidfVectorizer(
            min_df=3, max_df=0.9, sublinear_tf=True, max_features=30000, ngram_range=(1, 2)
        )
        report_x = report_words.fit_transform(texts)
        report_ridge = Ridge(alpha=1.0).fit(report_x, means)
        targets = []  # each report's 25 scores (an indicator it lacks: the report's mean)
        for members, mean in zip(reports.values(), means, strict=True):
            by_code = {c.code: float(c.score) for c in members if c.score is not None}
            targets.append([by_code.get(code, mean) for code in INDICATORS])
        report_indicators = [Ridge(alpha=a).fit(report_x, targets) for a in REPORT_ALPHAS]
        words = TfidfVectorizer(min_df=3, sublinear_tf=True, max_features=20000, ngram_range=(1, 2))
        plain = words.fit_transform([c.text for c in cells])
        codes = codes_of(cells)
        y = np.array([c.score for c in cells], dtype=np.int64)
        ridge = Ridge(alpha=3.0).fit(_interact(plain, codes), y)
        readers = {}
        for code in INDICATORS:
            rows = np.flatnonzero(codes == CODE_INDEX[code])
            if len(rows):
                readers[code] = Reader.fit(plain[rows], [int(v) for v in y[rows]])
        return cls(report_words, report_ridge, report_indicators, words, ridge, readers)

    def predict(self, cells: Sequence[Cell]) -> Matrix:
        """Per cell: report level, indicator-text level, the latter's report and subcategory
        means, the cell's indicator read from the whole report (one per penalty), then its
        reader's probability of each score and their expected score."""
        unique: dict[str, int] = {}
        for cell in cells:
            unique.setdefault(cell.report_text, len(unique))
        weights, intercept = self.report_weights()
        report = np.asarray(self.report_words.transform(list(unique)) @ weights) + intercept
        rows = np.array([unique[c.report_text] for c in cells], dtype=np.int64)
        codes = codes_of(cells)
        level = report[rows, 0]
        width = len(INDICATORS)
        per_indicator = [report[rows, 1 + k * width + codes] for k in range(len(REPORT_ALPHAS))]
        plain = self.words.transform([c.text for c in cells])
        own = self.ridge.predict(_interact(plain, codes))
        read = np.zeros((len(cells), len(SCORES)))
        for code, reader in self.readers.items():
            members = np.flatnonzero(codes == CODE_INDEX[code])
            if len(members):
                read[members] = reader.predict_proba(plain[members])
        return np.column_stack(
            [level, own, group_mean(cells, own), group_mean(cells, own, "subcategory"),
             *per_indicator, read, read @ np.array(SCORES, dtype=float)]
        )  # fmt: skip

    def sentence_weights(self, cell: Cell) -> list[tuple[str, float]]:
        """How much each sentence moves the indicator-text level (score points, signed)."""
        if not cell.sentences:
            return []
        x = _interact(
            self.words.transform(list(cell.sentences)), codes_of([cell] * len(cell.sentences))
        )
        contributions = x @ self.ridge.coef_
        return list(zip(cell.sentences, (float(v) for v in contributions), strict=True))


def _dense(cells: Sequence[Cell], stage: Matrix) -> Matrix:
    lengths = np.array([len(c.sentences) for c in cells], dtype=float)
    return np.column_stack([codes_of(cells).astype(float), stage, lengths])


def classifier() -> Pipeline:
    """The stage-two classifier: a multinomial logistic regression on the indicator (one-hot)
    and the standardised stage-one values. It beat gradient boosting on both validation
    editions (63.2% against 60.7% exact on 2022, 62.8% against 61.0% on 2023: a few smooth
    inputs, which boosting cuts into steps); deterministic (lbfgs, no randomness)."""
    columns = ColumnTransformer(
        [("indicator", OneHotEncoder(handle_unknown="ignore"), [0])],
        remainder=StandardScaler(),
    )
    return make_pipeline(columns, LogisticRegression(C=1.0, max_iter=3000))


def country_folds(cells: Sequence[Cell]) -> dict[str, int]:
    """Each country's fold (GroupKFold over countries: deterministic, balanced by cells)."""
    groups = [c.country_id for c in cells]
    folds = min(FOLDS, len(set(groups)))
    out: dict[str, int] = {}
    for fold, (_, test) in enumerate(
        GroupKFold(n_splits=folds).split(np.zeros(len(cells)), groups=groups)
    ):
        out.update({groups[i]: fold for i in test})
    return out


def to_scores(cells: Sequence[Cell], labels: Sequence[int], raw: Matrix) -> Matrix:
    """Classifier probabilities spread over SCORES, impossible scores zeroed, rows summing to 1."""
    out = np.zeros((len(cells), len(SCORES)))
    for j, label in enumerate(labels):
        out[:, SCORES.index(int(label))] = raw[:, j]
    for n, cell in enumerate(cells):
        out[n, [i for i, s in enumerate(SCORES) if not cell.low <= s <= cell.high]] = 0.0
    total = out.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    return np.asarray(out / total, dtype=np.float64)


@dataclass
class LevelModel:
    """Probabilities of each score from the narrative alone (see the module docstring).

    `folds` are the stage-one models fitted without one fold of countries each; `fold_of`
    says which fold a training country belongs to. A country seen in training is read by
    the model that never saw it, so its stage-one values mean what they meant in training.
    """

    text: TextLevel
    folds: list[TextLevel]
    fold_of: dict[str, int]
    classifier: Pipeline

    @classmethod
    def fit(cls, cells: Sequence[Cell]) -> LevelModel:
        """Train on cells with known scores (several countries needed for the folds)."""
        fold_of = country_folds(cells)
        folds = [
            TextLevel.fit([c for c in cells if fold_of[c.country_id] != f])
            for f in range(max(fold_of.values()) + 1)
        ]
        model = cls(TextLevel.fit(cells), folds, fold_of, classifier())
        y = np.array([c.score for c in cells])
        model.classifier.fit(_dense(cells, model.stage(cells)), y)
        return model

    def stage(self, cells: Sequence[Cell]) -> Matrix:
        """Stage-one values: from the fold model that never saw the cell's country when it was
        seen in training, else from the model of all training cells."""
        out = np.zeros((len(cells), STAGE_WIDTH))
        chosen: dict[int, list[int]] = defaultdict(list)
        for n, cell in enumerate(cells):
            chosen[self.fold_of.get(cell.country_id, -1)].append(n)
        for fold, members in chosen.items():
            model = self.text if fold < 0 else self.folds[fold]
            out[members] = model.predict([cells[i] for i in members])
        # report and subcategory means over the cells given, whichever model read them
        out[:, 2] = group_mean(cells, out[:, 1])
        out[:, 3] = group_mean(cells, out[:, 1], "subcategory")
        return out

    def predict_proba(self, cells: Sequence[Cell], stage: Matrix | None = None) -> Matrix:
        """One row per cell, one column per score in SCORES; impossible scores get 0."""
        stage = self.stage(cells) if stage is None else stage
        raw = self.classifier.predict_proba(_dense(cells, stage))
        return to_scores(cells, self.classifier.classes_, raw)

    def refit_without(
        self, cells: Sequence[Cell], countries: set[str], stage: Matrix | None = None
    ) -> LevelModel:
        """The same stage one, stage two retrained without these countries (for evaluation:
        their stage-one values come from the fold model that never saw them). `stage` may
        hold `self.stage(cells)` computed once for several calls."""
        stage = self.stage(cells) if stage is None else stage
        keep = [n for n, c in enumerate(cells) if c.country_id not in countries]
        kept = [cells[n] for n in keep]
        fresh = classifier().fit(_dense(kept, stage[keep]), np.array([c.score for c in kept]))
        return LevelModel(self.text, self.folds, self.fold_of, fresh)

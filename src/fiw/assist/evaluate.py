"""The assistant's three measures on one edition, each beside its baseline from the same run.

Everything is trained on the editions before the one evaluated (never on it):
- change detection: every cell's score set back to last year's (the reviewer who changed
  nothing), ranked by suspicion; the share of the cells that really changed found in the top
  5%, and the share of those found whose direction is right. Baseline: TF-IDF + ridge on the
  text and the text difference, predicting the change.
- suggestion with history: exact agreement with the published score. Baseline: last year's.
- suggestion from text alone for countries never seen in training: folds by country, exact
  agreement and mean absolute error. Baseline: TF-IDF + logistic regression on the narrative.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import scipy
import sklearn
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from threadpoolctl import threadpool_limits

from fiw.assist.corpus import Cell, Corpus
from fiw.assist.errors import NotEnoughData
from fiw.assist.level import SCORES, LevelModel
from fiw.assist.model import AssistModel, digest, train

TOP_SHARE = 0.05
TARGETS = {
    "change_recall": 0.80,
    "change_direction": 0.97,
    "history_exact": 0.975,
    "text_exact": 0.65,
    "text_mae": 0.45,
}


@dataclass(frozen=True)
class ChangeDetection:
    recall: float
    direction: float
    changed: int
    cells: int
    top: int
    baseline_recall: float
    baseline_direction: float


@dataclass(frozen=True)
class HistorySuggestion:
    exact: float
    baseline_exact: float
    cells: int


@dataclass(frozen=True)
class TextSuggestion:
    exact: float
    mae: float
    baseline_exact: float
    baseline_mae: float
    cells: int
    folds: int


@dataclass(frozen=True)
class Provenance:
    """What a run's figures came from, so that two runs can be compared: the cells (sha256
    of keys, scores and texts), the numerical libraries and the processor. The same cells
    give the same figures on one machine; another processor may move a few cells (see
    docs/assist.md, "Measures")."""

    trained_cells: str
    evaluated_cells: str
    numpy: str
    scipy: str
    scikit_learn: str
    processor: str


def processor() -> str:
    """The CPU's model name where the system says it (Linux: /proc/cpuinfo), else its kind."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def provenance(trained: str, evaluated: Sequence[Cell]) -> Provenance:
    """The provenance of a run on `evaluated`, by a model trained on cells of digest `trained`."""
    return Provenance(
        trained_cells=trained,
        evaluated_cells=digest(evaluated),
        numpy=np.__version__,
        scipy=scipy.__version__,
        scikit_learn=sklearn.__version__,
        processor=processor(),
    )


@dataclass(frozen=True)
class Evaluation:
    """The three measures of `fiw assist evaluate`, with baselines and targets."""

    edition: int
    trained_on: tuple[int, ...]
    change_detection: ChangeDetection
    history: HistorySuggestion
    text_only: TextSuggestion
    seconds: float
    provenance: Provenance

    def measures(self) -> dict[str, float]:
        """The headline figures by name (what a saved model keeps of its evaluation)."""
        c, h, t = self.change_detection, self.history, self.text_only
        return {
            "edition": float(self.edition),
            "change_recall": c.recall,
            "change_direction": c.direction,
            "history_exact": h.exact,
            "text_exact": t.exact,
            "text_mae": t.mae,
        }

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["trained_on"] = list(self.trained_on)
        out["targets"] = dict(TARGETS)
        return out


def _sign(values: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.sign(values).astype(np.int64)


def top_share(suspicion: Sequence[float], share: float = TOP_SHARE) -> list[int]:
    """Indices of the `share` most suspicious cells (ties kept in input order)."""
    k = round(share * len(suspicion))
    return [int(i) for i in np.argsort(-np.asarray(suspicion), kind="stable")[:k]]


def recall_and_direction(
    moved: Sequence[int], suspicion: Sequence[float], pointed: Sequence[int]
) -> tuple[float, float, int]:
    """Recall of the moved cells (moved != 0) in the top share, and the share of those found
    whose pointed direction (-1/0/1) equals the move."""
    top = top_share(suspicion)
    found = [i for i in top if moved[i] != 0]
    total = sum(1 for m in moved if m != 0)
    recall = len(found) / total if total else 0.0
    right = sum(1 for i in found if pointed[i] == moved[i])
    return recall, (right / len(found) if found else 0.0), len(top)


def change_baseline(train_cells: Sequence[Cell], test: Sequence[Cell]) -> tuple[float, float]:
    """TF-IDF + ridge on [text, text − last year's text] predicting the score's change."""
    from scipy.sparse import hstack

    words = TfidfVectorizer(min_df=2, sublinear_tf=True, max_features=50000, ngram_range=(1, 2))
    words.fit(
        [c.text for c in train_cells]
        + [" ".join(c.previous.sentences) for c in train_cells if c.previous]
    )

    def features(cells: Sequence[Cell]) -> object:
        now = words.transform([c.text for c in cells])
        before = words.transform(
            [" ".join(c.previous.sentences) if c.previous else "" for c in cells]
        )
        return hstack([now, now - before]).tocsr()

    y = [c.score - c.previous.score for c in train_cells if c.previous and c.score is not None]
    ridge = Ridge(alpha=1.0).fit(features(train_cells), y)
    predicted = ridge.predict(features(test))
    moved = [
        int(np.sign(c.score - c.previous.score)) for c in test if c.previous and c.score is not None
    ]
    recall, direction, _ = recall_and_direction(
        moved, list(np.abs(predicted)), list(_sign(predicted))
    )
    return recall, direction


def text_baseline(
    train_cells: Sequence[Cell], test: Sequence[Cell], fold_of: Callable[[str], int], folds: int
) -> tuple[float, float]:
    """TF-IDF + logistic regression on the narrative, in the same country folds."""
    predicted: dict[int, int] = {}
    for fold in range(folds):
        fit_cells = [c for c in train_cells if fold_of(c.country_id) != fold]
        rows = [n for n, c in enumerate(test) if fold_of(c.country_id) == fold]
        if not rows or not fit_cells:
            continue
        words = TfidfVectorizer(min_df=2, sublinear_tf=True, max_features=50000, ngram_range=(1, 2))
        x = words.fit_transform([c.text for c in fit_cells])
        model = LogisticRegression(C=4.0, max_iter=1000).fit(x, [c.score for c in fit_cells])
        labels = model.predict(words.transform([test[n].text for n in rows]))
        predicted.update({n: int(v) for n, v in zip(rows, labels, strict=True)})
    scores = [
        (predicted[n], c.score)
        for n, c in enumerate(test)
        if n in predicted and c.score is not None
    ]
    exact = sum(1 for p, s in scores if p == s) / len(scores)
    mae = sum(abs(p - s) for p, s in scores) / len(scores)
    return exact, mae


def _fold_of(level: LevelModel) -> Callable[[str], int]:
    """A country's fold in the level model (-1: a country it never saw)."""
    return lambda country: level.fold_of.get(country, -1)


def evaluate(corpus: Corpus, edition: int, model: AssistModel | None = None) -> Evaluation:
    """The three measures on `edition`, training on the editions before it (or checking that
    the given model was)."""
    with threadpool_limits(limits=1):
        return _evaluate(corpus, edition, model)


def reusable(model: AssistModel, corpus: Corpus, edition: int) -> bool:
    """Whether a saved model was trained exactly as `evaluate` would train it for `edition`:
    on the editions before it, from the same cells (same digest)."""
    cells = [c for c in corpus.cells if c.edition < edition and c.score is not None]
    return model.info.until == edition and model.info.digest == digest(cells)


def _evaluate(corpus: Corpus, edition: int, model: AssistModel | None) -> Evaluation:
    started = time.perf_counter()
    test = [c for c in corpus.cells if c.edition == edition and c.score is not None]
    if not test:
        raise NotEnoughData(f"no country reports of edition {edition} in the store")
    model = model if model is not None else train(corpus, until=edition)
    model.check_edition(edition)
    train_cells = [c for c in corpus.cells if c.edition < edition and c.score is not None]

    # change detection: the published score set back to last year's
    history = [c for c in test if c.previous is not None]
    unchanged = [replace(c, score=c.previous.score) for c in history if c.previous]
    judged = model.judge(unchanged, explain=False)
    moved = [
        int(np.sign(c.score - c.previous.score))
        for c in history
        if c.previous and c.score is not None
    ]
    suspicion = [s.suspicion or 0.0 for s in judged]
    pointed = [{"up": 1, "down": -1}.get(s.direction, 0) for s in judged]
    recall, direction, top = recall_and_direction(moved, suspicion, pointed)
    base_recall, base_direction = change_baseline(
        [c for c in train_cells if c.previous is not None], history
    )
    change = ChangeDetection(
        recall,
        direction,
        sum(1 for m in moved if m),
        len(history),
        top,
        base_recall,
        base_direction,
    )

    # suggestion with history
    suggested = model.judge(history, explain=False)
    exact = np.mean([s.suggested == c.score for s, c in zip(suggested, history, strict=True)])
    repeat = np.mean([c.previous.score == c.score for c in history if c.previous])
    with_history = HistorySuggestion(float(exact), float(repeat), len(history))

    # text alone, countries unseen: each fold's countries read by the stage-one model that
    # never saw them, stage two refitted without them
    level = model.level
    folds = max(level.fold_of.values()) + 1
    fold_of = _fold_of(level)
    stage = level.stage(train_cells)
    predicted: dict[int, int] = {}
    for fold in range(-1, folds):
        rows = [n for n, c in enumerate(test) if fold_of(c.country_id) == fold]
        if not rows:
            continue
        members = {k for k, v in level.fold_of.items() if v == fold}
        reader = level.refit_without(train_cells, members, stage) if members else level
        cells = [replace(test[n], previous=None) for n in rows]
        probabilities = reader.predict_proba(cells)
        predicted.update(
            {n: SCORES[int(np.argmax(p))] for n, p in zip(rows, probabilities, strict=True)}
        )
    pairs = [(predicted[n], c.score) for n, c in enumerate(test) if c.score is not None]
    text_exact = sum(1 for p, s in pairs if p == s) / len(pairs)
    text_mae = sum(abs(p - s) for p, s in pairs) / len(pairs)
    base_exact, base_mae = text_baseline(train_cells, test, fold_of, folds)
    text_only = TextSuggestion(text_exact, text_mae, base_exact, base_mae, len(pairs), folds)
    return Evaluation(
        edition,
        model.info.editions,
        change,
        with_history,
        text_only,
        time.perf_counter() - started,
        provenance(model.info.digest, test),
    )
